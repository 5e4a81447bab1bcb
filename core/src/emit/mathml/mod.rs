//! MathML Core, which current browsers render natively: `<mfrac>` for fractions and partial
//! symbols, `<msub>` for subscripted names (`w1`, `y_t`), `<msup>` for powers, `σ(s₁)`.
//!
//! The same reading of the DAG as the LaTeX printer (fractions under a bar, `a + b - c`, the
//! shared precedence table for brackets), written as presentation MathML without the enclosing
//! `<math>` element, so that a page can put several pieces into one formula. Like every
//! printer, it never simplifies.

mod name;

pub(crate) use name::escape;
pub use name::{mathml_name, partial};

use super::float::FloatText;
use super::precedence::{precedence, Prec};
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::{fraction, is_negative};
use crate::op::{Constant, Func};
use crate::rational::Rational;
use std::fmt::{self, Write};

/// An expression printed as MathML (the content of a `<math>` element), borrowed from its DAG.
///
/// ```
/// use symdiff_core::{Dag, Func};
/// use symdiff_core::emit::MathMl;
/// let mut dag = Dag::new();
/// let (y_t, y) = (dag.node_named("y_t"), dag.node_named("y"));
/// let diff = dag.sub(y_t, y);
/// let neg = dag.neg(diff);
/// assert_eq!(
///     MathMl::new(&dag, neg).to_string(),
///     "<mrow><mo>−</mo><mo>(</mo><msub><mi>y</mi><mi>t</mi></msub><mo>−</mo><mi>y</mi><mo>)</mo></mrow>"
/// );
/// let (x, t) = (dag.node_named("x"), dag.node_named("t"));
/// let sum = dag.add(vec![x, t]);
/// let minus_one = dag.integer(-1);
/// let y = dag.pow(sum, minus_one);
/// assert_eq!(
///     MathMl::new(&dag, y).to_string(),
///     "<mrow><mfrac><mrow><mn>1</mn></mrow><mrow><mi>x</mi><mo>+</mo><mi>t</mi></mrow></mfrac></mrow>"
/// );
/// let s1 = dag.node_named("s1");
/// let h = dag.call(Func::Sigmoid, vec![s1]);
/// assert_eq!(
///     MathMl::new(&dag, h).to_string(),
///     "<mrow><mi>σ</mi><mo>(</mo><msub><mi>s</mi><mn>1</mn></msub><mo>)</mo></mrow>"
/// );
/// ```
#[derive(Clone, Copy, Debug)]
pub struct MathMl<'a> {
    dag: &'a Dag,
    root: NodeId,
}

/// Expressions nested deeper than this print `…` there instead of recursing further.
const MAX_DEPTH: usize = 400;

impl<'a> MathMl<'a> {
    /// The expression at `root`.
    pub fn new(dag: &'a Dag, root: NodeId) -> MathMl<'a> {
        MathMl { dag, root }
    }

    /// A term, bracketed when it binds looser than `min`.
    fn wrapped(&self, out: &mut dyn Write, id: NodeId, min: Prec, depth: usize) -> fmt::Result {
        if precedence(self.dag, id) < min {
            out.write_str("<mo>(</mo>")?;
            self.node(out, id, depth + 1)?;
            out.write_str("<mo>)</mo>")
        } else {
            self.node(out, id, depth + 1)
        }
    }

    /// `a + b - c`: each later negative term after `-` without its own sign.
    fn sum(&self, out: &mut dyn Write, terms: &[NodeId], depth: usize) -> fmt::Result {
        for (i, &t) in terms.iter().enumerate() {
            if i == 0 {
                self.wrapped(out, t, Prec::Neg, depth)?;
            } else if is_negative(self.dag, t) {
                out.write_str("<mo>−</mo>")?;
                self.unsigned(out, t, depth)?;
            } else {
                out.write_str("<mo>+</mo>")?;
                self.wrapped(out, t, Prec::Neg, depth)?;
            }
        }
        Ok(())
    }

    /// A negative term without its sign (the sum wrote `-` already).
    fn unsigned(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        match self.dag.node(id) {
            Node::Number(r) => number(out, r.checked_neg().unwrap_or(*r)),
            Node::Float(bits) => float(out, -f64::from_bits(*bits)),
            _ => self.body(out, id, depth),
        }
    }

    fn product(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        if is_negative(self.dag, id) {
            out.write_str("<mo>−</mo>")?;
        }
        self.body(out, id, depth)
    }

    /// A product without its sign: factors joined by `·`, over a fraction bar when it has a
    /// denominator.
    fn body(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        let view = fraction(self.dag, id);
        let c = view.coefficient;
        let mut top = String::new();
        let mut first = true;
        if c.numer() != 1 || view.numerator.is_empty() {
            write!(top, "<mn>{}</mn>", c.numer())?;
            first = false;
        }
        for &f in &view.numerator {
            if !first {
                top.push_str("<mo>·</mo>");
            }
            let min = if first { Prec::Neg } else { Prec::Product };
            self.wrapped(&mut top, f, min, depth)?;
            first = false;
        }
        if view.denominator.is_empty() && c.denom() == 1 {
            return out.write_str(&top);
        }
        let mut bottom = String::new();
        let mut first = true;
        // Under a fraction bar a lone factor needs no brackets: `1/(x + t)` is x + t under 1.
        let alone = c.denom() == 1 && view.denominator.len() == 1;
        if c.denom() != 1 {
            write!(bottom, "<mn>{}</mn>", c.denom())?;
            first = false;
        }
        for &(base, e) in &view.denominator {
            if !first {
                bottom.push_str("<mo>·</mo>");
            }
            first = false;
            if e.is_one() {
                let min = if alone { Prec::Sum } else { Prec::Product };
                self.wrapped(&mut bottom, base, min, depth)?;
            } else {
                bottom.push_str("<msup><mrow>");
                self.wrapped(&mut bottom, base, Prec::Atom, depth)?;
                bottom.push_str("</mrow><mrow>");
                number(&mut bottom, e)?;
                bottom.push_str("</mrow></msup>");
            }
        }
        write!(
            out,
            "<mfrac><mrow>{top}</mrow><mrow>{bottom}</mrow></mfrac>"
        )
    }

    fn node(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result {
        if depth > MAX_DEPTH {
            return out.write_str("<mi>…</mi>");
        }
        match self.dag.node(id) {
            Node::Number(r) => number(out, *r),
            Node::Float(bits) => float(out, f64::from_bits(*bits)),
            Node::Constant(Constant::Pi) => out.write_str("<mi>π</mi>"),
            Node::Constant(Constant::E) => out.write_str("<mi>e</mi>"),
            Node::Symbol(s) => out.write_str(&mathml_name(self.dag.name(*s))),
            Node::Add(terms) => self.sum(out, terms, depth),
            Node::Mul(_) => self.product(out, id, depth),
            Node::Pow([_, e]) if self.dag.as_number(*e).is_some_and(|e| e.is_negative()) => {
                self.product(out, id, depth)
            }
            Node::Pow([base, exponent]) => {
                out.write_str("<msup><mrow>")?;
                self.wrapped(out, *base, Prec::Atom, depth)?;
                out.write_str("</mrow><mrow>")?;
                self.node(out, *exponent, depth + 1)?;
                out.write_str("</mrow></msup>")
            }
            Node::Call(func, args) if func.is_reduction() => {
                let op = match func {
                    Func::Sum => "<mo>∑</mo>",
                    _ => "<mi>logsumexp</mi>",
                };
                write!(out, "<munderover>{op}<mrow>")?;
                self.node(out, args[0], depth + 1)?;
                out.write_str("<mo>=</mo><mn>1</mn></mrow><mrow>")?;
                self.node(out, args[1], depth + 1)?;
                out.write_str("</mrow></munderover>")?;
                if *func == Func::Sum {
                    self.wrapped(out, args[2], Prec::Neg, depth)
                } else {
                    out.write_str("<mo>(</mo>")?;
                    self.node(out, args[2], depth + 1)?;
                    out.write_str("<mo>)</mo>")
                }
            }
            Node::Call(Func::Sqrt, args) => {
                out.write_str("<msqrt>")?;
                self.node(out, args[0], depth + 1)?;
                out.write_str("</msqrt>")
            }
            Node::Call(Func::Abs, args) => {
                out.write_str("<mo>|</mo>")?;
                self.node(out, args[0], depth + 1)?;
                out.write_str("<mo>|</mo>")
            }
            Node::Call(func, args) => {
                write!(out, "{}<mo>(</mo>", function(*func))?;
                // `args[..arity]`: the power rule's log has its power as a hidden second child.
                for (i, &a) in args[..func.arity()].iter().enumerate() {
                    if i > 0 {
                        out.write_str("<mo separator=\"true\">,</mo>")?;
                    }
                    self.node(out, a, depth + 1)?;
                }
                out.write_str("<mo>)</mo>")
            }
        }
    }
}

/// A function's name as the slides write it (`σ` for sigmoid), upright.
fn function(func: Func) -> &'static str {
    match func {
        Func::Exp => "<mi>exp</mi>",
        Func::Log => "<mi>log</mi>",
        Func::Sin => "<mi>sin</mi>",
        Func::Cos => "<mi>cos</mi>",
        Func::Tan => "<mi>tan</mi>",
        Func::Tanh => "<mi>tanh</mi>",
        Func::Sigmoid => "<mi>σ</mi>",
        Func::Relu => "<mi>ReLU</mi>",
        Func::Softplus => "<mi>softplus</mi>",
        Func::Step => "<mi>step</mi>",
        Func::Sign => "<mi>sign</mi>",
        Func::Sqrt => "<mi>sqrt</mi>",
        Func::Abs => "<mi>abs</mi>",
        Func::Sum => "<mi>sum</mi>",
        Func::LogSumExp => "<mi>logsumexp</mi>",
    }
}

impl fmt::Display for MathMl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<mrow>")?;
        self.node(f, self.root, 0)?;
        f.write_str("</mrow>")
    }
}

/// An exact number: `<mn>3</mn>`, `-` before a negative one, `<mfrac>` for a fraction.
fn number(out: &mut dyn Write, r: Rational) -> fmt::Result {
    if r.is_negative() {
        out.write_str("<mo>−</mo>")?;
    }
    let n = r.numer().unsigned_abs();
    if r.denom() == 1 {
        write!(out, "<mn>{n}</mn>")
    } else {
        write!(out, "<mfrac><mn>{n}</mn><mn>{}</mn></mfrac>", r.denom())
    }
}

/// A float as the text printer writes it, with `1.5 × 10⁻⁷` for its exponent form.
pub(crate) fn float(out: &mut dyn Write, x: f64) -> fmt::Result {
    if x.is_nan() {
        return out.write_str("<mi>?</mi>");
    }
    if x < 0.0 || (x == 0.0 && x.is_sign_negative()) {
        out.write_str("<mo>−</mo>")?;
    }
    match FloatText::new(x.abs()) {
        scientific @ FloatText::Exponent(_) => {
            let text = scientific.to_string();
            match text.split_once('e') {
                Some((mantissa, exponent)) => write!(
                    out,
                    "<mn>{mantissa}</mn><mo>×</mo><msup><mn>10</mn><mn>{exponent}</mn></msup>"
                ),
                None => write!(out, "<mi>{text}</mi>"),
            }
        }
        plain @ FloatText::Plain(_) => write!(out, "<mn>{plain}</mn>"),
    }
}
