//! The text of an indexed network's derivatives, shared by `explain`, `grad` and the rustdoc
//! of generated code: the partial symbol `∂E/∂w1[j,i]`, a param's formula lines (with the
//! adjoints it refers to in factored form), the count of path templates.

use crate::dag::Symbol;
use crate::emit::Text;
use crate::indexed::{IndexedAnalysis, IndexedFormula};

/// `∂E/∂w1[j,i]` (the param's element in its canonical indices), or at an element (0-based
/// positions) `∂E/∂w1[2,1]`.
pub fn partial(analysis: &IndexedAnalysis, param: Symbol, at: Option<&[usize]>) -> String {
    let model = &analysis.model;
    let of = model.dag.name(analysis.derivation.of);
    let indices = analysis.derivation.indices_of(param);
    let mut element = model.dag.name(param).to_string();
    if !indices.is_empty() {
        let subs: Vec<String> = match at {
            Some(at) => at.iter().map(|p| (p + 1).to_string()).collect(),
            None => indices
                .iter()
                .map(|&i| model.dag.name(i).to_string())
                .collect(),
        };
        element = format!("{element}[{}]", subs.join(","));
    }
    format!("∂{of}/∂{element}")
}

/// The formula lines of one param's derivative: `∂E/∂w[j,i] = ...`, then, in factored form,
/// the adjoints it refers to ("where ..."): what `grad` prints and generated rustdoc lists.
pub fn formula_lines(
    analysis: &IndexedAnalysis,
    param: Symbol,
    formula: &IndexedFormula,
) -> Vec<String> {
    let dag = &analysis.model.dag;
    let mut lines = vec![format!(
        "{} = {}",
        partial(analysis, param, None),
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
            templates_text(*templates)
        ));
        for &(symbol, node) in adjoints {
            lines.push(format!("  {} = {}", dag.name(symbol), Text::new(dag, node)));
        }
    }
    lines
}

/// `1 path template`, `3 path templates`.
pub fn templates_text(templates: u128) -> String {
    match templates {
        1 => "1 path template".to_string(),
        n => format!("{n} path templates"),
    }
}
