//! `explain` for a network with indexed layers, as the lecture's last slides do it: for each
//! param, the chain of partial symbols of each path template (one template stands for as many
//! paths as its Σ has terms), the local partials, the simplified formula in index form, and the
//! values. For one element (`--wrt 'w1[2,1]'`) the formula is written at that element and each
//! Σ is written out term by term with its numbers.

use crate::dag::{NodeId, Symbol};
use crate::emit::float::FloatText;
pub use crate::emit::indexed::{formula_lines, partial, templates_text};
use crate::emit::Text;
use crate::indexed::{
    fix_indices, IndexedAnalysis, IndexedEvaluation, IndexedFormula, PathTemplate,
};
use crate::op::Func;
use std::fmt::Write;

/// What to explain about one param: all of it, or one element (0-based positions).
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedQuery {
    /// The param.
    pub param: Symbol,
    /// One element, when asked for (`w1[2,1]` is `[1, 0]`).
    pub element: Option<Vec<usize>>,
}

/// The explanation of the loss's derivative with respect to each queried param, as text.
///
/// `evaluation` gives the numbers (values of every array, the gradient); without it only the
/// formulas are written.
pub fn explain_indexed(
    analysis: &mut IndexedAnalysis,
    queries: &[IndexedQuery],
    evaluation: Option<&IndexedEvaluation>,
    max_paths: u128,
) -> String {
    let mut out = String::new();
    definitions(analysis, evaluation, &mut out);
    for query in queries {
        out.push('\n');
        let Some(formula) = analysis.formula(query.param, max_paths) else {
            let _ = writeln!(
                out,
                "{} = 0: the loss does not depend on it",
                partial(analysis, query.param, None)
            );
            continue;
        };
        match &query.element {
            None => whole(analysis, query.param, &formula, evaluation, &mut out),
            Some(at) => element(analysis, query.param, at, &formula, evaluation, &mut out),
        }
    }
    out
}

/// The definitions, each with its values when known: `h[j] = sigmoid(s[j])    = [0.1, 0.2]`.
fn definitions(
    analysis: &IndexedAnalysis,
    evaluation: Option<&IndexedEvaluation>,
    out: &mut String,
) {
    let model = &analysis.model;
    let _ = writeln!(out, "network {}", model.name());
    for d in model.definitions() {
        let _ = write!(
            out,
            "  {} = {}",
            model.dag.name(d.element),
            Text::new(&model.dag, d.body)
        );
        if let Some(v) = evaluation.and_then(|e| e.values.get(d.symbol)) {
            let shown = if d.symbol == analysis.derivation.of {
                number(evaluation.map_or(v[0], |e| e.loss))
            } else {
                array(v, &model.shape(d.symbol))
            };
            let _ = write!(out, "    = {shown}");
        }
        out.push('\n');
    }
}

/// The indices a param's formula is written in, with their ranges: `j = 1..3, i = 1..3`
/// (empty for a scalar).
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

/// One path template's chain: `Σ_k ∂E/∂o[k]·∂o[k]/∂z[k]·...    (4 paths)`.
fn chain(analysis: &IndexedAnalysis, template: &PathTemplate) -> String {
    let model = &analysis.model;
    let sums: String = template
        .sums
        .iter()
        .map(|&i| format!("Σ_{} ", model.dag.name(i)))
        .collect();
    format!(
        "{sums}{}    ({})",
        template.chain.join("·"),
        paths_text(template.paths)
    )
}

/// `1 path`, `4 paths`.
fn paths_text(paths: u128) -> String {
    match paths {
        1 => "1 path".to_string(),
        n => format!("{n} paths"),
    }
}

/// The whole param: chains, local partials, formula, values.
fn whole(
    analysis: &IndexedAnalysis,
    param: Symbol,
    formula: &IndexedFormula,
    evaluation: Option<&IndexedEvaluation>,
    out: &mut String,
) {
    let model = &analysis.model;
    let head = partial(analysis, param, None);
    let ranges = ranges(analysis, param);
    if ranges.is_empty() {
        let _ = writeln!(out, "{head}");
    } else {
        let _ = writeln!(out, "{head}    ({ranges})");
    }
    write_formula(analysis, formula, out);
    if let Some(g) = evaluation.and_then(|e| e.gradient.get(param)) {
        let _ = writeln!(out, "  = {}", array(g, &model.shape(param)));
    }
}

/// The chains and local partials (within the cap) or the adjoints (past it), then the formula.
fn write_formula(analysis: &IndexedAnalysis, formula: &IndexedFormula, out: &mut String) {
    let dag = &analysis.model.dag;
    match formula {
        IndexedFormula::Paths { templates, formula } => {
            for (n, t) in templates.iter().enumerate() {
                let sign = if n == 0 { "=" } else { "+" };
                let _ = writeln!(out, "  {sign} {}", chain(analysis, t));
            }
            for t in templates {
                for (link, &local) in t.chain.iter().zip(&t.locals) {
                    let _ = writeln!(out, "      {link} = {}", Text::new(dag, local));
                }
            }
            let _ = writeln!(out, "  = {}", Text::new(dag, *formula));
        }
        IndexedFormula::Factored {
            templates,
            formula,
            adjoints,
        } => {
            let _ = writeln!(
                out,
                "  = {}    ({}, past --max-paths: factored form)",
                Text::new(dag, *formula),
                templates_text(*templates)
            );
            for &(symbol, node) in adjoints {
                let _ = writeln!(out, "      {} = {}", dag.name(symbol), Text::new(dag, node));
            }
        }
    }
}

/// One element: the formula at it, each Σ written out term by term, the value.
pub(crate) fn element(
    analysis: &mut IndexedAnalysis,
    param: Symbol,
    at: &[usize],
    formula: &IndexedFormula,
    evaluation: Option<&IndexedEvaluation>,
    out: &mut String,
) {
    let head = partial(analysis, param, Some(at));
    let _ = writeln!(out, "{head}");
    let positions: Vec<(Symbol, usize)> = analysis
        .derivation
        .indices_of(param)
        .iter()
        .zip(at)
        .map(|(&i, &p)| (i, p + 1))
        .collect();
    if let IndexedFormula::Paths { templates, .. } = formula {
        for (n, t) in templates.iter().enumerate() {
            let sign = if n == 0 { "=" } else { "+" };
            let links: Vec<String> = t
                .chain
                .iter()
                .map(|l| fix_text(analysis, l, &positions))
                .collect();
            let sums: String = t
                .sums
                .iter()
                .map(|&i| format!("Σ_{} ", analysis.model.dag.name(i)))
                .collect();
            let _ = writeln!(
                out,
                "  {sign} {sums}{}    ({})",
                links.join("·"),
                paths_text(t.paths)
            );
        }
    }
    let fixed = fix_indices(&mut analysis.model, formula.node(), &positions);
    let _ = writeln!(out, "  = {}", Text::new(&analysis.model.dag, fixed));
    let Some(evaluation) = evaluation else {
        return;
    };
    let mut totals = Vec::new();
    for sum in top_level_sums(analysis, fixed) {
        let total = expand_sum(analysis, sum, evaluation, out);
        totals.push((sum, total));
    }
    let numbers = with_numbers(analysis, fixed, &totals, evaluation);
    let _ = writeln!(out, "  = {}", Text::new(&analysis.model.dag, numbers));
    let offset = at
        .iter()
        .zip(&analysis.model.shape(param))
        .fold(0, |o, (&p, &e)| o * e + p);
    if let Some(g) = evaluation.gradient.get(param) {
        let _ = writeln!(out, "  = {}", number(g[offset]));
    }
}

/// A chain link's text with the target's indices replaced by their positions
/// (`∂s[j]/∂w1[j,i]` at j = 2, i = 1 reads `∂s[2]/∂w1[2,1]`).
fn fix_text(analysis: &IndexedAnalysis, link: &str, positions: &[(Symbol, usize)]) -> String {
    let model = &analysis.model;
    // Rewrite inside each bracket, index by index (names are whole between `[`, `,`, `]`).
    let mut out = String::new();
    let mut rest = link;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
        let inner = &rest[open + 1..close];
        let parts: Vec<String> = inner
            .split(',')
            .map(|name| {
                positions
                    .iter()
                    .find(|(i, _)| model.dag.name(*i) == name)
                    .map_or(name.to_string(), |(_, p)| p.to_string())
            })
            .collect();
        out.push_str(&parts.join(","));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The Σ nodes of a formula that are not inside another Σ.
fn top_level_sums(analysis: &IndexedAnalysis, node: NodeId) -> Vec<NodeId> {
    let dag = &analysis.model.dag;
    let mut found = Vec::new();
    let mut stack = vec![node];
    let mut seen = Vec::new();
    while let Some(id) = stack.pop() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        if matches!(dag.node(id), crate::dag::Node::Call(Func::Sum, _)) {
            found.push(id);
            continue;
        }
        stack.extend(dag.node(id).children().iter().rev());
    }
    found
}

/// The formula at an element with every element replaced by its value and every top-level Σ
/// by its total, as the slides substitute numbers (not simplified, so each factor stays).
fn with_numbers(
    analysis: &mut IndexedAnalysis,
    fixed: NodeId,
    totals: &[(NodeId, f64)],
    evaluation: &IndexedEvaluation,
) -> NodeId {
    let mut values = std::collections::HashMap::new();
    for symbol in analysis.model.dag.symbols_in(fixed) {
        let node = analysis.model.dag.symbol_node(symbol);
        let value = analysis.value_of(node, &evaluation.values);
        values.insert(symbol, value);
    }
    let dag = &mut analysis.model.dag;
    dag.rebuild(&[fixed], |dag, id| {
        if let Some(&(_, total)) = totals.iter().find(|(s, _)| *s == id) {
            return Some(dag.float(total));
        }
        match dag.node(id) {
            crate::dag::Node::Symbol(s) => values.get(s).map(|&v| dag.float(v)),
            _ => None,
        }
    })[0]
}

/// `Σ_k f(k)` written out: `f(1) + f(2) + ...`, each term with its value; returns the total.
fn expand_sum(
    analysis: &mut IndexedAnalysis,
    sum: NodeId,
    evaluation: &IndexedEvaluation,
    out: &mut String,
) -> f64 {
    let Some((index, extent, body)) = analysis.reduction_parts(sum) else {
        return f64::NAN;
    };
    let _ = writeln!(out, "  {}", Text::new(&analysis.model.dag, sum));
    let mut total = 0.0;
    for n in 1..=extent {
        let term = fix_indices(&mut analysis.model, body, &[(index, n)]);
        let value = analysis.value_of(term, &evaluation.values);
        total += value;
        let sign = if n == 1 { "=" } else { "+" };
        let _ = writeln!(
            out,
            "    {sign} {} = {}",
            Text::new(&analysis.model.dag, term),
            number(value)
        );
    }
    let _ = writeln!(out, "    = {}", number(total));
    total
}

fn number(x: f64) -> String {
    if x.is_nan() {
        "?".to_string()
    } else {
        FloatText::new(x).to_string()
    }
}

/// Arrays with more elements than this are summarised in text (JSON lists them all).
pub const SHOWN_ELEMENTS: usize = 64;

/// An array's values as text: `0.5` for a scalar, `[1, 2]`, `[[1, 2], [3, 4]]`; past
/// [`SHOWN_ELEMENTS`], its shape and range.
///
/// ```
/// use symdiff_core::explain::indexed::array;
/// assert_eq!(array(&[1.0, 2.0, 3.0, 4.0], &[2, 2]), "[[1, 2], [3, 4]]");
/// ```
pub fn array(values: &[f64], shape: &[usize]) -> String {
    if values.len() > 64 {
        let extents: Vec<String> = shape.iter().map(usize::to_string).collect();
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        return format!(
            "{} values from {} to {}",
            extents.join("×"),
            number(lo),
            number(hi)
        );
    }
    match shape.split_first() {
        None => number(values[0]),
        Some((_, rest)) => {
            let inner: usize = rest.iter().product::<usize>().max(1);
            let parts: Vec<String> = values.chunks(inner).map(|c| array(c, rest)).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}
