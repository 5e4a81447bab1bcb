//! The page's two tables: the definitions with their forward values and adjoints (each number
//! cell tagged with its vertex, so the gradient-descent slider can update it), and the
//! gradient-descent table, one row per step.

use super::formula::Formula;
use super::steps::Step;
use crate::dag::{Dag, Symbol};
use crate::emit::mathml::escape;
use crate::explain::pieces::number;
use crate::explain::Explanation;
use crate::model::{Model, Role};
use std::fmt::Write;

/// The definitions table: every leaf with its role, every definition with its right-hand side,
/// each with its value and its adjoint `∂of/∂vertex` at step 0 (the cells of vertex `i` of
/// `vertices` carry `data-v="i"` and `data-a="i"`).
pub(super) fn definitions(
    model: &Model,
    e: &Explanation,
    vertices: &[Symbol],
    step: Option<&Step>,
) -> String {
    let dag = &model.dag;
    let of = escape(dag.name(e.of));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<table class=\"definitions\"><thead><tr><th scope=\"col\">vertex</th><th scope=\"col\">definition</th><th scope=\"col\">value</th><th scope=\"col\">adjoint ∂{of}/∂vertex</th></tr></thead><tbody>"
    );
    let shown: Vec<Symbol> = match &e.forward {
        Some(f) => (f.leaves.iter().map(|l| l.0))
            .chain(f.vertices.iter().map(|v| v.0))
            .collect(),
        None => model
            .leaves()
            .into_iter()
            .chain(e.definitions.iter().map(|d| d.0))
            .collect(),
    };
    for s in shown {
        let Some(vertex) = model.vertex(s) else {
            continue;
        };
        let index = vertices.iter().position(|&v| v == s);
        let definition = match vertex.role {
            Role::Input => "<span class=\"role\">input</span>".to_string(),
            Role::Target => "<span class=\"role\">target</span>".to_string(),
            Role::Param => "<span class=\"role\">param</span>".to_string(),
            _ => match e.definitions.iter().find(|d| d.0 == s) {
                Some(&(_, rhs)) => Formula::expr(dag, rhs).element(false),
                None => String::new(),
            },
        };
        let cell = |kind: &str, x: Option<f64>| {
            let tag = index.map_or(String::new(), |i| format!(" data-{kind}=\"{i}\""));
            match x.filter(|x| !x.is_nan() || kind == "v") {
                Some(x) => format!("<td class=\"num\"{tag}>{}</td>", escape(&shown_number(e, x))),
                None => format!("<td class=\"num\"{tag} title=\"not derived: no path from here to a variable\">—</td>"),
            }
        };
        let value = index.and_then(|i| step.map(|st| st.values[i]));
        let adjoint = index.and_then(|i| step.map(|st| st.adjoints[i]));
        let _ = writeln!(
            out,
            "<tr data-vertex=\"{}\"><th scope=\"row\">{}</th><td>{definition}</td>{}{}</tr>",
            escape(dag.name(s)),
            Formula::name(dag, s).element(false),
            cell("v", value),
            cell("a", adjoint),
        );
    }
    out.push_str("</tbody></table>\n");
    out
}

/// The gradient-descent table: per step the params and the loss, step 0 marked current.
pub(super) fn training(
    dag: &Dag,
    e: &Explanation,
    params: &[Symbol],
    steps: &[Step],
    param_index: &[usize],
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<table class=\"training\"><thead><tr><th scope=\"col\">step</th>"
    );
    for &p in params {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            Formula::name(dag, p).element(false)
        );
    }
    let _ = writeln!(
        out,
        "<th scope=\"col\">{}</th></tr></thead><tbody>",
        Formula::name(dag, e.of).element(false)
    );
    for (i, step) in steps.iter().enumerate() {
        let current = if i == 0 { " class=\"current\"" } else { "" };
        let _ = write!(
            out,
            "<tr data-step=\"{i}\"{current}><th scope=\"row\">{i}</th>"
        );
        for &k in param_index {
            let _ = write!(
                out,
                "<td class=\"num\">{}</td>",
                shown_number(e, step.values[k])
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"num\">{}</td></tr>",
            shown_number(e, step.loss)
        );
    }
    out.push_str("</tbody></table>\n");
    out
}

/// A number as the text output prints it: rounded to the explanation's digits, `?` when
/// unknown.
pub(super) fn shown_number(e: &Explanation, x: f64) -> String {
    number(e.round(x))
}
