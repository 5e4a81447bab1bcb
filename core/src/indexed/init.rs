//! A param's initial values: from its [`Initializer`] and a seed, every element, row-major.
//!
//! The random initializers (`uniform`, `normal`, `glorot`, `he`) draw from a stream of their own
//! for each array, keyed by the seed and the array's name: the same file and seed give the same
//! values on every platform and in every version, and adding, removing or reordering one param
//! leaves every other param's values as they were. symdiff-runtime's `init` makes the numbers
//! (generated code calls the same functions for `Params::init`).
//!
//! Fans, for `glorot` and `he`: a param `w1[J, I]` carries input `i` to unit `j` (the lecture's
//! `w_ji`), so its `fan_in` is the product of every dimension but the first (`I`) and its
//! `fan_out` the first dimension (`J`). A vector `v[J]` is the weights of one unit that reads all
//! `J` elements (`o = Σ_j v[j]·h[j]`): `fan_in = J`, `fan_out = 1`. A scalar has both fans 1.

use super::model::{Array, Initializer};
use symdiff_runtime::init::{normal, uniform};

/// The seed used when none is given (`--seed` defaults to it): 0, so that there is nothing to
/// remember.
///
/// ```
/// assert_eq!(symdiff_core::indexed::DEFAULT_SEED, 0);
/// ```
pub const DEFAULT_SEED: u64 = 0;

/// The initial values of a param, every element in row-major order (the last index varies
/// fastest), or `None` when the file gives it no initializer.
///
/// - `Constant(c)`: `c` in every element.
/// - `Values(v)`: `v` as given (the grammar has checked it against the shape).
/// - `Uniform { low, high }`: `low + (high - low)·u` with `u` uniform on `[0, 1)`.
/// - `Normal { mean, sd }`: `mean + sd·z` with `z` standard normal.
/// - `Glorot`: uniform on `[-a, a]`, `a = sqrt(6 / (fan_in + fan_out))` (Glorot and Bengio 2010).
/// - `He`: normal with mean 0 and standard deviation `sqrt(2 / fan_in)` (He et al. 2015).
///
/// The random ones depend only on `seed`, `name` and the shape; see the module documentation for
/// the fans.
///
/// ```
/// use symdiff_core::indexed::{initial_values, Array, Initializer, DEFAULT_SEED};
/// use symdiff_core::{Dag, Role};
///
/// let mut dag = Dag::new();
/// let w1 = Array {
///     symbol: dag.symbol_of("w1"),
///     role: Role::Param,
///     shape: vec![3, 2],
///     init: Some(Initializer::Glorot),
/// };
/// let values = initial_values(&w1, "w1", DEFAULT_SEED).unwrap();
/// assert_eq!(values.len(), 6);
/// let a = (6.0_f64 / (2.0 + 3.0)).sqrt();
/// assert!(values.iter().all(|w| w.abs() <= a));
/// assert_eq!(initial_values(&w1, "w1", DEFAULT_SEED).unwrap(), values);
///
/// let b1 = Array { symbol: dag.symbol_of("b1"), role: Role::Param, shape: vec![3], init: None };
/// assert_eq!(initial_values(&b1, "b1", DEFAULT_SEED), None);
/// ```
pub fn initial_values(array: &Array, name: &str, seed: u64) -> Option<Vec<f64>> {
    let count: usize = array.shape.iter().product();
    let values = match *array.init.as_ref()? {
        Initializer::Constant(c) => vec![c; count],
        Initializer::Values(ref values) => {
            debug_assert_eq!(
                values.len(),
                count,
                "`{name}`: the grammar checks the shape"
            );
            values.clone()
        }
        Initializer::Uniform { low, high } => uniform(seed, name, count, low, high),
        Initializer::Normal { mean, sd } => normal(seed, name, count, mean, sd),
        Initializer::Glorot => {
            let (fan_in, fan_out) = fans(&array.shape);
            let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
            uniform(seed, name, count, -a, a)
        }
        Initializer::He => {
            let (fan_in, _) = fans(&array.shape);
            normal(seed, name, count, 0.0, (2.0 / fan_in as f64).sqrt())
        }
    };
    Some(values)
}

/// `(fan_in, fan_out)` of a param of this shape (see the module documentation).
pub(crate) fn fans(shape: &[usize]) -> (usize, usize) {
    match shape {
        [] => (1, 1),
        [n] => (*n, 1),
        [first, rest @ ..] => (rest.iter().product(), *first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dag::Dag;
    use crate::model::Role;

    fn param(shape: &[usize], init: Initializer) -> Array {
        Array {
            symbol: Dag::new().symbol_of("w"),
            role: Role::Param,
            shape: shape.to_vec(),
            init: Some(init),
        }
    }

    fn values(shape: &[usize], init: Initializer, name: &str, seed: u64) -> Vec<f64> {
        initial_values(&param(shape, init), name, seed).unwrap()
    }

    /// Mean and (unbiased) variance.
    fn moments(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let variance = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, variance)
    }

    #[test]
    fn the_same_seed_gives_the_same_values_and_another_seed_others() {
        for init in [
            Initializer::Uniform {
                low: -0.5,
                high: 0.5,
            },
            Initializer::Normal { mean: 0.0, sd: 1.0 },
            Initializer::Glorot,
            Initializer::He,
        ] {
            let a = values(&[4, 3], init.clone(), "w1", 7);
            assert_eq!(a, values(&[4, 3], init.clone(), "w1", 7));
            let b = values(&[4, 3], init.clone(), "w1", 8);
            assert!(a.iter().zip(&b).all(|(x, y)| x != y), "{init:?}");
            // Another name is another stream, even at the same seed.
            let c = values(&[4, 3], init.clone(), "w2", 7);
            assert!(a.iter().zip(&c).all(|(x, y)| x != y), "{init:?}");
        }
    }

    #[test]
    fn values_are_pinned_for_every_version() {
        // Computed once by this implementation and checked against an independent Python
        // transcription of the same algorithms; they must never change, since saved
        // experiments depend on them.
        let u = values(
            &[3],
            Initializer::Uniform {
                low: 0.0,
                high: 1.0,
            },
            "w1",
            DEFAULT_SEED,
        );
        let n = values(
            &[3],
            Initializer::Normal { mean: 0.0, sd: 1.0 },
            "w1",
            DEFAULT_SEED,
        );
        assert_eq!(u, PINNED_UNIFORM);
        assert_eq!(n, PINNED_NORMAL);
    }

    const PINNED_UNIFORM: [f64; 3] = [0.5048864123007223, 0.3523701234841251, 0.5145812169109454];
    const PINNED_NORMAL: [f64; 3] = [0.07305882556003188, -2.2072769819747022, 0.3253748766594411];

    #[test]
    fn adding_a_param_leaves_the_others_unchanged() {
        // A param's values depend on its name and the seed alone, not on which params come
        // before it: the stream is keyed by the name.
        let he = |name: &str| values(&[5, 4], Initializer::He, name, 3);
        let before = [he("w1"), he("w2")];
        let after = [he("w0"), he("w1"), he("w2")];
        assert_eq!(before[0], after[1]);
        assert_eq!(before[1], after[2]);
    }

    #[test]
    fn a_prefix_of_a_larger_array_is_the_smaller_array() {
        // Row-major from one stream: growing the last layer keeps the first draws.
        let small = values(&[6], Initializer::Normal { mean: 0.0, sd: 1.0 }, "v", 1);
        let large = values(&[7], Initializer::Normal { mean: 0.0, sd: 1.0 }, "v", 1);
        assert_eq!(small[..], large[..6]);
    }

    #[test]
    fn uniform_moments_match_their_distribution() {
        // n = 200,000 draws of U(-1, 3): mean 1, variance (b - a)²/12 = 4/3. The standard error
        // of the mean is sqrt(4/3 / n) = 0.0026 and of the variance about
        // sqrt((μ4 - σ⁴)/n) = sqrt((16/5 - 16/9)/n) = 0.0027; the bounds are 6 standard errors,
        // so a correct generator fails them with probability about 2e-9.
        let n = 200_000;
        let xs = values(
            &[n],
            Initializer::Uniform {
                low: -1.0,
                high: 3.0,
            },
            "u",
            DEFAULT_SEED,
        );
        assert!(xs.iter().all(|x| (-1.0..3.0).contains(x)));
        let (mean, variance) = moments(&xs);
        assert!((mean - 1.0).abs() < 6.0 * 0.0026, "mean {mean}");
        assert!(
            (variance - 4.0 / 3.0).abs() < 6.0 * 0.0027,
            "variance {variance}"
        );
    }

    #[test]
    fn normal_moments_match_their_distribution() {
        // n = 200,000 draws of N(2, 0.5²): the standard error of the mean is 0.5/sqrt(n) =
        // 0.0011, of the variance σ²·sqrt(2/(n - 1)) = 0.00079; of the fourth standardised
        // moment (3 for a normal) about sqrt(24/n) = 0.011. Bounds of 6 standard errors.
        let n = 200_000;
        let xs = values(&[n], Initializer::Normal { mean: 2.0, sd: 0.5 }, "z", 11);
        let (mean, variance) = moments(&xs);
        assert!((mean - 2.0).abs() < 6.0 * 0.0011, "mean {mean}");
        assert!(
            (variance - 0.25).abs() < 6.0 * 0.00079,
            "variance {variance}"
        );
        let kurtosis =
            xs.iter().map(|x| (x - mean).powi(4)).sum::<f64>() / n as f64 / variance.powi(2);
        assert!((kurtosis - 3.0).abs() < 6.0 * 0.011, "kurtosis {kurtosis}");
    }

    #[test]
    fn glorot_stays_within_its_bound_and_fills_it() {
        // w[J = 128, I = 784]: fan_in 784, fan_out 128, a = sqrt(6/912); variance a²/3.
        let xs = values(&[128, 784], Initializer::Glorot, "w1", DEFAULT_SEED);
        let a = (6.0_f64 / 912.0).sqrt();
        assert!(xs.iter().all(|x| x.abs() <= a));
        let (largest, smallest) = xs
            .iter()
            .fold((f64::MIN, f64::MAX), |(hi, lo), &x| (hi.max(x), lo.min(x)));
        assert!(largest > 0.999 * a && smallest < -0.999 * a);
        let (mean, variance) = moments(&xs);
        // n = 100,352: standard errors a/sqrt(3n) = 0.00015 and a²·sqrt(4/(45n)) = 0.0000062.
        assert!(mean.abs() < 6.0 * 0.00015, "mean {mean}");
        assert!(
            (variance - a * a / 3.0).abs() < 6.0 * 0.0000062,
            "{variance}"
        );
    }

    #[test]
    fn he_has_the_standard_deviation_of_its_fan_in() {
        // w[K = 10, H = 128, 2]: fan_in = 256, sd = sqrt(2/256) = 0.0884; n = 2560, so the
        // standard error of the variance is σ²·sqrt(2/n) = 0.00022.
        let xs = values(&[10, 128, 2], Initializer::He, "w", DEFAULT_SEED);
        let (mean, variance) = moments(&xs);
        assert!(
            mean.abs() < 6.0 * (2.0 / 256.0 / 2560.0_f64).sqrt(),
            "{mean}"
        );
        assert!((variance - 2.0 / 256.0).abs() < 6.0 * 0.00022, "{variance}");
    }

    #[test]
    fn fans_follow_the_lecture_w_ji() {
        assert_eq!(fans(&[3, 4]), (4, 3));
        assert_eq!(fans(&[5, 4, 3]), (12, 5));
        assert_eq!(fans(&[7]), (7, 1));
        assert_eq!(fans(&[]), (1, 1));
    }

    #[test]
    fn constants_and_literal_values_are_copied() {
        assert_eq!(
            values(&[2, 3], Initializer::Constant(0.5), "b", 1),
            [0.5; 6]
        );
        assert_eq!(values(&[], Initializer::Constant(-2.0), "c", 1), [-2.0]);
        let given = vec![0.1, 0.2, 0.3, 0.4];
        let copied = values(&[2, 2], Initializer::Values(given.clone()), "w", 1);
        assert_eq!(copied, given);
        // No seed changes them.
        assert_eq!(
            values(&[2, 2], Initializer::Values(given.clone()), "w", 9),
            given
        );
    }

    #[test]
    fn a_param_without_an_initializer_has_no_values() {
        let mut array = param(&[2], Initializer::Constant(1.0));
        array.init = None;
        assert_eq!(initial_values(&array, "w", DEFAULT_SEED), None);
    }
}
