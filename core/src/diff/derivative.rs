//! The derivative of one expression with respect to one symbol, by the chain rule over the
//! expression's own DAG (forward accumulation inside a single right-hand side).
//!
//! Used for the local partial on each edge of the dependency graph: `∂h/∂s1` is the derivative
//! of `h`'s right-hand side with respect to the symbol `s1`, every other symbol held fixed.

use super::rules::partial;
use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::hash::FxHashMap;
use smallvec::SmallVec;

/// `d expr / d wrt`, unsimplified. Iterative over the expression's nodes.
///
/// ```
/// use symdiff_core::{Dag, derivative, simplify, Text};
/// let mut dag = Dag::new();
/// let x = dag.node_named("x");
/// let cube = dag.powi(x, 3);
/// let x_symbol = dag.find_symbol("x").unwrap();
/// let d = derivative(&mut dag, cube, x_symbol);
/// let d = simplify(&mut dag, d);
/// assert_eq!(Text::new(&dag, d).to_string(), "3·x^2");
/// ```
pub fn derivative(dag: &mut Dag, expr: NodeId, wrt: Symbol) -> NodeId {
    let order = dag.reachable(&[expr]);
    let mut tangent: FxHashMap<NodeId, NodeId> = FxHashMap::default();
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
                terms.push(dag.mul_slice(&[local, d_child]));
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

/// The derivative of `expr` with respect to every symbol it uses, unsimplified, in the order
/// the symbols are first mentioned. One backward sweep over the expression (reverse accumulation
/// inside a single right-hand side), so a sum of `n` terms over `n` names costs `O(n)`, not the
/// `O(n²)` of one [`derivative`] per name. Iterative.
///
/// ```
/// use symdiff_core::{Dag, derivatives, simplify, Text};
/// let mut dag = Dag::new();
/// let (x, y) = (dag.node_named("x"), dag.node_named("y"));
/// let xy = dag.mul(vec![x, y]);
/// let all = derivatives(&mut dag, xy);
/// let shown: Vec<String> = all
///     .iter()
///     .map(|&(s, d)| {
///         let d = simplify(&mut dag, d);
///         format!("{}: {}", dag.name(s), Text::new(&dag, d))
///     })
///     .collect();
/// assert_eq!(shown, ["x: y", "y: x"]);
/// ```
pub fn derivatives(dag: &mut Dag, expr: NodeId) -> Vec<(Symbol, NodeId)> {
    let order = dag.reachable(&[expr]);
    let one = dag.integer(1);
    // The terms of each node's adjoint so far (most nodes have one user in an expression).
    let mut pending: FxHashMap<NodeId, SmallVec<[NodeId; 2]>> =
        FxHashMap::with_capacity_and_hasher(order.len(), Default::default());
    pending.insert(expr, smallvec::smallvec![one]);
    let mut found: FxHashMap<Symbol, NodeId> =
        FxHashMap::with_capacity_and_hasher(order.len(), Default::default());
    for &id in order.iter().rev() {
        let Some(mut terms) = pending.remove(&id) else {
            continue;
        };
        // Users are visited from the last built to the first: restore source order.
        terms.reverse();
        let adjoint = match terms.as_slice() {
            [one] => *one,
            _ => dag.add_slice(&terms),
        };
        if let Node::Symbol(s) = *dag.node(id) {
            found.insert(s, adjoint);
            continue;
        }
        for i in 0..dag.node(id).children().len() {
            let child = dag.node(id).children()[i];
            if matches!(
                dag.node(child),
                Node::Number(_) | Node::Float(_) | Node::Constant(_)
            ) {
                continue;
            }
            let local = partial(dag, id, i);
            // A factor 1 is left out (exactly what simplifying does first): the partials of a
            // weighted sum come out as bare names, which need no simplifying at all.
            let term = match (adjoint == one, local == one) {
                (true, _) => local,
                (false, true) => adjoint,
                (false, false) => dag.mul_slice(&[adjoint, local]),
            };
            pending.entry(child).or_default().push(term);
        }
    }
    dag.symbols_in(expr)
        .into_iter()
        .map(|s| (s, found.get(&s).copied().unwrap_or_else(|| dag.integer(0))))
        .collect()
}
