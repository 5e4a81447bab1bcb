//! One expression as Rust source: `-(y_t - y) * w2`, `h * (1.0 - h)`, `x.powi(2)`.
//!
//! Reads the DAG through the shared sign/fraction view of [`crate::emit::precedence`], so
//! `a + (-1)·b` prints as `a - b` and `a·b^-1` as `a / b`. Parentheses follow Rust's own
//! precedence; a literal that receives a method call carries its type suffix (`2f64.exp()`),
//! because an unsuffixed one would be ambiguous. The text is written straight into the body's
//! string, and every name it reads is recorded, so that a body can place each load before its
//! first use and a split body knows what crosses from one part to the next without reading its
//! own text again.

use super::names::{Names, Var};
use super::{Float, Helpers};
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::{fraction, is_negative};
use crate::hash::FxHashMap;
use crate::op::{Constant, Func};
use crate::rational::Rational;
use std::fmt::Write;

/// How tightly emitted Rust binds, loosest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Prec {
    /// `a + b`, `a - b`
    Sum,
    /// `a * b`, `a / b`
    Product,
    /// `-a`
    Unary,
    /// names, literals, calls, method calls, anything in brackets
    Postfix,
}

/// Prints expressions of one DAG into `out`, naming the nodes already bound to a `let`.
pub(super) struct ExprWriter<'a> {
    pub dag: &'a Dag,
    pub float: Float,
    /// The identifier of every symbol that may appear.
    pub symbols: &'a Names,
    /// Nodes already bound to a name (`let t0 = ...`, or a definition's own name).
    pub bound: &'a FxHashMap<NodeId, Var>,
    /// Products of factors already bound to a name: a product above the bar that is one of
    /// them, or one of them times one more factor, prints as the name (times that factor).
    pub prefixes: &'a FxHashMap<Vec<NodeId>, Var>,
    /// Which helper functions the printed code calls.
    pub helpers: &'a mut Helpers,
    /// Where the text goes.
    pub out: &'a mut String,
    /// Every name the text reads, in order of appearance.
    pub reads: &'a mut Vec<Var>,
}

impl ExprWriter<'_> {
    /// The expression at `id`, printed in full even when `id` itself is bound.
    pub fn top(&mut self, id: NodeId) {
        self.node(id);
    }

    fn node(&mut self, id: NodeId) -> Prec {
        let dag = self.dag;
        match dag.node(id) {
            Node::Number(r) => self.rational(*r),
            Node::Float(bits) => self.value(f64::from_bits(*bits)),
            Node::Constant(c) => {
                let name = match c {
                    Constant::Pi => "PI",
                    Constant::E => "E",
                };
                let _ = write!(self.out, "std::{}::consts::{name}", self.float.ty());
                Prec::Postfix
            }
            Node::Symbol(s) => {
                self.var(Var::Symbol(*s));
                Prec::Postfix
            }
            Node::Add(terms) => self.sum(terms),
            Node::Mul(factors) => match crate::eval::gates(dag, factors).next() {
                Some(gate) => self.gated(gate, id),
                None => self.product(id),
            },
            Node::Pow([_, e]) if dag.as_number(*e).is_some_and(|e| e.is_negative()) => {
                self.product(id)
            }
            Node::Pow([base, exponent]) => self.power(*base, Exponent::Node(*exponent)),
            Node::Call(Func::Log, args) if args.len() == 2 => self.power_rule_log(args[0], args[1]),
            Node::Call(func, args) => self.call(*func, args[0]),
        }
    }

    /// `gate(g, product)`: 0 where the `step` or `sign` factor `g` is 0, as the evaluator's
    /// `Instr::Gate` (one gate is enough: a second zero factor gives 0 through the first).
    fn gated(&mut self, gate: NodeId, product: NodeId) -> Prec {
        self.out.push_str(self.helpers.use_gate());
        self.parens(|w| {
            w.operand(gate, Prec::Sum);
            w.out.push_str(", ");
            w.product(product);
        });
        Prec::Postfix
    }

    /// The expression at `id` as a factor of a product: its name when bound, else bracketed
    /// where it binds looser than a product.
    pub fn factor(&mut self, id: NodeId) {
        self.operand(id, Prec::Unary);
    }

    /// `sigmoid_pair(arg)`: `(sigmoid(arg), sigmoid(-arg))` from one exponential and one
    /// division, chosen by one branch (see `body.rs`).
    pub fn sigmoid_pair(&mut self, arg: NodeId) {
        self.out.push_str(self.helpers.use_sigmoid_pair());
        self.parens(|w| w.operand(arg, Prec::Sum));
    }

    /// A name, recorded as read.
    pub fn var(&mut self, var: Var) {
        self.out.push_str(self.symbols.var(var));
        self.reads.push(var);
    }

    /// What `write` prints, in parentheses when it binds looser than `min`.
    fn bracketed(&mut self, min: Prec, write: impl FnOnce(&mut Self) -> Prec) {
        let start = self.out.len();
        if write(self) < min {
            self.bracket_since(start);
        }
    }

    /// Puts what was written since `start` in parentheses (a short tail: one operand).
    fn bracket_since(&mut self, start: usize) {
        self.out.insert(start, '(');
        self.out.push(')');
    }

    /// What `write` prints, in parentheses.
    fn parens(&mut self, write: impl FnOnce(&mut Self)) {
        self.out.push('(');
        write(self);
        self.out.push(')');
    }

    /// A child: its name when bound, else its expression, in parentheses when it binds looser
    /// than `min`.
    fn operand(&mut self, id: NodeId, min: Prec) {
        if let Some(&name) = self.bound.get(&id) {
            return self.var(name);
        }
        self.bracketed(min, |w| w.node(id));
    }

    /// The receiver of a method call: a suffixed literal, or any operand in brackets.
    fn receiver(&mut self, id: NodeId) {
        let literal = match self.dag.node(id) {
            _ if self.bound.contains_key(&id) => None,
            Node::Number(r) => Some(r.to_f64()),
            Node::Float(bits) => Some(f64::from_bits(*bits)),
            _ => None,
        };
        match literal {
            Some(v) if self.float.holds(v) => {
                if v < 0.0 {
                    self.out.push_str("(-");
                    self.float.write_suffixed(self.out, v.abs());
                    self.out.push(')');
                } else {
                    self.float.write_suffixed(self.out, v.abs());
                }
            }
            _ => self.operand(id, Prec::Postfix),
        }
    }

    /// A number as a literal of the float type; one the type cannot hold (NaN, infinite, or
    /// beyond `f32::MAX` in `f32` code) is the type's constant, as `v as f32` would compute it.
    fn value(&mut self, v: f64) -> Prec {
        if !self.float.holds(v) {
            let name = match (v.is_nan(), v > 0.0) {
                (true, _) => "NAN",
                (false, true) => "INFINITY",
                (false, false) => "NEG_INFINITY",
            };
            let _ = write!(self.out, "{}::{name}", self.float.ty());
            return Prec::Postfix;
        }
        if v < 0.0 || (v == 0.0 && v.is_sign_negative()) {
            self.out.push('-');
            write_f64_unsuffixed(self.out, v.abs());
            Prec::Unary
        } else {
            write_f64_unsuffixed(self.out, v);
            Prec::Postfix
        }
    }

    /// An exact number: its value when binary floating point holds it exactly, else `p / q`.
    fn rational(&mut self, r: Rational) -> Prec {
        if exact_in_binary(r) {
            return self.value(r.to_f64());
        }
        self.value(r.numer() as f64);
        self.out.push_str(" / ");
        self.value(r.denom() as f64);
        Prec::Product
    }

    fn sum(&mut self, terms: &[NodeId]) -> Prec {
        for (i, &t) in terms.iter().enumerate() {
            if i == 0 {
                self.operand(t, Prec::Sum);
            } else if is_negative(self.dag, t) && !self.bound.contains_key(&t) {
                self.out.push_str(" - ");
                self.negated(t);
            } else {
                self.out.push_str(" + ");
                self.operand(t, Prec::Product);
            }
        }
        Prec::Sum
    }

    /// A negative term without its minus sign, binding at least as tightly as a product.
    fn negated(&mut self, id: NodeId) {
        match self.dag.node(id) {
            Node::Number(r) => {
                self.rational(r.checked_neg().unwrap_or(*r));
            }
            Node::Float(bits) => {
                self.value(-f64::from_bits(*bits));
            }
            _ => {
                self.fraction_body(id);
            }
        }
    }

    /// A product (or a power with a negative exponent) as `-c * a * b / (d * e.powi(2))`.
    fn product(&mut self, id: NodeId) -> Prec {
        if !is_negative(self.dag, id) {
            return self.fraction_body(id).0;
        }
        // `-a * b` is `(-a) * b`: the same value, written as on the slides.
        self.out.push('-');
        let start = self.out.len();
        let (prec, lead_unary) = self.fraction_body(id);
        if lead_unary {
            self.bracket_since(start);
        }
        if prec == Prec::Postfix {
            Prec::Unary
        } else {
            prec.min(Prec::Product)
        }
    }

    /// The unsigned body of a product, its precedence, and whether it starts with a unary minus
    /// (so that a sign in front needs brackets).
    fn fraction_body(&mut self, id: NodeId) -> (Prec, bool) {
        let view = fraction(self.dag, id);
        let c = view.coefficient;
        let (c_num, c_den) = if exact_in_binary(c) {
            (c, 1)
        } else {
            (Rational::integer(c.numer()), c.denom())
        };
        let (prefix, numerator) = self.bound_prefix(&view.numerator);
        let with_coefficient = !c_num.is_one() || view.numerator.is_empty();
        let count = usize::from(with_coefficient) + usize::from(prefix.is_some()) + numerator.len();
        if count == 1 && view.denominator.is_empty() && c_den == 1 {
            // One factor alone: it prints with its own precedence.
            let prec = if with_coefficient {
                self.rational(c_num)
            } else if let Some(name) = prefix {
                self.var(name);
                Prec::Postfix
            } else {
                let f = numerator[0];
                self.operand(f, Prec::Product);
                self.prec_of(f)
            };
            return (prec, prec == Prec::Unary);
        }
        let coefficient = with_coefficient.then_some(c_num);
        let first_prec = self.numerator(coefficient, prefix, numerator);
        self.denominator(c_den, &view.denominator);
        (Prec::Product, first_prec == Some(Prec::Unary))
    }

    /// The bound product prefix the numerator begins with (all of it, or all but its last
    /// factor), and the factors after it.
    fn bound_prefix<'n>(&self, numerator: &'n [NodeId]) -> (Option<Var>, &'n [NodeId]) {
        if self.prefixes.is_empty() {
            return (None, numerator);
        }
        let n = numerator.len();
        let prefix = [n, n.saturating_sub(1)]
            .into_iter()
            .filter(|&k| k >= 2)
            .find_map(|k| Some((k, *self.prefixes.get(&numerator[..k])?)));
        match prefix {
            Some((k, name)) => (Some(name), &numerator[k..]),
            None => (None, numerator),
        }
    }

    /// `c * prefix * a * b`, each part where present; the precedence of the first factor.
    fn numerator(
        &mut self,
        coefficient: Option<Rational>,
        prefix: Option<Var>,
        factors: &[NodeId],
    ) -> Option<Prec> {
        let mut first_prec = coefficient.map(|c| self.rational(c));
        if let Some(name) = prefix {
            if first_prec.is_some() {
                self.out.push_str(" * ");
            }
            self.var(name);
            first_prec.get_or_insert(Prec::Postfix);
        }
        for &f in factors {
            let first = first_prec.is_none();
            if !first {
                self.out.push_str(" * ");
            }
            self.operand(f, if first { Prec::Product } else { Prec::Unary });
            first_prec.get_or_insert(self.prec_of(f));
        }
        first_prec
    }

    /// ` / (c * x * y.powi(2))` for a denominator coefficient `c` (1: none) and the factors
    /// below the bar, bracketed when more than one.
    fn denominator(&mut self, c_den: i64, below: &[(NodeId, Rational)]) {
        let denominators = usize::from(c_den != 1) + below.len();
        if denominators == 0 {
            return;
        }
        self.out.push_str(" / ");
        if denominators > 1 {
            self.out.push('(');
        }
        let mut first = true;
        if c_den != 1 {
            self.value(c_den as f64);
            first = false;
        }
        for &(base, e) in below {
            if !std::mem::take(&mut first) {
                self.out.push_str(" * ");
            }
            if e.is_one() {
                self.operand(base, Prec::Unary);
            } else {
                self.power(base, Exponent::Known(e));
            }
        }
        if denominators > 1 {
            self.out.push(')');
        }
    }

    /// A product of factors, `a * b * c`, with no coefficient (a shared product prefix).
    pub fn factors(&mut self, factors: &[NodeId]) {
        for (i, &f) in factors.iter().enumerate() {
            if i > 0 {
                self.out.push_str(" * ");
            }
            self.operand(f, if i == 0 { Prec::Product } else { Prec::Unary });
        }
    }

    /// The precedence a child prints with (a bound child is a name).
    fn prec_of(&self, id: NodeId) -> Prec {
        if self.bound.contains_key(&id) {
            return Prec::Postfix;
        }
        match self.dag.node(id) {
            Node::Number(r) if r.is_negative() => Prec::Unary,
            Node::Number(r) if !exact_in_binary(*r) => Prec::Product,
            Node::Float(bits) if f64::from_bits(*bits) < 0.0 => Prec::Unary,
            Node::Add(_) => Prec::Sum,
            Node::Mul(_) if is_negative(self.dag, id) => Prec::Unary,
            Node::Mul(_) => Prec::Product,
            _ => Prec::Postfix,
        }
    }

    /// `base ^ exponent`.
    fn power(&mut self, base: NodeId, exponent: Exponent) -> Prec {
        // A number, or the node of a symbolic exponent.
        let e = match exponent {
            Exponent::Known(e) => Ok(e),
            Exponent::Node(e) => self.dag.as_number(e).ok_or(e),
        };
        self.receiver(base);
        match e {
            Ok(e) if e.is_integer() && e.numer().abs() <= i64::from(crate::numerics::POWI_MAX) => {
                let _ = write!(self.out, ".powi({})", e.numer() as i32);
            }
            Ok(e) if e == Rational::new(1, 2).expect("1/2") => self.out.push_str(".sqrt()"),
            Ok(e) => {
                self.out.push_str(".powf");
                self.parens(|w| {
                    w.rational(e);
                });
            }
            Err(exponent) => {
                self.out.push_str(".powf");
                self.parens(|w| w.operand(exponent, Prec::Sum));
            }
        }
        Prec::Postfix
    }

    /// The power rule's `log(base)` beside `power` (`Dag::power_rule_log`): 0 where `power`
    /// is 0, as the evaluator's `numerics::power_rule_log`.
    fn power_rule_log(&mut self, base: NodeId, power: NodeId) -> Prec {
        self.out.push_str("(if ");
        self.operand(power, Prec::Sum);
        self.out.push_str(" == 0.0 { 0.0 } else { ");
        self.receiver(base);
        self.out.push_str(".ln() })");
        Prec::Postfix
    }

    fn call(&mut self, func: Func, arg: NodeId) -> Prec {
        match func {
            Func::Exp | Func::Sqrt | Func::Sin | Func::Cos | Func::Tan | Func::Abs => {
                self.receiver(arg);
                let _ = write!(self.out, ".{}()", func.name());
            }
            Func::Log => {
                self.receiver(arg);
                self.out.push_str(".ln()");
            }
            // Not `x.max(0.0)`, which is 0 for a NaN `x`: relu of an undefined value is
            // undefined, as in the evaluator.
            Func::Relu => {
                self.out.push_str(self.helpers.use_relu());
                self.parens(|w| w.operand(arg, Prec::Sum));
            }
            Func::Sigmoid | Func::Tanh | Func::Softplus | Func::Step | Func::Sign => {
                self.out.push_str(self.helpers.use_(func));
                self.parens(|w| w.operand(arg, Prec::Sum));
            }
            Func::Sum | Func::LogSumExp => {
                unreachable!("indexed networks are refused before code generation")
            }
        }
        Prec::Postfix
    }
}

/// The exponent of a power: a node of the DAG, or a number the writer already knows (a
/// denominator's positive power, `x^-2` written as `/ x.powi(2)`).
#[derive(Clone, Copy)]
enum Exponent {
    Node(NodeId),
    Known(Rational),
}

/// Whether a rational is exactly a binary floating-point number (its denominator a power of 2).
fn exact_in_binary(r: Rational) -> bool {
    let d = r.denom();
    d > 0 && d & (d - 1) == 0
}

/// A finite `f64` as an unsuffixed Rust literal: its shortest round-trip decimal, with `.0`
/// when that has no point (`2.0`, `0.5`, `1e300` is written `1000...0.0`).
pub(super) fn write_f64_unsuffixed(out: &mut String, v: f64) {
    let start = out.len();
    let _ = write!(out, "{v}");
    if !out[start..].contains('.') {
        out.push_str(".0");
    }
}
