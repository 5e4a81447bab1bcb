//! The derivative of one expression with respect to one symbol, by the chain rule over the
//! expression's own DAG (forward accumulation inside a single right-hand side).
//!
//! Used for the local partial on each edge of the dependency graph: `∂h/∂s1` is the derivative
//! of `h`'s right-hand side with respect to the symbol `s1`, every other symbol held fixed.

use super::rules::partial;
use crate::dag::{Dag, Node, NodeId, Symbol};
use std::collections::HashMap;

/// `d expr / d wrt`, unsimplified. Iterative over the expression's nodes.
///
/// ```
/// use symdiff_core::{Dag, derivative, simplify, Text};
/// let mut dag = Dag::new();
/// let x = dag.symbol("x");
/// let cube = dag.powi(x, 3);
/// let x_symbol = dag.find_symbol("x").unwrap();
/// let d = derivative(&mut dag, cube, x_symbol);
/// let d = simplify(&mut dag, d);
/// assert_eq!(Text::new(&dag, d).to_string(), "3·x^2");
/// ```
pub fn derivative(dag: &mut Dag, expr: NodeId, wrt: Symbol) -> NodeId {
    let order = dag.reachable(&[expr]);
    let mut tangent: HashMap<NodeId, NodeId> = HashMap::new();
    for id in order {
        let node = dag.node(id).clone();
        if let Node::Symbol(s) = node {
            if s == wrt {
                tangent.insert(id, dag.integer(1));
            }
            continue;
        }
        let mut terms = Vec::new();
        for (i, child) in node.children().iter().enumerate() {
            if let Some(&d_child) = tangent.get(child) {
                let local = partial(dag, id, i);
                terms.push(dag.mul(vec![local, d_child]));
            }
        }
        match terms.len() {
            0 => {}
            1 => {
                tangent.insert(id, terms[0]);
            }
            _ => {
                tangent.insert(id, dag.add(terms));
            }
        }
    }
    match tangent.get(&expr) {
        Some(&d) => d,
        None => dag.integer(0),
    }
}
