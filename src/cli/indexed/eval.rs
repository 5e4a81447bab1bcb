//! `symdiff eval` on an indexed network: every definition's values (a nested list per array)
//! and the loss, at the given values or summed over `--data`.

use super::grad::evaluate;
use super::{array_json, array_text, values};
use crate::cli::{json, Failure, Format, PointArgs};
use serde_json::{json, Map, Value};
use symdiff::core::indexed::IndexedAnalysis;
use symdiff::core::Text;

/// Runs `eval` on an indexed network.
pub fn run(
    analysis: IndexedAnalysis,
    point: &PointArgs,
    format: Format,
    per_row: bool,
) -> Result<String, Failure> {
    let values = values::read(&analysis, point)?;
    let (evaluation, note) = evaluate(&analysis, &values, point)?;
    if per_row && evaluation.is_some() {
        return crate::cli::per_row::indexed(&analysis, &values, format);
    }
    let Some(evaluation) = evaluation else {
        return Err(Failure(format!(
            "error: {}",
            note.unwrap_or_else(|| "nothing to evaluate".to_string())
        )));
    };
    let model = &analysis.model;
    let rows = values.rows.len();
    let report = match format {
        Format::Json => {
            let mut vertices = Map::new();
            for d in model.definitions() {
                let shape = model.shape(d.symbol);
                let value = evaluation
                    .values
                    .get(d.symbol)
                    .map_or(Value::Null, |v| array_json(v, &shape));
                vertices.insert(model.dag.name(d.symbol).to_string(), value);
            }
            let mut object = json!({
                "values": vertices,
                "of": model.dag.name(analysis.derivation.of),
                "value": json::value(Some(evaluation.loss)),
                "at": values.sources,
            });
            if rows > 0 {
                object["rows"] = json!(rows);
                object["note"] =
                    json!("the loss is summed over the rows; the other values are the last row's");
            }
            json::pretty(&object)
        }
        Format::Text => {
            let mut out = String::new();
            if rows > 0 {
                out.push_str(&format!(
                    "summed over {rows} rows of --data (values of the last row; the loss summed)\n"
                ));
            }
            if !values.sources.is_empty() {
                out.push_str(&format!("at: {}\n", values.sources.join("; ")));
            }
            for d in model.definitions() {
                let shape = model.shape(d.symbol);
                let lhs = model.dag.name(d.element);
                let shown = match evaluation.values.get(d.symbol) {
                    // Over --data the loss is the sum over the rows, not the last row's.
                    Some(_) if d.symbol == analysis.derivation.of => {
                        crate::cli::number::text(evaluation.loss)
                    }
                    Some(v) => array_text(v, &shape),
                    None => "?".to_string(),
                };
                out.push_str(&format!(
                    "{lhs} = {} = {shown}\n",
                    Text::new(&model.dag, d.body)
                ));
            }
            out
        }
    };
    // As for scalar networks: the values are printed, and a loss without a value fails with
    // its reason.
    match note {
        Some(reason) if !evaluation.loss.is_finite() => {
            print!("{report}");
            Err(Failure(format!("error: {reason}")))
        }
        _ => Ok(report),
    }
}
