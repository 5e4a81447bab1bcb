//! `symdiff eval`: the value of every vertex at a point (or the sum over a table's rows).

use super::{json, load, number, Failure, Format, PointArgs, Selection};
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::Path;
use symdiff::core::{undefined_reason, Analysis, Evaluation, Model, Point, Symbol};

/// Runs `eval`.
pub fn run(
    file: &Path,
    selection: &Selection,
    point: &PointArgs,
    format: Format,
    per_row: bool,
) -> Result<String, Failure> {
    let model = match load::network(file, selection)? {
        load::Network::Scalar(model) => model,
        load::Network::Indexed(model) => {
            let analysis = symdiff::core::indexed::IndexedAnalysis::new(model);
            return super::indexed::eval::run(analysis, point, format, per_row);
        }
    };
    // Values only: no variables, so no derivative is derived.
    let values_only = Selection {
        wrt: Some(Vec::new()),
        ..selection.clone()
    };
    let analysis = load::analysis(model, &values_only, 0)?;
    let Some(points) = load::points(&analysis, point)? else {
        return Err(Failure(
            "error: eval needs --at name=value,... or --data FILE.csv".into(),
        ));
    };
    if per_row {
        return super::per_row::scalar(&analysis, &points, format);
    }
    let rows = point.data.as_ref().map(|_| points.len());
    let values = Values::new(&analysis, &points, rows);
    let report = match format {
        Format::Text => values.text(),
        Format::Json => json::pretty(&values.to_json()),
    };
    // Only a value that came out unknown sends the points through the evaluator again.
    let reason = match values.evaluation.value.is_nan() {
        true => why_undefined(&analysis, &points),
        false => None,
    };
    match reason {
        None => Ok(report),
        // The values are printed; the run fails, saying why its result is unknown.
        Some(reason) => {
            print!("{report}");
            Err(Failure(format!("error: {reason}")))
        }
    }
}

/// Why the evaluated vertex has no value: at the first point (row) where it has none.
fn why_undefined(analysis: &Analysis, points: &[Point]) -> Option<String> {
    let several = points.len() > 1;
    points.iter().enumerate().find_map(|(k, p)| {
        let reason = undefined_reason(analysis, &analysis.evaluate(p))?;
        Some(match several {
            true => format!("row {} of --data: {reason}", k + 1),
            false => reason,
        })
    })
}

/// Every vertex's value at one point, or the value of the one differentiated summed over
/// several.
struct Values<'a> {
    model: &'a Model,
    /// Every leaf, then every definition.
    names: Vec<Symbol>,
    of: Symbol,
    evaluation: Evaluation,
    /// How many points were evaluated: one prints every vertex, several only the sum.
    points: usize,
    /// The rows of `--data`, when it is given.
    rows: Option<usize>,
    /// The leaves without a value.
    missing: Vec<&'a str>,
}

impl<'a> Values<'a> {
    fn new(analysis: &'a Analysis, points: &[Point], rows: Option<usize>) -> Values<'a> {
        let model = &analysis.model;
        let mut names: Vec<_> = model.leaves();
        names.extend(model.definitions().iter().map(|&(s, _)| s));
        let evaluation = analysis.evaluate_sum(points).expect("at least one point");
        let missing: Vec<&str> = analysis
            .unassigned(&points[0])
            .iter()
            .map(|&s| model.name_of(s))
            .collect();
        Values {
            model,
            names,
            of: analysis.of(),
            evaluation,
            points: points.len(),
            rows,
            missing,
        }
    }

    fn single(&self) -> bool {
        self.points == 1
    }

    fn text(&self) -> String {
        let model = self.model;
        let mut out = String::new();
        if self.single() {
            let width = self
                .names
                .iter()
                .map(|&s| model.name_of(s).chars().count())
                .max()
                .unwrap_or(0);
            for &s in &self.names {
                let name = model.name_of(s);
                let value = number::text(self.evaluation.point.get(s));
                let _ = writeln!(out, "{name:<width$} = {value}");
            }
        } else {
            let _ = writeln!(
                out,
                "{} = {}    (sum over {} rows)",
                model.name_of(self.of),
                number::text(self.evaluation.value),
                self.points
            );
        }
        if !self.missing.is_empty() {
            let _ = writeln!(out, "(unknown: {} not assigned)", self.missing.join(", "));
        }
        out
    }

    fn to_json(&self) -> Value {
        let model = self.model;
        let mut object = Map::new();
        object.insert("of".into(), json!(model.name_of(self.of)));
        object.insert("value".into(), number::json(self.evaluation.value));
        if let Some(rows) = self.rows {
            object.insert("rows".into(), json!(rows));
        }
        if self.single() {
            let mut values = Map::new();
            for &s in &self.names {
                let value = number::json(self.evaluation.point.get(s));
                values.insert(model.name_of(s).to_string(), value);
            }
            object.insert("values".into(), Value::Object(values));
        }
        Value::Object(object)
    }
}
