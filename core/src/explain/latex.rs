//! An explanation as KaTeX-compatible LaTeX: one `aligned` environment with the definitions
//! (and their values), then the slides' lines for each derivative, ready to paste into notes.

use super::pieces::{blocks, join_factors, number, Parts};
use super::{Derivative, Explanation, Form, Term};
use crate::dag::{Dag, NodeId, Symbol};
use crate::emit::{latex_name, Latex};
use std::fmt::{self, Write};

/// An explanation printed as LaTeX, borrowed from it and its DAG.
#[derive(Clone, Copy, Debug)]
pub struct ExplainLatex<'a> {
    dag: &'a Dag,
    explanation: &'a Explanation,
}

impl<'a> ExplainLatex<'a> {
    /// The explanation as LaTeX.
    pub fn new(dag: &'a Dag, explanation: &'a Explanation) -> ExplainLatex<'a> {
        ExplainLatex { dag, explanation }
    }

    fn expr(&self, id: NodeId) -> String {
        Latex::new(self.dag, id).to_string()
    }

    fn name(&self, s: Symbol) -> String {
        latex_name(self.dag.name(s))
    }

    fn partial(&self, of: Symbol, wrt: Symbol) -> String {
        crate::emit::latex::partial(&self.name(of), &self.name(wrt))
    }

    fn chain(&self, factors: &[NodeId]) -> String {
        join_factors(self.dag, factors, " \\cdot ", false, |id| self.expr(id))
    }

    /// A term's chain of partial symbols; the direct dependency marked as such.
    fn symbols(&self, term: &Term, direct: bool) -> String {
        let parts: Vec<String> = term
            .symbols
            .iter()
            .map(|&(a, b)| self.partial(a, b))
            .collect();
        let chain = parts.join(" ");
        if direct {
            format!("\\left.{chain}\\right|_{{\\text{{direct}}}}")
        } else {
            chain
        }
    }

    fn derivative(&self, out: &mut dyn Write, d: &Derivative) -> fmt::Result {
        let lhs = self.partial(d.of, d.wrt);
        if d.terms.is_empty() {
            return writeln!(out, "{lhs} &= 0 \\\\");
        }
        let parts = Parts {
            symbols: &|t, direct| self.symbols(t, direct),
            chain: &|f| self.chain(f),
            expr: &|id| self.expr(id),
            value: &|v| crate_float(self.explanation.round(v)),
        };
        let mut first = true;
        for block in blocks(d, &parts) {
            for (i, line) in block.terms.iter().enumerate() {
                let lead = if first { lhs.as_str() } else { "" };
                let op = if i == 0 { "&= " } else { "&\\quad + " };
                writeln!(out, "{lead} {op}{line} \\\\")?;
                first = false;
            }
        }
        if d.form == Form::Factored {
            writeln!(
                out,
                " &\\quad \\text{{(factored form of {} path{})}} \\\\",
                d.path_count,
                if d.path_count == 1 { "" } else { "s" }
            )?;
        }
        Ok(())
    }
}

fn crate_float(v: f64) -> String {
    let mut s = String::new();
    let mut dag = Dag::new();
    let id = dag.float(v);
    let _ = write!(s, "{}", Latex::new(&dag, id));
    if v.is_nan() {
        return number(v);
    }
    s
}

impl fmt::Display for ExplainLatex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.explanation;
        writeln!(f, "\\begin{{aligned}}")?;
        if let Some(fw) = &e.forward {
            let at: Vec<String> = fw
                .leaves
                .iter()
                .map(|&(s, v)| format!("{} = {}", self.name(s), crate_float(e.round(v))))
                .collect();
            writeln!(f, "&\\text{{at }} {} \\\\", at.join(",\\ "))?;
            for &(s, rhs, v) in &fw.vertices {
                writeln!(
                    f,
                    "{} &= {} = {} \\\\",
                    self.name(s),
                    self.expr(rhs),
                    crate_float(e.round(v))
                )?;
            }
        } else {
            for &(s, rhs) in &e.definitions {
                writeln!(f, "{} &= {} \\\\", self.name(s), self.expr(rhs))?;
            }
        }
        for d in e.variables.iter().chain(&e.recursion) {
            writeln!(f, "\\\\")?;
            self.derivative(f, d)?;
        }
        writeln!(f, "\\end{{aligned}}")?;
        if let Some(t) = &e.training {
            let cols = "l".repeat(t.params.len() + 2);
            writeln!(f, "\\begin{{array}}{{{cols}}}")?;
            let mut header = vec!["t".to_string()];
            header.extend(t.params.iter().map(|&p| self.name(p)));
            header.push(self.name(e.of));
            writeln!(f, "{} \\\\ \\hline", header.join(" & "))?;
            for row in &t.rows {
                let mut cells = vec![row.step.to_string()];
                cells.extend(row.params.iter().map(|&v| crate_float(e.round(v))));
                cells.push(crate_float(e.round(row.loss)));
                writeln!(f, "{} \\\\", cells.join(" & "))?;
            }
            writeln!(f, "\\end{{array}}")?;
            writeln!(f, "\\quad \\eta = {}", crate_float(t.eta))?;
        }
        Ok(())
    }
}
