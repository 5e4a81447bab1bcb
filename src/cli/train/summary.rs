//! The summary `train` prints when it is done: how it stopped, the final loss on the training
//! and validation rows with accuracy (classification targets) or RMSE (regression), the time,
//! and where the params went; as text or as one JSON object (with the per-epoch history).

use super::fit::{Outcome, Settings, Stop};
use crate::cli::dataset::Dataset;
use crate::cli::learner::Learner;
use crate::cli::metrics::{self, short, Metrics};
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;

/// What a finished (or interrupted) run reports.
pub struct Summary<'a> {
    outcome: &'a Outcome,
    settings: &'a Settings,
    loss: String,
    train: Metrics,
    valid: Option<Metrics>,
    seconds: f64,
    saved: Option<PathBuf>,
}

impl<'a> Summary<'a> {
    /// Evaluates the final params on every training and validation row.
    pub fn new(
        learner: &mut Learner,
        outcome: &'a Outcome,
        train: &Dataset,
        valid: Option<&Dataset>,
        settings: &'a Settings,
        seconds: f64,
        saved: Option<PathBuf>,
    ) -> Summary<'a> {
        let loss = learner.shape().loss.clone();
        let train_metrics = evaluate(learner, &outcome.params, train);
        let valid = valid.map(|v| evaluate(learner, &outcome.params, v));
        Summary {
            outcome,
            settings,
            loss,
            train: train_metrics,
            valid,
            seconds,
            saved,
        }
    }

    /// The text summary.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let epochs = self.outcome.history.len();
        let how = match &self.outcome.stop {
            Stop::Interrupted { epoch, batch } => format!(
                "interrupted (Ctrl-C) before batch {batch} of epoch {epoch}, after {epochs} full epoch{}",
                plural(epochs)
            ),
            _ => format!("trained {epochs} epoch{}", plural(epochs)),
        };
        let _ = writeln!(
            out,
            "{how} ({} steps of {}, lr {}) in {:.3} s",
            self.outcome.steps,
            self.settings.optimizer.name(),
            short(self.settings.lr),
            self.seconds
        );
        let _ = writeln!(
            out,
            "loss {} averaged over the rows (explain --data sums it instead):",
            self.loss
        );
        let rows = std::iter::once(("train", &self.train))
            .chain(self.valid.iter().map(|v| ("validation", v)));
        for (name, m) in rows {
            let quality = m.quality().map_or(String::new(), |q| format!(", {q}"));
            let _ = writeln!(
                out,
                "  {name:<10}  loss {}{quality}  ({} rows)",
                m.loss.map_or("?".to_string(), short),
                m.rows
            );
        }
        match &self.saved {
            Some(path) => {
                let _ = writeln!(out, "params saved to {}", path.display());
            }
            None => {
                let _ = writeln!(out, "params not saved (give --save P.json to keep them)");
            }
        }
        out
    }

    /// The JSON summary.
    pub fn to_json(&self) -> Value {
        let stopped = match &self.outcome.stop {
            Stop::Interrupted { epoch, batch } => {
                json!({"reason": "interrupted", "epoch": epoch, "batch": batch})
            }
            _ => json!({"reason": "finished"}),
        };
        let mut object = json!({
            "stopped": stopped,
            "epochs": self.outcome.history.len(),
            "steps": self.outcome.steps,
            "batch_size": self.settings.batch_size,
            "optimizer": {"name": self.settings.optimizer.name(), "lr": self.settings.lr},
            "seed": self.settings.seed,
            "loss": self.loss,
            "loss_per": "row (the mean over each batch's rows)",
            "train": self.train.to_json(),
            "seconds": self.seconds,
            "saved": self.saved.as_ref().map(|p| p.display().to_string()),
            "history": self.outcome.history.iter().map(|e| e.to_json()).collect::<Vec<_>>(),
        });
        if let Some(v) = &self.valid {
            object["validation"] = v.to_json();
        }
        object
    }
}

/// Every row's outputs and loss at `params`, and the metrics over them.
pub fn evaluate(learner: &mut Learner, params: &[f64], data: &Dataset) -> Metrics {
    let mut outputs = Vec::with_capacity(data.rows);
    let mut losses = Vec::with_capacity(data.rows);
    for r in 0..data.rows {
        let (o, l) = learner.row(params, data, r);
        outputs.push(o);
        losses.push(l);
    }
    metrics::compute(&outputs, &losses, data.t.as_deref(), data.t_width)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
