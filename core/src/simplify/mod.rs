//! Simplification: an explicit pipeline ending in a canonical form.
//!
//! One bottom-up sweep over the DAG (ascending ids, so children are already canonical when a
//! parent is visited) rebuilds each node through the pass for its operation:
//!
//! ```text
//! Add  -> collect::sum      flatten, fold numbers, collect like terms (c·x + d·x = (c+d)·x)
//! Mul  -> collect::product  flatten, fold numbers, combine powers (x·x^2 = x^3), drop 1·
//!      -> cancel::cancel    a sum of fractions among the factors: expand, cancel, re-factor,
//!                           kept only when smaller ((-t/y + (1-t)/(1-y))·y·(1-y) = y - t)
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
//! let x = dag.symbol("x");
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

pub use canonical::is_canonical;

use crate::dag::{Dag, Node, NodeId};
use crate::hash::{FxHashMap, FxHashSet};

/// Simplifies one expression.
pub fn simplify(dag: &mut Dag, root: NodeId) -> NodeId {
    Simplifier::default().run(dag, &[root])[0]
}

/// A simplifier that remembers what it has simplified, so that many expressions over one DAG
/// (all local partials of a model, all adjoints) are simplified in time linear in the DAG.
#[derive(Default, Debug, Clone)]
pub struct Simplifier {
    memo: FxHashMap<NodeId, NodeId>,
}

impl Simplifier {
    /// Simplifies every root, reusing earlier work.
    pub fn run(&mut self, dag: &mut Dag, roots: &[NodeId]) -> Vec<NodeId> {
        let todo: Vec<NodeId> = {
            let memo = &self.memo;
            reachable_unmemoized(dag, roots, memo)
        };
        for id in todo {
            let node = dag.node(id).clone();
            let children: Vec<NodeId> = node.children().iter().map(|c| self.memo[c]).collect();
            let simplified = canonical_node(dag, node.with_children(children));
            debug_assert!(
                is_canonical(dag, simplified),
                "simplify produced a non-canonical node: {:?}",
                dag.node(simplified)
            );
            self.memo.insert(id, simplified);
            self.memo.insert(simplified, simplified);
        }
        roots.iter().map(|r| self.memo[r]).collect()
    }
}

/// The nodes under `roots` not yet simplified, children first. Iterative.
fn reachable_unmemoized(
    dag: &Dag,
    roots: &[NodeId],
    memo: &FxHashMap<NodeId, NodeId>,
) -> Vec<NodeId> {
    let mut seen = FxHashSet::default();
    let mut stack: Vec<NodeId> = roots.to_vec();
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if memo.contains_key(&id) || !seen.insert(id) {
            continue;
        }
        out.push(id);
        stack.extend_from_slice(dag.node(id).children());
    }
    out.sort_unstable();
    out
}

/// The canonical form of one node whose children are canonical.
fn canonical_node(dag: &mut Dag, node: Node) -> NodeId {
    match node {
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => dag.intern(node),
        Node::Add(terms) => collect::sum(dag, &terms),
        Node::Mul(factors) => {
            let product = collect::product(dag, &factors);
            cancel::cancel(dag, product)
        }
        Node::Pow([base, exponent]) => fold::power(dag, base, exponent),
        Node::Call(func, args) => identities::call(dag, func, &args),
    }
}
