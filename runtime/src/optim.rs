//! Optimizers that step any generated `Params` (through [`ParamVector`]) or a plain slice of
//! params, with the update rules PyTorch uses (`torch.optim.SGD`, `SGD(momentum=μ)`, `Adam`).
//!
//! Each keeps its state (a velocity, moment estimates) as one flat vector in the order of
//! [`ParamVector::flat_vec`], so the same optimizer steps a `Params` struct and the
//! `symdiff train` command's flat params alike, number for number.
//!
//! With `θ` the params, `g` the gradient of the (mean) loss at `θ`, `η` the learning rate and
//! `t` the step count (1 at the first step):
//!
//! | optimizer | state | update |
//! | --- | --- | --- |
//! | [`Sgd`] | none | `θ ← θ - η·g` |
//! | [`Momentum`] | `v = 0` | `v ← μ·v + g`, `θ ← θ - η·v` |
//! | [`Adam`] | `m = 0`, `s = 0` | `m ← β1·m + (1 - β1)·g`, `s ← β2·s + (1 - β2)·g²`, `θ ← θ - (η/(1 - β1^t))·m / (√s/√(1 - β2^t) + ε)` |
//!
//! Adam's update is `η·m̂/(√ŝ + ε)` with the bias-corrected `m̂ = m/(1 - β1^t)` and
//! `ŝ = s/(1 - β2^t)`, computed in PyTorch's order of operations (shown above).

use crate::{Float, ParamVector};

/// Something that updates params from a gradient, one step at a time.
///
/// ```
/// use symdiff_runtime::optim::{Optimizer, Sgd};
/// let mut params = [1.0, -2.0];
/// Sgd::new(0.5).step_slice(&mut params, &[2.0, -4.0]);
/// assert_eq!(params, [0.0, 0.0]);
/// ```
pub trait Optimizer<F: Float> {
    /// Starts a step over `len` params (the step count of [`Adam`] advances here).
    fn begin_step(&mut self, len: usize);

    /// Updates the params at `offset..offset + params.len()` of the flat vector from their
    /// gradient. Called after [`Optimizer::begin_step`], once for each part of the vector.
    fn update(&mut self, offset: usize, params: &mut [F], gradient: &[F]);

    /// One step on a flat vector of params.
    ///
    /// Panics unless `gradient` is as long as `params`.
    fn step_slice(&mut self, params: &mut [F], gradient: &[F]) {
        assert_eq!(params.len(), gradient.len(), "params and gradient lengths");
        self.begin_step(params.len());
        self.update(0, params, gradient);
    }

    /// One step on a network's params (`Params` as `network!` generates it), in place.
    ///
    /// ```
    /// use symdiff_runtime::optim::{Momentum, Optimizer};
    /// use symdiff_runtime::ParamVector;
    /// #[derive(Clone, Debug, PartialEq)]
    /// struct P { a: f64, b: [f64; 2] }
    /// impl ParamVector for P {
    ///     type Float = f64;
    ///     const LEN: usize = 3;
    ///     fn slices(&self) -> impl Iterator<Item = &[f64]> {
    ///         [std::slice::from_ref(&self.a), &self.b[..]].into_iter()
    ///     }
    ///     fn slices_mut(&mut self) -> impl Iterator<Item = &mut [f64]> {
    ///         [std::slice::from_mut(&mut self.a), &mut self.b[..]].into_iter()
    ///     }
    ///     fn zeros() -> Self { P { a: 0.0, b: [0.0; 2] } }
    /// }
    /// let mut p = P { a: 1.0, b: [1.0, 1.0] };
    /// let g = P { a: 1.0, b: [0.0, -1.0] };
    /// let mut momentum = Momentum::new(0.1, 0.9);
    /// momentum.step(&mut p, &g);
    /// momentum.step(&mut p, &g); // v = 0.9·g + g
    /// assert!((p.a - (1.0 - 0.1 - 0.19)).abs() < 1e-15);
    /// assert_eq!(p.b[0], 1.0);
    /// ```
    fn step<P: ParamVector<Float = F>>(&mut self, params: &mut P, gradient: &P)
    where
        Self: Sized,
    {
        self.begin_step(P::LEN);
        let mut offset = 0;
        for (p, g) in params.slices_mut().zip(gradient.slices()) {
            assert_eq!(p.len(), g.len(), "params and gradient shapes");
            self.update(offset, p, g);
            offset += p.len();
        }
    }
}

/// Plain gradient descent: `θ ← θ - η·g`.
///
/// ```
/// use symdiff_runtime::optim::{Optimizer, Sgd};
/// let mut w = [1.0f32];
/// Sgd::new(0.1).step_slice(&mut w, &[1.0]);
/// assert_eq!(w, [0.9]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd<F: Float> {
    /// The learning rate η.
    pub lr: F,
}

impl<F: Float> Sgd<F> {
    /// Gradient descent with learning rate `lr`.
    pub fn new(lr: F) -> Sgd<F> {
        Sgd { lr }
    }
}

impl<F: Float> Optimizer<F> for Sgd<F> {
    fn begin_step(&mut self, _len: usize) {}

    fn update(&mut self, _offset: usize, params: &mut [F], gradient: &[F]) {
        for (p, &g) in params.iter_mut().zip(gradient) {
            *p -= self.lr * g;
        }
    }
}

/// Gradient descent with momentum (heavy ball, as PyTorch's `SGD(momentum=μ)` without
/// dampening or Nesterov): `v ← μ·v + g`, `θ ← θ - η·v`, `v` starting at 0 (so the first step
/// is plain gradient descent).
///
/// ```
/// use symdiff_runtime::optim::{Momentum, Optimizer};
/// let mut w = [0.0f64];
/// let mut opt = Momentum::new(1.0, 0.5);
/// opt.step_slice(&mut w, &[1.0]); // v = 1
/// opt.step_slice(&mut w, &[1.0]); // v = 1.5
/// assert_eq!(w, [-2.5]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum<F: Float> {
    /// The learning rate η.
    pub lr: F,
    /// The momentum μ (0.9 is usual).
    pub momentum: F,
    velocity: Vec<F>,
}

impl<F: Float> Momentum<F> {
    /// Momentum `momentum` with learning rate `lr`.
    pub fn new(lr: F, momentum: F) -> Momentum<F> {
        Momentum {
            lr,
            momentum,
            velocity: Vec::new(),
        }
    }

    /// The velocity `v`, in flat order (empty before the first step).
    pub fn velocity(&self) -> &[F] {
        &self.velocity
    }
}

impl<F: Float> Optimizer<F> for Momentum<F> {
    fn begin_step(&mut self, len: usize) {
        self.velocity.resize(len, F::ZERO);
    }

    fn update(&mut self, offset: usize, params: &mut [F], gradient: &[F]) {
        let velocity = &mut self.velocity[offset..offset + params.len()];
        for ((p, v), &g) in params.iter_mut().zip(velocity).zip(gradient) {
            *v = self.momentum * *v + g;
            *p -= self.lr * *v;
        }
    }
}

/// Adam (Kingma and Ba), with bias correction, in PyTorch's order of operations.
///
/// ```
/// use symdiff_runtime::optim::{Adam, Optimizer};
/// let mut w = [1.0f64];
/// let mut adam = Adam::new(0.1);
/// adam.step_slice(&mut w, &[3.0]);
/// // The first step moves each param by about η, whatever the gradient's size.
/// assert!((w[0] - 0.9).abs() < 1e-8);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Adam<F: Float> {
    /// The learning rate η (0.001 is usual).
    pub lr: F,
    /// The decay of the first moment, β1 (0.9).
    pub beta1: F,
    /// The decay of the second moment, β2 (0.999).
    pub beta2: F,
    /// Added to the denominator, ε (1e-8).
    pub epsilon: F,
    step: i32,
    first: Vec<F>,
    second: Vec<F>,
    /// `η/(1 - β1^t)` and `√(1 - β2^t)` of the current step.
    scale: (F, F),
}

impl<F: Float> Adam<F> {
    /// Adam with learning rate `lr` and the usual β1 = 0.9, β2 = 0.999, ε = 1e-8.
    pub fn new(lr: F) -> Adam<F> {
        Adam::with(lr, F::from_f64(0.9), F::from_f64(0.999), F::from_f64(1e-8))
    }

    /// Adam with every constant given.
    pub fn with(lr: F, beta1: F, beta2: F, epsilon: F) -> Adam<F> {
        Adam {
            lr,
            beta1,
            beta2,
            epsilon,
            step: 0,
            first: Vec::new(),
            second: Vec::new(),
            scale: (F::ZERO, F::ZERO),
        }
    }

    /// The number of steps taken.
    pub fn steps(&self) -> i32 {
        self.step
    }
}

impl<F: Float> Optimizer<F> for Adam<F> {
    fn begin_step(&mut self, len: usize) {
        self.first.resize(len, F::ZERO);
        self.second.resize(len, F::ZERO);
        self.step += 1;
        let correction1 = F::ONE - self.beta1.powi(self.step);
        let correction2 = F::ONE - self.beta2.powi(self.step);
        self.scale = (self.lr / correction1, correction2.sqrt());
    }

    fn update(&mut self, offset: usize, params: &mut [F], gradient: &[F]) {
        let range = offset..offset + params.len();
        let (step_size, root2) = self.scale;
        let (b1, b2) = (self.beta1, self.beta2);
        let moments = self.first[range.clone()]
            .iter_mut()
            .zip(&mut self.second[range]);
        for ((p, (m, s)), &g) in params.iter_mut().zip(moments).zip(gradient) {
            *m = b1 * *m + (F::ONE - b1) * g;
            *s = b2 * *s + (F::ONE - b2) * g * g;
            let denominator = s.sqrt() / root2 + self.epsilon;
            *p -= step_size * (*m / denominator);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quadratic bowl `L(θ) = Σ c_i·θ_i²/2`, gradient `c_i·θ_i`.
    fn gradient(theta: &[f64], c: &[f64]) -> Vec<f64> {
        theta.iter().zip(c).map(|(t, c)| t * c).collect()
    }

    #[test]
    fn momentum_matches_the_closed_form_on_a_quadratic() {
        // One coordinate, L = θ²/2 (g = θ), η = 0.1, μ = 0.9, θ0 = 1. By hand:
        // v1 = 1, θ1 = 0.9; v2 = 0.9 + 0.9 = 1.8, θ2 = 0.72;
        // v3 = 1.62 + 0.72 = 2.34, θ3 = 0.486; v4 = 2.106 + 0.486 = 2.592, θ4 = 0.2268.
        let expected = [0.9, 0.72, 0.486, 0.2268];
        let mut theta = [1.0];
        let mut opt = Momentum::new(0.1, 0.9);
        for want in expected {
            let g = gradient(&theta, &[1.0]);
            opt.step_slice(&mut theta, &g);
            assert!((theta[0] - want).abs() < 1e-15, "{} vs {want}", theta[0]);
        }
    }

    #[test]
    fn momentum_matches_a_reference_step_by_step() {
        // The rule written out independently: v ← μv + g; θ ← θ - ηv.
        let c = [1.0, 3.0, 0.5];
        let (lr, mu) = (0.05, 0.8);
        let mut theta = vec![1.0, -2.0, 0.5];
        let mut reference = theta.clone();
        let mut v = [0.0; 3];
        let mut opt = Momentum::new(lr, mu);
        for _ in 0..50 {
            let g = gradient(&theta, &c);
            opt.step_slice(&mut theta, &g);
            let g = gradient(&reference, &c);
            for i in 0..3 {
                v[i] = mu * v[i] + g[i];
                reference[i] -= lr * v[i];
            }
            assert_eq!(theta, reference);
        }
    }

    #[test]
    fn adam_matches_the_closed_form_for_a_constant_gradient() {
        // With a constant gradient g, m_t = (1 - β1^t)·g and s_t = (1 - β2^t)·g², so the
        // bias-corrected update is exactly η·g/(|g| + ε) every step.
        let (lr, g) = (0.01, -4.0);
        let mut theta = [0.0];
        let mut adam = Adam::new(lr);
        for t in 1..=5 {
            adam.step_slice(&mut theta, &[g]);
            let want = t as f64 * lr * 4.0 / (4.0 + 1e-8);
            assert!(
                (theta[0] - want).abs() < 1e-15,
                "step {t}: {} vs {want}",
                theta[0]
            );
        }
    }

    #[test]
    fn adam_matches_a_reference_step_by_step_on_a_quadratic() {
        // Kingma and Ba's Algorithm 1, written out independently (m̂, v̂ then the update).
        let c = [1.0, 10.0, 0.1];
        let (lr, b1, b2, eps) = (0.1, 0.9, 0.999, 1e-8);
        let mut theta = vec![1.0, 1.0, -1.0];
        let mut reference = theta.clone();
        let (mut m, mut v) = ([0.0; 3], [0.0; 3]);
        let mut adam = Adam::new(lr);
        for t in 1..=100 {
            let g = gradient(&theta, &c);
            adam.step_slice(&mut theta, &g);
            let g = gradient(&reference, &c);
            for i in 0..3 {
                m[i] = b1 * m[i] + (1.0 - b1) * g[i];
                v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
                let m_hat = m[i] / (1.0 - f64::powi(b1, t));
                let v_hat = v[i] / (1.0 - f64::powi(b2, t));
                reference[i] -= lr * m_hat / (v_hat.sqrt() + eps);
            }
            for i in 0..3 {
                let scale = 1e-12 * reference[i].abs().max(1.0);
                assert!((theta[i] - reference[i]).abs() <= scale, "step {t}, θ{i}");
            }
        }
        // And it gets close to the minimum at 0.
        assert!(theta.iter().all(|t| t.abs() < 0.05), "{theta:?}");
    }

    #[test]
    fn stepping_in_parts_equals_stepping_the_whole_vector() {
        let g = [0.3, -1.0, 2.0, 0.0, 5.0];
        let mut whole = [1.0, 2.0, 3.0, 4.0, 5.0];
        let mut parts = whole;
        let (mut a, mut b) = (Adam::new(0.01), Adam::new(0.01));
        for _ in 0..3 {
            a.step_slice(&mut whole, &g);
            b.begin_step(5);
            let (left, right) = parts.split_at_mut(2);
            b.update(0, left, &g[..2]);
            b.update(2, right, &g[2..]);
        }
        assert_eq!(whole, parts);
    }

    #[test]
    fn f32_params_step_too() {
        let mut w = [1.0f32, 2.0];
        let mut adam = Adam::<f32>::new(0.5);
        adam.step_slice(&mut w, &[1.0, -1.0]);
        assert!((w[0] - 0.5).abs() < 1e-6 && (w[1] - 2.5).abs() < 1e-6);
        assert_eq!(adam.steps(), 1);
    }
}
