//! An indexed network unrolled into scalars: one vertex per element (`w1[2,1]`, 1-based, as a
//! person types it), every Σ written out term by term. The scalar engine then derives it as
//! any other network, which is what the agreement tests compare the index form against, and
//! what `graph --unroll` draws for small sizes.

use super::model::{as_reduction, IndexedModel, Sub};
use crate::dag::{Node, NodeId, Symbol};
use crate::hash::FxHashMap;
use crate::model::{Model, ModelBuilder, ModelError, Role};
use crate::op::Func;

/// The scalar name of an element: `w1[2,1]` for 0-based `[1, 0]`; the name alone for a scalar.
///
/// ```
/// assert_eq!(symdiff_core::indexed::element_name("w1", &[1, 0]), "w1[2,1]");
/// assert_eq!(symdiff_core::indexed::element_name("c", &[]), "c");
/// ```
pub fn element_name(array: &str, at: &[usize]) -> String {
    if at.is_empty() {
        return array.to_string();
    }
    let positions: Vec<String> = at.iter().map(|k| (k + 1).to_string()).collect();
    format!("{array}[{}]", positions.join(","))
}

/// Every 0-based position of an array of this shape, row-major (one empty position for a
/// scalar).
pub fn positions(shape: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for &extent in shape {
        out = out
            .into_iter()
            .flat_map(|p| {
                (0..extent).map(move |k| {
                    let mut q = p.clone();
                    q.push(k);
                    q
                })
            })
            .collect();
    }
    out
}

/// The same network in scalars. Param initial values are not carried over (the caller has the
/// values it wants to compare at).
pub fn unroll(model: &IndexedModel) -> Result<Model, ModelError> {
    let mut b = ModelBuilder::network(model.name());
    for array in model.arrays() {
        for at in positions(&array.shape) {
            let name = element_name(model.dag.name(array.symbol), &at);
            b.declare(&name, array.role, None)?;
        }
    }
    for d in model.definitions() {
        let extents: Vec<usize> = d.indices.iter().map(|&i| model.extent(i)).collect();
        for at in positions(&extents) {
            let env: FxHashMap<Symbol, usize> =
                d.indices.iter().copied().zip(at.iter().copied()).collect();
            let rhs = instantiate(model, &mut b, d.body, &env);
            let name = element_name(model.dag.name(d.symbol), &at);
            let role = match d.role {
                // Only a scalar output stays the output; an array's elements are intermediates.
                Role::Output if !d.indices.is_empty() => Role::Intermediate,
                role => role,
            };
            b.define(&name, role, rhs)?;
        }
    }
    b.finish()
}

/// `node` with its free indices set by `env`, built in the scalar model's DAG. Σ becomes a sum
/// of its terms, logsumexp `log(Σ exp(...))`.
fn instantiate(
    model: &IndexedModel,
    b: &mut ModelBuilder,
    node: NodeId,
    env: &FxHashMap<Symbol, usize>,
) -> NodeId {
    let order = model.dag.reachable(&[node]);
    let mut image: FxHashMap<NodeId, NodeId> = FxHashMap::default();
    for id in order {
        if let Some((func, index, extent, body)) = as_reduction(&model.dag, id) {
            let mut inner = env.clone();
            let mut terms = Vec::with_capacity(extent);
            for k in 0..extent {
                inner.insert(index, k);
                let term = instantiate(model, b, body, &inner);
                terms.push(match func {
                    Func::Sum => term,
                    _ => b.dag.call(Func::Exp, vec![term]),
                });
            }
            let sum = match terms.len() {
                0 => b.dag.integer(0),
                1 => terms[0],
                _ => b.dag.add(terms),
            };
            let new = match func {
                Func::Sum => sum,
                _ => b.dag.call(Func::Log, vec![sum]),
            };
            image.insert(id, new);
            continue;
        }
        let new = match model.dag.node(id) {
            Node::Symbol(s) => match model.element(*s) {
                Some(e) if model.is_delta(e.array) => {
                    let (Sub::Index(i), Sub::Fixed(p)) = (e.subs[0], e.subs[1]) else {
                        unreachable!("a delta is [index, position]")
                    };
                    b.dag
                        .integer(i64::from(env.get(&i).copied() == Some(p - 1)))
                }
                Some(e) => {
                    let at: Vec<usize> = e
                        .subs
                        .iter()
                        .map(|sub| match *sub {
                            Sub::Index(i) => env.get(&i).copied().unwrap_or(0),
                            Sub::Fixed(p) => p - 1,
                        })
                        .collect();
                    let name = element_name(model.dag.name(e.array), &at);
                    b.dag.node_named(&name)
                }
                None => {
                    let name = model.dag.name(*s).to_string();
                    b.dag.node_named(&name)
                }
            },
            Node::Number(r) => b.dag.number(*r),
            Node::Float(bits) => b.dag.float(f64::from_bits(*bits)),
            Node::Constant(c) => b.dag.constant(*c),
            node => {
                let children: Vec<NodeId> = node.children().iter().map(|c| image[c]).collect();
                let rebuilt = node.with_children(children);
                b.dag.intern(rebuilt)
            }
        };
        image.insert(id, new);
    }
    image[&node]
}
