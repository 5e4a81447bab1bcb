//! A function body as straight-line `let` bindings, with every common subexpression bound once.
//!
//! The DAG is hash-consed, so a subexpression used twice is one node with two parents. Counting
//! parent edges over all the statements of a body finds them: a node with two or more is bound
//! to a `let t0 = ...` just before its first use (or, when it is a statement's whole right-hand
//! side, to that statement's name), and later uses read the name. Nodes nested deeper than a
//! bound are bound too, so printing never recurses deeply.

use super::expr::ExprWriter;
use super::names::Names;
use super::{Float, Helpers};
use crate::dag::{Dag, Node, NodeId};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::{HashMap, HashSet};

/// Inline expressions deeper than this are split with a `let`.
const MAX_INLINE_HEIGHT: usize = 32;

/// `let NAME = EXPR;` for each statement in order, with shared subexpressions bound once: one
/// `(name bound, tokens)` per `let`, the `t0` temporaries included.
pub(super) fn bindings(
    dag: &Dag,
    statements: &[(Ident, NodeId)],
    names: &mut Names,
    float: Float,
    helpers: &mut Helpers,
) -> Vec<(Ident, TokenStream)> {
    let shared = shared_nodes(dag, statements);
    let mut bound: HashMap<NodeId, Ident> = HashMap::new();
    let mut out = Vec::new();
    let mut temps = 0usize;
    for (name, root) in statements {
        for t in temps_needed(dag, *root, &shared, &bound) {
            let temp = names.fresh(&format!("t{temps}"));
            temps += 1;
            let expr = print(dag, names, float, helpers, &bound, t);
            out.push((temp.clone(), let_statement(dag, &temp, t, expr, float)));
            bound.insert(t, temp);
        }
        let expr = match bound.get(root) {
            Some(existing) if !is_trivial(dag, *root) => quote!(#existing),
            _ => print(dag, names, float, helpers, &bound, *root),
        };
        out.push((name.clone(), let_statement(dag, name, *root, expr, float)));
        if shared.contains(root) && !bound.contains_key(root) {
            bound.insert(*root, name.clone());
        }
    }
    out
}

fn print(
    dag: &Dag,
    names: &Names,
    float: Float,
    helpers: &mut Helpers,
    bound: &HashMap<NodeId, Ident>,
    id: NodeId,
) -> TokenStream {
    let symbols = |s| names.ident(s);
    ExprWriter {
        dag,
        float,
        symbols: &symbols,
        bound,
        helpers,
    }
    .top(id)
}

/// `let name = expr;`, with the type written out when nothing else would fix it (a constant).
fn let_statement(
    dag: &Dag,
    name: &Ident,
    root: NodeId,
    expr: TokenStream,
    float: Float,
) -> TokenStream {
    if dag.symbols_in(root).is_empty() {
        let ty = float.ty();
        quote!(let #name: #ty = #expr;)
    } else {
        quote!(let #name = #expr;)
    }
}

/// Leaves, and the negation of a leaf: cheaper to repeat than to name.
fn is_trivial(dag: &Dag, id: NodeId) -> bool {
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

/// The non-trivial nodes printed more than once (or nested too deep to print inline).
fn shared_nodes(dag: &Dag, statements: &[(Ident, NodeId)]) -> HashSet<NodeId> {
    let mut refs: HashMap<NodeId, usize> = HashMap::new();
    let mut expanded: HashSet<NodeId> = HashSet::new();
    for &(_, root) in statements {
        if is_trivial(dag, root) {
            continue;
        }
        *refs.entry(root).or_default() += 1;
        let mut stack = vec![root];
        if !expanded.insert(root) {
            continue;
        }
        while let Some(id) = stack.pop() {
            for &c in dag.node(id).children() {
                if is_trivial(dag, c) {
                    continue;
                }
                *refs.entry(c).or_default() += 1;
                if expanded.insert(c) {
                    stack.push(c);
                }
            }
        }
    }
    let mut shared: HashSet<NodeId> = refs
        .iter()
        .filter(|&(_, &n)| n >= 2)
        .map(|(&id, _)| id)
        .collect();
    // Bound the height of what is printed inline; children have smaller ids.
    let mut order: Vec<NodeId> = expanded.into_iter().collect();
    order.sort_unstable();
    let mut height: HashMap<NodeId, usize> = HashMap::new();
    for id in order {
        let h = 1 + dag
            .node(id)
            .children()
            .iter()
            .filter(|c| !shared.contains(c))
            .filter_map(|c| height.get(c))
            .max()
            .copied()
            .unwrap_or(0);
        if h > MAX_INLINE_HEIGHT {
            shared.insert(id);
            height.insert(id, 1);
        } else {
            height.insert(id, h);
        }
    }
    shared
}

/// The shared nodes inside `root` not yet bound, children first.
fn temps_needed(
    dag: &Dag,
    root: NodeId,
    shared: &HashSet<NodeId>,
    bound: &HashMap<NodeId, Ident>,
) -> Vec<NodeId> {
    if bound.contains_key(&root) {
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut stack = vec![root];
    let mut out = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) || (id != root && bound.contains_key(&id)) {
            continue;
        }
        if id != root && shared.contains(&id) {
            out.push(id);
        }
        stack.extend(
            dag.node(id)
                .children()
                .iter()
                .filter(|&&c| !is_trivial(dag, c)),
        );
    }
    out.sort_unstable();
    out
}
