//! Building an explanation's derivatives from an analysis: one term per path for a variable
//! within the path cap, one term per user (through the user's adjoint) in factored form, and the
//! backward recursion behind the factored variables; at a single point, every term again with
//! numbers substituted.

use super::{Derivative, Form, Term};
use crate::analysis::{Analysis, Evaluation};
use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::diff::{Gradient, PathSum};
use std::collections::{HashMap, HashSet};

/// What the derivatives are built from: the analysis (whose DAG grows as local partials are
/// looked up and numbers substituted) and, at a single point, every name's value as a number.
pub(super) struct Builder<'a> {
    analysis: &'a mut Analysis,
    /// Every vertex's and adjoint's value as a number node, when at a single point.
    values: Option<HashMap<Symbol, NodeId>>,
}

impl<'a> Builder<'a> {
    /// A builder for `analysis`, substituting the values of `point` when given (rounded to
    /// `digits` significant digits, when given).
    pub(super) fn new(
        analysis: &'a mut Analysis,
        point: Option<&Evaluation>,
        digits: Option<u32>,
    ) -> Builder<'a> {
        let values = point.map(|e| value_map(analysis, e, digits));
        Builder { analysis, values }
    }

    /// The derivative of every variable in the order asked, each with its value from
    /// `evaluation`; and the variables shown in factored form (past the path cap).
    pub(super) fn variables(
        &mut self,
        evaluation: Option<&Evaluation>,
    ) -> (Vec<Derivative>, Vec<Symbol>) {
        let mut variables = Vec::new();
        let mut factored = Vec::new();
        for i in 0..self.analysis.derivation.gradients.len() {
            let gradient = self.analysis.derivation.gradients[i].clone();
            let value = evaluation.map(|e| e.gradient[i]);
            let derivative = match &gradient.path_sum {
                Some(sum) => self.path_form(&gradient, sum, value),
                None => {
                    factored.push(gradient.wrt);
                    let (wrt, count) = (gradient.wrt, gradient.path_count);
                    self.factored_form(wrt, count, gradient.factored, value)
                }
            };
            variables.push(derivative);
        }
        (variables, factored)
    }

    /// The backward recursion of every defined vertex on a path down to one of `factored`, users
    /// before what they use, each with its adjoint's value at `point`.
    pub(super) fn recursion(
        &mut self,
        factored: &[Symbol],
        point: Option<&Evaluation>,
    ) -> Vec<Derivative> {
        if factored.is_empty() {
            return Vec::new();
        }
        let of = self.analysis.of();
        let on_paths = self.analysis.derivation.graph.on_paths(of, factored);
        let counts = self.analysis.derivation.graph.path_counts_from(of);
        let mut recursion = Vec::new();
        for &u in on_paths.iter().rev() {
            if u == of || !self.is_defined(u) {
                continue;
            }
            let Some(adjoint) = self.analysis.derivation.adjoints.get(u) else {
                continue;
            };
            let (formula, symbol) = (adjoint.formula, adjoint.symbol);
            let count = counts.get(&u).copied().unwrap_or(0);
            let value = point.map(|e| e.point.get(symbol));
            recursion.push(self.factored_form(u, count, formula, value));
        }
        recursion
    }

    /// One term per path of the path sum: the partial symbols along it and their local partials.
    fn path_form(&mut self, gradient: &Gradient, sum: &PathSum, value: Option<f64>) -> Derivative {
        let terms = sum.paths.iter().map(|path| self.path_term(path)).collect();
        Derivative {
            of: self.analysis.of(),
            wrt: gradient.wrt,
            form: Form::Paths,
            path_count: gradient.path_count,
            terms,
            formula: sum.formula,
            numeric: self.numeric(sum.formula),
            value,
        }
    }

    /// The chain along one path, `∂E/∂y·∂y/∂s2·…`.
    fn path_term(&mut self, path: &[Symbol]) -> Term {
        let symbols: Vec<(Symbol, Symbol)> = path.windows(2).map(|e| (e[0], e[1])).collect();
        let factors = symbols.iter().map(|&(v, u)| self.local(v, u)).collect();
        self.term(symbols, factors)
    }

    /// The factored entry of `vertex`: one term per user on a path, `∂of/∂user·∂user/∂vertex`.
    fn factored_form(
        &mut self,
        vertex: Symbol,
        path_count: u128,
        formula: NodeId,
        value: Option<f64>,
    ) -> Derivative {
        let users = self.users_on_paths(vertex);
        let terms = users
            .into_iter()
            .map(|user| self.user_term(user, vertex))
            .collect();
        Derivative {
            of: self.analysis.of(),
            wrt: vertex,
            form: Form::Factored,
            path_count,
            terms,
            numeric: self.numeric(formula),
            formula,
            value,
        }
    }

    /// The users of `vertex` that lie on a path from the differentiated vertex down to it.
    fn users_on_paths(&self, vertex: Symbol) -> Vec<Symbol> {
        let graph = &self.analysis.derivation.graph;
        let on_paths: HashSet<Symbol> = graph
            .on_paths(self.analysis.of(), &[vertex])
            .into_iter()
            .collect();
        let users = graph.users(vertex).iter().copied();
        users.filter(|u| on_paths.contains(u)).collect()
    }

    /// The term of `user` in the entry of `vertex`: `∂of/∂user·∂user/∂vertex`, the first factor
    /// being the user's adjoint symbol; just `∂of/∂vertex` when the user is `of` itself.
    fn user_term(&mut self, user: Symbol, vertex: Symbol) -> Term {
        let of = self.analysis.of();
        let local = self.local(user, vertex);
        if user == of {
            return self.term(vec![(of, vertex)], vec![local]);
        }
        let adjoint = (self.analysis.derivation.adjoints.get(user))
            .expect("a user on a path has an adjoint")
            .symbol;
        let adjoint = self.analysis.model.dag.symbol_node(adjoint);
        self.term(vec![(of, user), (user, vertex)], vec![adjoint, local])
    }

    /// The local partial `∂vertex/∂used`.
    fn local(&mut self, vertex: Symbol, used: Symbol) -> NodeId {
        let analysis = &mut *self.analysis;
        analysis
            .derivation
            .locals
            .get(&mut analysis.model, vertex, used)
    }

    /// A term of partial symbols and their factors, with numbers substituted at the point.
    fn term(&mut self, symbols: Vec<(Symbol, Symbol)>, factors: Vec<NodeId>) -> Term {
        let numeric = self.values.as_ref().map(|values| {
            let dag = &mut self.analysis.model.dag;
            factors.iter().map(|&f| dag.substitute(f, values)).collect()
        });
        Term {
            symbols,
            factors,
            numeric,
        }
    }

    /// The simplified `formula` with numbers substituted, at a single point: each factor of the
    /// product (or of each term of the sum) that is 1 there is left out, as the slides do.
    fn numeric(&mut self, formula: NodeId) -> Option<NodeId> {
        let values = self.values.as_ref()?;
        let dag = &mut self.analysis.model.dag;
        let terms = match dag.node(formula) {
            Node::Add(terms) => terms.to_vec(),
            _ => return Some(without_ones(dag, formula, values)),
        };
        let terms = terms
            .into_iter()
            .map(|t| without_ones(dag, t, values))
            .collect();
        Some(dag.add(terms))
    }

    fn is_defined(&self, vertex: Symbol) -> bool {
        let vertex = self.analysis.model.vertex(vertex);
        vertex.is_some_and(|v| v.role.is_defined())
    }
}

/// `product` with `values` substituted and the factors that become 1 left out (`1` when every
/// factor does); any other expression just substituted.
fn without_ones(dag: &mut Dag, product: NodeId, values: &HashMap<Symbol, NodeId>) -> NodeId {
    let Node::Mul(factors) = dag.node(product) else {
        return dag.substitute(product, values);
    };
    let factors = factors.to_vec();
    let mut kept = Vec::with_capacity(factors.len());
    for f in factors {
        let f = dag.substitute(f, values);
        if !is_one(dag, f) {
            kept.push(f);
        }
    }
    match kept.len() {
        0 => dag.integer(1),
        1 => kept[0],
        _ => dag.mul(kept),
    }
}

/// Whether `id` is the number 1 (exact, or a float).
fn is_one(dag: &Dag, id: NodeId) -> bool {
    match dag.node(id) {
        Node::Number(r) => r.is_one(),
        Node::Float(bits) => f64::from_bits(*bits) == 1.0,
        _ => false,
    }
}

/// Every named value at the point (vertices and adjoints) as a number node, rounded to
/// `digits` significant digits when given.
fn value_map(
    analysis: &mut Analysis,
    evaluation: &Evaluation,
    digits: Option<u32>,
) -> HashMap<Symbol, NodeId> {
    let mut symbols: Vec<Symbol> = analysis.model.vertices().map(|v| v.symbol).collect();
    let adjoints = analysis.derivation.adjoints.entries.iter();
    symbols.extend(adjoints.map(|a| a.symbol));
    symbols
        .into_iter()
        .map(|s| {
            let value = super::round(evaluation.point.get(s), digits);
            (s, analysis.model.dag.float(value))
        })
        .collect()
}
