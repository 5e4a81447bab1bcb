//! `symdiff grad`: the derived formulas, and their values at a point or summed over a table.

use super::{codegen, json, load, number, Failure, PointArgs, Selection};
use clap::ValueEnum;
use serde_json::{json, Map, Value};
use std::fmt::Write;
use std::path::Path;
use symdiff::core::{
    partial_symbol, undefined_derivative_reason, undefined_gradient_reason, undefined_reason,
    Analysis, Evaluation, Notation, Role, Symbol, Text,
};

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
    let model = match load::network(file, selection)? {
        load::Network::Scalar(model) => model,
        load::Network::Indexed(model) => {
            let analysis = symdiff::core::indexed::IndexedAnalysis::new(model);
            return super::indexed::grad::run(analysis, selection, point, format, max_paths);
        }
    };
    let analysis = load::analysis(model, selection, max_paths)?;
    let (points, unknown) = load::points_or_unknown(&analysis, point)?;
    let evaluation = points.as_deref().and_then(|p| analysis.evaluate_sum(p));
    let rows = point.data.as_ref().and(points.as_ref().map(Vec::len));
    let unknown_values = unknown.is_some();
    let undefined = evaluation
        .as_ref()
        .map_or(Vec::new(), |e| reasons(&analysis, e));
    let notes: Vec<String> = unknown
        .into_iter()
        .chain(undefined)
        .chain(no_variable(&analysis))
        .collect();
    Ok(match format {
        // Unknown values are left out of the text, with the note saying why.
        GradFormat::Text if unknown_values => text(&analysis, None, rows, &notes),
        GradFormat::Text => text(&analysis, evaluation.as_ref(), rows, &notes),
        GradFormat::Rust => rust(&analysis)?,
        GradFormat::Json => json::pretty(&to_json(&analysis, evaluation.as_ref(), rows, &notes)),
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
/// Summed over `rows` of a table, the values are the sum's, and the point shown is the params'
/// (each row has its own inputs).
/// `notes` say why values are unknown or the gradient is empty.
pub fn text(
    analysis: &Analysis,
    evaluation: Option<&Evaluation>,
    rows: Option<usize>,
    notes: &[String],
) -> String {
    let model = &analysis.model;
    let dag = &model.dag;
    let of_name = model.name_of(analysis.of());
    let mut out = String::new();
    if let Some(e) = evaluation {
        let shown = shown_leaves(analysis, rows);
        let at =
            (!shown.is_empty()).then(|| format!("at {}", number::values(model, &e.point, &shown)));
        let plural = |n| if n == 1 { "" } else { "s" };
        let summed = rows.map(|n| format!("summed over {n} row{} of --data", plural(n)));
        let line: Vec<String> = summed.into_iter().chain(at).collect();
        if !line.is_empty() {
            let _ = writeln!(out, "{}", line.join(", "));
        }
        let _ = writeln!(out, "{of_name} = {}", number::text(e.value));
    }
    for note in notes {
        let _ = writeln!(out, "{note}");
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
/// `notes` (why values are unknown, why the gradient is empty) go in `"note"`, one line each.
pub fn to_json(
    analysis: &Analysis,
    evaluation: Option<&Evaluation>,
    rows: Option<usize>,
    notes: &[String],
) -> Value {
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
    let at = json::values(
        model,
        evaluation.map(|e| &e.point),
        &shown_leaves(analysis, rows),
    );
    object.insert("at".into(), Value::Object(at));
    if let Some(rows) = rows {
        object.insert("rows".into(), json!(rows));
    }
    object.insert("value".into(), json::value(evaluation.map(|e| e.value)));
    if !notes.is_empty() {
        object.insert("note".into(), json!(notes.join("\n")));
    }
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

/// The leaves whose values a result stands for: all of them at one point; summed over rows of a
/// table, the params only (the inputs and targets differ from row to row).
fn shown_leaves(analysis: &Analysis, rows: Option<usize>) -> Vec<Symbol> {
    let model = &analysis.model;
    match rows {
        Some(_) => model.with_role(Role::Param),
        None => model.leaves(),
    }
}

/// `y depends on no variable`, when there is nothing to differentiate by: the gradient is
/// empty, and says why rather than printing nothing.
fn no_variable(analysis: &Analysis) -> Option<String> {
    let of = analysis.model.name_of(analysis.of());
    analysis
        .wrt()
        .is_empty()
        .then(|| format!("{of} depends on no variable: its gradient is empty"))
}

/// Why the value, or each derivative, is undefined at the point: the first definition that gives
/// no number and the part of it that does (see [`undefined_reason`]).
pub(super) fn reasons(analysis: &Analysis, evaluation: &Evaluation) -> Vec<String> {
    let derivatives = (0..evaluation.gradient.len())
        .filter_map(|k| undefined_derivative_reason(analysis, evaluation, k));
    undefined_reason(analysis, evaluation)
        .into_iter()
        .chain(undefined_gradient_reason(analysis, evaluation))
        .chain(derivatives)
        .collect()
}
