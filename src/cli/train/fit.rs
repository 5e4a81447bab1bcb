//! The training loop: epochs of seeded shuffles cut into minibatches; for each batch the mean
//! loss and its gradient (the summed ones divided by the batch's rows) and one optimizer step.
//! It stops early, keeping the last params whose every value is finite, at the first quantity
//! that is not finite (the loss, a gradient element, a param after the step, the validation
//! loss), and after the current batch on Ctrl-C.

use super::history::Epoch;
use super::interrupt;
use super::optimizer::Choice;
use super::progress::Progress;
use crate::cli::dataset::Dataset;
use crate::cli::learner::Learner;
use std::time::Instant;
use symdiff::runtime::batches::epoch_batches;

/// How to train.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Passes over the training rows.
    pub epochs: usize,
    /// Rows per batch (the last batch of an epoch may have fewer).
    pub batch_size: usize,
    /// The optimizer.
    pub optimizer: Choice,
    /// Its learning rate.
    pub lr: f64,
    /// The seed of the shuffles.
    pub seed: u64,
}

/// Why training stopped.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    /// Every epoch ran.
    Finished,
    /// Ctrl-C, before this batch of this epoch.
    Interrupted {
        /// Counted from 1.
        epoch: usize,
        /// Counted from 1.
        batch: usize,
    },
    /// A quantity that is not a finite number.
    Diverged {
        /// Counted from 1.
        epoch: usize,
        /// Counted from 1; `None` for the validation loss at the epoch's end.
        batch: Option<usize>,
        /// What was not finite: `the loss E is NaN`, `∂E/∂w1[2,1] is inf`, ...
        what: String,
    },
}

/// What a run leaves.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The params at the end: the trained ones, or on divergence the last finite ones.
    pub params: Vec<f64>,
    /// Every finished epoch.
    pub history: Vec<Epoch>,
    /// Why it stopped.
    pub stop: Stop,
    /// Optimizer steps taken.
    pub steps: usize,
}

/// Trains `params` in place on `train` (validation loss on `valid` after each epoch).
pub fn fit(
    learner: &mut Learner,
    mut params: Vec<f64>,
    train: &Dataset,
    valid: Option<&Dataset>,
    settings: &Settings,
    progress: &mut Progress,
) -> Outcome {
    let shape = learner.shape().clone();
    let mut optimizer = settings.optimizer.build(settings.lr);
    let mut gradient = vec![0.0; params.len()];
    let mut before = params.clone();
    let mut history = Vec::new();
    let mut steps = 0;
    let outcome = |params, history, stop, steps| Outcome {
        params,
        history,
        stop,
        steps,
    };
    for epoch in 1..=settings.epochs {
        let started = Instant::now();
        let (mut sum, mut seen) = (0.0, 0usize);
        let batches = epoch_batches(train.rows, settings.batch_size, settings.seed, epoch);
        for (b, rows) in batches.iter().enumerate() {
            let batch = b + 1;
            if interrupt::requested() {
                let stop = Stop::Interrupted { epoch, batch };
                return outcome(params, history, stop, steps);
            }
            let loss =
                learner.sum_gradient(&params, train, rows, &mut gradient) / rows.len() as f64;
            let scale = 1.0 / rows.len() as f64;
            gradient.iter_mut().for_each(|g| *g *= scale);
            let diverged = |what: String| Stop::Diverged {
                epoch,
                batch: Some(batch),
                what,
            };
            if !loss.is_finite() {
                let what = format!("the mean loss {} of the batch is {}", shape.loss, loss);
                return outcome(params, history, diverged(what), steps);
            }
            if let Some(k) = gradient.iter().position(|g| !g.is_finite()) {
                let what = format!("∂{}/∂{} is {}", shape.loss, shape.element(k), gradient[k]);
                return outcome(params, history, diverged(what), steps);
            }
            before.copy_from_slice(&params);
            optimizer.step_slice(&mut params, &gradient);
            steps += 1;
            if let Some(k) = params.iter().position(|p| !p.is_finite()) {
                let what = format!("{} is {} after the step", shape.element(k), params[k]);
                return outcome(before, history, diverged(what), steps);
            }
            sum += loss * rows.len() as f64;
            seen += rows.len();
            progress.batch(epoch, batch, rows.len(), sum / seen as f64);
        }
        let valid_loss = valid.map(|v| mean_loss(learner, &params, v));
        let record = Epoch {
            epoch,
            train: sum / seen as f64,
            valid: valid_loss,
            seconds: started.elapsed().as_secs_f64(),
        };
        progress.epoch(&record);
        history.push(record);
        if let Some(v) = valid_loss.filter(|v| !v.is_finite()) {
            let what = format!("the validation loss {} is {v}", shape.loss);
            let stop = Stop::Diverged {
                epoch,
                batch: None,
                what,
            };
            return outcome(params, history, stop, steps);
        }
    }
    outcome(params, history, Stop::Finished, steps)
}

/// The loss per row over a whole table.
pub fn mean_loss(learner: &mut Learner, params: &[f64], data: &Dataset) -> f64 {
    let rows: Vec<usize> = (0..data.rows).collect();
    let mut gradient = vec![0.0; params.len()];
    learner.sum_gradient(params, data, &rows, &mut gradient) / data.rows as f64
}
