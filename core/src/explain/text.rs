//! An explanation as terminal text: the slides' three lines per derivative in aligned columns,
//! Unicode by default (`∂E/∂w1`, `·`), ASCII on request (`dE/dw1`, `*`), colour on request.

use super::pieces::{blocks, join_factors, number, Parts};
use super::{Derivative, Explanation, Form, Term};
use crate::dag::{Dag, NodeId};
use crate::diff::{partial_symbol, Notation};
use crate::emit::Text;
use std::fmt::{self, Write};

/// An explanation printed as text, borrowed from it and its DAG.
#[derive(Clone, Copy, Debug)]
pub struct ExplainText<'a> {
    dag: &'a Dag,
    explanation: &'a Explanation,
    notation: Notation,
    color: bool,
}

impl<'a> ExplainText<'a> {
    /// The explanation in Unicode notation, without colour.
    pub fn new(dag: &'a Dag, explanation: &'a Explanation) -> ExplainText<'a> {
        ExplainText {
            dag,
            explanation,
            notation: Notation::Unicode,
            color: false,
        }
    }

    /// The same in another notation.
    pub fn notation(self, notation: Notation) -> ExplainText<'a> {
        ExplainText { notation, ..self }
    }

    /// The same with ANSI colour (the caller decides: a TTY, and `NO_COLOR` unset).
    pub fn color(self, color: bool) -> ExplainText<'a> {
        ExplainText { color, ..self }
    }

    fn expr(&self, id: NodeId) -> String {
        Text::new(self.dag, id).notation(self.notation).to_string()
    }

    fn times(&self) -> &'static str {
        match self.notation {
            Notation::Unicode => "·",
            Notation::Ascii => "*",
        }
    }

    fn partial(&self, of: crate::dag::Symbol, wrt: crate::dag::Symbol) -> String {
        partial_symbol(self.dag.name(of), self.dag.name(wrt), self.notation)
    }

    fn eta(&self) -> &'static str {
        match self.notation {
            Notation::Unicode => "η",
            Notation::Ascii => "eta",
        }
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A product of local partials printed factor by factor, keeping the 1s as the slides do.
    fn chain(&self, factors: &[NodeId]) -> String {
        join_factors(self.dag, factors, self.times(), true, |id| self.expr(id))
    }

    /// A term's chain of partial symbols; the direct dependency marked as such.
    fn symbols(&self, term: &Term, direct: bool) -> String {
        let parts: Vec<String> = term
            .symbols
            .iter()
            .map(|&(a, b)| self.partial(a, b))
            .collect();
        let chain = parts.join(self.times());
        if direct {
            format!("{chain} (direct)")
        } else {
            chain
        }
    }

    /// A value as printed: rounded to the explanation's digits.
    fn number(&self, x: f64) -> String {
        number(self.explanation.round(x))
    }

    /// The lines of one derivative: `(operator, text)` pairs after the left-hand side.
    fn lines(&self, d: &Derivative) -> Vec<(&'static str, String)> {
        if d.terms.is_empty() {
            return vec![("=", "0".to_string())];
        }
        let parts = Parts {
            symbols: &|t, direct| self.symbols(t, direct),
            chain: &|f| self.chain(f),
            expr: &|id| self.expr(id),
            value: &|v| self.number(v),
        };
        let mut lines = Vec::new();
        for block in blocks(d, &parts) {
            for (i, t) in block.terms.into_iter().enumerate() {
                let t = if block.is_value {
                    self.paint(&t, "1;32")
                } else {
                    t
                };
                lines.push((if i == 0 { "=" } else { "+" }, t));
            }
        }
        lines
    }

    fn derivative(&self, out: &mut dyn Write, d: &Derivative, width: usize) -> fmt::Result {
        let lhs = self.partial(d.of, d.wrt);
        for (i, (op, text)) in self.lines(d).into_iter().enumerate() {
            if i == 0 {
                let pad = width.saturating_sub(lhs.chars().count());
                write!(
                    out,
                    "{}{} {op} {text}",
                    self.paint(&lhs, "1"),
                    " ".repeat(pad)
                )?;
            } else {
                write!(out, "{} {op} {text}", " ".repeat(width))?;
            }
            out.write_char('\n')?;
        }
        let (of, wrt) = (self.dag.name(d.of), self.dag.name(d.wrt));
        match (d.form, d.path_count) {
            (_, 0) => writeln!(out, "{}   (no path from {of} to {wrt})", " ".repeat(width)),
            (Form::Factored, n) => writeln!(
                out,
                "{}   (factored form: stands for {n} path{} from {of} to {wrt})",
                " ".repeat(width),
                if n == 1 { "" } else { "s" }
            ),
            (Form::Paths, _) => Ok(()),
        }
    }

    fn definitions(&self, out: &mut dyn Write) -> fmt::Result {
        let e = self.explanation;
        let rows: Vec<(String, String, Option<f64>)> = match &e.forward {
            Some(f) => f
                .vertices
                .iter()
                .map(|&(s, rhs, v)| (self.dag.name(s).to_string(), self.expr(rhs), Some(v)))
                .collect(),
            None => e
                .definitions
                .iter()
                .map(|&(s, rhs)| (self.dag.name(s).to_string(), self.expr(rhs), None))
                .collect(),
        };
        let name_w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
        let rhs_w = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        if let Some(f) = &e.forward {
            let at: Vec<String> = f
                .leaves
                .iter()
                .map(|&(s, v)| format!("{} = {}", self.dag.name(s), self.number(v)))
                .collect();
            let omitted = match f.omitted {
                0 => String::new(),
                1 => " (1 other value not used by the derivatives shown)".to_string(),
                n => format!(" ({n} other values not used by the derivatives shown)"),
            };
            writeln!(out, "at {}{omitted}:", at.join(", "))?;
        }
        for (name, rhs, value) in rows {
            let name_pad = " ".repeat(name_w - name.chars().count());
            write!(out, "  {name}{name_pad} = {rhs}")?;
            if let Some(v) = value {
                let rhs_pad = " ".repeat(rhs_w - rhs.chars().count());
                write!(out, "{rhs_pad} = {}", self.paint(&self.number(v), "32"))?;
            }
            out.write_char('\n')?;
        }
        Ok(())
    }

    fn training(&self, out: &mut dyn Write) -> fmt::Result {
        let Some(t) = &self.explanation.training else {
            return Ok(());
        };
        let mut header = vec!["step".to_string()];
        header.extend(t.params.iter().map(|&p| self.dag.name(p).to_string()));
        header.push(self.dag.name(self.explanation.of).to_string());
        let mut table = vec![header];
        for row in &t.rows {
            let mut cells = vec![row.step.to_string()];
            cells.extend(row.params.iter().map(|&v| self.number(v)));
            cells.push(self.number(row.loss));
            table.push(cells);
        }
        let widths: Vec<usize> = (0..table[0].len())
            .map(|c| {
                table
                    .iter()
                    .map(|r| r[c].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let rows = self.explanation.rows.map_or(String::new(), |n| {
            format!(", batch over {n} row{}", if n == 1 { "" } else { "s" })
        });
        writeln!(
            out,
            "gradient descent, {} = {}{rows}:",
            self.eta(),
            number(t.eta)
        )?;
        for (i, row) in table.iter().enumerate() {
            let mut line = String::from(" ");
            for (c, cell) in row.iter().enumerate() {
                let pad = widths[c] - cell.chars().count();
                if c + 1 == row.len() {
                    line.push_str(&format!(" {cell}"));
                } else {
                    line.push_str(&format!(" {cell}{}", " ".repeat(pad + 1)));
                }
            }
            let line = if i == 0 { self.paint(&line, "1") } else { line };
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ExplainText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.explanation;
        let of = self.dag.name(e.of);
        match &e.model {
            Some(name) => writeln!(f, "network {name}, differentiating {of}:")?,
            None => writeln!(f, "definitions, differentiating {of}:")?,
        }
        self.definitions(f)?;
        if let Some(n) = e.rows {
            writeln!(
                f,
                "values summed over {n} row{}",
                if n == 1 { "" } else { "s" }
            )?;
        }
        let width = e
            .variables
            .iter()
            .chain(&e.recursion)
            .map(|d| self.partial(d.of, d.wrt).chars().count())
            .max()
            .unwrap_or(0);
        for d in &e.variables {
            f.write_char('\n')?;
            self.derivative(f, d, width)?;
        }
        if !e.recursion.is_empty() {
            writeln!(
                f,
                "\nbackward recursion (each adjoint from its users' adjoints):"
            )?;
            for d in &e.recursion {
                f.write_char('\n')?;
                self.derivative(f, d, width)?;
            }
        }
        if e.training.is_some() {
            f.write_char('\n')?;
            self.training(f)?;
        }
        Ok(())
    }
}
