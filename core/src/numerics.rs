//! Numerically stable values of the language's functions, shared by the evaluator and (as
//! source text) by emitted code.
//!
//! A finite input never yields NaN where the mathematical value is finite: `sigmoid(-1000)` is
//! `0`, not `0/0`, and `softplus(1000)` is `1000`, not `inf`.

use crate::op::Func;

/// `1/(1 + e^-x)` without overflow for large negative `x`, from `e = exp(-|x|)`:
/// `1/(1 + e)` for `x >= 0`, `e·1/(1 + e)` below. The exponential's argument is `-|x|` on both
/// sides, so `sigmoid(x)` and `sigmoid(-x)` (the accurate `1 - sigmoid(x)`, see
/// [`crate::stable_formulas`]) share it: generated code computes it once.
///
/// ```
/// assert_eq!(symdiff_core::numerics::sigmoid(-1000.0), 0.0);
/// assert_eq!(symdiff_core::numerics::sigmoid(1000.0), 1.0);
/// // 1 - sigmoid(37) is 8.533047625744065e-17, which `1.0 - sigmoid(37.0)` rounds to 0.
/// assert_eq!(symdiff_core::numerics::sigmoid(-37.0), 8.533047625744066e-17);
/// ```
pub fn sigmoid(x: f64) -> f64 {
    sigmoid_from_exp(x, (-x.abs()).exp())
}

/// [`sigmoid`] of `x` given `e = exp(-|x|)`, which `sigmoid(-x)` shares.
///
/// ```
/// use symdiff_core::numerics::{sigmoid, sigmoid_from_exp};
/// let e = (-40f64).exp();
/// assert_eq!((sigmoid_from_exp(40.0, e), sigmoid_from_exp(-40.0, e)), (sigmoid(40.0), sigmoid(-40.0)));
/// ```
pub fn sigmoid_from_exp(x: f64, e: f64) -> f64 {
    // One division, `r = 1/(1 + e)`, for both signs (so `sigmoid(-x)` shares it too); `e·r` is
    // within 2.3 ulps of `e/(1 + e)`'s true value.
    let r = 1.0 / (1.0 + e);
    if x >= 0.0 {
        r
    } else {
        e * r
    }
}

/// `log(1 + e^x)` as `max(x, 0) + log1p(e^-|x|)`.
///
/// ```
/// assert_eq!(symdiff_core::numerics::softplus(1000.0), 1000.0);
/// assert_eq!(symdiff_core::numerics::softplus(-1000.0), 0.0);
/// ```
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// 1 for `x > 0`, else 0 (the lecture's `relu'`).
pub fn step(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x.is_nan() {
        x
    } else {
        0.0
    }
}

/// -1, 0 or 1 (`abs'`, with `abs'(0) = 0`).
pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x // 0 or NaN
    }
}

/// A one-argument function's value.
pub fn apply(func: Func, x: f64) -> f64 {
    match func {
        Func::Exp => x.exp(),
        Func::Log => x.ln(),
        Func::Sqrt => x.sqrt(),
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Tan => x.tan(),
        Func::Tanh => x.tanh(),
        Func::Sigmoid => sigmoid(x),
        // `f64::max` returns the other operand for a NaN: relu of an undefined value is
        // undefined, not 0.
        Func::Relu if x.is_nan() => x,
        Func::Relu => x.max(0.0),
        Func::Softplus => softplus(x),
        Func::Abs => x.abs(),
        Func::Step => step(x),
        Func::Sign => sign(x),
        // A reduction ranges over an index: only the indexed evaluator can give it a value.
        Func::Sum | Func::LogSumExp => f64::NAN,
    }
}

/// The power rule's `log(base)` beside `power = base^e` (`Dag::power_rule_log`): 0 where
/// `power` is 0, so that `power·log(base)` is 0 there (log(0) would make it 0·(-inf)).
pub fn power_rule_log(base: f64, power: f64) -> f64 {
    if power == 0.0 {
        0.0
    } else {
        base.ln()
    }
}

/// The largest whole exponent computed by repeated multiplication (`powi`); larger ones use
/// `powf`. Each multiplication of `powi` rounds, and the rounding errors are amplified by the
/// squarings after them, so `x^n` by squaring carries a relative error up to about `n/2` ulps
/// (`x^2147483647` was off by 3.9e-9); up to `n = 8` that is at most 4 ulps, while `powf` is
/// within 1 ulp for every exponent.
pub const POWI_MAX: i32 = 8;

/// `base^exponent`: by multiplication (`powi`) for whole exponents up to [`POWI_MAX`] in
/// magnitude, `powf` otherwise.
///
/// ```
/// use symdiff_core::numerics::power;
/// assert_eq!(power(3.0, 2.0), 9.0);
/// // (1 + 2^-30)^2147483647 = 7.38905608516746074745695... (mpmath, 50 digits)
/// assert!((power(1.0 + 2f64.powi(-30), 2147483647.0) / 7.389056085167461 - 1.0).abs() < 2e-16);
/// ```
pub fn power(base: f64, exponent: f64) -> f64 {
    if exponent.fract() == 0.0 && exponent.abs() <= f64::from(POWI_MAX) {
        base.powi(exponent as i32)
    } else {
        base.powf(exponent)
    }
}
