//! Stable forms of an indexed model for evaluation: `log(p[k])` where `p[k] = exp(u)` (a
//! softmax written `exp(z[k] - logsumexp(m, z[m]))`) is evaluated as `u`, and `log(h[j])` where
//! `h[j] = sigmoid(s[j])` as `-softplus(-s[j])`, seen through the definition's name. So a
//! cross-entropy through a softmax stays finite at logits of ±1000, where `p[k]` rounds to 0
//! and `log(p[k])` would be `-inf`. Printed formulas keep the user's names; only the numbers
//! come from these forms.

use super::index_ops::rename;
use super::model::{IndexedModel, Sub};
use crate::dag::{Node, NodeId};
use crate::hash::FxHashMap;
use crate::op::Func;
use crate::simplify::Simplifier;

/// A copy of `model` whose bodies read `log(definition)` through the definition's own body,
/// simplified (`log(exp(u)) = u`, `log(sigmoid(u)) = -softplus(-u)`); `None` when no body
/// has such a `log`, so that the caller derives the model once.
pub(crate) fn stable_model(model: &IndexedModel) -> Option<IndexedModel> {
    let mut stable = model.clone();
    let mut simplifier = Simplifier::default();
    let mut any = false;
    let bodies: Vec<_> = stable
        .definitions()
        .iter()
        .map(|d| (d.symbol, d.body))
        .collect();
    for (symbol, body) in bodies {
        let order = stable.dag.reachable(&[body]);
        let mut changed = false;
        let mut replacements: FxHashMap<NodeId, NodeId> = FxHashMap::default();
        for id in order {
            let Node::Call(Func::Log, args) = stable.dag.node(id).clone() else {
                continue;
            };
            let Some(inner) = through_name(&mut stable, args[0]) else {
                continue;
            };
            let log = stable.dag.call(Func::Log, vec![inner]);
            replacements.insert(id, log);
            changed = true;
        }
        if changed {
            let rebuilt = stable
                .dag
                .rebuild(&[body], |_, id| replacements.get(&id).copied())[0];
            let simplified = simplifier.run_one(&mut stable.dag, rebuilt);
            stable.set_body(symbol, simplified);
            any = true;
        }
    }
    any.then_some(stable)
}

/// The body of the definition an element reference names, at the reference's indices, when
/// that body is an `exp` or a `sigmoid` (whose logarithm has a stable form).
fn through_name(model: &mut IndexedModel, reference: NodeId) -> Option<NodeId> {
    let symbol = model.dag.as_symbol(reference)?;
    let (array, subs) = match model.element(symbol) {
        Some(e) => (e.array, e.subs.clone()),
        None => (symbol, Vec::new()),
    };
    let definition = model.definition(array)?.clone();
    if !matches!(
        model.dag.node(definition.body),
        Node::Call(Func::Exp | Func::Sigmoid, _)
    ) {
        return None;
    }
    let mut map = FxHashMap::default();
    for (&own, sub) in definition.indices.iter().zip(&subs) {
        match *sub {
            Sub::Index(i) => {
                map.insert(own, i);
            }
            // A fixed element (`log(p[2])`) keeps its name.
            Sub::Fixed(_) => return None,
        }
    }
    Some(rename(model, definition.body, &map))
}
