//! One indexed network analysed once: its index-form derivation (for printing) and the loop
//! program of its stable forms (for numbers), evaluated at any values, one point at a time
//! or over many data rows at once (the batched plan of `batch.rs`).

use super::batch::BatchPlan;
use super::derive::IndexedDerivation;
use super::eval::{ArrayValues, IndexedProgram};
use super::model::IndexedModel;
use super::stable::stable_model;
use super::stacked::StackedRows;
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
    /// The batched plan, when the model is one it covers.
    batch: Option<BatchPlan>,
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
        // Most networks have no `log` of a softmax or sigmoid vertex: their stable form is the
        // model itself, derived once.
        let (stable, stable_derivation) = match stable_model(&model) {
            Some(mut stable) => {
                let stable_derivation = IndexedDerivation::new(&mut stable);
                (stable, stable_derivation)
            }
            None => (model.clone(), derivation.clone()),
        };
        let program = IndexedProgram::new(&stable, &stable_derivation);
        let batch = BatchPlan::new(&stable, &stable_derivation);
        IndexedAnalysis {
            model,
            derivation,
            stable,
            program,
            batch,
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

    /// The batched plan (canonical formulas, leaves, backward steps), when the model is one
    /// it covers: what generated code is made from.
    pub(crate) fn batch_plan(&self) -> Option<&BatchPlan> {
        self.batch.as_ref()
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

    /// Values, loss and gradient at `values` (every needed array given): the batched plan
    /// with one row (a contraction is a matrix-vector product, and a Σ inside a local partial
    /// is computed once, not once per element), or the loop evaluator where the plan does not
    /// apply.
    pub fn evaluate(&self, values: &ArrayValues) -> IndexedEvaluation {
        let row = [ArrayValues::new()];
        match self.batch_of(values, &[&row[0]]) {
            Some(result) => result,
            None => self.evaluate_looped(values),
        }
    }

    /// [`IndexedAnalysis::evaluate`] by the loop evaluator ([`IndexedProgram`]): each
    /// definition's body run per index tuple, each local partial per tuple of its loop. The
    /// reference the batched plan is tested against; slow where a local partial holds a Σ
    /// (`step(Σ_i′ w1[j,i′]·x[i′])·x[i]` recomputes the Σ for every `(j, i)`).
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
    /// assert_eq!(analysis.evaluate_looped(&values), analysis.evaluate(&values));
    /// ```
    pub fn evaluate_looped(&self, values: &ArrayValues) -> IndexedEvaluation {
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
    /// [`IndexedAnalysis::evaluate_batch`] over the rows.
    pub fn evaluate_rows<'a>(
        &self,
        shared: &ArrayValues,
        rows: impl IntoIterator<Item = &'a ArrayValues>,
    ) -> Option<IndexedEvaluation> {
        let rows: Vec<&ArrayValues> = rows.into_iter().collect();
        self.batch_of(shared, &rows)
    }

    /// The loss and gradient summed over `rows`, and every array's values at the last row:
    /// what [`IndexedAnalysis::evaluate`] gives for each row laid over `shared`, summed (to
    /// rounding: the sums are taken in another order). `None` for no rows.
    ///
    /// The rows are one outer index `n`: each definition is computed for all rows at once,
    /// a Σ of a product such as `Σ_i w1[j,i]·x[i]` as one matrix product over the rows, and
    /// the backward pass likewise (`∂E/∂w2[k,j] = Σ_n ∂E/∂z[n,k]·h[n,j]`). Each row must give
    /// the same arrays (its inputs and targets, typically); rows that do not, or a model the
    /// batched plan does not cover, are evaluated one row at a time, with the same result.
    ///
    /// ```
    /// use symdiff_core::indexed::{ArrayValues, IndexedAnalysis, IndexedModel, Sub};
    /// use symdiff_core::Role;
    /// // E = 1/2·Σ_k (t[k] - Σ_i w[k,i]·x[i])², a linear layer and a squared error
    /// let mut b = IndexedModel::builder("linear");
    /// b.declare("x", Role::Input, &[2], None).unwrap();
    /// b.declare("t", Role::Target, &[1], None).unwrap();
    /// b.declare("w", Role::Param, &[1, 2], None).unwrap();
    /// let (k, i) = (b.index("k", 1), b.index("i", 2));
    /// let w = b.element("w", &[Sub::Index(k), Sub::Index(i)]);
    /// let x = b.element("x", &[Sub::Index(i)]);
    /// let wx = b.dag().mul(vec![w, x]);
    /// let y = b.sum(i, wx);
    /// b.define("y", Role::Output, &[k], y).unwrap();
    /// let t = b.element("t", &[Sub::Index(k)]);
    /// let y = b.element("y", &[Sub::Index(k)]);
    /// let d = b.dag().sub(t, y);
    /// let sq = b.dag().powi(d, 2);
    /// let total = b.sum(k, sq);
    /// let half = b.dag().number(symdiff_core::Rational::new(1, 2).unwrap());
    /// let e = b.dag().mul(vec![half, total]);
    /// b.define("E", Role::Loss, &[], e).unwrap();
    /// let analysis = IndexedAnalysis::new(b.finish().unwrap());
    /// let symbol = |n: &str| analysis.model.dag.find_symbol(n).unwrap();
    /// let mut shared = ArrayValues::new();
    /// shared.set(symbol("w"), vec![1.0, 1.0]);
    /// let rows: Vec<ArrayValues> = [([1.0, 2.0], 2.0), ([0.0, 1.0], 2.0)]
    ///     .iter()
    ///     .map(|&(x, t)| {
    ///         let mut row = ArrayValues::new();
    ///         row.set(symbol("x"), x.to_vec());
    ///         row.set(symbol("t"), vec![t]);
    ///         row
    ///     })
    ///     .collect();
    /// let result = analysis.evaluate_batch(&shared, &rows).unwrap();
    /// // residuals 2 - 3 = -1 and 2 - 1 = 1: E = 1/2 + 1/2, ∂E/∂w = -Σ_n r_n·x_n
    /// assert_eq!(result.loss, 1.0);
    /// assert_eq!(result.gradient.get(symbol("w")), Some(&[1.0, 1.0][..]));
    /// assert_eq!(result.values.get(symbol("y")), Some(&[1.0][..])); // the last row's
    /// ```
    pub fn evaluate_batch(
        &self,
        shared: &ArrayValues,
        rows: &[ArrayValues],
    ) -> Option<IndexedEvaluation> {
        let rows: Vec<&ArrayValues> = rows.iter().collect();
        self.batch_of(shared, &rows)
    }

    /// The loss and gradient summed over rows given array by array (each input and target
    /// array's numbers for every row, one row after another, as a table holds them), read
    /// where they lie: what a training loop calls for each batch. The same sums as
    /// [`IndexedAnalysis::evaluate_batch`] over the same rows, without each row's own
    /// [`ArrayValues`] or the values at the last row. `None` when there are no rows, an array
    /// is not a whole number of rows of its declared shape, a needed array is missing, or the
    /// batched plan does not cover the model (then [`IndexedAnalysis::evaluate_each`] does,
    /// row by row).
    ///
    /// ```
    /// use symdiff_core::indexed::{ArrayValues, IndexedAnalysis, IndexedModel, StackedRows, Sub};
    /// use symdiff_core::Role;
    /// // E = Σ_i w[i]·x[i]: over two rows, ∂E/∂w = x₁ + x₂
    /// let mut b = IndexedModel::builder("dot");
    /// b.declare("x", Role::Input, &[2], None).unwrap();
    /// b.declare("w", Role::Param, &[2], None).unwrap();
    /// let i = b.index("i", 2);
    /// let wx = [b.element("w", &[Sub::Index(i)]), b.element("x", &[Sub::Index(i)])];
    /// let product = b.dag().mul(wx.to_vec());
    /// let e = b.sum(i, product);
    /// b.define("E", Role::Loss, &[], e).unwrap();
    /// let analysis = IndexedAnalysis::new(b.finish().unwrap());
    /// let symbol = |n: &str| analysis.model.dag.find_symbol(n).unwrap();
    /// let (w, x) = (symbol("w"), symbol("x"));
    /// let mut shared = ArrayValues::new();
    /// shared.set(w, vec![1.0, 1.0]);
    /// let xs = [1.0, 2.0, 3.0, 4.0];
    /// let (loss, gradient) = analysis
    ///     .evaluate_stacked(&shared, &StackedRows::new(2).with(x, &xs))
    ///     .unwrap();
    /// assert_eq!(loss, 10.0);
    /// assert_eq!(gradient.get(w), Some(&[4.0, 6.0][..]));
    /// // three rows cannot be cut from four numbers of x[2]
    /// assert!(analysis.evaluate_stacked(&shared, &StackedRows::new(3).with(x, &xs)).is_none());
    /// ```
    pub fn evaluate_stacked(
        &self,
        shared: &ArrayValues,
        rows: &StackedRows,
    ) -> Option<(f64, ArrayValues)> {
        let plan = self.batch.as_ref()?;
        plan.accepts_stacked(shared, rows)
            .then(|| plan.run_stacked(shared, rows, None))
    }

    /// [`IndexedAnalysis::evaluate_stacked`] taking `rows_per_chunk` rows at a time (tests of
    /// the chunk boundaries).
    #[doc(hidden)]
    pub fn evaluate_stacked_chunked(
        &self,
        shared: &ArrayValues,
        rows: &StackedRows,
        rows_per_chunk: usize,
    ) -> Option<(f64, ArrayValues)> {
        let plan = self.batch.as_ref()?;
        plan.accepts_stacked(shared, rows)
            .then(|| plan.run_stacked(shared, rows, Some(rows_per_chunk)))
    }

    /// [`IndexedAnalysis::evaluate_batch`] taking `rows_per_chunk` rows at a time (tests of
    /// the chunk boundaries), and whether the batched plan ran (`false`: row by row).
    #[doc(hidden)]
    pub fn evaluate_batch_chunked(
        &self,
        shared: &ArrayValues,
        rows: &[ArrayValues],
        rows_per_chunk: usize,
    ) -> Option<(IndexedEvaluation, bool)> {
        let rows: Vec<&ArrayValues> = rows.iter().collect();
        match &self.batch {
            Some(plan) if !rows.is_empty() && plan.accepts(shared, &rows) => {
                let (loss, gradient, values) = plan.run(shared, &rows, Some(rows_per_chunk));
                let result = IndexedEvaluation {
                    values,
                    loss,
                    gradient,
                };
                Some((result, true))
            }
            _ => Some((self.evaluate_each(shared, rows)?, false)),
        }
    }

    fn batch_of(&self, shared: &ArrayValues, rows: &[&ArrayValues]) -> Option<IndexedEvaluation> {
        if rows.is_empty() {
            return None;
        }
        match &self.batch {
            Some(plan) if plan.accepts(shared, rows) => {
                let (loss, gradient, values) = plan.run(shared, rows, None);
                Some(IndexedEvaluation {
                    values,
                    loss,
                    gradient,
                })
            }
            _ => self.evaluate_each(shared, rows.iter().copied()),
        }
    }

    /// The loss and gradient summed over rows by [`IndexedAnalysis::evaluate_looped`] on
    /// each row (the loop evaluator, one row at a time): what the batched plan is checked
    /// against, and what runs where it does not apply. `None` for no rows.
    ///
    /// ```
    /// use symdiff_core::indexed::{ArrayValues, IndexedAnalysis, IndexedModel, Sub};
    /// use symdiff_core::Role;
    /// // E = Σ_i w[i]·x[i]: over two rows, ∂E/∂w = x₁ + x₂
    /// let mut b = IndexedModel::builder("dot");
    /// b.declare("x", Role::Input, &[2], None).unwrap();
    /// b.declare("w", Role::Param, &[2], None).unwrap();
    /// let i = b.index("i", 2);
    /// let wx = [b.element("w", &[Sub::Index(i)]), b.element("x", &[Sub::Index(i)])];
    /// let product = b.dag().mul(wx.to_vec());
    /// let e = b.sum(i, product);
    /// b.define("E", Role::Loss, &[], e).unwrap();
    /// let analysis = IndexedAnalysis::new(b.finish().unwrap());
    /// let symbol = |n: &str| analysis.model.dag.find_symbol(n).unwrap();
    /// let (w, x) = (symbol("w"), symbol("x"));
    /// let mut shared = ArrayValues::new();
    /// shared.set(w, vec![1.0, 1.0]);
    /// let rows: Vec<ArrayValues> = [[1.0, 2.0], [3.0, 4.0]].iter().map(|v| {
    ///     let mut row = ArrayValues::new();
    ///     row.set(x, v.to_vec());
    ///     row
    /// }).collect();
    /// let each = analysis.evaluate_each(&shared, &rows).unwrap();
    /// assert_eq!(each.loss, 10.0);
    /// assert_eq!(each.gradient.get(w), Some(&[4.0, 6.0][..]));
    /// let batch = analysis.evaluate_batch(&shared, &rows).unwrap();
    /// assert_eq!((batch.loss, batch.gradient), (each.loss, each.gradient));
    /// ```
    pub fn evaluate_each<'a>(
        &self,
        shared: &ArrayValues,
        rows: impl IntoIterator<Item = &'a ArrayValues>,
    ) -> Option<IndexedEvaluation> {
        let mut total: Option<IndexedEvaluation> = None;
        for row in rows {
            let mut values = shared.clone();
            values.extend(row);
            let one = self.evaluate_looped(&values);
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
