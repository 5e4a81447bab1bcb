//! `symdiff grad`: the derived formulas, and their values at a point or summed over a table.

use super::{load, number, Failure, PointArgs, Selection};
use clap::ValueEnum;
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::Path;
use symdiff::core::{partial_symbol, Analysis, Evaluation, Notation, Text};

/// How `grad` prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradFormat {
    /// The lecture's notation.
    Text,
    /// One JSON object.
    Json,
    /// The network's Rust module, as `network!` expands it (the loss's gradient w.r.t. every
    /// param), formatted.
    Rust,
}

/// Runs `grad`.
pub fn run(
    file: &Path,
    selection: &Selection,
    point: &PointArgs,
    format: GradFormat,
    max_paths: u128,
) -> Result<String, Failure> {
    let model = load::model(file, selection)?;
    let analysis = load::analysis(model, selection, max_paths)?;
    let points = load::points(&analysis, point)?;
    let evaluation = points.as_deref().and_then(|p| analysis.evaluate_sum(p));
    Ok(match format {
        GradFormat::Text => text(&analysis, evaluation.as_ref()),
        GradFormat::Rust => rust(&analysis)?,
        GradFormat::Json => {
            let rows = point.data.as_ref().and(points.as_ref().map(Vec::len));
            let mut out =
                serde_json::to_string_pretty(&to_json(&analysis, evaluation.as_ref(), rows))
                    .expect("JSON values serialize");
            out.push('\n');
            out
        }
    })
}

/// The network module of the analysed loss, formatted (the emitter of `network!` and `codegen`).
fn rust(analysis: &Analysis) -> Result<String, Failure> {
    use symdiff::core::codegen::{network_module, RustOptions};
    let tokens = network_module(analysis, &RustOptions::default())
        .map_err(|e| Failure(format!("error: --format rust: {e}")))?;
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Failure(format!("error: generated code does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// The formulas (and values) in the lecture's notation, one derivative per line.
pub fn text(analysis: &Analysis, evaluation: Option<&Evaluation>) -> String {
    let model = &analysis.model;
    let dag = &model.dag;
    let of_name = model.name_of(analysis.of());
    let mut out = String::new();
    if let Some(e) = evaluation {
        let leaves: Vec<String> = model
            .leaves()
            .iter()
            .map(|&s| format!("{} = {}", model.name_of(s), number::text(e.point.get(s))))
            .collect();
        let _ = writeln!(out, "at {}", leaves.join(", "));
        let _ = writeln!(out, "{of_name} = {}", number::text(e.value));
    }
    let mut factored = 0u128;
    for (i, g) in analysis.derivation.gradients.iter().enumerate() {
        let symbol = partial_symbol(of_name, model.name_of(g.wrt), Notation::Unicode);
        let _ = write!(out, "{symbol} = {}", Text::new(dag, g.formula()));
        if let Some(e) = evaluation {
            let _ = write!(out, " = {}", number::text(e.gradient[i]));
        }
        if g.path_sum.is_none() {
            factored = factored.max(g.path_count);
            let _ = write!(out, "    (factored form of {} paths)", g.path_count);
        }
        out.push('\n');
    }
    if factored > 0 {
        let _ = writeln!(out, "where");
        for a in &analysis.derivation.adjoints.entries {
            if model.vertex(a.vertex).is_some_and(|v| v.role.is_defined()) {
                let _ = write!(
                    out,
                    "  {} = {}",
                    dag.name(a.symbol),
                    Text::new(dag, a.formula)
                );
                if let Some(e) = evaluation {
                    let _ = write!(out, " = {}", number::text(e.point.get(a.symbol)));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The contract's JSON object: `of`, `wrt`, `at`, `value`, `gradient` (formula and value per
/// variable), and `adjoints` when a formula is printed in factored form.
pub fn to_json(analysis: &Analysis, evaluation: Option<&Evaluation>, rows: Option<usize>) -> Value {
    let model = &analysis.model;
    let dag = &model.dag;
    let value_of = |x: Option<f64>| x.map_or(Value::Null, number::json);
    let mut at = Map::new();
    for s in model.leaves() {
        at.insert(
            model.name_of(s).to_string(),
            value_of(evaluation.map(|e| e.point.get(s))),
        );
    }
    let mut gradient = Map::new();
    let mut any_factored = false;
    for (i, g) in analysis.derivation.gradients.iter().enumerate() {
        any_factored |= g.path_sum.is_none();
        gradient.insert(
            model.name_of(g.wrt).to_string(),
            json!({
                "formula": Text::new(dag, g.formula()).to_string(),
                "paths": u64::try_from(g.path_count).map_or(json!(g.path_count as f64), |n| json!(n)),
                "value": value_of(evaluation.map(|e| e.gradient[i])),
            }),
        );
    }
    let mut object = Map::new();
    object.insert("of".into(), json!(model.name_of(analysis.of())));
    object.insert(
        "wrt".into(),
        json!(analysis
            .wrt()
            .iter()
            .map(|&s| model.name_of(s))
            .collect::<Vec<_>>()),
    );
    object.insert("at".into(), Value::Object(at));
    if let Some(rows) = rows {
        object.insert("rows".into(), json!(rows));
    }
    object.insert("value".into(), value_of(evaluation.map(|e| e.value)));
    object.insert("gradient".into(), Value::Object(gradient));
    if any_factored {
        let mut adjoints = Map::new();
        for a in &analysis.derivation.adjoints.entries {
            adjoints.insert(
                dag.name(a.symbol).to_string(),
                json!({
                    "formula": Text::new(dag, a.formula).to_string(),
                    "value": value_of(evaluation.map(|e| e.point.get(a.symbol))),
                }),
            );
        }
        object.insert("adjoints".into(), Value::Object(adjoints));
    }
    Value::Object(object)
}
