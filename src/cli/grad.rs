//! `symdiff grad`: the derived formulas, and their values at a point or summed over a table.

use super::{codegen, json, load, number, Failure, PointArgs, Selection};
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
    let selection = &super::explain::distinct_wrt(selection);
    let model = load::model(file, selection)?;
    let analysis = load::analysis(model, selection, max_paths)?;
    let points = load::points(&analysis, point)?;
    let evaluation = points.as_deref().and_then(|p| analysis.evaluate_sum(p));
    Ok(match format {
        GradFormat::Text => text(&analysis, evaluation.as_ref()),
        GradFormat::Rust => rust(&analysis)?,
        GradFormat::Json => {
            let rows = point.data.as_ref().and(points.as_ref().map(Vec::len));
            json::pretty(&to_json(&analysis, evaluation.as_ref(), rows))
        }
    })
}

/// The network module of the analysed loss, formatted (the emitter of `network!` and `codegen`).
fn rust(analysis: &Analysis) -> Result<String, Failure> {
    use symdiff::core::codegen::{network_module, RustOptions};
    let tokens = network_module(analysis, &RustOptions::default())
        .map_err(|e| Failure(format!("error: --format rust: {e}")))?;
    codegen::formatted(syn::parse2(tokens))
}

/// The formulas (and values) in the lecture's notation, one derivative per line.
pub fn text(analysis: &Analysis, evaluation: Option<&Evaluation>) -> String {
    let model = &analysis.model;
    let dag = &model.dag;
    let of_name = model.name_of(analysis.of());
    let mut out = String::new();
    if let Some(e) = evaluation {
        let _ = writeln!(out, "at {}", number::leaf_values(model, &e.point));
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
            let plural = if g.path_count == 1 { "" } else { "s" };
            let _ = write!(out, "    (factored form of {} path{plural})", g.path_count);
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
    let at = json::leaves(model, evaluation.map(|e| &e.point));
    object.insert("at".into(), Value::Object(at));
    if let Some(rows) = rows {
        object.insert("rows".into(), json!(rows));
    }
    object.insert("value".into(), json::value(evaluation.map(|e| e.value)));
    object.insert("gradient".into(), gradient_json(analysis, evaluation));
    let gradients = &analysis.derivation.gradients;
    if gradients.iter().any(|g| g.path_sum.is_none()) {
        object.insert("adjoints".into(), adjoints_json(analysis, evaluation));
    }
    Value::Object(object)
}

/// Per variable: the formula, its number of paths, and its value.
fn gradient_json(analysis: &Analysis, evaluation: Option<&Evaluation>) -> Value {
    let model = &analysis.model;
    let mut gradient = Map::new();
    for (i, g) in analysis.derivation.gradients.iter().enumerate() {
        gradient.insert(
            model.name_of(g.wrt).to_string(),
            json!({
                "formula": Text::new(&model.dag, g.formula()).to_string(),
                "paths": json::count(g.path_count),
                "value": json::value(evaluation.map(|e| e.gradient[i])),
            }),
        );
    }
    Value::Object(gradient)
}

/// Per adjoint of the factored form: its formula and its value.
fn adjoints_json(analysis: &Analysis, evaluation: Option<&Evaluation>) -> Value {
    let dag = &analysis.model.dag;
    let mut adjoints = Map::new();
    for a in &analysis.derivation.adjoints.entries {
        adjoints.insert(
            dag.name(a.symbol).to_string(),
            json!({
                "formula": Text::new(dag, a.formula).to_string(),
                "value": json::value(evaluation.map(|e| e.point.get(a.symbol))),
            }),
        );
    }
    Value::Object(adjoints)
}
