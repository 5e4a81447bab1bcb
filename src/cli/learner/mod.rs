//! A network seen as something to train: its params as one flat vector (declaration order,
//! arrays row-major: the order of generated `Params::to_vec`), the columns it reads, and the
//! summed loss and gradient over rows of a [`Dataset`], from the compiled evaluators (scalar
//! networks: core's `Analysis`; indexed ones: the batched evaluator of `IndexedAnalysis`).

pub mod indexed;
pub mod scalar;

use super::dataset::{Dataset, Layout};
use super::load::Network;
use super::Failure;
use symdiff::core::indexed::{element_name, positions};

/// A network to train or predict with.
pub enum Learner {
    /// A network of scalars (boxed, as the other: both are large, and a run has one).
    Scalar(Box<scalar::ScalarLearner>),
    /// A network with indexed layers (boxed).
    Indexed(Box<indexed::IndexedLearner>),
}

/// What the two kinds share: names, shapes and columns.
#[derive(Clone, Debug)]
pub struct Shape {
    /// The network's name.
    pub name: String,
    /// The loss's name (`E`).
    pub loss: String,
    /// Each param's name and shape (`[]` for a scalar), in declaration order.
    pub params: Vec<(String, Vec<usize>)>,
    /// The input and target columns.
    pub layout: Layout,
    /// The output's element names (`y`, or `o[1]`, `o[2]`, ...).
    pub outputs: Vec<String>,
}

impl Shape {
    /// The name of the flat vector's element `k`: `w1[2,3]` (1-based), or `c`.
    pub fn element(&self, mut k: usize) -> String {
        for (name, shape) in &self.params {
            let size: usize = shape.iter().product();
            if k < size {
                return element_name(name, &positions(shape)[k]);
            }
            k -= size;
        }
        format!("#{k}")
    }

    /// Splits a flat vector into `(name, shape, values)` per param, as `write_params` takes it.
    pub fn split(&self, flat: &[f64]) -> Vec<(String, Vec<usize>, Vec<f64>)> {
        let mut rest = flat;
        self.params
            .iter()
            .map(|(name, shape)| {
                let (head, tail) = rest.split_at(shape.iter().product());
                rest = tail;
                (name.clone(), shape.clone(), head.to_vec())
            })
            .collect()
    }
}

/// The element names of an array of `shape` (`x[1]`, `x[2]`, ...; `x` for a scalar).
pub fn element_names(name: &str, shape: &[usize]) -> Vec<String> {
    positions(shape)
        .iter()
        .map(|p| element_name(name, p))
        .collect()
}

impl Learner {
    /// The learner of a loaded network; an error for a model with nothing to train.
    pub fn new(network: Network) -> Result<Learner, Failure> {
        Ok(match network {
            Network::Scalar(model) => Learner::Scalar(Box::new(scalar::ScalarLearner::new(model)?)),
            Network::Indexed(model) => {
                Learner::Indexed(Box::new(indexed::IndexedLearner::new(model)))
            }
        })
    }

    /// Names, shapes and columns.
    pub fn shape(&self) -> &Shape {
        match self {
            Learner::Scalar(l) => &l.shape,
            Learner::Indexed(l) => &l.shape,
        }
    }

    /// Each param's initial values from the file (random initializers drawn with `seed`), in
    /// declaration order; `None` for a param the file gives no value.
    pub fn initial_each(&self, seed: u64) -> Vec<Option<Vec<f64>>> {
        match self {
            Learner::Scalar(l) => l.initial_each(),
            Learner::Indexed(l) => l.initial_each(seed),
        }
    }

    /// Makes `data` ready for this learner (the indexed evaluator's per-row arrays).
    pub fn prepare(&self, data: &mut Dataset) {
        if let Learner::Indexed(l) = self {
            l.prepare(data);
        }
    }

    /// The loss summed over `rows` of `data` at `params`, its gradient (summed) written to
    /// `gradient`.
    pub fn sum_gradient(
        &mut self,
        params: &[f64],
        data: &Dataset,
        rows: &[usize],
        gradient: &mut [f64],
    ) -> f64 {
        match self {
            Learner::Scalar(l) => l.sum_gradient(params, data, rows, gradient),
            Learner::Indexed(l) => l.sum_gradient(params, data, rows, gradient),
        }
    }

    /// One row's outputs and loss (`NaN` when `data` has no targets).
    pub fn row(&mut self, params: &[f64], data: &Dataset, row: usize) -> (Vec<f64>, f64) {
        match self {
            Learner::Scalar(l) => l.row(params, data, row),
            Learner::Indexed(l) => l.row(params, data, row),
        }
    }
}
