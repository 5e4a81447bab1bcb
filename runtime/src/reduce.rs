//! Stable reductions for generated code: `logsumexp` in one pass with an online max shift
//! (the same arithmetic as symdiff's loop evaluator, so both give the same bits).

use crate::Float;

/// `log Σ exp(term)` without overflow: the running maximum `m` is shifted out, so every
/// exponential is of a number ≤ 0. No terms give -∞; a NaN term gives NaN; an infinite
/// maximum is the result.
///
/// ```
/// use symdiff_runtime::reduce::logsumexp;
/// let v = logsumexp([1000.0, 1000.0]);
/// assert!((v - (1000.0 + 2f64.ln())).abs() < 1e-12);
/// assert_eq!(logsumexp(std::iter::empty::<f64>()), f64::NEG_INFINITY);
/// assert!(logsumexp([1.0, f64::NAN]).is_nan());
/// ```
pub fn logsumexp<F: Float>(terms: impl IntoIterator<Item = F>) -> F {
    let (mut max, mut scaled) = (F::NEG_INFINITY, F::ZERO);
    for term in terms {
        if term > max {
            // exp(-inf) = 0 rescales nothing before the first finite term.
            scaled = scaled * (max - term).exp() + F::ONE;
            max = term;
        } else if term == max {
            // Also for infinite terms, where term - max would be NaN.
            scaled += F::ONE;
        } else {
            // A NaN term lands here and makes the result NaN.
            scaled += (term - max).exp();
        }
    }
    if scaled.is_nan() {
        F::NAN
    } else if !max.is_finite() {
        max
    } else {
        max + scaled.ln()
    }
}
