//! Derivatives in index form: local partials on the edges of the template graph, adjoints
//! (`∂E/∂h[j] = Σ_k ∂E/∂z[k]·w2[k,j]`) and path templates (the slides' chains, one template
//! standing for as many paths as its Σ has terms).
//!
//! The template graph has one vertex per array or definition and one edge per element
//! reference: `z[k] = Σ_j w2[k,j]·h[j]` has an edge from `h` to `z` for the reference `h[j]`.
//! The local partial of a definition's body with respect to a reference is taken with the
//! reference's indices left free: differentiating `Σ_j w2[k,j]·h[j]` by `h[j]` gives `w2[k,j]`
//! for that `j` (the Kronecker delta of `∂h[j]/∂h[j′]` is eliminated by naming the element
//! after the reference). Composing edges renames the reference's indices to the target's
//! (`j` to the `j` of `∂E/∂h[j]`), renames every other index apart, and sums over the indices
//! of intermediate vertices that the target does not bind.

use super::index_ops::{free_indices, rename, sum_over, tidy};
use super::model::{as_reduction, IndexedModel, Sub};
use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::diff::{partial, partial_symbol, Notation};
use crate::hash::FxHashMap;
use crate::op::Func;
use crate::simplify::Simplifier;

/// The local partial of a definition's body with respect to one element reference in it.
#[derive(Clone, Debug)]
pub struct LocalPartial {
    /// The definition (the consumer).
    pub consumer: Symbol,
    /// The element reference as written in the body (`h[j]`).
    pub reference: Symbol,
    /// The array it refers to (`h`).
    pub array: Symbol,
    /// `∂consumer[indices]/∂reference`, simplified, in the user's names, free in the consumer's
    /// indices and the reference's.
    pub formula: NodeId,
}

/// One vertex's adjoint `∂E/∂v[K]` in factored form: a sum over its consumers.
#[derive(Clone, Debug)]
pub struct IndexedAdjoint {
    /// The vertex (a definition or a declared array).
    pub vertex: Symbol,
    /// The vertex's element named by its canonical indices (`h[j]`; the name for a scalar).
    pub element: Symbol,
    /// The adjoint's own element symbol (`∂E/∂h[j]`), as other adjoints refer to it.
    pub symbol: Symbol,
    /// The formula, referring to the consumers' adjoints.
    pub formula: NodeId,
}

/// One path template from a vertex to the loss: its chain and its product.
#[derive(Clone, Debug)]
pub struct PathTemplate {
    /// The chain's partial symbols, from the loss down to the target
    /// (`∂E/∂o[k]`, `∂o[k]/∂z[k]`, ...), as text.
    pub chain: Vec<String>,
    /// The local partial of each link, in the same order, renamed along the path.
    pub locals: Vec<NodeId>,
    /// The indices summed over (not bound by the target).
    pub sums: Vec<Symbol>,
    /// How many scalar paths the template stands for (the product of the sums' extents).
    pub paths: u128,
}

/// The derivation of an indexed model's loss: every local partial and adjoint.
#[derive(Clone, Debug)]
pub struct IndexedDerivation {
    /// The loss.
    pub of: Symbol,
    locals: Vec<LocalPartial>,
    adjoints: Vec<IndexedAdjoint>,
    canonical: FxHashMap<Symbol, Vec<Symbol>>,
}

impl IndexedDerivation {
    /// Derives the loss of `model` with respect to everything it depends on.
    pub fn new(model: &mut IndexedModel) -> IndexedDerivation {
        let of = model.loss().symbol;
        let canonical = canonical_indices(model);
        let mut simplifier = Simplifier::default();
        let locals = local_partials(model, &mut simplifier);
        let mut derivation = IndexedDerivation {
            of,
            locals,
            adjoints: Vec::new(),
            canonical,
        };
        derivation.adjoints = adjoints(model, &derivation, &mut simplifier);
        derivation
    }

    /// Every local partial, consumer by consumer in dependency order.
    pub fn locals(&self) -> &[LocalPartial] {
        &self.locals
    }

    /// The local partials of one consumer.
    pub fn locals_of(&self, consumer: Symbol) -> impl Iterator<Item = &LocalPartial> {
        self.locals.iter().filter(move |l| l.consumer == consumer)
    }

    /// Every adjoint, from the loss's consumers down to the params.
    pub fn adjoints(&self) -> &[IndexedAdjoint] {
        &self.adjoints
    }

    /// The adjoint of one vertex, when the loss depends on it.
    pub fn adjoint(&self, vertex: Symbol) -> Option<&IndexedAdjoint> {
        self.adjoints.iter().find(|a| a.vertex == vertex)
    }

    /// `formula` with every adjoint it refers to (`∂E/∂p[k′]`) replaced by that adjoint's own
    /// formula at those indices, until none is left: the closed form of a factored formula.
    /// Its size can grow with the number of paths; callers cap it as they cap path templates.
    pub fn inline_adjoints(&self, model: &mut IndexedModel, formula: NodeId) -> NodeId {
        let mut current = formula;
        // Each round replaces the adjoints of one level; the definitions' count bounds them.
        for _ in 0..=model.definitions().len() {
            let mut replacements: FxHashMap<Symbol, NodeId> = FxHashMap::default();
            for symbol in model.dag.symbols_in(current) {
                let Some(e) = model.element(symbol).cloned() else {
                    continue;
                };
                let Some(adjoint) = self
                    .adjoints
                    .iter()
                    .find(|a| model.element(a.symbol).map(|x| x.array) == Some(e.array))
                else {
                    continue;
                };
                let own = self.indices_of(adjoint.vertex).to_vec();
                let map: FxHashMap<Symbol, Symbol> = own
                    .iter()
                    .zip(&e.subs)
                    .filter_map(|(&o, sub)| match sub {
                        Sub::Index(i) => Some((o, *i)),
                        Sub::Fixed(_) => None,
                    })
                    .collect();
                let at = rename(model, adjoint.formula, &map);
                replacements.insert(symbol, at);
            }
            if replacements.is_empty() {
                break;
            }
            let map: std::collections::HashMap<Symbol, NodeId> = replacements.into_iter().collect();
            current = model.dag.substitute(current, &map);
        }
        current
    }

    /// The indices a vertex's elements are named by (`[j, i]` for `w1[j,i]`).
    pub fn indices_of(&self, vertex: Symbol) -> &[Symbol] {
        self.canonical.get(&vertex).map_or(&[], Vec::as_slice)
    }

    /// The number of path templates from `vertex` to the loss, counted without enumerating.
    pub fn template_count(&self, model: &IndexedModel, vertex: Symbol) -> u128 {
        let mut count: FxHashMap<Symbol, u128> = FxHashMap::default();
        count.insert(self.of, 1);
        for d in model.definitions().iter().rev() {
            let c = count.get(&d.symbol).copied().unwrap_or(0);
            if c == 0 {
                continue;
            }
            for local in self.locals_of(d.symbol) {
                let entry = count.entry(local.array).or_insert(0);
                *entry = entry.saturating_add(c);
            }
        }
        count.get(&vertex).copied().unwrap_or(0)
    }

    /// The path templates from `vertex` (named by its canonical indices) to the loss, each with
    /// its chain, its renamed local partials and the indices it sums over. Enumerates: call it
    /// only when [`IndexedDerivation::template_count`] is within the caller's cap.
    pub fn path_templates(&self, model: &mut IndexedModel, vertex: Symbol) -> Vec<PathTemplate> {
        let target: Vec<Symbol> = self.indices_of(vertex).to_vec();
        let mut out = Vec::new();
        let start = Walk {
            vertex,
            indices: target.clone(),
            used: target.clone(),
            chain: Vec::new(),
            locals: Vec::new(),
        };
        let mut stack = vec![start];
        while let Some(walk) = stack.pop() {
            if walk.vertex == self.of {
                let sums: Vec<Symbol> = walk
                    .used
                    .iter()
                    .copied()
                    .filter(|i| !target.contains(i))
                    .collect();
                let paths = sums
                    .iter()
                    .map(|&i| model.extent(i) as u128)
                    .fold(1u128, u128::saturating_mul);
                let mut chain = walk.chain;
                chain.reverse();
                let mut locals = walk.locals;
                locals.reverse();
                out.push(PathTemplate {
                    chain,
                    locals,
                    sums,
                    paths,
                });
                continue;
            }
            // Consumers in reverse so that the stack pops them in dependency order.
            let edges: Vec<&LocalPartial> = self
                .locals
                .iter()
                .filter(|l| l.array == walk.vertex)
                .collect();
            for local in edges.into_iter().rev() {
                stack.push(self.step(model, &walk, local));
            }
        }
        out
    }

    /// Extends a walk by one edge: the reference's indices renamed to the walk's, the
    /// consumer's other indices renamed apart from every index the walk has used.
    fn step(&self, model: &mut IndexedModel, walk: &Walk, local: &LocalPartial) -> Walk {
        let consumer_indices = self.indices_of(local.consumer).to_vec();
        let (map, deltas) = unify(model, local.reference, &walk.indices);
        let mut map = map;
        let mut used = walk.used.clone();
        for index in free_indices(model, local.formula)
            .into_iter()
            .chain(consumer_indices.iter().copied())
        {
            if map.contains_key(&index) {
                continue;
            }
            let name = if used.contains(&index) {
                model.fresh_index(index, &used)
            } else {
                index
            };
            map.insert(index, name);
            if !used.contains(&name) {
                used.push(name);
            }
        }
        let mut factor = rename(model, local.formula, &map);
        factor = with_deltas(model, factor, &deltas);
        let renamed: Vec<Symbol> = consumer_indices.iter().map(|i| map[i]).collect();
        let consumer_element = element_text(model, local.consumer, &renamed);
        let vertex_element = element_text(model, walk.vertex, &walk.indices);
        let link = format!("∂{consumer_element}/∂{vertex_element}");
        let mut chain = walk.chain.clone();
        chain.push(link);
        let mut locals = walk.locals.clone();
        locals.push(factor);
        Walk {
            vertex: local.consumer,
            indices: renamed,
            used,
            chain,
            locals,
        }
    }
}

/// A partial path from the target upwards.
#[derive(Clone)]
struct Walk {
    vertex: Symbol,
    indices: Vec<Symbol>,
    used: Vec<Symbol>,
    chain: Vec<String>,
    locals: Vec<NodeId>,
}

/// `name[i,j]` as text (the name alone for a scalar).
pub(crate) fn element_text(model: &IndexedModel, array: Symbol, indices: &[Symbol]) -> String {
    let mut text = model.dag.name(array).to_string();
    if !indices.is_empty() {
        let names: Vec<&str> = indices.iter().map(|&i| model.dag.name(i)).collect();
        text.push('[');
        text.push_str(&names.join(","));
        text.push(']');
    }
    text
}

/// The map renaming a reference's indices to the target's, and the fixed positions the
/// target's indices must equal (`x[2]` read as `x[i]` only where `i = 2`).
fn unify(
    model: &IndexedModel,
    reference: Symbol,
    target: &[Symbol],
) -> (FxHashMap<Symbol, Symbol>, Vec<(Symbol, usize)>) {
    let mut map = FxHashMap::default();
    let mut deltas = Vec::new();
    if let Some(e) = model.element(reference) {
        for (sub, &t) in e.subs.iter().zip(target) {
            match *sub {
                Sub::Index(i) => {
                    map.insert(i, t);
                }
                Sub::Fixed(p) => deltas.push((t, p)),
            }
        }
    }
    (map, deltas)
}

/// `factor · [i = p]·...`: the Kronecker factors of fixed references, as elements of the
/// model's `δ` array (1 where the index equals the position, else 0).
fn with_deltas(model: &mut IndexedModel, factor: NodeId, deltas: &[(Symbol, usize)]) -> NodeId {
    if deltas.is_empty() {
        return factor;
    }
    let mut factors = vec![factor];
    for &(index, position) in deltas {
        let delta = model.delta(index, position);
        factors.push(model.dag.symbol_node(delta));
    }
    model.dag.mul(factors)
}

/// Each vertex's canonical indices: a definition's left-hand side; a declared array's first
/// reference by distinct indices, else indices made for it.
fn canonical_indices(model: &mut IndexedModel) -> FxHashMap<Symbol, Vec<Symbol>> {
    let mut canonical: FxHashMap<Symbol, Vec<Symbol>> = FxHashMap::default();
    for d in model.definitions() {
        canonical.insert(d.symbol, d.indices.clone());
    }
    let bodies: Vec<NodeId> = model.definitions().iter().map(|d| d.body).collect();
    for body in bodies {
        for symbol in model.dag.symbols_in(body) {
            let Some(e) = model.element(symbol) else {
                continue;
            };
            if canonical.contains_key(&e.array) {
                continue;
            }
            let indices: Option<Vec<Symbol>> = e
                .subs
                .iter()
                .map(|s| match s {
                    Sub::Index(i) => Some(*i),
                    Sub::Fixed(_) => None,
                })
                .collect();
            if let Some(indices) = indices {
                canonical.insert(e.array, indices);
            }
        }
    }
    const NAMES: [&str; 6] = ["i", "j", "k", "l", "m", "n"];
    let arrays: Vec<(Symbol, Vec<usize>)> = model
        .arrays()
        .iter()
        .map(|a| (a.symbol, a.shape.clone()))
        .collect();
    for (array, shape) in arrays {
        canonical.entry(array).or_insert_with(|| {
            let made: Vec<Symbol> = shape
                .iter()
                .enumerate()
                .map(|(d, &extent)| model.index_variable(NAMES[d % NAMES.len()], extent))
                .collect();
            made
        });
    }
    canonical
}

/// The local partial of every definition's body with respect to every element reference in it.
fn local_partials(model: &mut IndexedModel, simplifier: &mut Simplifier) -> Vec<LocalPartial> {
    let names = recoverable_bodies(model, simplifier);
    let mut locals = Vec::new();
    let definitions: Vec<(Symbol, NodeId)> = model
        .definitions()
        .iter()
        .map(|d| (d.symbol, d.body))
        .collect();
    for (consumer, body) in definitions {
        let mut references: Vec<Symbol> = Vec::new();
        for s in model.dag.symbols_in(body) {
            if !model.is_index(s) && !references.contains(&s) {
                references.push(s);
            }
        }
        for reference in references {
            let array = model.element(reference).map_or(reference, |e| e.array);
            let raw = tangent(model, body, reference);
            let named = recover(&mut model.dag, &names, raw);
            let simplified = simplifier.run_one(&mut model.dag, named);
            let named = recover(&mut model.dag, &names, simplified);
            let formula = tidy(model, simplifier, named);
            locals.push(LocalPartial {
                consumer,
                reference,
                array,
                formula,
            });
        }
    }
    locals
}

/// Bodies (as written and simplified) mapped to the element that names them (`h[j]`), also
/// under every renaming of their indices to other indices of the same extents (`p[l]` for
/// `exp(z[l] - logsumexp_l(...))`), so that a derivative that meets a definition at other
/// indices reads its name too.
fn recoverable_bodies(
    model: &mut IndexedModel,
    simplifier: &mut Simplifier,
) -> FxHashMap<NodeId, Symbol> {
    /// Renamings tried per definition at most (a rank-2 body over 20 indices of one extent
    /// has 400); past it only the body as written is recovered.
    const MAX_RENAMINGS: usize = 1024;
    let mut names = FxHashMap::default();
    let definitions: Vec<(Symbol, Vec<Symbol>, NodeId)> = model
        .definitions()
        .iter()
        .map(|d| (d.symbol, d.indices.clone(), d.body))
        .collect();
    let all: Vec<Symbol> = model.index_symbols();
    for (symbol, indices, body) in definitions {
        if matches!(
            model.dag.node(body),
            Node::Symbol(_) | Node::Number(_) | Node::Float(_) | Node::Constant(_)
        ) {
            continue;
        }
        let mut tuples: Vec<Vec<Symbol>> = vec![Vec::new()];
        for &own in &indices {
            let same: Vec<Symbol> = all
                .iter()
                .copied()
                .filter(|&i| model.extent(i) == model.extent(own))
                .collect();
            tuples = tuples
                .into_iter()
                .flat_map(|t| {
                    same.iter()
                        .filter(|i| !t.contains(i))
                        .map(|&i| {
                            let mut u = t.clone();
                            u.push(i);
                            u
                        })
                        .collect::<Vec<_>>()
                })
                .take(MAX_RENAMINGS)
                .collect();
        }
        tuples.sort_by_key(|t| t != &indices); // the body as written first
        for tuple in tuples {
            let map: FxHashMap<Symbol, Symbol> =
                indices.iter().copied().zip(tuple.iter().copied()).collect();
            let renamed = rename(model, body, &map);
            let subs: Vec<Sub> = tuple.iter().map(|&i| Sub::Index(i)).collect();
            let element = model.element_symbol(symbol, &subs);
            names.entry(renamed).or_insert(element);
            let simplified = simplifier.run_one(&mut model.dag, renamed);
            if !matches!(
                model.dag.node(simplified),
                Node::Symbol(_) | Node::Number(_)
            ) {
                names.entry(simplified).or_insert(element);
            }
        }
    }
    names
}

fn recover(dag: &mut Dag, names: &FxHashMap<NodeId, Symbol>, expr: NodeId) -> NodeId {
    dag.rebuild(&[expr], |dag, id| {
        names.get(&id).map(|&s| dag.symbol_node(s))
    })[0]
}

/// `∂body/∂reference` with the reference's indices left free: a Σ over one of the reference's
/// own indices disappears (its Kronecker delta picks the one term), any other Σ stays around
/// the derivative of its body. Forward accumulation in topological order, as
/// [`crate::derivative`], with that one rule for reductions.
fn tangent(model: &mut IndexedModel, body: NodeId, reference: Symbol) -> NodeId {
    let own: Vec<Symbol> = match model.element(reference) {
        Some(e) => e
            .subs
            .iter()
            .filter_map(|s| match s {
                Sub::Index(i) => Some(*i),
                Sub::Fixed(_) => None,
            })
            .collect(),
        None => Vec::new(),
    };
    let order = model.dag.reachable(&[body]);
    let mut tangents: FxHashMap<NodeId, NodeId> = FxHashMap::default();
    for id in order {
        let node = model.dag.node(id).clone();
        if let Node::Symbol(s) = node {
            if s == reference {
                tangents.insert(id, model.dag.integer(1));
            }
            continue;
        }
        if let Some((func, index, extent, inner)) = as_reduction(&model.dag, id) {
            let Some(&d_inner) = tangents.get(&inner) else {
                continue;
            };
            let local = partial(&mut model.dag, id, 2);
            let product = match func {
                Func::Sum => d_inner,
                _ => model.dag.mul_slice(&[local, d_inner]),
            };
            let result = if own.contains(&index) {
                product
            } else {
                super::index_ops::reduction(model, Func::Sum, index, extent, product)
            };
            tangents.insert(id, result);
            continue;
        }
        let mut terms = Vec::new();
        for (i, child) in node.children().iter().enumerate() {
            if let Some(&d_child) = tangents.get(child) {
                let local = partial(&mut model.dag, id, i);
                terms.push(model.dag.mul_slice(&[local, d_child]));
            }
        }
        match terms.len() {
            0 => {}
            1 => {
                tangents.insert(id, terms[0]);
            }
            _ => {
                let sum = model.dag.add(terms);
                tangents.insert(id, sum);
            }
        }
    }
    match tangents.get(&body) {
        Some(&d) => d,
        None => model.dag.integer(0),
    }
}

/// One consumer's term of a vertex's adjoint: `∂E/∂consumer[..]·(local partial)` with the
/// reference's indices renamed to the target's, the consumer's others renamed apart, and a Σ
/// over those the target does not bind.
fn adjoint_term(
    model: &mut IndexedModel,
    local: &LocalPartial,
    upstream: Option<Symbol>,
    target: &[Symbol],
    simplifier: &mut Simplifier,
) -> NodeId {
    let (mut map, deltas) = unify(model, local.reference, target);
    let mut factors = Vec::new();
    if let Some(a) = upstream {
        factors.push(model.dag.symbol_node(a));
    }
    factors.push(local.formula);
    let product = model.dag.mul(factors);
    let mut taken = target.to_vec();
    for index in free_indices(model, product) {
        if map.contains_key(&index) {
            continue;
        }
        let name = if taken.contains(&index) {
            model.fresh_index(index, &taken)
        } else {
            index
        };
        map.insert(index, name);
        taken.push(name);
    }
    let renamed = rename(model, product, &map);
    let renamed = with_deltas(model, renamed, &deltas);
    let sums: Vec<Symbol> = free_indices(model, renamed)
        .into_iter()
        .filter(|i| !target.contains(i))
        .collect();
    let simplified = simplifier.run_one(&mut model.dag, renamed);
    sum_over(model, &sums, simplified)
}

/// The adjoint of every vertex the loss depends on, in factored form, loss side first.
fn adjoints(
    model: &mut IndexedModel,
    derivation: &IndexedDerivation,
    simplifier: &mut Simplifier,
) -> Vec<IndexedAdjoint> {
    let of = derivation.of;
    let of_name = model.dag.name(of).to_string();
    let mut vertices: Vec<Symbol> = model
        .definitions()
        .iter()
        .rev()
        .map(|d| d.symbol)
        .filter(|&s| s != of)
        .collect();
    vertices.extend(model.arrays().iter().map(|a| a.symbol));
    let mut out: Vec<IndexedAdjoint> = Vec::new();
    let mut adjoint_element: FxHashMap<Symbol, Symbol> = FxHashMap::default();
    for vertex in vertices {
        let target = derivation.indices_of(vertex).to_vec();
        let mut terms = Vec::new();
        for local in derivation.locals.iter().filter(|l| l.array == vertex) {
            let upstream = if local.consumer == of {
                None
            } else {
                match adjoint_element.get(&local.consumer) {
                    Some(&a) => Some(a),
                    None => continue, // the loss does not depend on this consumer
                }
            };
            terms.push(adjoint_term(model, local, upstream, &target, simplifier));
        }
        if terms.is_empty() {
            continue;
        }
        let sum = model.dag.add(terms);
        let formula = tidy(model, simplifier, sum);
        let subs: Vec<Sub> = target.iter().map(|&i| Sub::Index(i)).collect();
        let element = model.element_symbol(vertex, &subs);
        let vertex_name = model.dag.name(vertex).to_string();
        let pseudo = partial_symbol(&of_name, &vertex_name, Notation::Unicode);
        let pseudo = model.dag.symbol_of(&pseudo);
        let symbol = model.element_symbol(pseudo, &subs);
        adjoint_element.insert(vertex, symbol);
        out.push(IndexedAdjoint {
            vertex,
            element,
            symbol,
            formula,
        });
    }
    out
}
