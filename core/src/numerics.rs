//! Numerically stable values of the language's functions, shared by the evaluator and (as
//! source text) by emitted code.
//!
//! A finite input never yields NaN where the mathematical value is finite: `sigmoid(-1000)` is
//! `0`, not `0/0`, and `softplus(1000)` is `1000`, not `inf`.

use crate::op::Func;

/// `1/(1 + e^-x)` without overflow for large negative `x`.
///
/// ```
/// assert_eq!(symdiff_core::numerics::sigmoid(-1000.0), 0.0);
/// assert_eq!(symdiff_core::numerics::sigmoid(1000.0), 1.0);
/// ```
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let z = x.exp();
        z / (1.0 + z)
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
        Func::Relu => x.max(0.0),
        Func::Softplus => softplus(x),
        Func::Abs => x.abs(),
        Func::Step => step(x),
        Func::Sign => sign(x),
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

/// `base^exponent`, exact for whole exponents (`powi`), `powf` otherwise.
pub fn power(base: f64, exponent: f64) -> f64 {
    if exponent.fract() == 0.0 && exponent.abs() <= i32::MAX as f64 {
        base.powi(exponent as i32)
    } else {
        base.powf(exponent)
    }
}
