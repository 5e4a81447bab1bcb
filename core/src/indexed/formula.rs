//! A param's derivative as it is printed: the closed formula summed over its path templates
//! while their count is within the cap (the slides' formulas), else the factored form, which
//! refers to adjoints whose own formulas come with it.

use super::analysis::IndexedAnalysis;
use super::derive::PathTemplate;
use super::index_ops::{sum_over, tidy};
use crate::dag::{NodeId, Symbol};
use crate::simplify::Simplifier;

/// The printed derivative of the loss with respect to one param.
#[derive(Clone, Debug)]
pub enum IndexedFormula {
    /// Within the cap: every path template and the simplified sum of their products.
    Paths {
        /// The templates (chain, local partials, Σ indices, paths stood for).
        templates: Vec<PathTemplate>,
        /// The simplified sum, in index form.
        formula: NodeId,
    },
    /// Past the cap: the param's adjoint formula, and every adjoint it refers to, nearest
    /// first, each as `(adjoint element symbol, formula)`.
    Factored {
        /// How many path templates there are.
        templates: u128,
        /// The param's adjoint in terms of others.
        formula: NodeId,
        /// The adjoints it needs.
        adjoints: Vec<(Symbol, NodeId)>,
    },
}

impl IndexedFormula {
    /// The formula itself (closed or factored).
    pub fn node(&self) -> NodeId {
        match self {
            IndexedFormula::Paths { formula, .. } | IndexedFormula::Factored { formula, .. } => {
                *formula
            }
        }
    }

    /// How many scalar paths the derivative of one element sums over (within the cap).
    pub fn paths(&self) -> Option<u128> {
        match self {
            IndexedFormula::Paths { templates, .. } => Some(
                templates
                    .iter()
                    .fold(0u128, |n, t| n.saturating_add(t.paths)),
            ),
            IndexedFormula::Factored { .. } => None,
        }
    }
}

impl IndexedAnalysis {
    /// The derivative of the loss with respect to `param` (`∂E/∂w1[j,i]`), as printed:
    /// closed while it has at most `max_paths` path templates, factored past that. `None` when
    /// the loss does not depend on `param`.
    pub fn formula(&mut self, param: Symbol, max_paths: u128) -> Option<IndexedFormula> {
        let adjoint = self.derivation.adjoint(param)?.clone();
        let count = self.derivation.template_count(&self.model, param);
        let mut simplifier = Simplifier::default();
        if count <= max_paths {
            let templates = self.derivation.path_templates(&mut self.model, param);
            let mut terms = Vec::with_capacity(templates.len());
            for t in &templates {
                let product = self.model.dag.mul(t.locals.clone());
                terms.push(sum_over(&mut self.model, &t.sums, product));
            }
            let sum = self.model.dag.add(terms);
            let formula = tidy(&mut self.model, &mut simplifier, sum);
            return Some(IndexedFormula::Paths { templates, formula });
        }
        let mut adjoints = Vec::new();
        let mut pending = vec![adjoint.formula];
        while let Some(formula) = pending.pop() {
            for symbol in self.model.dag.symbols_in(formula) {
                let Some(e) = self.model.element(symbol) else {
                    continue;
                };
                let array = e.array;
                let found = self
                    .derivation
                    .adjoints()
                    .iter()
                    .find(|a| self.model.element(a.symbol).map(|x| x.array) == Some(array));
                if let Some(a) = found {
                    if !adjoints.iter().any(|&(s, _)| s == a.symbol) {
                        adjoints.push((a.symbol, a.formula));
                        pending.push(a.formula);
                    }
                }
            }
        }
        Some(IndexedFormula::Factored {
            templates: count,
            formula: adjoint.formula,
            adjoints,
        })
    }
}
