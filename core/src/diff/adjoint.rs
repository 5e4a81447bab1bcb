//! The factored form: adjoints accumulated backwards (reverse accumulation).
//!
//! `∂E/∂u = Σ over the users v of u of ∂E/∂v · ∂v/∂u`. By distributivity this equals the path
//! sum, but each adjoint refers to its users' adjoints by name, so the whole gradient has one
//! short formula per vertex: its size is linear in the number of edges, whatever the number of
//! paths. All generated code and all evaluation use this form.

use super::local::LocalPartials;
use super::symbol::{partial_symbol, Notation};
use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::depgraph::DepGraph;
use crate::hash::FxHashMap;
use crate::model::Model;
use crate::simplify::is_sum_of_fractions;

/// One adjoint `∂of/∂vertex`, named by its own symbol (`∂E/∂h1`).
#[derive(Clone, Debug)]
pub struct Adjoint {
    /// The vertex this is the adjoint of.
    pub vertex: Symbol,
    /// The adjoint's own name, used by later adjoints' formulas.
    pub symbol: Symbol,
    /// Its formula, in forward names and the adjoint symbols of the vertex's users.
    pub formula: NodeId,
}

impl Adjoint {
    /// This adjoint times a local partial, as a term of a user's adjoint: by the adjoint's name,
    /// or by its formula when that is no larger than the local partial alone (an alias, a
    /// number, or a cancellation such as cross-entropy through a sigmoid giving `y - y_t`).
    fn times(&self, model: &mut Model, locals: &mut LocalPartials, local: NodeId) -> NodeId {
        let dag = &mut model.dag;
        if matches!(dag.node(self.formula), Node::Symbol(_) | Node::Number(_)) {
            return dag.mul_slice(&[self.formula, local]);
        }
        // Times a bare name, the product can only shrink to one node if a factor of the formula
        // has that name as its base, or is a sum of fractions that cancellation may expand.
        // Otherwise (almost every edge into a weight or an input) the trial is skipped.
        let may_shrink = !matches!(dag.node(local), Node::Symbol(_))
            || may_cancel_with(dag, self.formula, local);
        if may_shrink {
            let inlined = dag.mul_slice(&[self.formula, local]);
            let inlined = locals.simplify(dag, inlined);
            if dag.size(inlined) <= dag.size(local) {
                return inlined;
            }
        }
        let by_name = dag.symbol_node(self.symbol);
        dag.mul_slice(&[by_name, local])
    }
}

/// Whether multiplying `expr` by the name `base` could cancel something: a factor of `expr`
/// (the whole of it, or one factor of a product) is `base`, alone or raised to a power, or is a
/// sum of fractions, which cancellation expands.
fn may_cancel_with(dag: &Dag, expr: NodeId, base: NodeId) -> bool {
    let may_cancel = |id: NodeId| {
        id == base
            || matches!(dag.node(id), Node::Pow([b, _]) if *b == base)
            || is_sum_of_fractions(dag, id)
    };
    match dag.node(expr) {
        Node::Mul(factors) => factors.iter().any(|&f| may_cancel(f)),
        _ => may_cancel(expr),
    }
}

/// The adjoints of one differentiated vertex, users before what they use (a backward order, so
/// evaluating them in order is a reverse sweep).
#[derive(Clone, Debug)]
pub struct Adjoints {
    /// The differentiated vertex.
    pub of: Symbol,
    /// Every adjoint on a path to one of the variables.
    pub entries: Vec<Adjoint>,
    /// Each vertex's entry, by symbol index (`NO_ENTRY` for a vertex without an adjoint).
    index: Vec<u32>,
}

/// `Adjoints::index`' mark for a vertex without an adjoint.
const NO_ENTRY: u32 = u32::MAX;

impl Adjoints {
    /// Accumulates the adjoints of `of` for every vertex on a path down to one of `wrt`.
    pub fn new(
        model: &mut Model,
        graph: &DepGraph,
        locals: &mut LocalPartials,
        of: Symbol,
        wrt: &[Symbol],
    ) -> Adjoints {
        let of_name = model.name_of(of).to_string();
        let on_paths = graph.on_paths(of, wrt);
        // By symbol index: whether a vertex is on a path, and (below) its adjoint's entry. Sized
        // for the graph's vertices too, should the graph come from a larger model.
        let symbols = (on_paths.iter().map(|s| s.index() + 1).max())
            .unwrap_or(0)
            .max(model.dag.symbol_count());
        let mut relevant = vec![false; symbols];
        for &u in &on_paths {
            relevant[u.index()] = true;
        }
        let mut adjoints = Adjoints {
            of,
            entries: Vec::with_capacity(on_paths.len()),
            index: vec![NO_ENTRY; symbols],
        };
        for &u in on_paths.iter().rev() {
            if u == of {
                continue;
            }
            let mut terms = Vec::with_capacity(graph.users(u).len());
            for &v in graph.users(u) {
                if !relevant.get(v.index()).copied().unwrap_or(false) {
                    continue;
                }
                let local = locals.get(model, v, u);
                let term = match adjoints.entry(v) {
                    Some(k) => adjoints.entries[k].times(model, locals, local),
                    None => local, // v is `of` itself: ∂of/∂of = 1
                };
                terms.push(term);
            }
            let sum = model.dag.add(terms);
            let formula = locals.simplify(&mut model.dag, sum);
            let name = partial_symbol(&of_name, model.name_of(u), Notation::Unicode);
            let symbol = model.dag.symbol_of(&name);
            adjoints.index[u.index()] = adjoints.entries.len() as u32;
            adjoints.entries.push(Adjoint {
                vertex: u,
                symbol,
                formula,
            });
        }
        adjoints
    }

    /// The adjoints the variables' formulas need, directly or through other adjoints (an
    /// adjoint inlined into all its users is not needed), in evaluation order.
    pub fn live(&self, wrt: &[Symbol], dag: &crate::dag::Dag) -> Vec<&Adjoint> {
        let by_symbol: FxHashMap<Symbol, usize> = self
            .entries
            .iter()
            .enumerate()
            .map(|(k, a)| (a.symbol, k))
            .collect();
        let mut live = vec![false; self.entries.len()];
        let mut stack: Vec<usize> = wrt.iter().filter_map(|&w| self.entry(w)).collect();
        while let Some(k) = stack.pop() {
            if std::mem::replace(&mut live[k], true) {
                continue;
            }
            dag.for_each_symbol_in(self.entries[k].formula, |s| {
                if let Some(&j) = by_symbol.get(&s) {
                    stack.push(j);
                }
            });
        }
        self.entries
            .iter()
            .zip(live)
            .filter_map(|(a, l)| l.then_some(a))
            .collect()
    }

    /// The adjoint of a vertex, if it lies on a path to a variable.
    pub fn get(&self, vertex: Symbol) -> Option<&Adjoint> {
        self.entry(vertex).map(|k| &self.entries[k])
    }

    /// The index in `entries` of a vertex's adjoint.
    fn entry(&self, vertex: Symbol) -> Option<usize> {
        match self.index.get(vertex.index()) {
            Some(&k) if k != NO_ENTRY => Some(k as usize),
            _ => None,
        }
    }

    /// The adjoints as assignments `(adjoint symbol, formula)` in evaluation order.
    pub fn assignments(&self) -> Vec<(Symbol, NodeId)> {
        self.entries.iter().map(|a| (a.symbol, a.formula)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_with_a_name_may_cancel_through_the_name_or_a_sum_of_fractions() {
        let mut dag = Dag::new();
        let (x, y) = (dag.node_named("x"), dag.node_named("y"));
        let two = dag.integer(2);
        let one = dag.integer(1);
        let over_x = dag.powi(x, -1);
        let two_over_x = dag.mul(vec![two, over_x]);
        let x_plus_1 = dag.add(vec![x, one]);
        let y_times_sum = dag.mul(vec![y, x_plus_1]);
        assert!(may_cancel_with(&dag, x, x));
        assert!(may_cancel_with(&dag, over_x, x));
        assert!(may_cancel_with(&dag, two_over_x, x));
        // `x` inside a plain sum is not a factor: a product with it keeps every factor.
        assert!(!may_cancel_with(&dag, x_plus_1, x));
        assert!(!may_cancel_with(&dag, y_times_sum, x));
        assert!(!may_cancel_with(&dag, two_over_x, y));
        // A sum holding a fraction may be expanded by cancellation, whatever the name.
        let over_y = dag.powi(y, -1);
        let fractions = dag.add(vec![one, over_y]);
        let times_fractions = dag.mul(vec![two, fractions]);
        assert!(may_cancel_with(&dag, fractions, x));
        assert!(may_cancel_with(&dag, times_fractions, x));
    }
}
