//! Each derivative as a block of lines, the slides' order: the chain of partial symbols, the
//! local partials, the simplified product, the numbers and the value (the same lines, left out
//! the same way, as the text and LaTeX printers: `pieces::blocks`). A line that belongs to one
//! path carries `data-term`, so the script can show the paths one at a time; a line whose
//! numbers change with the gradient-descent step carries `data-alt`, an index into the page's
//! data.

use super::formula::Formula;
use crate::dag::{Dag, NodeId};
use crate::diff::{partial_symbol, Notation};
use crate::emit::mathml::escape;
use crate::emit::precedence::{precedence, Prec};
use crate::explain::pieces::{blocks, Parts};
use crate::explain::{is_direct, Derivative, Explanation, Form, Term};
use std::fmt::Write;

/// The lines of one derivative, packed (`Formula::pack`), with what each line is.
pub(super) struct Lines {
    /// One entry per line group: its terms and whether it is the value.
    pub groups: Vec<(Vec<Formula>, bool)>,
    /// Which group is the numbers-substituted formula, if any.
    pub numeric: Option<usize>,
    /// Which groups hold one line per path term.
    pub per_term: Vec<bool>,
}

/// The lines of `d`.
pub(super) fn lines(dag: &Dag, e: &Explanation, d: &Derivative) -> Lines {
    let symbols = |t: &Term, direct: bool| symbols(dag, t, direct).pack();
    let chain = |f: &[NodeId]| chain(dag, f).pack();
    let expr = |id: NodeId| Formula::expr(dag, id).pack();
    let value = |v: f64| Formula::number(e.round(v)).pack();
    let parts = Parts {
        symbols: &symbols,
        chain: &chain,
        expr: &expr,
        value: &value,
    };
    let term_lists: Vec<Vec<String>> = vec![
        (d.terms.iter())
            .map(|t| symbols(t, is_direct(d, t)))
            .collect(),
        d.terms.iter().map(|t| chain(&t.factors)).collect(),
    ];
    let numeric = d.numeric.map(expr);
    let mut out = Lines {
        groups: Vec::new(),
        numeric: None,
        per_term: Vec::new(),
    };
    for (i, block) in blocks(d, &parts).into_iter().enumerate() {
        if numeric.as_ref().is_some_and(|n| block.terms == [n.clone()]) {
            out.numeric = Some(i);
        }
        out.per_term
            .push(!d.terms.is_empty() && term_lists.contains(&block.terms));
        let terms = block.terms.iter().map(|t| Formula::unpack(t)).collect();
        out.groups.push((terms, block.is_value));
    }
    out
}

/// A term's chain of partial symbols, the direct dependency marked as such.
fn symbols(dag: &Dag, term: &Term, direct: bool) -> Formula {
    let parts: Vec<Formula> = (term.symbols.iter())
        .map(|&(a, b)| Formula::partial(dag, a, b))
        .collect();
    let mut chain = Formula::join(&parts, "<mo>·</mo>", " ");
    if direct {
        let note = Formula::text(" (direct)");
        chain.mathml.push_str(&note.mathml);
        chain.latex = format!("\\left.{}\\right|_{{\\text{{direct}}}}", chain.latex);
    }
    chain
}

/// A product of local partials factor by factor, keeping the 1s as the slides do; sums and
/// signed factors after the first are bracketed (the rule of `pieces::join_factors`).
fn chain(dag: &Dag, factors: &[NodeId]) -> Formula {
    let mut parts = Vec::with_capacity(factors.len());
    for (i, &f) in factors.iter().enumerate() {
        let prec = precedence(dag, f);
        let mut formula = Formula::expr(dag, f);
        if prec < Prec::Neg || (i > 0 && prec < Prec::Product) {
            formula.mathml = format!("<mo>(</mo>{}<mo>)</mo>", formula.mathml);
            formula.latex = format!("({})", formula.latex);
        }
        parts.push(formula);
    }
    Formula::join(&parts, "<mo>·</mo>", " \\cdot ")
}

/// The block of one derivative: a heading, its lines in a table, the LaTeX of all of them;
/// `alt` gives the index of each line's per-step numbers in the page's data, when it has some.
pub(super) fn block(
    dag: &Dag,
    d: &Derivative,
    lines: &Lines,
    alt: &dyn Fn(usize) -> Option<usize>,
    recursion: bool,
) -> String {
    let lhs = Formula::partial(dag, d.of, d.wrt);
    let wrt = escape(dag.name(d.wrt));
    let mut out = String::new();
    let class = if recursion {
        "derivative adjoint"
    } else {
        "derivative"
    };
    let paths = match d.form {
        Form::Paths if d.terms.is_empty() => "no path: the derivative is 0".to_string(),
        Form::Paths => plural(d.path_count, "path", "paths"),
        Form::Factored => format!("factored form of {}", plural(d.path_count, "path", "paths")),
    };
    let _ = write!(
        out,
        "<section class=\"{class}\" id=\"d-{wrt}\" data-wrt=\"{wrt}\" data-paths=\"{}\" aria-labelledby=\"h-{wrt}\">\n<h3 id=\"h-{wrt}\">{} <span class=\"count\">{paths}</span></h3>\n<table class=\"lines\">\n",
        if d.form == Form::Paths { d.terms.len() } else { 0 },
        escape(&partial_symbol(dag.name(d.of), dag.name(d.wrt), Notation::Unicode)),
    );
    let mut latex = Vec::new();
    if d.terms.is_empty() {
        let zero = Formula::number(0.0);
        let cells = Cells {
            lead: Some(&lhs),
            op: "=",
            formula: &zero,
        };
        row(&mut out, cells, "line value", None, None);
        latex.push(format!("{} &= 0", lhs.latex));
    }
    let mut first = true;
    for (g, (terms, is_value)) in lines.groups.iter().enumerate() {
        for (i, term) in terms.iter().enumerate() {
            let lead = if first { Some(&lhs) } else { None };
            let op = if i == 0 { "=" } else { "+" };
            let mut class = String::from("line");
            if *is_value {
                class.push_str(" value");
            }
            if lines.numeric == Some(g) {
                class.push_str(" numeric");
            }
            let term_index = lines.per_term[g].then_some(i);
            let alt = if terms.len() == 1 { alt(g) } else { None };
            let cells = Cells {
                lead,
                op,
                formula: term,
            };
            row(&mut out, cells, &class, term_index, alt);
            let lead = lead.map_or(String::new(), |l| l.latex.clone());
            let op = if i == 0 { "&= " } else { "&\\quad + " };
            latex.push(format!("{lead} {op}{}", term.latex));
            first = false;
        }
    }
    out.push_str("</table>\n");
    let _ = write!(
        out,
        "<details class=\"tex-source\"><summary>LaTeX</summary><pre>\\begin{{aligned}}\n{}\n\\end{{aligned}}</pre></details>\n</section>\n",
        escape(&latex.join(" \\\\\n"))
    );
    out
}

/// What a line shows: the left-hand side (first line only), `=` or `+`, the formula.
struct Cells<'f> {
    lead: Option<&'f Formula>,
    op: &'f str,
    formula: &'f Formula,
}

/// One line, with a copy button for its LaTeX (shown by the script).
fn row(out: &mut String, cells: Cells, class: &str, term: Option<usize>, alt: Option<usize>) {
    let term = term.map_or(String::new(), |t| format!(" data-term=\"{t}\""));
    let alt = alt.map_or(String::new(), |a| format!(" data-alt=\"{a}\""));
    let lead = cells.lead.map_or(String::new(), |l| l.element(false));
    let (op, formula) = (cells.op, cells.formula);
    let _ = writeln!(
        out,
        "<tr class=\"{class}\"{term}{alt}><th scope=\"row\">{lead}</th><td class=\"op\">{op}</td><td class=\"f\">{}</td><td class=\"tex\"><button type=\"button\" class=\"copy\" hidden>Copy LaTeX</button></td></tr>",
        formula.element(false)
    );
}

/// `1 path`, `2 paths`.
fn plural(n: u128, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
