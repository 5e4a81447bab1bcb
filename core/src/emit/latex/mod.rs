//! KaTeX-compatible LaTeX: `\frac{\partial E}{\partial w_{1}}`, `\sigma(s_{1})`, `x_{t} \cdot w_{1}`.
//!
//! Names with digits or underscores are subscripted (`w1` → `w_{1}`, `y_t` → `y_{t}`); adjoint
//! names (`∂E/∂h1`) become partial-derivative fractions (both in `name.rs`). Shares the
//! precedence table with the text printer and, like every printer, never simplifies.

mod name;

pub use name::{latex_name, partial};

use super::float::FloatText;
use super::precedence::Prec;
use super::sum::SumPrinter;
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::{fraction, is_negative};
use crate::op::{Constant, Func};
use crate::rational::Rational;
use std::fmt::{self, Write};

/// An expression printed as LaTeX, borrowed from its DAG.
///
/// ```
/// use symdiff_core::{Dag, Func};
/// use symdiff_core::emit::Latex;
/// let mut dag = Dag::new();
/// let (y_t, y) = (dag.node_named("y_t"), dag.node_named("y"));
/// let diff = dag.sub(y_t, y);
/// let neg = dag.neg(diff);
/// assert_eq!(Latex::new(&dag, neg).to_string(), "-(y_{t} - y)");
/// let s1 = dag.node_named("s1");
/// let h = dag.call(Func::Sigmoid, vec![s1]);
/// assert_eq!(Latex::new(&dag, h).to_string(), "\\sigma(s_{1})");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Latex<'a> {
    dag: &'a Dag,
    root: NodeId,
}

/// Expressions nested deeper than this print `\dots` there instead of recursing further.
const MAX_DEPTH: usize = 400;

impl<'a> Latex<'a> {
    /// The expression at `root`.
    pub fn new(dag: &'a Dag, root: NodeId) -> Latex<'a> {
        Latex { dag, root }
    }

    fn product(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        if is_negative(self.dag, id) {
            out.write_char('-')?;
        }
        self.body(out, id, depth)
    }

    /// A product without its sign: `\frac{a \cdot b}{c^{2}}`.
    fn body(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        let view = fraction(self.dag, id);
        let c = view.coefficient;
        let mut top = String::new();
        let mut first = true;
        if c.numer() != 1 || view.numerator.is_empty() {
            write!(top, "{}", c.numer())?;
            first = false;
        }
        for &f in &view.numerator {
            if !first {
                top.push_str(" \\cdot ");
            }
            self.wrapped(
                &mut top,
                f,
                if first { Prec::Neg } else { Prec::Product },
                depth,
            )?;
            first = false;
        }
        if view.denominator.is_empty() && c.denom() == 1 {
            return out.write_str(&top);
        }
        let mut bottom = String::new();
        let mut first = true;
        if c.denom() != 1 {
            write!(bottom, "{}", c.denom())?;
            first = false;
        }
        for &(base, e) in &view.denominator {
            if !first {
                bottom.push_str(" \\cdot ");
            }
            first = false;
            if e.is_one() {
                self.wrapped(&mut bottom, base, Prec::Product, depth)?;
            } else {
                self.wrapped(&mut bottom, base, Prec::Atom, depth)?;
                bottom.push_str("^{");
                number(&mut bottom, e)?;
                bottom.push('}');
            }
        }
        write!(out, "\\frac{{{top}}}{{{bottom}}}")
    }
}

/// What a function's argument is written between: `\\sigma(`…`)`, `\\sqrt{`…`}`.
fn delimiters(func: Func) -> (&'static str, &'static str) {
    match func {
        Func::Exp => ("\\exp(", ")"),
        Func::Log => ("\\log(", ")"),
        Func::Sqrt => ("\\sqrt{", "}"),
        Func::Sin => ("\\sin(", ")"),
        Func::Cos => ("\\cos(", ")"),
        Func::Tan => ("\\tan(", ")"),
        Func::Tanh => ("\\tanh(", ")"),
        Func::Sigmoid => ("\\sigma(", ")"),
        Func::Relu => ("\\operatorname{ReLU}(", ")"),
        Func::Softplus => ("\\operatorname{softplus}(", ")"),
        Func::Abs => ("\\left|", "\\right|"),
        Func::Step => ("\\operatorname{step}(", ")"),
        Func::Sign => ("\\operatorname{sign}(", ")"),
        Func::Sum | Func::LogSumExp => unreachable!("reductions are written by the caller"),
    }
}

impl SumPrinter for Latex<'_> {
    fn dag(&self) -> &Dag {
        self.dag
    }

    fn node(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        if depth > MAX_DEPTH {
            return out.write_str("\\dots");
        }
        match self.dag.node(id) {
            Node::Number(r) => number(out, *r),
            Node::Float(bits) => float(out, f64::from_bits(*bits)),
            Node::Constant(Constant::Pi) => out.write_str("\\pi"),
            Node::Constant(Constant::E) => out.write_str("e"),
            Node::Symbol(s) => out.write_str(&latex_name(self.dag.name(*s))),
            Node::Add(terms) => self.sum(out, terms, depth),
            Node::Mul(_) => self.product(out, id, depth),
            Node::Pow([_, e]) if self.dag.as_number(*e).is_some_and(|e| e.is_negative()) => {
                self.product(out, id, depth)
            }
            Node::Pow([base, exponent]) => {
                self.wrapped(out, *base, Prec::Atom, depth)?;
                out.write_str("^{")?;
                self.node(out, *exponent, depth + 1)?;
                out.write_char('}')
            }
            Node::Call(func, args) if func.is_reduction() => {
                out.write_str(match func {
                    Func::Sum => "\\sum_{",
                    _ => "\\operatorname{logsumexp}_{",
                })?;
                self.node(out, args[0], depth + 1)?;
                out.write_str("=1}^{")?;
                self.node(out, args[1], depth + 1)?;
                out.write_str("} ")?;
                if *func == Func::Sum {
                    self.wrapped(out, args[2], Prec::Neg, depth)
                } else {
                    out.write_str("\\left(")?;
                    self.node(out, args[2], depth + 1)?;
                    out.write_str("\\right)")
                }
            }
            Node::Call(func, args) => {
                let (open, close) = delimiters(*func);
                out.write_str(open)?;
                self.node(out, args[0], depth + 1)?;
                out.write_str(close)
            }
        }
    }

    /// A negative term without its sign (the sum printed ` - ` already).
    fn unsigned(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        match self.dag.node(id) {
            Node::Number(r) => number(out, r.checked_neg().unwrap_or(*r)),
            Node::Float(bits) => float(out, -f64::from_bits(*bits)),
            _ => self.body(out, id, depth),
        }
    }
}

impl fmt::Display for Latex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node(f, self.root, 0)
    }
}

fn number(out: &mut dyn Write, r: Rational) -> fmt::Result {
    let sign = if r.is_negative() { "-" } else { "" };
    let n = r.numer().unsigned_abs();
    if r.denom() == 1 {
        write!(out, "{sign}{n}")
    } else {
        write!(out, "{sign}\\frac{{{n}}}{{{}}}", r.denom())
    }
}

/// A float as the text printer writes it, with `1.5 \times 10^{-7}` for its exponent form.
fn float(out: &mut dyn Write, x: f64) -> fmt::Result {
    match FloatText::new(x) {
        scientific @ FloatText::Exponent(_) => {
            let text = scientific.to_string();
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            write!(out, "{mantissa} \\times 10^{{{exponent}}}")
        }
        plain @ FloatText::Plain(_) => write!(out, "{plain}"),
    }
}
