//! Simplification: an explicit pipeline ending in a canonical form.
//!
//! One bottom-up sweep over the DAG (ascending ids, so children are already canonical when a
//! parent is visited) rebuilds each node through the pass for its operation:
//!
//! ```text
//! Add  -> collect::sum      flatten, fold numbers, collect like terms (c·x + d·x = (c+d)·x)
//! Mul  -> collect::product  flatten, fold numbers, combine powers (x·x^2 = x^3), drop 1·
//!      -> cancel::cancel    a sum of fractions among the factors: expand, cancel, re-factor
//!                           (refactor.rs divides the product's own sums back out), kept only
//!                           when smaller ((-t/y + (1-t)/(1-y))·y·(1-y) = y - t)
//! Pow  -> fold::power       x^0 = 1, x^1 = x, exact rational powers, (x^a)^n, (x·y)^n
//! Call -> identities::call  exact values at rational points, and the identity table
//! ```
//!
//! The result is deterministic: terms and factors keep the order of their first occurrence
//! (which follows the chain rule from the output back to the variable, as the lecture writes
//! it), and like terms are found by sorted node ids, never by hash order. Products are never
//! expanded over sums, so `-(y_t - y)` keeps the shape the loss produced; the one exception is
//! `cancel`, which expands only when fractions cancel and the result is smaller.
//!
//! ```
//! use symdiff_core::{Dag, simplify, Text};
//! let mut dag = Dag::new();
//! let x = dag.node_named("x");
//! let zero = dag.integer(0);
//! let one = dag.integer(1);
//! let x1 = dag.mul(vec![one, x]);
//! let sum = dag.add(vec![x1, zero, x]);
//! let s = simplify(&mut dag, sum);
//! assert_eq!(Text::new(&dag, s).to_string(), "2·x");
//! ```

mod cancel;
mod canonical;
mod collect;
mod fold;
mod identities;
mod refactor;

pub(crate) use cancel::is_sum_of_fractions;
pub use canonical::is_canonical;

use crate::dag::{Dag, Node, NodeId};
use crate::hash::FxHashMap;
use crate::marks::with_marks;

/// Simplifies one expression.
pub fn simplify(dag: &mut Dag, root: NodeId) -> NodeId {
    Simplifier::default().run_one(dag, root)
}

/// A simplifier that remembers what it has simplified, so that many expressions over one DAG
/// (all local partials of a model, all adjoints) are simplified in time linear in the DAG.
#[derive(Default, Debug, Clone)]
pub struct Simplifier {
    memo: Memo,
    /// The simplified children of the node at hand (a buffer reused from node to node).
    children: Vec<NodeId>,
}

impl Simplifier {
    /// Simplifies every root, reusing earlier work.
    pub fn run(&mut self, dag: &mut Dag, roots: &[NodeId]) -> Vec<NodeId> {
        if let [root] = roots {
            return vec![self.run_one(dag, *root)];
        }
        let todo = reachable_unmemoized(dag, roots, &self.memo);
        self.simplify_in_order(dag, todo);
        roots
            .iter()
            .map(|&r| self.memo.get(r).expect("simplified"))
            .collect()
    }

    /// Simplifies one root, reusing earlier work: [`Simplifier::run`] for a single expression.
    ///
    /// ```
    /// use symdiff_core::{Dag, Simplifier, Text};
    /// let mut dag = Dag::new();
    /// let x = dag.node_named("x");
    /// let twice = dag.add(vec![x, x]);
    /// let mut simplifier = Simplifier::default();
    /// let s = simplifier.run_one(&mut dag, twice);
    /// assert_eq!(Text::new(&dag, s).to_string(), "2·x");
    /// ```
    pub fn run_one(&mut self, dag: &mut Dag, root: NodeId) -> NodeId {
        if let Some(done) = self.memo.get(root) {
            return done;
        }
        // Most calls simplify one new node over simplified children (an adjoint's term): no
        // walk needed.
        if self.children_done(dag, root) {
            self.simplify_in_order(dag, [root]);
        } else {
            let todo = reachable_unmemoized(dag, &[root], &self.memo);
            self.simplify_in_order(dag, todo);
        }
        self.memo.get(root).expect("simplified")
    }

    /// Simplifies `todo`, each node after its children (ascending ids).
    fn simplify_in_order(&mut self, dag: &mut Dag, todo: impl IntoIterator<Item = NodeId>) {
        let mut children = std::mem::take(&mut self.children);
        for id in todo {
            children.clear();
            children.extend(
                dag.node(id)
                    .children()
                    .iter()
                    .map(|&c| self.memo.get(c).expect("children first")),
            );
            let simplified = canonical_node(dag, id, &children);
            debug_assert!(
                is_canonical(dag, simplified),
                "simplify produced a non-canonical node: {:?}",
                dag.node(simplified)
            );
            self.memo.insert(id, simplified);
            self.memo.insert(simplified, simplified);
        }
        self.children = children;
    }

    fn children_done(&self, dag: &Dag, id: NodeId) -> bool {
        dag.node(id)
            .children()
            .iter()
            .all(|&c| self.memo.get(c).is_some())
    }
}

/// What each node simplifies to. A simplifier that lives as long as a derivation memoizes
/// most of the DAG: a table indexed by node id (ids are dense). A one-off [`simplify`] of a
/// small expression in a large DAG memoizes a few nodes with large ids: a hash map, so that its
/// cost stays that of the expression. The table grows only when the insertions so far are at
/// least 1/8 of its new length (a key inserted twice counts twice: an estimate of its fill).
#[derive(Default, Debug, Clone)]
struct Memo {
    dense: Vec<u32>,
    sparse: FxHashMap<NodeId, NodeId>,
    insertions: usize,
}

impl Memo {
    const NONE: u32 = u32::MAX;

    fn get(&self, id: NodeId) -> Option<NodeId> {
        match self.dense.get(id.0 as usize) {
            Some(&s) if s != Memo::NONE => Some(NodeId(s)),
            Some(_) => None,
            None => self.sparse.get(&id).copied(),
        }
    }

    fn insert(&mut self, id: NodeId, simplified: NodeId) {
        let i = id.0 as usize;
        self.insertions += 1;
        if i >= self.dense.len() {
            let len = (i + 1).next_power_of_two();
            if self.insertions * 8 < len {
                self.sparse.insert(id, simplified);
                return;
            }
            self.dense.resize(len, Memo::NONE);
            let dense = &mut self.dense;
            self.sparse
                .retain(|&k, &mut v| match dense.get_mut(k.0 as usize) {
                    Some(slot) => {
                        *slot = v.0;
                        false
                    }
                    None => true,
                });
        }
        self.dense[i] = simplified.0;
    }
}

/// The nodes under `roots` not yet simplified, children first. Iterative.
fn reachable_unmemoized(dag: &Dag, roots: &[NodeId], memo: &Memo) -> Vec<NodeId> {
    let mut out = with_marks(|seen| {
        let mut stack = seen.stack(roots);
        let mut out = Vec::new();
        while let Some(id) = stack.pop() {
            if memo.get(id).is_some() || !seen.insert(id) {
                continue;
            }
            out.push(id);
            stack.extend_from_slice(dag.node(id).children());
        }
        seen.done_with(stack);
        out
    });
    out.sort_unstable();
    out
}

/// The canonical form of node `id` with its children replaced by `children` (canonical).
fn canonical_node(dag: &mut Dag, id: NodeId, children: &[NodeId]) -> NodeId {
    match *dag.node(id) {
        // A leaf is its own canonical form.
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => id,
        Node::Add(_) => collect::sum(dag, children),
        Node::Mul(_) => {
            let product = collect::product(dag, children);
            cancel::cancel(dag, product)
        }
        Node::Pow(_) => fold::power(dag, children[0], children[1]),
        Node::Call(func, _) => identities::call(dag, func, children),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_stays_a_map_for_a_few_large_ids_and_becomes_a_table_when_dense() {
        let mut memo = Memo::default();
        memo.insert(NodeId(1_000_000), NodeId(7));
        memo.insert(NodeId(999_999), NodeId(1_000_000));
        assert!(
            memo.dense.is_empty(),
            "two entries do not buy a million slots"
        );
        for k in 0..100 {
            memo.insert(NodeId(k), NodeId(k + 1));
        }
        assert_eq!(memo.dense.len(), 128);
        assert_eq!(memo.sparse.len(), 2, "small ids moved into the table");
        assert_eq!(memo.get(NodeId(1_000_000)), Some(NodeId(7)));
        assert_eq!(memo.get(NodeId(999_999)), Some(NodeId(1_000_000)));
        assert_eq!(memo.get(NodeId(42)), Some(NodeId(43)));
        assert_eq!(memo.get(NodeId(100)), None);
        assert_eq!(memo.get(NodeId(5_000_000)), None);
    }
}
