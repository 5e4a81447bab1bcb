//! The path form: the sum, over every path from the output down to the variable, of the product
//! of the local partials along the path — the lecture's "differentiate along each path, then Σ".
//!
//! Paths are enumerated only when their number (counted first, by dynamic programming) is within
//! a cap: this form is for reading, and generated code never relies on it.

use super::local::LocalPartials;
use crate::dag::{NodeId, Symbol};
use crate::depgraph::DepGraph;
use crate::hash::{FxHashMap, FxHashSet};
use crate::model::Model;

/// How many paths a derivative may have and still be enumerated, unless told otherwise: the
/// CLI's `--max-paths` default and the cap of the formulas in generated rustdoc.
pub const DEFAULT_MAX_PATHS: u128 = 16;

/// The enumerated paths of one derivative and their sum.
#[derive(Clone, Debug)]
pub struct PathSum {
    /// Each path as its vertices, from the differentiated vertex down to the variable.
    pub paths: Vec<Vec<Symbol>>,
    /// Each path's product of local partials, simplified.
    pub products: Vec<NodeId>,
    /// The sum of the products, simplified.
    pub formula: NodeId,
}

/// The path sum of `∂of/∂wrt`, or `None` when there are more than `max_paths` paths
/// (`path_count` is their number, from [`DepGraph::count_paths`] or
/// [`DepGraph::path_counts_from`]).
pub fn path_sum(
    model: &mut Model,
    graph: &DepGraph,
    locals: &mut LocalPartials,
    (of, wrt): (Symbol, Symbol),
    path_count: u128,
    max_paths: u128,
) -> Option<PathSum> {
    if path_count > max_paths {
        return None;
    }
    let paths = enumerate(graph, of, wrt);
    let mut products = Vec::with_capacity(paths.len());
    for path in &paths {
        let factors: Vec<NodeId> = path
            .windows(2)
            .map(|edge| locals.get(model, edge[0], edge[1]))
            .collect();
        let product = model.dag.mul(factors);
        products.push(locals.simplify(&mut model.dag, product));
    }
    let sum = model.dag.add(products.clone());
    let formula = locals.simplify(&mut model.dag, sum);
    Some(PathSum {
        paths,
        products,
        formula,
    })
}

/// Every path from `of` down to `wrt`, following each definition's uses in the order they are
/// first mentioned. Iterative depth-first search, visiting only vertices that reach `wrt` (found
/// by walking up from `wrt` through its users, so the cost is that of the paths' neighbourhood,
/// not of the whole graph). Private: only [`path_sum`] calls it, after the count is within the
/// cap.
fn enumerate(graph: &DepGraph, of: Symbol, wrt: Symbol) -> Vec<Vec<Symbol>> {
    // Walk up from `wrt` through its users: the vertices that reach it, and for each the edges
    // down to them, in the order the user mentions them.
    let mut below: FxHashMap<Symbol, Vec<Symbol>> = FxHashMap::default();
    let mut seen: FxHashSet<Symbol> = FxHashSet::default();
    seen.insert(wrt);
    let mut stack = vec![wrt];
    while let Some(u) = stack.pop() {
        if u == of {
            continue;
        }
        for &v in graph.users(u) {
            below.entry(v).or_default().push(u);
            if seen.insert(v) {
                stack.push(v);
            }
        }
    }
    if !seen.contains(&of) {
        return Vec::new();
    }
    for (&v, children) in below.iter_mut() {
        children.sort_by_key(|&u| graph.use_index(v, u));
    }
    let mut paths = Vec::new();
    let mut path = vec![of];
    let mut next_child = vec![0usize];
    while let Some(&vertex) = path.last() {
        if vertex == wrt {
            paths.push(path.clone());
            path.pop();
            next_child.pop();
            continue;
        }
        let i = next_child.last_mut().expect("one cursor per path vertex");
        match below.get(&vertex).and_then(|c| c.get(*i)) {
            Some(&u) => {
                *i += 1;
                path.push(u);
                next_child.push(0);
            }
            None => {
                path.pop();
                next_child.pop();
            }
        }
    }
    paths
}
