//! Local partials on the edges of the dependency graph, written in the user's names.
//!
//! `∂h/∂s1` for `h = sigmoid(s1)` is derived from the right-hand side and then every
//! sub-expression that equals the right-hand side of a defined vertex is replaced by that
//! vertex's name ("name recovery"), so it reads `h·(1 - h)`, not `sigmoid(s1)·(1 - sigmoid(s1))`,
//! and generated code reuses the forward value instead of computing `exp` again.

use super::derivative::derivatives;
use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::hash::FxHashMap;
use crate::model::Model;
use crate::simplify::Simplifier;

/// `LocalPartials::ranges`' mark for a vertex whose partials are not derived yet.
const NOT_DERIVED: (u32, u32) = (u32::MAX, u32::MAX);

/// The cache of local partials of one model.
#[derive(Clone, Debug)]
pub struct LocalPartials {
    /// Right-hand sides (as written and simplified) mapped back to the vertex they define.
    names: FxHashMap<NodeId, Symbol>,
    simplifier: Simplifier,
    /// Each vertex's partials, by symbol index: a range of `partials` (`NOT_DERIVED` until
    /// they are).
    ranges: Vec<(u32, u32)>,
    /// `(used, ∂vertex/∂used)`, one vertex's after another's, each vertex's sorted by `used`:
    /// the partials of one sum are side by side, as the adjoints read them.
    partials: Vec<(Symbol, NodeId)>,
}

impl LocalPartials {
    /// Prepares name recovery for a model's definitions.
    pub fn new(model: &mut Model) -> LocalPartials {
        let mut simplifier = Simplifier::default();
        let mut names = FxHashMap::default();
        for (vertex, rhs) in model.definitions() {
            // A bare name or number is an alias, not a computation worth naming.
            if matches!(
                model.dag.node(rhs),
                Node::Symbol(_) | Node::Number(_) | Node::Float(_) | Node::Constant(_)
            ) {
                continue;
            }
            let simplified = simplifier.run_one(&mut model.dag, rhs);
            names.entry(rhs).or_insert(vertex);
            if !matches!(
                model.dag.node(simplified),
                Node::Symbol(_) | Node::Number(_)
            ) {
                names.entry(simplified).or_insert(vertex);
            }
        }
        LocalPartials {
            names,
            simplifier,
            ranges: Vec::new(),
            partials: Vec::new(),
        }
    }

    /// `∂vertex/∂used`, simplified and in the user's names.
    pub fn get(&mut self, model: &mut Model, vertex: Symbol, used: Symbol) -> NodeId {
        if self
            .ranges
            .get(vertex.index())
            .is_none_or(|&r| r == NOT_DERIVED)
        {
            self.derive_all(model, vertex);
        }
        let (from, to) = self.ranges[vertex.index()];
        let partials = &self.partials[from as usize..to as usize];
        match partials.binary_search_by_key(&used, |&(name, _)| name) {
            Ok(k) => partials[k].1,
            Err(_) => model.dag.integer(0),
        }
    }

    /// Every partial of `vertex`'s right-hand side at once, in one sweep over it.
    fn derive_all(&mut self, model: &mut Model, vertex: Symbol) {
        let rhs = model
            .vertex(vertex)
            .and_then(|v| v.definition)
            .expect("local partials exist only for defined vertices");
        let from = self.partials.len();
        for (name, raw) in derivatives(&mut model.dag, rhs) {
            // A bare name or number (a weight, an input: every partial of a weighted sum) has
            // nothing to recover or simplify.
            if matches!(model.dag.node(raw), Node::Symbol(_) | Node::Number(_)) {
                self.partials.push((name, raw));
                continue;
            }
            let named = self.recover_names(&mut model.dag, raw);
            let simplified = self.simplify(&mut model.dag, named);
            // A name or a number (a weight, an input: every partial of a weighted sum) is
            // final: no definition is a bare name or number.
            if matches!(
                model.dag.node(simplified),
                Node::Symbol(_) | Node::Number(_)
            ) {
                self.partials.push((name, simplified));
                continue;
            }
            let renamed = self.recover_names(&mut model.dag, simplified);
            let result = self.simplify(&mut model.dag, renamed);
            self.partials.push((name, result));
        }
        self.partials[from..].sort_unstable_by_key(|&(name, _)| name);
        let i = vertex.index();
        if i >= self.ranges.len() {
            self.ranges.resize(i + 1, NOT_DERIVED);
        }
        self.ranges[i] = (from as u32, self.partials.len() as u32);
    }

    /// Simplifies with the cache shared by all of this model's derivatives.
    pub fn simplify(&mut self, dag: &mut Dag, expr: NodeId) -> NodeId {
        self.simplifier.run_one(dag, expr)
    }

    /// Replaces sub-expressions equal to a definition's right-hand side by its name.
    fn recover_names(&self, dag: &mut Dag, expr: NodeId) -> NodeId {
        dag.rebuild(&[expr], |dag, id| {
            self.names.get(&id).map(|&s| dag.symbol_node(s))
        })[0]
    }
}
