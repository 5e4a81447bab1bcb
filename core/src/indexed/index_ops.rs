//! The index algebra the derivation needs: which indices are free in a formula, renaming free
//! indices without capturing a bound one, wrapping a formula in Σ, and moving the factors that
//! do not depend on a Σ's index out of it.
//!
//! Every walk respects binders: inside `Σ_k body`, `k` is bound, so renaming `k` outside leaves
//! the Σ alone, and renaming `j` to `k` outside first renames the Σ's own `k` apart (`k′`).

use super::model::{as_reduction, IndexedModel, Sub};
use crate::dag::{Node, NodeId, Symbol};
use crate::hash::FxHashMap;
use crate::op::Func;
use crate::rational::Rational;
use crate::simplify::Simplifier;

/// The indices free in `node`, in first-seen order. Iterative over the DAG; a Σ's body is
/// walked again for its own binder, which only nested reductions pay for.
pub(crate) fn free_indices(model: &IndexedModel, node: NodeId) -> Vec<Symbol> {
    let order = model.dag.reachable(&[node]);
    let mut free: FxHashMap<NodeId, Vec<Symbol>> = FxHashMap::default();
    for id in order {
        let mut here: Vec<Symbol> = Vec::new();
        let add = |s: Symbol, here: &mut Vec<Symbol>| {
            if !here.contains(&s) {
                here.push(s);
            }
        };
        match model.dag.node(id) {
            Node::Symbol(s) => {
                if let Some(e) = model.element(*s) {
                    for sub in &e.subs {
                        if let Sub::Index(i) = sub {
                            add(*i, &mut here);
                        }
                    }
                }
            }
            node => {
                let bound = as_reduction(&model.dag, id).map(|(_, index, _, _)| index);
                let children: &[NodeId] = match bound {
                    Some(_) => &node.children()[2..],
                    None => node.children(),
                };
                for child in children {
                    for &s in &free[child] {
                        if Some(s) != bound {
                            add(s, &mut here);
                        }
                    }
                }
            }
        }
        free.insert(id, here);
    }
    free.remove(&node).unwrap_or_default()
}

/// Renames the free indices of `node` by `map` (index to index), renaming bound indices apart
/// where a new name would be captured.
pub(crate) fn rename(
    model: &mut IndexedModel,
    node: NodeId,
    map: &FxHashMap<Symbol, Symbol>,
) -> NodeId {
    if map.iter().all(|(a, b)| a == b) {
        return node;
    }
    let subs: FxHashMap<Symbol, Sub> = map.iter().map(|(&a, &b)| (a, Sub::Index(b))).collect();
    substitute_indices(model, node, &subs)
}

/// `node` with its free indices set to fixed (1-based) positions: `h[j]` at `j = 2` is `h[2]`.
pub fn fix_indices(
    model: &mut IndexedModel,
    node: NodeId,
    positions: &[(Symbol, usize)],
) -> NodeId {
    let subs: FxHashMap<Symbol, Sub> = positions.iter().map(|&(i, p)| (i, Sub::Fixed(p))).collect();
    substitute_indices(model, node, &subs)
}

/// Replaces the free indices of `node` by `map`'s subscripts (another index or a fixed
/// position), renaming a Σ's own index apart where a new index name would be captured.
fn substitute_indices(
    model: &mut IndexedModel,
    node: NodeId,
    map: &FxHashMap<Symbol, Sub>,
) -> NodeId {
    let order = model.dag.reachable(&[node]);
    let mut image: FxHashMap<NodeId, NodeId> = FxHashMap::default();
    for id in order {
        let new = match model.dag.node(id).clone() {
            Node::Symbol(s) => match model.element(s).cloned() {
                Some(e) => {
                    let subs: Vec<Sub> = e
                        .subs
                        .iter()
                        .map(|sub| match sub {
                            Sub::Index(i) => *map.get(i).unwrap_or(sub),
                            fixed => *fixed,
                        })
                        .collect();
                    match (model.is_delta(e.array), subs.as_slice()) {
                        // δ[2,2] = 1, δ[1,2] = 0
                        (true, [Sub::Fixed(a), Sub::Fixed(b)]) => {
                            model.dag.integer(i64::from(a == b))
                        }
                        _ => {
                            let renamed = model.element_symbol(e.array, &subs);
                            model.dag.symbol_node(renamed)
                        }
                    }
                }
                None => id,
            },
            _ if as_reduction(&model.dag, id).is_some() => {
                let (func, index, extent, body) = as_reduction(&model.dag, id).expect("checked");
                // The Σ's own index is bound: it is not renamed inside, and a name the map
                // introduces must not be captured by it.
                let mut inner = map.clone();
                inner.remove(&index);
                // Only a renaming that puts a new name under the Σ captures: `j → k` around
                // `Σ_k z[k]` (no `j` inside) leaves the Σ as it is.
                let inside = free_indices(model, body);
                let captured = inner
                    .iter()
                    .any(|(a, v)| *v == Sub::Index(index) && inside.contains(a));
                let (index, inner) = if captured {
                    let mut taken: Vec<Symbol> = inner
                        .values()
                        .filter_map(|v| match v {
                            Sub::Index(i) => Some(*i),
                            Sub::Fixed(_) => None,
                        })
                        .collect();
                    taken.extend(all_indices(model, body));
                    let fresh = model.fresh_index(index, &taken);
                    inner.insert(index, Sub::Index(fresh));
                    (fresh, inner)
                } else {
                    (index, inner)
                };
                let new_body = substitute_indices(model, body, &inner);
                reduction(model, func, index, extent, new_body)
            }
            node => {
                let children: Vec<NodeId> = node.children().iter().map(|c| image[c]).collect();
                if children == node.children() {
                    id
                } else {
                    let rebuilt = node.with_children(children);
                    model.dag.intern(rebuilt)
                }
            }
        };
        image.insert(id, new);
    }
    image[&node]
}

/// The node `func_index body` (`Σ_k body`, `logsumexp_k body`).
pub(crate) fn reduction(
    model: &mut IndexedModel,
    func: Func,
    index: Symbol,
    extent: usize,
    body: NodeId,
) -> NodeId {
    let index = model.dag.symbol_node(index);
    let extent = model.dag.number(Rational::integer(extent as i64));
    model.dag.call(func, vec![index, extent, body])
}

/// `Σ_{indices} node`, the first index outermost, with every factor that does not depend on a
/// Σ's index moved out of it.
pub fn sum_over(model: &mut IndexedModel, indices: &[Symbol], node: NodeId) -> NodeId {
    let mut result = node;
    for &index in indices.iter().rev() {
        result = sum_hoisted(model, index, result);
    }
    result
}

/// `Σ_index body`, with the factors of a product body that do not depend on `index` in front.
fn sum_hoisted(model: &mut IndexedModel, index: Symbol, body: NodeId) -> NodeId {
    let extent = model.extent(index);
    let factors: Vec<NodeId> = match model.dag.node(body) {
        Node::Mul(f) => f.to_vec(),
        _ => vec![body],
    };
    let (inside, outside): (Vec<NodeId>, Vec<NodeId>) = factors
        .into_iter()
        .partition(|&f| free_indices(model, f).contains(&index));
    if inside.is_empty() {
        // Σ_k c = K·c
        let k = model.dag.integer(extent as i64);
        let mut all = vec![k];
        all.extend(outside);
        return model.dag.mul(all);
    }
    let inner = match inside.len() {
        1 => inside[0],
        _ => model.dag.mul(inside),
    };
    let sum = reduction(model, Func::Sum, index, extent, inner);
    if outside.is_empty() {
        return sum;
    }
    let mut all = outside;
    all.push(sum);
    model.dag.mul(all)
}

/// Moves factors out of every Σ in `node` that do not depend on its index (bottom-up).
pub(crate) fn hoist_all(model: &mut IndexedModel, node: NodeId) -> NodeId {
    let order = model.dag.reachable(&[node]);
    let mut image: FxHashMap<NodeId, NodeId> = FxHashMap::default();
    for id in order {
        let node_here = model.dag.node(id).clone();
        let children: Vec<NodeId> = node_here.children().iter().map(|c| image[c]).collect();
        let rebuilt = if children == node_here.children() {
            id
        } else {
            let n = node_here.with_children(children);
            model.dag.intern(n)
        };
        let new = match as_reduction(&model.dag, rebuilt) {
            Some((Func::Sum, index, _, body)) => sum_hoisted(model, index, body),
            _ => rebuilt,
        };
        image.insert(id, new);
    }
    image[&node]
}

/// Simplifies `node` with the factors that do not depend on a Σ's index moved out of it, and
/// the products that move creates merged into their parents.
pub fn tidy(model: &mut IndexedModel, simplifier: &mut Simplifier, node: NodeId) -> NodeId {
    // Each round moves factors out of one more level of nested Σ (a factor moved out of an
    // inner Σ lands in a product that the simplifier merges into the outer Σ's body); the
    // nesting depth bounds the rounds.
    // (A cap guards against a pair of rewrites that would undo each other.)
    let mut current = simplifier.run_one(&mut model.dag, node);
    current = bound_apart(model, current);
    for _ in 0..64 {
        let hoisted = hoist_all(model, current);
        let next = simplifier.run_one(&mut model.dag, hoisted);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// Renames every Σ whose index is also free in `node` (`u[m,k]·sigmoid(Σ_k u[m,k]·z[k])`) to a
/// fresh index (`Σ_k′`), so that a reader never sees one name in two roles. The value is
/// unchanged: a bound index can be renamed freely.
fn bound_apart(model: &mut IndexedModel, node: NodeId) -> NodeId {
    let free = free_indices(model, node);
    if free.is_empty() {
        return node;
    }
    let taken = all_indices(model, node);
    let order = model.dag.reachable(&[node]);
    let mut image: FxHashMap<NodeId, NodeId> = FxHashMap::default();
    for id in order {
        let here = model.dag.node(id).clone();
        let children: Vec<NodeId> = here.children().iter().map(|c| image[c]).collect();
        let rebuilt = if children == here.children() {
            id
        } else {
            let n = here.with_children(children);
            model.dag.intern(n)
        };
        let new = match as_reduction(&model.dag, rebuilt) {
            Some((func, index, extent, body)) if free.contains(&index) => {
                let fresh = model.fresh_index(index, &taken);
                let mut map = FxHashMap::default();
                map.insert(index, fresh);
                let body = rename(model, body, &map);
                reduction(model, func, fresh, extent, body)
            }
            _ => rebuilt,
        };
        image.insert(id, new);
    }
    image[&node]
}

/// Every index named in `node`, free or bound.
pub(crate) fn all_indices(model: &IndexedModel, node: NodeId) -> Vec<Symbol> {
    let mut out = Vec::new();
    model.dag.for_each_symbol_in(node, |s| {
        let indices: Vec<Symbol> = match model.element(s) {
            Some(e) => e
                .subs
                .iter()
                .filter_map(|sub| match sub {
                    Sub::Index(i) => Some(*i),
                    Sub::Fixed(_) => None,
                })
                .collect(),
            None if model.is_index(s) => vec![s],
            None => Vec::new(),
        };
        for i in indices {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    });
    out
}
