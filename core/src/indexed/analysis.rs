//! One indexed network analysed once: its index-form derivation (for printing) and the loop
//! program of its stable forms (for numbers), evaluated at any values.

use super::derive::IndexedDerivation;
use super::eval::{ArrayValues, IndexedProgram};
use super::model::IndexedModel;
use super::stable::stable_model;
use crate::dag::Symbol;
use crate::model::Role;

/// An indexed network with its derivation and compiled program.
///
/// ```
/// use symdiff_core::indexed::{ArrayValues, IndexedAnalysis, IndexedModel, Sub};
/// use symdiff_core::Role;
/// let mut b = IndexedModel::builder("norm");
/// b.declare("w", Role::Param, &[2], None).unwrap();
/// let i = b.index("i", 2);
/// let wi = b.element("w", &[Sub::Index(i)]);
/// let square = b.dag().powi(wi, 2);
/// let total = b.sum(i, square);
/// b.define("E", Role::Loss, &[], total).unwrap();
/// let analysis = IndexedAnalysis::new(b.finish().unwrap());
/// let w = analysis.model.dag.find_symbol("w").unwrap();
/// let mut values = ArrayValues::new();
/// values.set(w, vec![3.0, 4.0]);
/// let result = analysis.evaluate(&values);
/// assert_eq!(result.loss, 25.0);
/// assert_eq!(result.gradient.get(w), Some(&[6.0, 8.0][..]));
/// ```
#[derive(Clone, Debug)]
pub struct IndexedAnalysis {
    /// The network as the user wrote it (its DAG also holds the derivation's formulas).
    pub model: IndexedModel,
    /// The derivation of the loss, in the user's names.
    pub derivation: IndexedDerivation,
    stable: IndexedModel,
    program: IndexedProgram,
}

/// The values of one evaluation: every array, the loss and the gradient of each param.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedEvaluation {
    /// Every array: the given ones and every definition (of the last row, over `--data`).
    pub values: ArrayValues,
    /// The loss (summed over rows, over `--data`).
    pub loss: f64,
    /// `∂loss/∂param` for every param, row-major (summed over rows).
    pub gradient: ArrayValues,
}

impl IndexedAnalysis {
    /// Derives the network's loss and compiles its program.
    pub fn new(mut model: IndexedModel) -> IndexedAnalysis {
        let derivation = IndexedDerivation::new(&mut model);
        let mut stable = stable_model(&model);
        let stable_derivation = IndexedDerivation::new(&mut stable);
        let program = IndexedProgram::new(&stable, &stable_derivation);
        IndexedAnalysis {
            model,
            derivation,
            stable,
            program,
        }
    }

    /// The value of a formula whose indices are all fixed (`h[2]·(1 - h[2])`), from the
    /// values of an evaluation.
    pub fn value_of(&self, node: crate::dag::NodeId, values: &ArrayValues) -> f64 {
        super::eval::Kernel::compile(&self.model, node).run(
            values,
            &mut super::eval::Env::default(),
            &mut Vec::new(),
        )
    }

    /// A Σ node's index, extent and body.
    pub fn reduction_parts(
        &self,
        node: crate::dag::NodeId,
    ) -> Option<(Symbol, usize, crate::dag::NodeId)> {
        super::model::as_reduction(&self.model.dag, node).map(|(_, i, e, b)| (i, e, b))
    }

    /// The params, in declaration order.
    pub fn params(&self) -> Vec<Symbol> {
        self.model
            .arrays_with_role(Role::Param)
            .map(|a| a.symbol)
            .collect()
    }

    /// The declared arrays (inputs, targets, params) the loss reads.
    pub fn needed(&self) -> Vec<Symbol> {
        let mut needed: Vec<Symbol> = Vec::new();
        for d in self.stable.definitions() {
            for array in super::model::arrays_read(&self.stable, d.body) {
                if self.model.array(array).is_some() && !needed.contains(&array) {
                    needed.push(array);
                }
            }
        }
        let order: Vec<Symbol> = self.model.arrays().iter().map(|a| a.symbol).collect();
        needed.sort_by_key(|s| order.iter().position(|o| o == s));
        needed
    }

    /// The needed arrays `values` has no values for.
    pub fn missing(&self, values: &ArrayValues) -> Vec<Symbol> {
        self.needed()
            .into_iter()
            .filter(|&a| values.get(a).is_none())
            .collect()
    }

    /// Values, loss and gradient at `values` (every needed array given).
    pub fn evaluate(&self, values: &ArrayValues) -> IndexedEvaluation {
        let mut all = values.clone();
        self.program.forward(&self.stable, &mut all);
        let loss = self.program.loss(&all);
        let adjoints = self.program.backward(&self.stable, &all);
        let mut gradient = ArrayValues::new();
        for param in self.params() {
            let size: usize = self.model.shape(param).iter().product();
            let g = adjoints
                .get(param)
                .map_or_else(|| vec![0.0; size], <[f64]>::to_vec);
            gradient.set(param, g);
        }
        IndexedEvaluation {
            values: all,
            loss,
            gradient,
        }
    }

    /// The loss and gradient summed over rows (each row's inputs and targets laid over
    /// `shared`, which holds the params), as the lecture sums E_n; `None` for no rows.
    pub fn evaluate_rows<'a>(
        &self,
        shared: &ArrayValues,
        rows: impl IntoIterator<Item = &'a ArrayValues>,
    ) -> Option<IndexedEvaluation> {
        let mut total: Option<IndexedEvaluation> = None;
        for row in rows {
            let mut values = shared.clone();
            values.extend(row);
            let one = self.evaluate(&values);
            total = Some(match total {
                None => one,
                Some(mut sum) => {
                    sum.loss += one.loss;
                    for param in self.params() {
                        sum.gradient
                            .add_to(param, one.gradient.get(param).unwrap_or(&[]));
                    }
                    sum.values = one.values;
                    sum
                }
            });
        }
        total
    }
}
