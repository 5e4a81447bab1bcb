//! `--optimizer sgd|momentum|adam` and `--lr`: the runtime's optimizers, which a `network!`
//! training loop uses too, so the command and Rust code step params alike.

use clap::ValueEnum;
use symdiff::runtime::{Adam, Momentum, Optimizer, Sgd};

/// Which optimizer.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Plain gradient descent: θ ← θ - η·g.
    Sgd,
    /// Gradient descent with momentum 0.9: v ← 0.9·v + g, θ ← θ - η·v.
    Momentum,
    /// Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8, with bias correction).
    Adam,
}

/// The momentum of `--optimizer momentum`.
pub const MOMENTUM: f64 = 0.9;

impl Choice {
    /// The learning rate when `--lr` is not given: PyTorch's 0.001 for Adam, 0.01 for the
    /// others.
    pub fn default_lr(self) -> f64 {
        match self {
            Choice::Adam => 0.001,
            Choice::Sgd | Choice::Momentum => 0.01,
        }
    }

    /// The optimizer's name as the flag spells it.
    pub fn name(self) -> &'static str {
        match self {
            Choice::Sgd => "sgd",
            Choice::Momentum => "momentum",
            Choice::Adam => "adam",
        }
    }

    /// A fresh optimizer with learning rate `lr`.
    pub fn build(self, lr: f64) -> Box<dyn Optimizer<f64>> {
        match self {
            Choice::Sgd => Box::new(Sgd::new(lr)),
            Choice::Momentum => Box::new(Momentum::new(lr, MOMENTUM)),
            Choice::Adam => Box::new(Adam::new(lr)),
        }
    }
}
