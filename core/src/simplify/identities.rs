//! Function identities and exact values, in one table.
//!
//! Every row holds on the function's whole domain: it never changes a value where the original
//! expression is defined, and it never turns an undefined value into a defined one. That is why
//! `exp(log(x)) = x` is NOT here (it would define `x <= 0`), while `log(exp(x)) = x` is.
//!
//! # Domain policy
//!
//! The rows of this table keep the domain. The rest of the simplifier (collecting like terms
//! and powers, cancelling) may *extend* it, never change a value inside it: `x/x = 1`,
//! `0·log(x) = 0`, `log(x) - log(x) = 0`, `sqrt(x)^2 = x` (read `sqrt(x)^2` as `x^(1/2·2)`) and
//! `(x^(3/2))^2 = x^3` are all simplified, and the simplified formula has a value where the
//! original has none. So values are computed from the definitions as written (in their stable
//! forms, `crate::stable_definitions`), which carry the original domain, and where the
//! differentiated vertex has no value the gradient is reported as undefined too, with the
//! reason (`crate::undefined_reason`), however finite its simplified formula would be.

use crate::dag::{Dag, Node, NodeId};
use crate::op::{Constant, Func};
use crate::rational::Rational;

/// The canonical call of a function on canonical arguments.
pub(super) fn call(dag: &mut Dag, func: Func, args: &[NodeId]) -> NodeId {
    if let [x] = args {
        if let Some(value) = exact_value(dag, func, *x) {
            return dag.number(value);
        }
        if let Some(simpler) = identity(dag, func, *x) {
            return simpler;
        }
    }
    dag.call(func, args.to_vec())
}

/// Exact rational values of functions at rational (or constant) points.
fn exact_value(dag: &Dag, func: Func, x: NodeId) -> Option<Rational> {
    if func == Func::Log && matches!(dag.node(x), Node::Constant(Constant::E)) {
        return Some(Rational::ONE); //                    log(e) = 1
    }
    let r = dag.as_number(x)?;
    let zero = r.is_zero();
    match func {
        Func::Exp | Func::Cos if zero => Some(Rational::ONE), // exp(0) = cos(0) = 1
        Func::Sin | Func::Tan | Func::Tanh if zero => Some(Rational::ZERO), // odd, 0 at 0
        Func::Log if r.is_one() => Some(Rational::ZERO),      // log(1) = 0
        Func::Sigmoid if zero => Rational::new(1, 2),         // 1/(1 + e^0)
        Func::Relu => Some(r.max(Rational::ZERO)),            // max(r, 0)
        Func::Abs => Some(if r.is_negative() { r.checked_neg()? } else { r }),
        Func::Step => Some(if r > Rational::ZERO {
            Rational::ONE
        } else {
            Rational::ZERO
        }),
        Func::Sign => Some(Rational::integer(r.numer().signum())),
        Func::Sqrt => exact_sqrt(r), // only perfect squares
        Func::Exp
        | Func::Log
        | Func::Sin
        | Func::Cos
        | Func::Tan
        | Func::Tanh
        | Func::Sigmoid
        | Func::Softplus
        | Func::Sum
        | Func::LogSumExp => None,
    }
}

fn exact_sqrt(r: Rational) -> Option<Rational> {
    if r.is_negative() {
        return None;
    }
    let root = |n: i64| {
        let s = (n as f64).sqrt().round() as i64;
        (s.checked_mul(s) == Some(n)).then_some(s)
    };
    Rational::new(root(r.numer())?, root(r.denom())?)
}

/// Rewrites of a function applied to a particular form.
fn identity(dag: &mut Dag, func: Func, x: NodeId) -> Option<NodeId> {
    let inner = dag.node(x).clone();
    match (func, inner) {
        // log(exp(u)) = u: exp is positive everywhere and log inverts it.
        (Func::Log, Node::Call(Func::Exp, a)) => Some(a[0]),
        // log(e^u) = u: the same, written as a power of e.
        (Func::Log, Node::Pow([b, u])) if matches!(dag.node(b), Node::Constant(Constant::E)) => {
            Some(u)
        }
        // log(sigmoid(u)) = -softplus(-u): the same value, without log(0) when e^-u overflows.
        (Func::Log, Node::Call(Func::Sigmoid, a)) => {
            let minus_u = negate(dag, a[0]);
            let softplus = dag.call(Func::Softplus, vec![minus_u]);
            Some(negate(dag, softplus))
        }
        // log(1 - sigmoid(u)) = -softplus(u), since 1 - sigmoid(u) = sigmoid(-u).
        (Func::Log, Node::Add(terms)) if one_minus_sigmoid(dag, &terms).is_some() => {
            let u = one_minus_sigmoid(dag, &terms)?;
            let softplus = dag.call(Func::Softplus, vec![u]);
            Some(negate(dag, softplus))
        }
        // sqrt(u^2) = |u| for every real u (itself simplified: |sigmoid(v)| = sigmoid(v)).
        (Func::Sqrt, Node::Pow([u, two])) if dag.as_number(two) == Some(Rational::integer(2)) => {
            Some(call(dag, Func::Abs, &[u]))
        }
        // Idempotent functions: f(f(u)) = f(u).
        (Func::Abs, Node::Call(Func::Abs, _))
        | (Func::Relu, Node::Call(Func::Relu, _))
        | (Func::Step, Node::Call(Func::Step, _))
        | (Func::Sign, Node::Call(Func::Sign, _)) => Some(x),
        // |u| of a value that is never negative.
        (Func::Abs, Node::Call(Func::Exp | Func::Sigmoid | Func::Relu | Func::Softplus, _)) => {
            Some(x)
        }
        _ => None,
    }
}

/// `-x` in canonical form.
fn negate(dag: &mut Dag, x: NodeId) -> NodeId {
    let minus_one = dag.integer(-1);
    super::collect::product(dag, &[minus_one, x])
}

/// `u` when the terms are `1 - sigmoid(u)` (in either order).
fn one_minus_sigmoid(dag: &Dag, terms: &[NodeId]) -> Option<NodeId> {
    let [a, b] = terms else { return None };
    let (one, rest) = if dag.as_number(*a) == Some(Rational::ONE) {
        (*a, *b)
    } else {
        (*b, *a)
    };
    if dag.as_number(one) != Some(Rational::ONE) {
        return None;
    }
    match dag.node(rest) {
        Node::Mul(f) if f.len() == 2 && dag.as_number(f[0]) == Some(Rational::MINUS_ONE) => {
            match dag.node(f[1]) {
                Node::Call(Func::Sigmoid, a) => Some(a[0]),
                _ => None,
            }
        }
        _ => None,
    }
}
