//! The record of a run, epoch by epoch: the mean training loss over the epoch's batches, the
//! validation loss at its end, and the time it took.

use crate::cli::metrics::short;
use crate::cli::number;
use serde_json::{json, Value};

/// One epoch's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Epoch {
    /// Counted from 1.
    pub epoch: usize,
    /// The mean loss per row over the epoch's batches (each at the params of its step).
    pub train: f64,
    /// The mean loss per row on the validation rows after the epoch.
    pub valid: Option<f64>,
    /// Seconds.
    pub seconds: f64,
}

impl Epoch {
    /// `epoch 3/20  train loss 0.251033  valid loss 0.262109  0.012 s`.
    pub fn line(&self, epochs: usize) -> String {
        let width = epochs.to_string().len();
        let valid = self
            .valid
            .map_or(String::new(), |v| format!("  valid loss {}", short(v)));
        format!(
            "epoch {:>width$}/{epochs}  train loss {}{valid}  {:.3} s",
            self.epoch,
            short(self.train),
            self.seconds
        )
    }

    /// `{"epoch": 3, "train": .., "valid": .., "seconds": ..}`.
    pub fn to_json(&self) -> Value {
        let mut object = json!({
            "epoch": self.epoch,
            "train": number::json(self.train),
            "seconds": self.seconds,
        });
        if let Some(v) = self.valid {
            object["valid"] = number::json(v);
        }
        object
    }
}
