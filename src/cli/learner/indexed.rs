//! Training a network with indexed layers: the loss and its gradient over a batch of rows from
//! the batched evaluator (`IndexedAnalysis::evaluate_rows`: the rows an outer index, each Σ of
//! a product one matrix product).

use super::{element_names, Shape};
use crate::cli::dataset::{Dataset, Layout};
use symdiff::core::indexed::{initial_values, ArrayValues, IndexedAnalysis, IndexedModel};
use symdiff::core::{Role, Symbol};

/// An indexed network with its derivation and batched evaluator.
pub struct IndexedLearner {
    /// Names, shapes and columns.
    pub shape: Shape,
    analysis: IndexedAnalysis,
    params: Vec<(Symbol, usize)>,
    inputs: Vec<(Symbol, usize)>,
    targets: Vec<(Symbol, usize)>,
    output: Option<Symbol>,
}

impl IndexedLearner {
    /// Derives the network's loss and plans its batched evaluation.
    pub fn new(model: IndexedModel) -> IndexedLearner {
        let analysis = IndexedAnalysis::new(model);
        let model = &analysis.model;
        let arrays = |role| -> Vec<(Symbol, usize)> {
            model
                .arrays_with_role(role)
                .map(|a| (a.symbol, a.shape.iter().product()))
                .collect()
        };
        let columns = |arrays: &[(Symbol, usize)]| -> Vec<String> {
            arrays
                .iter()
                .flat_map(|&(s, _)| element_names(model.dag.name(s), &model.shape(s)))
                .collect()
        };
        let (params, inputs, targets) = (
            arrays(Role::Param),
            arrays(Role::Input),
            arrays(Role::Target),
        );
        let output = model.output();
        let shape = Shape {
            name: model.name().to_string(),
            loss: model.dag.name(model.loss().symbol).to_string(),
            params: params
                .iter()
                .map(|&(s, _)| (model.dag.name(s).to_string(), model.shape(s)))
                .collect(),
            layout: Layout {
                inputs: columns(&inputs),
                targets: columns(&targets),
            },
            outputs: output.map_or(Vec::new(), |o| {
                element_names(model.dag.name(o), &model.shape(o))
            }),
        };
        IndexedLearner {
            shape,
            analysis,
            params,
            inputs,
            targets,
            output,
        }
    }

    /// Each param's values from the file's initializers (random ones drawn with `seed`);
    /// `None` for a param without one.
    pub fn initial_each(&self, seed: u64) -> Vec<Option<Vec<f64>>> {
        let model = &self.analysis.model;
        model
            .arrays_with_role(Role::Param)
            .map(|array| initial_values(array, model.dag.name(array.symbol), seed))
            .collect()
    }

    /// Each row of `data` as the evaluator takes it: its input arrays, and its target arrays
    /// (`NaN` when the table has no targets).
    pub fn prepare(&self, data: &mut Dataset) {
        data.arrays = (0..data.rows)
            .map(|r| {
                let mut row = ArrayValues::new();
                split_into(&mut row, &self.inputs, data.x_row(r));
                match data.t_row(r) {
                    Some(t) => split_into(&mut row, &self.targets, t),
                    None => {
                        let width = self.targets.iter().map(|t| t.1).sum();
                        split_into(&mut row, &self.targets, &vec![f64::NAN; width]);
                    }
                }
                row
            })
            .collect();
    }

    fn shared(&self, params: &[f64]) -> ArrayValues {
        let mut shared = ArrayValues::new();
        split_into(&mut shared, &self.params, params);
        shared
    }

    /// The loss summed over `rows`, its gradient summed into `gradient`.
    pub fn sum_gradient(
        &mut self,
        params: &[f64],
        data: &Dataset,
        rows: &[usize],
        gradient: &mut [f64],
    ) -> f64 {
        let shared = self.shared(params);
        let batch = rows.iter().map(|&r| &data.arrays[r]);
        let Some(result) = self.analysis.evaluate_rows(&shared, batch) else {
            gradient.fill(0.0);
            return 0.0;
        };
        let mut at = 0;
        for &(symbol, size) in &self.params {
            let g = &mut gradient[at..at + size];
            match result.gradient.get(symbol) {
                Some(values) => g.copy_from_slice(values),
                None => g.fill(0.0),
            }
            at += size;
        }
        result.loss
    }

    /// One row's outputs and loss.
    pub fn row(&mut self, params: &[f64], data: &Dataset, row: usize) -> (Vec<f64>, f64) {
        let mut values = self.shared(params);
        values.extend(&data.arrays[row]);
        let result = self.analysis.evaluate(&values);
        let outputs = self
            .output
            .and_then(|o| result.values.get(o))
            .map_or(Vec::new(), <[f64]>::to_vec);
        (outputs, result.loss)
    }
}

/// Sets each array of `arrays` from consecutive parts of `flat`.
fn split_into(values: &mut ArrayValues, arrays: &[(Symbol, usize)], flat: &[f64]) {
    let mut at = 0;
    for &(symbol, size) in arrays {
        values.set(symbol, flat[at..at + size].to_vec());
        at += size;
    }
}
