//! `symdiff eval`: the value of every vertex at a point (or the sum over a table's rows).

use super::{load, number, Failure, Format, PointArgs, Selection};
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::Path;

/// Runs `eval`.
pub fn run(
    file: &Path,
    selection: &Selection,
    point: &PointArgs,
    format: Format,
) -> Result<String, Failure> {
    let model = load::model(file, selection)?;
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
    let model = &analysis.model;
    let mut names: Vec<_> = model.leaves();
    names.extend(model.definitions().iter().map(|&(s, _)| s));
    let rows = point.data.as_ref().map(|_| points.len());
    let single = points.len() == 1;
    let evaluation = analysis.evaluate_sum(&points).expect("at least one point");
    let of = analysis.of();
    let missing: Vec<&str> = analysis
        .unassigned(&points[0])
        .iter()
        .map(|&s| model.name_of(s))
        .collect();
    Ok(match format {
        Format::Text => {
            let mut out = String::new();
            let width = names
                .iter()
                .map(|&s| model.name_of(s).chars().count())
                .max()
                .unwrap_or(0);
            if single {
                for &s in &names {
                    let name = model.name_of(s);
                    let _ = writeln!(
                        out,
                        "{name:<width$} = {}",
                        number::text(evaluation.point.get(s))
                    );
                }
            } else {
                let _ = writeln!(
                    out,
                    "{} = {}    (sum over {} rows)",
                    model.name_of(of),
                    number::text(evaluation.value),
                    points.len()
                );
            }
            if !missing.is_empty() {
                let _ = writeln!(out, "(unknown: {} not assigned)", missing.join(", "));
            }
            out
        }
        Format::Json => {
            let mut values = Map::new();
            if single {
                for &s in &names {
                    values.insert(
                        model.name_of(s).to_string(),
                        number::json(evaluation.point.get(s)),
                    );
                }
            }
            let mut object = Map::new();
            object.insert("of".into(), json!(model.name_of(of)));
            object.insert("value".into(), number::json(evaluation.value));
            if let Some(rows) = rows {
                object.insert("rows".into(), json!(rows));
            }
            if single {
                object.insert("values".into(), Value::Object(values));
            }
            let mut out =
                serde_json::to_string_pretty(&Value::Object(object)).expect("JSON serializes");
            out.push('\n');
            out
        }
    })
}
