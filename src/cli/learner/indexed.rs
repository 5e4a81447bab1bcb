//! Training a network with indexed layers: the loss and its gradient over a batch of rows from
//! the batched evaluator (`IndexedAnalysis::evaluate_stacked`: the rows an outer index, each Σ
//! of a product one matrix product), reading the table's arrays where they lie when the batch
//! is consecutive rows.

use super::{element_names, Shape};
use crate::cli::dataset::{Dataset, Layout};
use symdiff::core::indexed::{
    initial_values, ArrayValues, IndexedAnalysis, IndexedModel, StackedRows,
};
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
    /// The rows of a batch that is not consecutive, array by array (kept between batches).
    gathered: Vec<Vec<f64>>,
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
            gathered: Vec::new(),
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

    /// Each input and target array of `data` over all rows, as the evaluator reads them
    /// (targets `NaN` when the table has none).
    pub fn prepare(&self, data: &mut Dataset) {
        let width = |arrays: &[(Symbol, usize)]| arrays.iter().map(|a| a.1).sum::<usize>();
        let missing = vec![f64::NAN; width(&self.targets)];
        let mut stacked = ArrayValues::new();
        for (arrays, table) in [(&self.inputs, true), (&self.targets, false)] {
            let mut at = 0;
            for &(symbol, size) in arrays {
                let mut values = Vec::with_capacity(data.rows * size);
                for r in 0..data.rows {
                    let row = match table {
                        true => data.x_row(r),
                        false => data.t_row(r).unwrap_or(&missing),
                    };
                    values.extend_from_slice(&row[at..at + size]);
                }
                stacked.set(symbol, values);
                at += size;
            }
        }
        data.stacked = stacked;
    }

    fn shared(&self, params: &[f64]) -> ArrayValues {
        let mut shared = ArrayValues::new();
        split_into(&mut shared, &self.params, params);
        shared
    }

    /// The input and target arrays: each symbol with its numbers per row.
    fn row_arrays(&self) -> impl Iterator<Item = (Symbol, usize)> + '_ {
        self.inputs.iter().chain(&self.targets).copied()
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
        let arrays: Vec<(Symbol, usize)> = self.row_arrays().collect();
        let batch = stacked_batch(&arrays, data, rows, &mut self.gathered);
        let (loss, sums) = match self.analysis.evaluate_stacked(&shared, &batch) {
            Some(result) => result,
            // A model the batched plan does not cover: the loop evaluator, row by row.
            None => {
                let each: Vec<ArrayValues> =
                    rows.iter().map(|&r| self.row_values(data, r)).collect();
                match self.analysis.evaluate_each(&shared, &each) {
                    Some(result) => (result.loss, result.gradient),
                    None => (0.0, ArrayValues::new()),
                }
            }
        };
        let mut at = 0;
        for &(symbol, size) in &self.params {
            let g = &mut gradient[at..at + size];
            match sums.get(symbol) {
                Some(values) => g.copy_from_slice(values),
                None => g.fill(0.0),
            }
            at += size;
        }
        loss
    }

    /// Row `row`'s input and target arrays.
    fn row_values(&self, data: &Dataset, row: usize) -> ArrayValues {
        let mut values = ArrayValues::new();
        for (symbol, size) in self.row_arrays() {
            let table = data.stacked.get(symbol).unwrap_or(&[]);
            values.set(symbol, table[row * size..(row + 1) * size].to_vec());
        }
        values
    }

    /// One row's outputs and loss.
    pub fn row(&mut self, params: &[f64], data: &Dataset, row: usize) -> (Vec<f64>, f64) {
        let mut values = self.shared(params);
        values.extend(&self.row_values(data, row));
        let result = self.analysis.evaluate(&values);
        let outputs = self
            .output
            .and_then(|o| result.values.get(o))
            .map_or(Vec::new(), <[f64]>::to_vec);
        (outputs, result.loss)
    }
}

/// The rows `rows` of `data`'s `arrays` (symbol, numbers per row): slices of the table when
/// they are consecutive, else copied into `gathered` (buffers kept between batches).
fn stacked_batch<'a>(
    arrays: &[(Symbol, usize)],
    data: &'a Dataset,
    rows: &[usize],
    gathered: &'a mut Vec<Vec<f64>>,
) -> StackedRows<'a> {
    let table = |symbol| data.stacked.get(symbol).unwrap_or(&[]);
    let consecutive = rows.windows(2).all(|w| w[1] == w[0] + 1);
    if let (true, Some(&first)) = (consecutive, rows.first()) {
        let whole = arrays
            .iter()
            .fold(StackedRows::new(data.rows), |s, &(symbol, _)| {
                s.with(symbol, table(symbol))
            });
        return whole.slice(first, first + rows.len());
    }
    gathered.resize_with(arrays.len(), Vec::new);
    for (&(symbol, size), buffer) in arrays.iter().zip(gathered.iter_mut()) {
        buffer.clear();
        for &r in rows {
            buffer.extend_from_slice(&table(symbol)[r * size..(r + 1) * size]);
        }
    }
    arrays
        .iter()
        .zip(gathered.iter())
        .fold(StackedRows::new(rows.len()), |s, (&(symbol, _), buffer)| {
            s.with(symbol, buffer)
        })
}

/// Sets each array of `arrays` from consecutive parts of `flat`.
fn split_into(values: &mut ArrayValues, arrays: &[(Symbol, usize)], flat: &[f64]) {
    let mut at = 0;
    for &(symbol, size) in arrays {
        values.set(symbol, flat[at..at + size].to_vec());
        at += size;
    }
}
