//! The numbers a page shows at each gradient-descent step: every vertex's forward value and
//! adjoint `∂E/∂vertex`, the loss and the gradient, computed here (the page's script only
//! displays them). Step 0 is the explanation's own point.

use crate::analysis::{Analysis, Evaluation, Point};
use crate::dag::Symbol;

/// The numbers at one step.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Step {
    /// The forward value of each vertex asked for, in the order asked.
    pub values: Vec<f64>,
    /// `∂of/∂vertex` of each vertex asked for (`NaN` where the derivation has no adjoint).
    pub adjoints: Vec<f64>,
    /// The differentiated vertex's value (summed over rows).
    pub loss: f64,
    /// `∂of/∂w` of each variable, in the analysis's order (summed over rows).
    pub gradient: Vec<f64>,
    /// The full evaluation, for the explanation at this step.
    pub evaluation: Evaluation,
}

/// `steps + 1` rows of numbers for `vertices`, the first at `points`, each later one after one
/// more update `w ← w - η·∂of/∂w` of the params (as [`super::super::Training::run`] does).
pub(super) fn run(
    analysis: &Analysis,
    points: &[Point],
    vertices: &[Symbol],
    eta: f64,
    steps: usize,
) -> Vec<Step> {
    let mut points = points.to_vec();
    let mut out = Vec::with_capacity(steps + 1);
    for step in 0..=steps {
        let evaluation = if step < steps {
            analysis.sgd_step(&mut points, eta)
        } else {
            analysis.evaluate_sum(&points)
        };
        let Some(evaluation) = evaluation else {
            break;
        };
        out.push(at(analysis, vertices, evaluation));
    }
    out
}

/// The numbers of one evaluation.
fn at(analysis: &Analysis, vertices: &[Symbol], evaluation: Evaluation) -> Step {
    let of = analysis.of();
    let derivation = &analysis.derivation;
    let adjoint = |s: Symbol| {
        if s == of {
            return 1.0;
        }
        if let Some(i) = derivation.gradients.iter().position(|g| g.wrt == s) {
            return evaluation.gradient[i];
        }
        match derivation.adjoints.get(s) {
            Some(a) => evaluation.point.get(a.symbol),
            None => f64::NAN,
        }
    };
    Step {
        values: vertices.iter().map(|&s| evaluation.point.get(s)).collect(),
        adjoints: vertices.iter().map(|&s| adjoint(s)).collect(),
        loss: evaluation.value,
        gradient: evaluation.gradient.clone(),
        evaluation,
    }
}
