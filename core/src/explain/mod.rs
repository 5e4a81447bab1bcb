//! Explanations: every derivative laid out the way the lecture's slides draw it.
//!
//! For each variable an explanation holds (1) the chain of partial symbols along every path of
//! the dependency graph, summed, (2) the same chain with each local partial substituted, (3) the
//! simplified result, and, at a point, (4) the local partials with numbers substituted and (5) the
//! value. Past the path cap a variable is explained in factored form instead: the backward
//! recursion `∂E/∂h1 = ∂E/∂h2·∂h2/∂h1 + ∂E/∂h3·∂h3/∂h1` of every vertex on its paths, together
//! with the number of paths it stands for (counted, never enumerated).
//!
//! Building an explanation only arranges what [`crate::Analysis`] derived (and substitutes
//! numbers); the printers in [`text`] and [`latex`] only show it.

pub mod latex;
pub mod text;
mod training;

pub use latex::ExplainLatex;
pub use text::ExplainText;
pub use training::{Training, TrainingRow};

use crate::analysis::{Analysis, Evaluation};
use crate::dag::{NodeId, Symbol};
use std::collections::HashMap;

/// One product of a chain: the partial symbols `∂a/∂b` it multiplies and their local partials.
#[derive(Clone, Debug)]
pub struct Term {
    /// The partial symbols, as `(numerator, denominator)` pairs (`∂E/∂y` is `(E, y)`).
    pub symbols: Vec<(Symbol, Symbol)>,
    /// The local partial of each pair, in the user's names (an adjoint appears as its symbol).
    pub factors: Vec<NodeId>,
    /// The factors with every name replaced by its value, when a point is known.
    pub numeric: Option<Vec<NodeId>>,
}

/// How a derivative is laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    /// One term per path of the dependency graph (within the path cap).
    Paths,
    /// One term per user of the vertex, each through the user's adjoint (past the cap, and for
    /// every entry of the recursion).
    Factored,
}

/// One derivative `∂of/∂wrt`, ready to print.
#[derive(Clone, Debug)]
pub struct Derivative {
    /// The vertex differentiated (`E`).
    pub of: Symbol,
    /// The variable, or the vertex of a recursion entry (`w1`, `h1`).
    pub wrt: Symbol,
    /// How the terms were formed.
    pub form: Form,
    /// How many paths lead from `of` to `wrt` (counted by dynamic programming).
    pub path_count: u128,
    /// The summed terms; empty when no path leads to `wrt` (the derivative is 0).
    pub terms: Vec<Term>,
    /// The simplified result (in factored form: in terms of the users' adjoints).
    pub formula: NodeId,
    /// The value at the point (summed over the rows of a table), when known.
    pub value: Option<f64>,
}

/// A model's definitions with their values at a point.
#[derive(Clone, Debug)]
pub struct Forward {
    /// The inputs, targets and params with their values, in source order.
    pub leaves: Vec<(Symbol, f64)>,
    /// The defined vertices in evaluation order, with right-hand side and value.
    pub vertices: Vec<(Symbol, NodeId, f64)>,
}

/// Everything `explain` shows about one analysis.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The differentiated vertex.
    pub of: Symbol,
    /// The model's name (`None` for free-standing definitions).
    pub model: Option<String>,
    /// The definitions in evaluation order.
    pub definitions: Vec<(Symbol, NodeId)>,
    /// The forward values, when the explanation is at one point.
    pub forward: Option<Forward>,
    /// How many rows the values are summed over, when they come from a table.
    pub rows: Option<usize>,
    /// One derivative per variable, in the order asked.
    pub variables: Vec<Derivative>,
    /// The backward recursion of every defined vertex on a path to a variable shown in factored
    /// form, users before what they use; empty when every variable fits the path cap.
    pub recursion: Vec<Derivative>,
    /// The gradient-descent table, when asked for.
    pub training: Option<Training>,
}

impl Explanation {
    /// Explains an analysis; with `evaluation` (at one point, or summed over `rows` rows), with
    /// values. Numbers are substituted into the local partials only for a single point.
    pub fn new(
        analysis: &mut Analysis,
        evaluation: Option<&Evaluation>,
        rows: Option<usize>,
    ) -> Explanation {
        let of = analysis.of();
        let single = evaluation.filter(|_| rows.is_none()).filter(|e| {
            analysis
                .model
                .leaves()
                .iter()
                .all(|&s| !e.point.get(s).is_nan())
        });
        let values = single.map(|e| value_map(analysis, e));
        let mut variables = Vec::new();
        let mut factored = Vec::new();
        for i in 0..analysis.derivation.gradients.len() {
            let g = analysis.derivation.gradients[i].clone();
            let value = evaluation.map(|e| e.gradient[i]);
            let derivative = match &g.path_sum {
                Some(sum) => {
                    let mut terms = Vec::with_capacity(sum.paths.len());
                    for path in &sum.paths {
                        let symbols: Vec<(Symbol, Symbol)> =
                            path.windows(2).map(|e| (e[0], e[1])).collect();
                        let factors: Vec<NodeId> = symbols
                            .iter()
                            .map(|&(v, u)| {
                                analysis.derivation.locals.get(&mut analysis.model, v, u)
                            })
                            .collect();
                        terms.push(Term {
                            numeric: numeric(analysis, values.as_ref(), &factors),
                            symbols,
                            factors,
                        });
                    }
                    Derivative {
                        of,
                        wrt: g.wrt,
                        form: Form::Paths,
                        path_count: g.path_count,
                        terms,
                        formula: sum.formula,
                        value,
                    }
                }
                None => {
                    factored.push(g.wrt);
                    recursion_entry(
                        analysis,
                        values.as_ref(),
                        g.wrt,
                        g.path_count,
                        g.factored,
                        value,
                    )
                }
            };
            variables.push(derivative);
        }
        let mut recursion = Vec::new();
        if !factored.is_empty() {
            let on_paths = analysis.derivation.graph.on_paths(of, &factored);
            let counts = analysis.derivation.graph.path_counts_from(of);
            for &u in on_paths.iter().rev() {
                let defined = analysis
                    .model
                    .vertex(u)
                    .is_some_and(|v| v.role.is_defined());
                if u == of || !defined {
                    continue;
                }
                let Some(adjoint) = analysis.derivation.adjoints.get(u) else {
                    continue;
                };
                let (formula, symbol) = (adjoint.formula, adjoint.symbol);
                let count = counts.get(&u).copied().unwrap_or(0);
                let value = single.map(|e| e.point.get(symbol));
                recursion.push(recursion_entry(
                    analysis,
                    values.as_ref(),
                    u,
                    count,
                    formula,
                    value,
                ));
            }
        }
        let model = &analysis.model;
        let forward = single.map(|e| Forward {
            leaves: model
                .leaves()
                .into_iter()
                .map(|s| (s, e.point.get(s)))
                .collect(),
            vertices: model
                .definitions()
                .into_iter()
                .map(|(s, rhs)| (s, rhs, e.point.get(s)))
                .collect(),
        });
        Explanation {
            of,
            model: model.name().map(str::to_string),
            definitions: model.definitions(),
            forward,
            rows,
            variables,
            recursion,
            training: None,
        }
    }

    /// Attaches a gradient-descent table.
    pub fn with_training(mut self, training: Training) -> Explanation {
        self.training = Some(training);
        self
    }
}

/// The factored entry of `vertex`: one term per user, `∂of/∂user·∂user/∂vertex`.
fn recursion_entry(
    analysis: &mut Analysis,
    values: Option<&HashMap<Symbol, NodeId>>,
    vertex: Symbol,
    path_count: u128,
    formula: NodeId,
    value: Option<f64>,
) -> Derivative {
    let of = analysis.of();
    let on_paths: std::collections::HashSet<Symbol> = analysis
        .derivation
        .graph
        .on_paths(of, &[vertex])
        .into_iter()
        .collect();
    let users: Vec<Symbol> = analysis
        .derivation
        .graph
        .users(vertex)
        .iter()
        .copied()
        .filter(|u| on_paths.contains(u))
        .collect();
    let mut terms = Vec::with_capacity(users.len());
    for user in users {
        let local = analysis
            .derivation
            .locals
            .get(&mut analysis.model, user, vertex);
        let (symbols, factors) = if user == of {
            (vec![(of, vertex)], vec![local])
        } else {
            let adjoint = analysis
                .derivation
                .adjoints
                .get(user)
                .expect("a user on a path has an adjoint")
                .symbol;
            let adjoint = analysis.model.dag.symbol_node(adjoint);
            (vec![(of, user), (user, vertex)], vec![adjoint, local])
        };
        terms.push(Term {
            numeric: numeric(analysis, values, &factors),
            symbols,
            factors,
        });
    }
    Derivative {
        of,
        wrt: vertex,
        form: Form::Factored,
        path_count,
        terms,
        formula,
        value,
    }
}

/// Every named value at the point (vertices and adjoints) as a number node.
fn value_map(analysis: &mut Analysis, evaluation: &Evaluation) -> HashMap<Symbol, NodeId> {
    let mut symbols: Vec<Symbol> = analysis.model.vertices().map(|v| v.symbol).collect();
    symbols.extend(
        analysis
            .derivation
            .adjoints
            .entries
            .iter()
            .map(|a| a.symbol),
    );
    symbols
        .into_iter()
        .map(|s| (s, analysis.model.dag.float(evaluation.point.get(s))))
        .collect()
}

fn numeric(
    analysis: &mut Analysis,
    values: Option<&HashMap<Symbol, NodeId>>,
    factors: &[NodeId],
) -> Option<Vec<NodeId>> {
    let values = values?;
    Some(
        factors
            .iter()
            .map(|&f| analysis.model.dag.substitute(f, values))
            .collect(),
    )
}

#[cfg(test)]
mod tests;
