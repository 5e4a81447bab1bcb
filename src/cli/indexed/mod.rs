//! The subcommands on networks with indexed layers: the same contracts as for scalar networks,
//! with formulas in index form (`∂E/∂w1[j,i] = ...`) and values as nested row-major lists.

pub mod check;
pub mod eval;
pub mod explain;
pub mod grad;
pub mod graph;
pub mod values;

use crate::cli::number;
use serde_json::Value;
use symdiff::core::indexed::{IndexedAnalysis, IndexedFormula};
use symdiff::core::{partial_symbol, Notation, Symbol, Text};

/// Arrays with more elements than this are summarised in text output (JSON has them all).
pub const SHOWN_ELEMENTS: usize = 64;

/// An array's values as text: `0.5` for a scalar, `[1, 2]`, `[[1, 2], [3, 4]]`; past
/// [`SHOWN_ELEMENTS`], its shape and range.
pub fn array_text(values: &[f64], shape: &[usize]) -> String {
    if values.len() > SHOWN_ELEMENTS {
        let extents: Vec<String> = shape.iter().map(usize::to_string).collect();
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        return format!(
            "{} values from {} to {} (--format json lists them)",
            extents.join("×"),
            number::text(lo),
            number::text(hi)
        );
    }
    nested(values, shape, &|v| number::text(v))
}

/// An array's values as a nested JSON list (`null` for a value that is not finite).
pub fn array_json(values: &[f64], shape: &[usize]) -> Value {
    match shape.split_first() {
        None => number::json(values[0]),
        Some((_, rest)) => {
            let inner: usize = rest.iter().product();
            Value::Array(
                values
                    .chunks(inner.max(1))
                    .map(|chunk| array_json(chunk, rest))
                    .collect(),
            )
        }
    }
}

fn nested(values: &[f64], shape: &[usize], show: &dyn Fn(f64) -> String) -> String {
    match shape.split_first() {
        None => show(values[0]),
        Some((_, rest)) => {
            let inner: usize = rest.iter().product();
            let parts: Vec<String> = values
                .chunks(inner.max(1))
                .map(|chunk| nested(chunk, rest, show))
                .collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

/// `∂E/∂w1[j,i]`: the partial symbol of the loss by a param's element in its canonical indices.
pub fn partial_text(analysis: &IndexedAnalysis, param: Symbol) -> String {
    let model = &analysis.model;
    let of = model.dag.name(analysis.derivation.of);
    let indices: Vec<&str> = analysis
        .derivation
        .indices_of(param)
        .iter()
        .map(|&i| model.dag.name(i))
        .collect();
    let mut element = model.dag.name(param).to_string();
    if !indices.is_empty() {
        element = format!("{element}[{}]", indices.join(","));
    }
    partial_symbol(of, &element, Notation::Unicode)
}

/// The formula lines of one param's derivative: `∂E/∂w[j,i] = ...`, then, in factored form,
/// the adjoints it refers to ("where ...").
pub fn formula_lines(
    analysis: &IndexedAnalysis,
    param: Symbol,
    formula: &IndexedFormula,
) -> Vec<String> {
    let dag = &analysis.model.dag;
    let mut lines = vec![format!(
        "{} = {}",
        partial_text(analysis, param),
        Text::new(dag, formula.node())
    )];
    if let IndexedFormula::Factored {
        templates,
        adjoints,
        ..
    } = formula
    {
        lines.push(format!(
            "  ({}, past --max-paths: in factored form, where)",
            symdiff::core::explain::indexed::templates_text(*templates)
        ));
        for &(symbol, node) in adjoints {
            lines.push(format!("  {} = {}", dag.name(symbol), Text::new(dag, node)));
        }
    }
    lines
}

/// The indices a formula is written in, with their ranges: `j = 1..3, i = 1..3`.
pub fn ranges(analysis: &IndexedAnalysis, param: Symbol) -> String {
    let model = &analysis.model;
    let parts: Vec<String> = analysis
        .derivation
        .indices_of(param)
        .iter()
        .map(|&i| format!("{} = 1..{}", model.dag.name(i), model.extent(i)))
        .collect();
    parts.join(", ")
}
