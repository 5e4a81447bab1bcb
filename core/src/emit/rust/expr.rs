//! One expression as Rust tokens: `-(y_t - y) * w2`, `h * (1.0 - h)`, `x.powi(2)`.
//!
//! Reads the DAG through the shared sign/fraction view of [`crate::emit::precedence`], so
//! `a + (-1)·b` prints as `a - b` and `a·b^-1` as `a / b`. Parentheses follow Rust's own
//! precedence; a literal that receives a method call carries its type suffix (`2.0f64.exp()`),
//! because an unsuffixed one would be ambiguous.

use super::names::Names;
use super::{Float, Helpers};
use crate::dag::{Dag, Node, NodeId};
use crate::emit::precedence::{fraction, is_negative};
use crate::hash::FxHashMap;
use crate::op::{Constant, Func};
use crate::rational::Rational;
use proc_macro2::{Delimiter, Group, Ident, Literal, TokenStream};
use quote::{quote, ToTokens};

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

/// Prints expressions of one DAG, naming the nodes already bound to a `let`.
pub(super) struct ExprWriter<'a> {
    pub dag: &'a Dag,
    pub float: Float,
    /// The identifier of every symbol that may appear.
    pub symbols: &'a Names,
    /// Nodes already bound to a name (`let t0 = ...`, or a definition's own name).
    pub bound: &'a FxHashMap<NodeId, Ident>,
    /// Products of factors already bound to a name: a product above the bar that is one of
    /// them, or one of them times one more factor, prints as the name (times that factor).
    pub prefixes: &'a FxHashMap<Vec<NodeId>, Ident>,
    /// Which helper functions the printed code calls.
    pub helpers: &'a mut Helpers,
}

impl ExprWriter<'_> {
    /// The expression at `id`, printed in full even when `id` itself is bound.
    pub fn top(&mut self, id: NodeId) -> TokenStream {
        self.node(id).0
    }

    fn node(&mut self, id: NodeId) -> (TokenStream, Prec) {
        let dag = self.dag;
        match dag.node(id) {
            Node::Number(r) => self.rational(*r),
            Node::Float(bits) => self.value(f64::from_bits(*bits)),
            Node::Constant(c) => {
                let ty = self.float.ty();
                let name = match c {
                    Constant::Pi => quote!(PI),
                    Constant::E => quote!(E),
                };
                (quote!(std::#ty::consts::#name), Prec::Postfix)
            }
            Node::Symbol(s) => (self.symbols.ident(*s).into_token_stream(), Prec::Postfix),
            Node::Add(terms) => self.sum(terms),
            Node::Mul(_) => self.product(id),
            Node::Pow([_, e]) if dag.as_number(*e).is_some_and(|e| e.is_negative()) => {
                self.product(id)
            }
            Node::Pow([base, exponent]) => self.power(*base, *exponent, Rational::ONE),
            Node::Call(func, args) => self.call(*func, args[0]),
        }
    }

    /// A child: its name when bound, else its expression, in parentheses when it binds looser
    /// than `min`.
    fn operand(&mut self, id: NodeId, min: Prec) -> TokenStream {
        if let Some(name) = self.bound.get(&id) {
            return name.to_token_stream();
        }
        let (tokens, prec) = self.node(id);
        if prec < min {
            parens(tokens)
        } else {
            tokens
        }
    }

    /// The receiver of a method call: a suffixed literal, or any operand in brackets.
    fn receiver(&mut self, id: NodeId) -> TokenStream {
        let literal = match self.dag.node(id) {
            _ if self.bound.contains_key(&id) => None,
            Node::Number(r) => Some(r.to_f64()),
            Node::Float(bits) => Some(f64::from_bits(*bits)),
            _ => None,
        };
        match literal {
            Some(v) if v.is_finite() => {
                let lit = self.float.suffixed(v.abs());
                if v < 0.0 {
                    parens(quote!(-#lit))
                } else {
                    lit.into_token_stream()
                }
            }
            _ => self.operand(id, Prec::Postfix),
        }
    }

    fn value(&self, v: f64) -> (TokenStream, Prec) {
        if !v.is_finite() {
            let ty = self.float.ty();
            let name = match (v.is_nan(), v > 0.0) {
                (true, _) => quote!(NAN),
                (false, true) => quote!(INFINITY),
                (false, false) => quote!(NEG_INFINITY),
            };
            return (quote!(#ty::#name), Prec::Postfix);
        }
        let lit = Literal::f64_unsuffixed(v.abs());
        if v < 0.0 || (v == 0.0 && v.is_sign_negative()) {
            (quote!(-#lit), Prec::Unary)
        } else {
            (lit.into_token_stream(), Prec::Postfix)
        }
    }

    /// An exact number: its value when binary floating point holds it exactly, else `p / q`.
    fn rational(&self, r: Rational) -> (TokenStream, Prec) {
        if exact_in_binary(r) {
            return self.value(r.to_f64());
        }
        let (p, _) = self.value(r.numer() as f64);
        let (q, _) = self.value(r.denom() as f64);
        (quote!(#p / #q), Prec::Product)
    }

    fn sum(&mut self, terms: &[NodeId]) -> (TokenStream, Prec) {
        let mut out = TokenStream::new();
        for (i, &t) in terms.iter().enumerate() {
            if i == 0 {
                out.extend(self.operand(t, Prec::Sum));
            } else if is_negative(self.dag, t) && !self.bound.contains_key(&t) {
                let magnitude = self.negated(t);
                out.extend(quote!(-));
                out.extend(magnitude);
            } else {
                let term = self.operand(t, Prec::Product);
                out.extend(quote!(+));
                out.extend(term);
            }
        }
        (out, Prec::Sum)
    }

    /// A negative term without its minus sign, binding at least as tightly as a product.
    fn negated(&mut self, id: NodeId) -> TokenStream {
        match self.dag.node(id) {
            Node::Number(r) => self.rational(r.checked_neg().unwrap_or(*r)).0,
            Node::Float(bits) => self.value(-f64::from_bits(*bits)).0,
            _ => self.fraction_body(id).0,
        }
    }

    /// A product (or a power with a negative exponent) as `-c * a * b / (d * e.powi(2))`.
    fn product(&mut self, id: NodeId) -> (TokenStream, Prec) {
        let (body, prec, lead_unary) = self.fraction_body(id);
        if is_negative(self.dag, id) {
            // `-a * b` is `(-a) * b`: the same value, written as on the slides.
            let body = if lead_unary { parens(body) } else { body };
            let prec = if prec == Prec::Postfix {
                Prec::Unary
            } else {
                prec.min(Prec::Product)
            };
            (cat([quote!(-), body]), prec)
        } else {
            (body, prec)
        }
    }

    /// The unsigned body of a product, its precedence, and whether it starts with a unary minus
    /// (so that a sign in front needs brackets).
    fn fraction_body(&mut self, id: NodeId) -> (TokenStream, Prec, bool) {
        let view = fraction(self.dag, id);
        let c = view.coefficient;
        let (c_num, c_den) = if exact_in_binary(c) {
            (c, 1)
        } else {
            (Rational::integer(c.numer()), c.denom())
        };
        let mut factors: Vec<(TokenStream, Prec)> = Vec::new();
        if !c_num.is_one() || view.numerator.is_empty() {
            factors.push(self.rational(c_num));
        }
        let mut numerator = &view.numerator[..];
        if !self.prefixes.is_empty() {
            let n = numerator.len();
            let bound = [n, n.saturating_sub(1)]
                .into_iter()
                .filter(|&k| k >= 2)
                .find_map(|k| Some((k, self.prefixes.get(&numerator[..k])?)));
            if let Some((k, name)) = bound {
                factors.push((name.to_token_stream(), Prec::Postfix));
                numerator = &numerator[k..];
            }
        }
        for &f in numerator {
            let first = factors.is_empty();
            let tokens = self.operand(f, if first { Prec::Product } else { Prec::Unary });
            let prec = self.prec_of(f);
            factors.push((tokens, prec));
        }
        let lead_unary = factors.first().is_some_and(|(_, p)| *p == Prec::Unary);
        let mut denominator: Vec<TokenStream> = Vec::new();
        if c_den != 1 {
            denominator.push(self.value(c_den as f64).0);
        }
        for &(base, e) in &view.denominator {
            denominator.push(if e.is_one() {
                self.operand(base, Prec::Unary)
            } else {
                self.power(base, NodeId(u32::MAX), e).0
            });
        }
        if factors.len() == 1 && denominator.is_empty() {
            let (tokens, prec) = factors.pop().expect("one factor");
            return (tokens, prec, lead_unary);
        }
        let mut out = TokenStream::new();
        for (i, (f, _)) in factors.into_iter().enumerate() {
            if i > 0 {
                out.extend(quote!(*));
            }
            out.extend(f);
        }
        match denominator.len() {
            0 => {}
            1 => {
                out.extend(quote!(/));
                out.extend(denominator.pop());
            }
            _ => {
                let mut joined = TokenStream::new();
                for (i, t) in denominator.into_iter().enumerate() {
                    if i > 0 {
                        joined.extend(quote!(*));
                    }
                    joined.extend(t);
                }
                out.extend(quote!(/));
                out.extend(parens(joined));
            }
        }
        (out, Prec::Product, lead_unary)
    }

    /// A product of factors, `a * b * c`, with no coefficient (a shared product prefix).
    pub fn factors(&mut self, factors: &[NodeId]) -> TokenStream {
        let mut out = TokenStream::new();
        for (i, &f) in factors.iter().enumerate() {
            if i > 0 {
                out.extend(quote!(*));
            }
            out.extend(self.operand(f, if i == 0 { Prec::Product } else { Prec::Unary }));
        }
        out
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

    /// `base ^ exponent`; with `exponent == NodeId(u32::MAX)` the exponent is the rational
    /// `fixed` (a denominator's positive power).
    fn power(&mut self, base: NodeId, exponent: NodeId, fixed: Rational) -> (TokenStream, Prec) {
        let e = if exponent.0 == u32::MAX {
            Some(fixed)
        } else {
            self.dag.as_number(exponent)
        };
        let b = self.receiver(base);
        let call = match e {
            Some(e) if e.is_integer() && i32::try_from(e.numer()).is_ok() => {
                let n = Literal::i32_unsuffixed(e.numer() as i32);
                cat([b, quote!(.powi(#n))])
            }
            Some(e) if e == Rational::new(1, 2).expect("1/2") => cat([b, quote!(.sqrt())]),
            Some(e) => {
                let (v, _) = self.rational(e);
                cat([b, quote!(.powf), parens(v)])
            }
            None => {
                let v = self.operand(exponent, Prec::Sum);
                cat([b, quote!(.powf), parens(v)])
            }
        };
        (call, Prec::Postfix)
    }

    fn call(&mut self, func: Func, arg: NodeId) -> (TokenStream, Prec) {
        let method = |name: &str| Ident::new(name, proc_macro2::Span::call_site());
        let tokens = match func {
            Func::Exp | Func::Sqrt | Func::Sin | Func::Cos | Func::Tan | Func::Tanh | Func::Abs => {
                let r = self.receiver(arg);
                let m = method(func.name());
                cat([r, quote!(.#m())])
            }
            Func::Log => {
                let r = self.receiver(arg);
                cat([r, quote!(.ln())])
            }
            Func::Relu => {
                let r = self.receiver(arg);
                cat([r, quote!(.max(0.0))])
            }
            Func::Sigmoid | Func::Softplus | Func::Step | Func::Sign => {
                let name = self.helpers.use_(func);
                let a = self.operand(arg, Prec::Sum);
                cat([name.into_token_stream(), parens(a)])
            }
        };
        (tokens, Prec::Postfix)
    }
}

/// Whether a rational is exactly a binary floating-point number (its denominator a power of 2).
fn exact_in_binary(r: Rational) -> bool {
    let d = r.denom();
    d > 0 && d & (d - 1) == 0
}

/// The streams one after another, moved (a stream interpolated by `quote!` is copied).
fn cat<const N: usize>(parts: [TokenStream; N]) -> TokenStream {
    let mut out = TokenStream::new();
    out.extend(parts);
    out
}

fn parens(tokens: TokenStream) -> TokenStream {
    Group::new(Delimiter::Parenthesis, tokens).into_token_stream()
}
