//! Numerically stable forms of a model's definitions, for evaluation and generated code.
//!
//! Cross-entropy through a sigmoid is computed from the logit: where a definition takes
//! `log(y)` or `log(1 - y)` of `y = sigmoid(s)` (a vertex so defined, or the call itself), the
//! evaluated form is `-softplus(-s)` or `-softplus(s)`. Both are the same function on the whole
//! real line, but the stable form stays finite for `s = ±1000`, where `sigmoid(s)` rounds to
//! exactly 0 or 1 and `log` would give `-inf` (and `0·(-inf)` NaN).
//!
//! The definitions the user reads (`explain`, `grad`) are not touched; only what is evaluated.

use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::model::Model;
use crate::op::Func;
use crate::rational::Rational;
use std::collections::HashMap;

/// The model's definitions, in evaluation order, with cross-entropy computed from logits.
pub fn stable_definitions(model: &mut Model) -> Vec<(Symbol, NodeId)> {
    let definitions = model.definitions();
    let logit_of: HashMap<Symbol, NodeId> = definitions
        .iter()
        .filter_map(|&(s, rhs)| match model.dag.node(rhs) {
            Node::Call(Func::Sigmoid, args) => Some((s, args[0])),
            _ => None,
        })
        .collect();
    definitions
        .into_iter()
        .map(|(s, rhs)| {
            let stable = model
                .dag
                .rebuild(&[rhs], |dag, id| stable_log(dag, id, &logit_of))[0];
            (s, stable)
        })
        .collect()
}

/// `-softplus(∓s)` for `log(sigmoid(s))` and `log(1 - sigmoid(s))`; `None` for anything else.
fn stable_log(dag: &mut Dag, id: NodeId, logit_of: &HashMap<Symbol, NodeId>) -> Option<NodeId> {
    let Node::Call(Func::Log, args) = dag.node(id) else {
        return None;
    };
    let x = args[0];
    let softplus_argument = if let Some(s) = logit(dag, x, logit_of) {
        dag.neg(s) // log(sigmoid(s)) = -softplus(-s)
    } else {
        one_minus(dag, x).and_then(|y| logit(dag, y, logit_of))? // log(1 - sigmoid(s)) = -softplus(s)
    };
    let softplus = dag.call(Func::Softplus, vec![softplus_argument]);
    Some(dag.neg(softplus))
}

/// The logit `s` of `sigmoid(s)`, or of a vertex defined as `sigmoid(s)`.
fn logit(dag: &Dag, x: NodeId, logit_of: &HashMap<Symbol, NodeId>) -> Option<NodeId> {
    match dag.node(x) {
        Node::Call(Func::Sigmoid, args) => Some(args[0]),
        Node::Symbol(s) => logit_of.get(s).copied(),
        _ => None,
    }
}

/// `y` when `x` is `1 - y` (as `1 + (-1)·y`).
fn one_minus(dag: &Dag, x: NodeId) -> Option<NodeId> {
    let Node::Add(terms) = dag.node(x) else {
        return None;
    };
    let [one, minus_y] = terms.as_ref() else {
        return None;
    };
    if dag.as_number(*one) != Some(Rational::ONE) {
        return None;
    }
    match dag.node(*minus_y) {
        Node::Mul(f) if f.len() == 2 && dag.as_number(f[0]) == Some(Rational::MINUS_ONE) => {
            Some(f[1])
        }
        _ => None,
    }
}
