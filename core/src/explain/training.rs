//! The lecture's gradient-descent table: `w ← w - η·∂E/∂w`, one row per step with every param
//! and the loss there (summed over the rows of a table: batch gradient descent).

use crate::analysis::{Analysis, Point};
use crate::dag::Symbol;
use crate::model::Role;

/// One row of the table: the params after `step` updates and the loss at them.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingRow {
    /// How many updates were made before this row.
    pub step: usize,
    /// The value of each param of [`Training::params`].
    pub params: Vec<f64>,
    /// The loss at these params.
    pub loss: f64,
}

/// A gradient-descent run.
#[derive(Clone, Debug, PartialEq)]
pub struct Training {
    /// The learning rate η.
    pub eta: f64,
    /// The params updated (the variables that are params), in order.
    pub params: Vec<Symbol>,
    /// Rows `0..=steps`.
    pub rows: Vec<TrainingRow>,
}

impl Training {
    /// Runs `steps` updates from `points` (one point, or one per row of a table, all sharing
    /// the params).
    pub fn run(analysis: &Analysis, points: &[Point], eta: f64, steps: usize) -> Training {
        let params: Vec<Symbol> = analysis
            .wrt()
            .into_iter()
            .filter(|&s| {
                analysis
                    .model
                    .vertex(s)
                    .is_some_and(|v| v.role == Role::Param)
            })
            .collect();
        let mut points = points.to_vec();
        let mut rows = Vec::with_capacity(steps + 1);
        for step in 0..=steps {
            let row_params = params
                .iter()
                .map(|&p| points.first().map_or(f64::NAN, |q| q.get(p)))
                .collect();
            let evaluation = if step < steps {
                analysis.sgd_step(&mut points, eta)
            } else {
                analysis.evaluate_sum(&points)
            };
            rows.push(TrainingRow {
                step,
                params: row_params,
                loss: evaluation.map_or(f64::NAN, |e| e.value),
            });
        }
        Training { eta, params, rows }
    }
}
