//! What a body binds to a name of its own before use: subexpressions printed more than once
//! or nested too deep to print inline, and product prefixes that begin two or more products.
//!
//! The DAG is hash-consed, so a subexpression used twice is one node with two parents: counting
//! parent edges over all the statements of a body finds them.

use super::names::Var;
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::fraction;
use crate::hash::{FxHashMap, FxHashSet};
use crate::marks::{with_marks, Marks};

/// The shared prefix each product begins with, by the product.
type PrefixOf = FxHashMap<NodeId, Vec<NodeId>>;

/// Inline expressions deeper than this are split with a `let`.
const MAX_INLINE_HEIGHT: usize = 32;

/// Leaves, and the negation of a leaf: cheaper to repeat than to name.
pub(super) fn is_trivial(dag: &Dag, id: NodeId) -> bool {
    match dag.node(id) {
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => true,
        Node::Mul(factors) => {
            factors.len() == 2
                && dag
                    .as_number(factors[0])
                    .is_some_and(|c| c == crate::rational::Rational::MINUS_ONE)
                && factors[1..]
                    .iter()
                    .all(|&f| matches!(dag.node(f), Node::Symbol(_) | Node::Constant(_)))
        }
        Node::Add(_) | Node::Pow(_) | Node::Call(..) => false,
    }
}

/// All but the last factor above the bar, of a product with at least three there: the part
/// `d_g * t1` that `d_g * t1 * h1`, `d_g * t1 * h2`... have in common.
pub(super) fn proper_prefix(dag: &Dag, id: NodeId) -> Option<Vec<NodeId>> {
    match dag.node(id) {
        // The numerator is some of the factors: fewer than three factors, fewer there.
        Node::Mul(factors) if factors.len() >= 3 => {
            let mut numerator = fraction(dag, id).numerator;
            (numerator.len() >= 3).then(|| {
                numerator.pop();
                numerator
            })
        }
        _ => None,
    }
}

/// The factors of a product that is nothing but a product of two or more of them (no
/// coefficient, nothing below the bar): a node that can stand for a shared prefix.
pub(super) fn whole_product(dag: &Dag, id: NodeId) -> Option<&[NodeId]> {
    match dag.node(id) {
        Node::Mul(factors)
            if factors.len() >= 2
                && dag.as_number(factors[0]).is_none()
                && factors.iter().all(|&f| !is_reciprocal(dag, f)) =>
        {
            Some(factors)
        }
        _ => None,
    }
}

fn is_reciprocal(dag: &Dag, id: NodeId) -> bool {
    matches!(dag.node(id), Node::Pow([_, e]) if dag.as_number(*e).is_some_and(|e| e.is_negative()))
}

/// What a body binds to a name of its own before use.
pub(super) struct Sharing {
    /// Non-trivial nodes printed more than once (or nested too deep to print inline).
    pub nodes: FxHashSet<NodeId>,
    /// Products of factors that begin two or more products (`d_g * t1` in `d_g * t1 * h1`
    /// and `d_g * t1 * h2`), or begin one and are a node of their own (`d_b = d_g * t1`):
    /// bound once, so each use costs one multiplication, as in hand-written backprop.
    pub prefixes: FxHashSet<Vec<NodeId>>,
    /// The shared prefix each product begins with, for the products that begin with one.
    pub prefix_of: PrefixOf,
    /// Every node the body prints (the non-trivial nodes under its statements), ascending.
    pub expanded: Vec<NodeId>,
}

/// The nodes and product prefixes a body binds (see [`Sharing`]).
pub(super) fn sharing(dag: &Dag, statements: &[(Var, NodeId)]) -> Sharing {
    let (order, mut shared) = count_parents(dag, statements);
    bound_inline_height(dag, &order, &mut shared);
    let (prefixes, prefix_of) = shared_prefixes(dag, &order);
    Sharing {
        nodes: shared,
        prefixes,
        prefix_of,
        expanded: order,
    }
}

/// The non-trivial nodes under the statements, ascending, and those with two or more parent
/// edges. Parent edges are counted in stamped marks (a stamp's value), not hash maps: a body
/// has a node per operation.
fn count_parents(dag: &Dag, statements: &[(Var, NodeId)]) -> (Vec<NodeId>, FxHashSet<NodeId>) {
    with_marks(|refs| {
        let mut order = Vec::new();
        let count = |refs: &mut Marks, id: NodeId| {
            let n = refs.get(id).unwrap_or(0);
            refs.set(id, n + 1);
            n == 0
        };
        for &(_, root) in statements {
            if is_trivial(dag, root) || !count(refs, root) {
                continue;
            }
            order.push(root);
            let mut stack = refs.stack(&[root]);
            while let Some(id) = stack.pop() {
                for &c in dag.node(id).children() {
                    if !is_trivial(dag, c) && count(refs, c) {
                        order.push(c);
                        stack.push(c);
                    }
                }
            }
            refs.done_with(stack);
        }
        order.sort_unstable();
        let shared: FxHashSet<NodeId> = order
            .iter()
            .copied()
            .filter(|&id| refs.get(id).is_some_and(|n| n >= 2))
            .collect();
        (order, shared)
    })
}

/// Marks as shared every node whose inline expression would be taller than
/// [`MAX_INLINE_HEIGHT`]; children have smaller ids, so one ascending sweep suffices.
fn bound_inline_height(dag: &Dag, order: &[NodeId], shared: &mut FxHashSet<NodeId>) {
    with_marks(|height| {
        for &id in order {
            let h = 1 + dag
                .node(id)
                .children()
                .iter()
                .filter(|c| !shared.contains(c))
                .filter_map(|&c| height.get(c))
                .max()
                .unwrap_or(0);
            if h as usize > MAX_INLINE_HEIGHT {
                shared.insert(id);
                height.set(id, 1);
            } else {
                height.set(id, h);
            }
        }
    });
}

/// The product prefixes used twice or more, and the prefix each product begins with. A
/// prefix's uses: the products that begin with it, and the node that is the product itself.
fn shared_prefixes(dag: &Dag, order: &[NodeId]) -> (FxHashSet<Vec<NodeId>>, PrefixOf) {
    let users: Vec<(NodeId, Vec<NodeId>)> = order
        .iter()
        .filter_map(|&id| Some((id, proper_prefix(dag, id)?)))
        .collect();
    let mut uses: FxHashMap<&[NodeId], usize> = FxHashMap::default();
    for (_, prefix) in &users {
        *uses.entry(prefix).or_default() += 1;
    }
    if !uses.is_empty() {
        for &id in order {
            if let Some(count) = whole_product(dag, id).and_then(|whole| uses.get_mut(whole)) {
                *count += 1;
            }
        }
    }
    let prefixes: FxHashSet<Vec<NodeId>> = uses
        .into_iter()
        .filter(|&(_, n)| n >= 2)
        .map(|(key, _)| key.to_vec())
        .collect();
    let prefix_of = users
        .into_iter()
        .filter(|(_, prefix)| prefixes.contains(prefix))
        .collect();
    (prefixes, prefix_of)
}
