//! How good a network's outputs are on a table: the mean loss, and accuracy for classification
//! targets or the RMSE for regression ones (shared by `train`'s summary and `predict`).
//!
//! The targets decide which: every target in {0, 1} with one target column is binary
//! classification (an output of at least 0.5 is class 1 when every output lies in [0, 1], as a
//! probability does; else at least 0, a logit); every row of several target columns one-hot is
//! classification by the largest output; every target in {-1, 1} is classification by the
//! output's sign; anything else is regression. Accuracy and RMSE need as many outputs as
//! targets; without that (or without targets) only the loss is given.

use serde_json::{json, Value};

/// What kind of targets a table has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// One 0/1 target.
    Binary,
    /// One-hot rows of several targets.
    OneHot,
    /// One ±1 target.
    Sign,
    /// Numbers.
    Regression,
}

impl Task {
    /// The task of a table's targets (`width` numbers per row).
    pub fn of(targets: &[f64], width: usize) -> Task {
        let all = |set: &[f64]| targets.iter().all(|t| set.contains(t));
        if width == 1 && all(&[0.0, 1.0]) {
            Task::Binary
        } else if width == 1 && all(&[-1.0, 1.0]) {
            Task::Sign
        } else if width > 1
            && all(&[0.0, 1.0])
            && targets
                .chunks(width)
                .all(|row| row.iter().filter(|&&t| t == 1.0).count() == 1)
        {
            Task::OneHot
        } else {
            Task::Regression
        }
    }
}

/// The metrics of one table.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// Rows.
    pub rows: usize,
    /// The loss averaged over the rows (`None` without targets).
    pub loss: Option<f64>,
    /// The fraction of rows classified right (classification targets).
    pub accuracy: Option<f64>,
    /// The root mean squared error of the outputs (regression targets).
    pub rmse: Option<f64>,
}

/// The metrics of per-row `outputs` and `losses` against `targets` (row-major, `width` per
/// row; `None` when the table has none).
pub fn compute(
    outputs: &[Vec<f64>],
    losses: &[f64],
    targets: Option<&[f64]>,
    width: usize,
) -> Metrics {
    let rows = outputs.len();
    let mut metrics = Metrics {
        rows,
        loss: None,
        accuracy: None,
        rmse: None,
    };
    let Some(targets) = targets else {
        return metrics;
    };
    metrics.loss = Some(losses.iter().sum::<f64>() / rows as f64);
    if rows == 0 || outputs.iter().any(|o| o.len() != width) {
        return metrics;
    }
    let rows_t = targets.chunks(width);
    match Task::of(targets, width) {
        Task::Regression => {
            let sq: f64 = outputs
                .iter()
                .zip(rows_t)
                .flat_map(|(o, t)| o.iter().zip(t).map(|(o, t)| (o - t) * (o - t)))
                .sum();
            metrics.rmse = Some((sq / (rows * width) as f64).sqrt());
        }
        task => {
            let probability = outputs.iter().flatten().all(|o| (0.0..=1.0).contains(o));
            let threshold = if probability { 0.5 } else { 0.0 };
            let right = outputs
                .iter()
                .zip(rows_t)
                .filter(|(o, t)| match task {
                    Task::Binary => (o[0] >= threshold) == (t[0] == 1.0),
                    Task::Sign => (o[0] >= 0.0) == (t[0] == 1.0),
                    _ => t[argmax(o)] == 1.0,
                })
                .count();
            metrics.accuracy = Some(right as f64 / rows as f64);
        }
    }
    metrics
}

fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (k, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = k;
        }
    }
    best
}

impl Metrics {
    /// `{"rows": .., "loss": .., "accuracy"|"rmse": ..}`.
    pub fn to_json(&self) -> Value {
        let mut object = json!({ "rows": self.rows });
        if let Some(loss) = self.loss {
            object["loss"] = crate::cli::number::json(loss);
        }
        if let Some(a) = self.accuracy {
            object["accuracy"] = crate::cli::number::json(a);
        }
        if let Some(r) = self.rmse {
            object["rmse"] = crate::cli::number::json(r);
        }
        object
    }

    /// `accuracy 97.5%` or `RMSE 0.0123`, when there is one.
    pub fn quality(&self) -> Option<String> {
        match (self.accuracy, self.rmse) {
            (Some(a), _) => Some(format!("accuracy {:.1}%", 100.0 * a)),
            (_, Some(r)) => Some(format!("RMSE {}", short(r))),
            _ => None,
        }
    }
}

/// A number to 6 significant digits (for summaries; saved params keep every digit).
pub fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    if !(-4..6).contains(&magnitude) {
        let text = format!("{x:.5e}");
        let (mantissa, exponent) = text.split_once('e').expect("exponent form");
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exponent}");
    }
    let decimals = (5 - magnitude).max(0) as usize;
    let text = format!("{x:.decimals$}");
    match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_follow_the_targets() {
        assert_eq!(Task::of(&[0.0, 1.0, 1.0], 1), Task::Binary);
        assert_eq!(Task::of(&[-1.0, 1.0], 1), Task::Sign);
        assert_eq!(Task::of(&[0.0, 1.0, 1.0, 0.0], 2), Task::OneHot);
        assert_eq!(Task::of(&[0.5, 1.0], 1), Task::Regression);
    }

    #[test]
    fn accuracy_and_rmse() {
        let m = compute(&[vec![0.9], vec![0.2]], &[0.1, 0.3], Some(&[1.0, 1.0]), 1);
        assert_eq!((m.loss, m.accuracy), (Some(0.2), Some(0.5)));
        let m = compute(&[vec![1.0], vec![3.0]], &[0.0, 0.0], Some(&[2.0, 2.0]), 1);
        assert_eq!(m.rmse, Some(1.0));
        let m = compute(&[vec![0.1, 0.7]], &[0.0], Some(&[0.0, 1.0]), 2);
        assert_eq!(m.accuracy, Some(1.0));
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.123456789), "0.123457");
        assert_eq!(short(2.0), "2");
        assert_eq!(short(1.5e-7), "1.5e-7");
        assert_eq!(short(1e300), "1e300");
    }
}
