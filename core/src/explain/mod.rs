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

mod build;
mod html;
pub mod indexed;
pub mod latex;
pub(crate) mod pieces;
pub mod text;
mod training;

pub use html::{html_page, indexed_html_page, HtmlOptions, IndexedGraph, PICKED_ELEMENTS};
pub use latex::ExplainLatex;
pub use pieces::is_direct;
pub use text::ExplainText;
pub use training::{Training, TrainingRow};

use crate::analysis::{Analysis, Evaluation};
use crate::dag::{Dag, NodeId, Symbol};
use crate::model::Model;
use build::Builder;
use std::collections::HashSet;

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
    /// The simplified result with every name replaced by its value and factors equal to 1
    /// left out, when a point is known.
    pub numeric: Option<NodeId>,
    /// The value at the point (summed over the rows of a table), when known.
    pub value: Option<f64>,
}

/// A model's definitions with their values at a point.
#[derive(Clone, Debug)]
pub struct Forward {
    /// The inputs, targets and params with their values, in source order.
    pub leaves: Vec<(Symbol, f64)>,
    /// How many leaves [`Explanation::only_used_leaves`] left out of `leaves`.
    pub omitted: usize,
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
    /// The significant digits numbers are printed with (`None`: every digit).
    pub digits: Option<u32>,
}

impl Explanation {
    /// Explains an analysis; with `evaluation` (at one point, or summed over `rows` rows), with
    /// values. Numbers are substituted into the local partials only for a single point.
    pub fn new(
        analysis: &mut Analysis,
        evaluation: Option<&Evaluation>,
        rows: Option<usize>,
    ) -> Explanation {
        Explanation::rounded(analysis, evaluation, rows, None)
    }

    /// [`Explanation::new`] with every number printed to `digits` significant digits (and one
    /// within 1e-15 of an integer as that integer), the substituted ones included.
    pub fn rounded(
        analysis: &mut Analysis,
        evaluation: Option<&Evaluation>,
        rows: Option<usize>,
        digits: Option<u32>,
    ) -> Explanation {
        let of = analysis.of();
        let single = evaluation
            .filter(|_| rows.is_none())
            .filter(|e| every_leaf_known(&analysis.model, e));
        let mut builder = Builder::new(analysis, single, digits);
        let (variables, factored) = builder.variables(evaluation);
        let recursion = builder.recursion(&factored, single);
        let model = &analysis.model;
        Explanation {
            of,
            model: model.name().map(str::to_string),
            definitions: model.definitions(),
            forward: single.map(|e| Forward::at(model, e)),
            rows,
            variables,
            recursion,
            training: None,
            digits,
        }
    }

    /// Keeps, of the point's leaves, only the ones the derivatives shown read (their variables
    /// and the names in their formulas), counting the others in [`Forward::omitted`]: when
    /// `--wrt` narrows the derivatives of a large network, its point lists what they use.
    pub fn only_used_leaves(mut self, dag: &Dag) -> Explanation {
        let mut used = HashSet::new();
        for d in self.variables.iter().chain(&self.recursion) {
            used.insert(d.wrt);
            dag.for_each_symbol_in(d.formula, |s| {
                used.insert(s);
            });
            for t in &d.terms {
                for &f in &t.factors {
                    dag.for_each_symbol_in(f, |s| {
                        used.insert(s);
                    });
                }
            }
        }
        if let Some(f) = &mut self.forward {
            let before = f.leaves.len();
            f.leaves.retain(|(s, _)| used.contains(s));
            f.omitted += before - f.leaves.len();
        }
        self
    }

    /// `x` as it is printed: rounded to the explanation's digits, when it has them.
    pub fn round(&self, x: f64) -> f64 {
        round(x, self.digits)
    }

    /// Attaches a gradient-descent table.
    pub fn with_training(mut self, training: Training) -> Explanation {
        self.training = Some(training);
        self
    }
}

impl Forward {
    /// The model's leaves and definitions with their values at the evaluation's point.
    fn at(model: &Model, evaluation: &Evaluation) -> Forward {
        let value = |s: Symbol| evaluation.point.get(s);
        Forward {
            leaves: model.leaves().into_iter().map(|s| (s, value(s))).collect(),
            omitted: 0,
            vertices: (model.definitions().into_iter())
                .map(|(s, rhs)| (s, rhs, value(s)))
                .collect(),
        }
    }
}

/// `x` to `digits` significant digits, and, when rounding at all, exactly the integer it is
/// within 1e-15 of (`sin(π)` = 1.2e-16 is 0); unchanged without `digits` or when not finite.
pub fn round(x: f64, digits: Option<u32>) -> f64 {
    let Some(digits) = digits.filter(|_| x.is_finite()) else {
        return x;
    };
    let integer = x.round();
    if (x - integer).abs() <= 1e-15 {
        return integer + 0.0;
    }
    let precision = digits.clamp(1, 17) as usize - 1;
    format!("{x:.precision$e}").parse().unwrap_or(x)
}

/// Whether the evaluation's point gives every leaf a value (none is NaN).
fn every_leaf_known(model: &Model, evaluation: &Evaluation) -> bool {
    model
        .leaves()
        .iter()
        .all(|&s| !evaluation.point.get(s).is_nan())
}

#[cfg(test)]
mod tests;
