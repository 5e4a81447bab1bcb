//! The lecture's notation as text: `-(y_t - y)·w2·h·(1 - h)·x_t`, `-2·v^2/x^2`.
//!
//! Unicode by default (`·`, `π`, `∂`); [`Notation::Ascii`] for plain terminals (`*`, `pi`, `d`).

use super::float::FloatText;
use super::precedence::Prec;
use super::sum::SumPrinter;
use crate::dag::{Dag, Node, NodeId};
use crate::diff::Notation;
use crate::fraction::{fraction, is_negative};
use crate::op::Func;
use crate::rational::Rational;
use std::fmt::{self, Write};

/// An expression printed as text, borrowed from its DAG.
///
/// ```
/// use symdiff_core::{Dag, Text, Notation};
/// let mut dag = Dag::new();
/// let (y_t, y) = (dag.node_named("y_t"), dag.node_named("y"));
/// let diff = dag.sub(y_t, y);
/// let neg = dag.neg(diff);
/// assert_eq!(Text::new(&dag, neg).to_string(), "-(y_t - y)");
/// let w = dag.node_named("w");
/// let prod = dag.mul(vec![neg, w]);
/// assert_eq!(Text::new(&dag, prod).notation(Notation::Ascii).to_string(), "-(y_t - y)*w");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    dag: &'a Dag,
    root: NodeId,
    notation: Notation,
}

/// Expressions nested deeper than this print `…` there instead of recursing further.
const MAX_DEPTH: usize = 400;

impl<'a> Text<'a> {
    /// The expression at `root`, in Unicode notation.
    pub fn new(dag: &'a Dag, root: NodeId) -> Text<'a> {
        Text {
            dag,
            root,
            notation: Notation::Unicode,
        }
    }

    /// The same expression in another notation.
    pub fn notation(self, notation: Notation) -> Text<'a> {
        Text { notation, ..self }
    }

    fn times(&self) -> &'static str {
        match self.notation {
            Notation::Unicode => "·",
            Notation::Ascii => "*",
        }
    }

    fn product(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        if is_negative(self.dag, id) {
            out.write_char('-')?;
            self.fraction_body(out, id, depth, Prec::Product)
        } else {
            // Nothing precedes the first factor, so it may carry its own minus: `-a·b`.
            self.fraction_body(out, id, depth, Prec::Neg)
        }
    }

    /// A product without its sign: `c·a·b/(d·e^2)`. `lead` is the precedence the first factor
    /// needs when nothing is printed before it.
    fn fraction_body(
        &self,
        out: &mut dyn Write,
        id: NodeId,
        depth: usize,
        lead: Prec,
    ) -> fmt::Result {
        let view = fraction(self.dag, id);
        let c = view.coefficient;
        let (c_num, c_den) = (Rational::integer(c.numer()), c.denom());
        let times = self.times();
        if view.denominator.is_empty() {
            // No fraction bar from factors: the coefficient (if any) leads, `1/2·x`.
            return self.numerator(out, c, &view.numerator, lead, depth);
        }
        self.numerator(out, c_num, &view.numerator, lead, depth)?;
        out.write_char('/')?;
        // Denominator.
        let parts = view.denominator.len() + usize::from(c_den != 1);
        if parts > 1 {
            out.write_char('(')?;
        }
        let mut first = true;
        if c_den != 1 {
            write!(out, "{c_den}")?;
            first = false;
        }
        for &(base, e) in &view.denominator {
            if !first {
                out.write_str(times)?;
            }
            first = false;
            if e.is_one() {
                self.wrapped(out, base, Prec::Power, depth)?;
            } else {
                self.wrapped(out, base, Prec::Atom, depth)?;
                out.write_char('^')?;
                self.exponent(out, e, depth)?;
            }
        }
        if parts > 1 {
            out.write_char(')')?;
        }
        Ok(())
    }

    /// `c·a·b`: the coefficient when it is not 1 (or nothing else is there), then the factors.
    fn numerator(
        &self,
        out: &mut dyn Write,
        coefficient: Rational,
        factors: &[NodeId],
        lead: Prec,
        depth: usize,
    ) -> fmt::Result {
        let mut first = true;
        if !coefficient.is_one() || factors.is_empty() {
            write!(out, "{coefficient}")?;
            first = false;
        }
        for &f in factors {
            if !first {
                out.write_str(self.times())?;
            }
            self.wrapped(out, f, if first { lead } else { Prec::Product }, depth)?;
            first = false;
        }
        Ok(())
    }

    fn power(
        &self,
        out: &mut dyn Write,
        base: NodeId,
        exponent: NodeId,
        depth: usize,
    ) -> fmt::Result {
        self.wrapped(out, base, Prec::Atom, depth)?;
        out.write_char('^')?;
        self.wrapped(out, exponent, Prec::Atom, depth)
    }

    fn exponent(&self, out: &mut dyn Write, e: Rational, _depth: usize) -> fmt::Result {
        if e.is_integer() && !e.is_negative() {
            write!(out, "{e}")
        } else {
            write!(out, "({e})")
        }
    }
}

impl SumPrinter for Text<'_> {
    fn dag(&self) -> &Dag {
        self.dag
    }

    fn node(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        if depth > MAX_DEPTH {
            return out.write_str("…");
        }
        match self.dag.node(id) {
            Node::Number(r) => write!(out, "{r}"),
            Node::Float(bits) => write!(out, "{}", FloatText::new(f64::from_bits(*bits))),
            Node::Constant(c) => out.write_str(match (c, self.notation) {
                (crate::op::Constant::Pi, Notation::Unicode) => "π",
                (crate::op::Constant::Pi, Notation::Ascii) => "pi",
                (crate::op::Constant::E, _) => "e",
            }),
            Node::Symbol(s) => {
                let name = self.dag.name(*s);
                match self.notation {
                    Notation::Unicode => out.write_str(name),
                    Notation::Ascii => out.write_str(&name.replace('∂', "d")),
                }
            }
            Node::Add(terms) => self.sum(out, terms, depth),
            Node::Mul(_) => self.product(out, id, depth),
            Node::Pow([_, e]) if self.dag.as_number(*e).is_some_and(|e| e.is_negative()) => {
                self.product(out, id, depth)
            }
            Node::Pow([base, exponent]) => self.power(out, *base, *exponent, depth),
            Node::Call(Func::Sum, args) => {
                out.write_str("Σ_")?;
                self.node(out, args[0], depth + 1)?;
                out.write_char(' ')?;
                self.wrapped(out, args[2], Prec::Neg, depth)
            }
            Node::Call(Func::LogSumExp, args) => {
                out.write_str("logsumexp_")?;
                self.node(out, args[0], depth + 1)?;
                out.write_char('(')?;
                self.wrapped(out, args[2], Prec::Sum, depth)?;
                out.write_char(')')
            }
            Node::Call(func, args) => {
                write!(out, "{}(", func.name())?;
                // `args[..arity]`: the power rule's log has its power as a hidden second child.
                for (i, &a) in args[..func.arity()].iter().enumerate() {
                    if i > 0 {
                        out.write_str(", ")?;
                    }
                    self.wrapped(out, a, Prec::Sum, depth)?;
                }
                out.write_char(')')
            }
        }
    }

    /// A negative term without its minus sign (the sum printed ` - ` already).
    fn unsigned(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        match self.dag.node(id) {
            Node::Number(r) => write!(out, "{}", r.checked_neg().unwrap_or(*r)),
            Node::Float(bits) => write!(out, "{}", FloatText::new(-f64::from_bits(*bits))),
            _ => self.fraction_body(out, id, depth, Prec::Product),
        }
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node(f, self.root, 0)
    }
}
