//! Training a network of scalars: the loss and its gradient from core's compiled evaluator
//! (the factored form, `Analysis::for_network`), one row at a time into reused buffers.

use super::Shape;
use crate::cli::dataset::{Dataset, Layout};
use crate::cli::Failure;
use symdiff::core::{Analysis, Evaluation, Model, Point, Role, Symbol};

/// A scalar network with its compiled loss and gradient.
pub struct ScalarLearner {
    /// Names, shapes and columns.
    pub shape: Shape,
    analysis: Analysis,
    params: Vec<Symbol>,
    inputs: Vec<Symbol>,
    targets: Vec<Symbol>,
    output: Symbol,
    /// The point every row is evaluated at (params, then the row's inputs and targets).
    point: Point,
    out: Evaluation,
    scratch: Vec<f64>,
}

impl ScalarLearner {
    /// Derives the network's loss with respect to all its params.
    pub fn new(model: Model) -> Result<ScalarLearner, Failure> {
        let analysis = Analysis::for_network(model, 0)
            .map_err(|e| Failure(format!("error: cannot train: {e}")))?;
        let model = &analysis.model;
        let names = |role| -> Vec<String> {
            model
                .with_role(role)
                .iter()
                .map(|&s| model.name_of(s).to_string())
                .collect()
        };
        let shape = Shape {
            name: model.name().unwrap_or("").to_string(),
            loss: model.name_of(analysis.of()).to_string(),
            params: names(Role::Param)
                .into_iter()
                .map(|n| (n, vec![]))
                .collect(),
            layout: Layout {
                inputs: names(Role::Input),
                targets: names(Role::Target),
            },
            outputs: names(Role::Output),
        };
        let point = analysis.default_point();
        Ok(ScalarLearner {
            params: analysis.wrt(),
            inputs: model.with_role(Role::Input),
            targets: model.with_role(Role::Target),
            output: model.with_role(Role::Output)[0],
            shape,
            point,
            out: Evaluation {
                point: analysis.default_point(),
                value: f64::NAN,
                gradient: Vec::new(),
            },
            scratch: Vec::new(),
            analysis,
        })
    }

    /// Each param's initial value from the file (`None` where it gives none).
    pub fn initial_each(&self) -> Vec<Option<Vec<f64>>> {
        let point = self.analysis.default_point();
        self.params
            .iter()
            .map(|&p| Some(vec![point.get(p)]).filter(|v| !v[0].is_nan()))
            .collect()
    }

    fn load(&mut self, params: &[f64], data: &Dataset, row: usize) {
        for (&s, &v) in self.params.iter().zip(params) {
            self.point.set(s, v);
        }
        for (&s, &v) in self.inputs.iter().zip(data.x_row(row)) {
            self.point.set(s, v);
        }
        match data.t_row(row) {
            Some(t) => {
                for (&s, &v) in self.targets.iter().zip(t) {
                    self.point.set(s, v);
                }
            }
            None => {
                for &s in &self.targets {
                    self.point.set(s, f64::NAN);
                }
            }
        }
    }

    /// The loss summed over `rows`, its gradient summed into `gradient`.
    pub fn sum_gradient(
        &mut self,
        params: &[f64],
        data: &Dataset,
        rows: &[usize],
        gradient: &mut [f64],
    ) -> f64 {
        gradient.fill(0.0);
        let mut loss = 0.0;
        for &r in rows {
            self.load(params, data, r);
            self.analysis
                .evaluate_into(&self.point, &mut self.out, &mut self.scratch);
            loss += self.out.value;
            for (g, d) in gradient.iter_mut().zip(&self.out.gradient) {
                *g += d;
            }
        }
        loss
    }

    /// One row's output and loss.
    pub fn row(&mut self, params: &[f64], data: &Dataset, row: usize) -> (Vec<f64>, f64) {
        self.load(params, data, row);
        self.analysis
            .evaluate_into(&self.point, &mut self.out, &mut self.scratch);
        (vec![self.out.point.get(self.output)], self.out.value)
    }
}
