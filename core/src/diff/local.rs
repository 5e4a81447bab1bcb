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

/// The cache of local partials of one model.
#[derive(Clone, Debug)]
pub struct LocalPartials {
    /// Right-hand sides (as written and simplified) mapped back to the vertex they define.
    names: FxHashMap<NodeId, Symbol>,
    simplifier: Simplifier,
    cache: FxHashMap<(Symbol, Symbol), NodeId>,
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
            cache: FxHashMap::default(),
        }
    }

    /// `∂vertex/∂used`, simplified and in the user's names.
    pub fn get(&mut self, model: &mut Model, vertex: Symbol, used: Symbol) -> NodeId {
        if let Some(&d) = self.cache.get(&(vertex, used)) {
            return d;
        }
        let rhs = model
            .vertex(vertex)
            .and_then(|v| v.definition)
            .expect("local partials exist only for defined vertices");
        // Every partial of this right-hand side at once, in one sweep over it.
        for (name, raw) in derivatives(&mut model.dag, rhs) {
            // A bare name or number (a weight, an input: every partial of a weighted sum) has
            // nothing to recover or simplify.
            if matches!(model.dag.node(raw), Node::Symbol(_) | Node::Number(_)) {
                self.cache.insert((vertex, name), raw);
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
                self.cache.insert((vertex, name), simplified);
                continue;
            }
            let renamed = self.recover_names(&mut model.dag, simplified);
            let result = self.simplify(&mut model.dag, renamed);
            self.cache.insert((vertex, name), result);
        }
        match self.cache.get(&(vertex, used)) {
            Some(&d) => d,
            None => {
                let zero = model.dag.integer(0);
                self.cache.insert((vertex, used), zero);
                zero
            }
        }
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
