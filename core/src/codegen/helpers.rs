//! The small functions emitted code calls (`sigmoid`, `tanh`, `relu`, `softplus`, `step`,
//! `sign`, `gate`), written into the module only when used, in the module's float type.
//!
//! `sigmoid(x)` and `tanh(x)` compute the exponential `exp(-|x|)` (`exp(-|2·x|)`)
//! unconditionally, before any branch: the backward pass evaluates `1 - sigmoid(s)` as
//! `sigmoid(-s)` and `1 - tanh(a)^2` as `4·sigmoid(2·a)·sigmoid(-2·a)` (see
//! `crate::stable_formulas`), and once the helpers are inlined the compiler computes that
//! exponential once for the forward value and its complement (no second `exp`).

use super::Float;
use crate::op::Func;

/// The helper functions emitted code calls; only those used are emitted.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Helpers {
    sigmoid: bool,
    sigmoid_pair: bool,
    tanh: bool,
    relu: bool,
    softplus: bool,
    step: bool,
    sign: bool,
    gate: bool,
}

impl Helpers {
    /// Marks a helper as used and returns its name.
    pub(super) fn use_(&mut self, func: Func) -> &'static str {
        match func {
            Func::Sigmoid => self.sigmoid = true,
            Func::Tanh => self.tanh = true,
            Func::Softplus => self.softplus = true,
            Func::Step => self.step = true,
            Func::Sign => self.sign = true,
            Func::Exp
            | Func::Log
            | Func::Sqrt
            | Func::Sin
            | Func::Cos
            | Func::Tan
            | Func::Relu
            | Func::Abs => {}
            Func::Sum | Func::LogSumExp => {
                unreachable!("a reduction is computed into a buffer before its formula is written")
            }
        }
        func.name()
    }

    /// Marks the `sigmoid_pair` helper as used and returns its name.
    pub(super) fn use_sigmoid_pair(&mut self) -> &'static str {
        self.sigmoid_pair = true;
        "sigmoid_pair"
    }

    /// Marks the `relu` helper as used and returns its name.
    pub(super) fn use_relu(&mut self) -> &'static str {
        self.relu = true;
        "relu"
    }

    /// Marks the `gate` helper as used and returns its name.
    pub(super) fn use_gate(&mut self) -> &'static str {
        self.gate = true;
        "gate"
    }

    /// Marks every helper `other` uses as used here too.
    pub(super) fn merge(&mut self, other: Helpers) {
        self.sigmoid |= other.sigmoid;
        self.sigmoid_pair |= other.sigmoid_pair;
        self.tanh |= other.tanh;
        self.relu |= other.relu;
        self.softplus |= other.softplus;
        self.step |= other.step;
        self.sign |= other.sign;
        self.gate |= other.gate;
    }

    /// Writes the definitions of the helpers used, in `float`.
    pub(super) fn write_definitions(self, out: &mut String, float: Float) {
        let used = [
            (self.sigmoid, SIGMOID),
            (self.sigmoid_pair, SIGMOID_PAIR),
            (self.tanh, TANH),
            (self.relu, RELU),
            (self.softplus, SOFTPLUS),
            (self.step, STEP),
            (self.sign, SIGN),
            (self.gate, GATE),
        ];
        for (_, definition) in used.iter().filter(|(used, _)| *used) {
            out.push_str(&definition.replace("FLOAT", float.ty()));
        }
    }
}

const SIGMOID: &str = r#"
    #[doc = r" `1/(1 + e^-x)` from `e = exp(-|x|)` and `d = 1 + e`, without overflow: `1/d` for"]
    #[doc = r" `x >= 0`, `e/d` below (one division of the selected numerator); `sigmoid(-x)` (the"]
    #[doc = r" accurate `1 - sigmoid(x)`) shares `e` and `d`. Bit for bit `sigmoid_pair(x).0`."]
    #[inline]
    fn sigmoid(x: FLOAT) -> FLOAT {
        let e = (-x.abs()).exp();
        let d = 1.0 + e;
        let n = if x >= 0.0 { 1.0 } else { e };
        n / d
    }
"#;

const SIGMOID_PAIR: &str = r#"
    #[doc = r" `(sigmoid(x), sigmoid(-x))`, the second the accurate `1 - sigmoid(x)`: one branch,"]
    #[doc = r" then `e = exp(-|x|)`, `d = 1 + e` and `(e/d, 1/d)` or `(1/d, e/d)`. Two independent"]
    #[doc = r" divisions rather than `r = 1/d` and `e·r`: as accurate or more (two roundings), and"]
    #[doc = r" measured faster once inlined into a caller's loop (BENCHMARKS.md)."]
    #[inline]
    fn sigmoid_pair(x: FLOAT) -> (FLOAT, FLOAT) {
        if x < 0.0 {
            let e = x.exp();
            let d = 1.0 + e;
            (e / d, 1.0 / d)
        } else {
            let e = (-x).exp();
            let d = 1.0 + e;
            (1.0 / d, e / d)
        }
    }
"#;

const TANH: &str = r#"
    #[doc = r" `tanh(x)`: the standard library's below `|x| = 0.55`, `(1 - e)·r` with"]
    #[doc = r" `e = exp(-|2·x|)` and `r = 1/(1 + e)` above (where `1 - e` does not cancel); `e` and"]
    #[doc = r" `r` are computed first, so that `1 - tanh(x)^2 = 4·sigmoid(2·x)·sigmoid(-2·x)` shares them."]
    #[inline]
    fn tanh(x: FLOAT) -> FLOAT {
        let e = (-(2.0 * x).abs()).exp();
        let r = 1.0 / (1.0 + e);
        if x.abs() < 0.55 {
            x.tanh()
        } else {
            ((1.0 - e) * r).copysign(x)
        }
    }
"#;

const RELU: &str = r#"
    #[doc = r" `max(x, 0)`, and NaN for a NaN `x` (`x.max(0.0)` would give 0)."]
    #[inline]
    fn relu(x: FLOAT) -> FLOAT {
        if x < 0.0 {
            0.0
        } else {
            x
        }
    }
"#;

const SOFTPLUS: &str = r#"
    #[doc = r" `log(1 + e^x)` as `max(x, 0) + log1p(e^-|x|)`, without overflow."]
    #[inline]
    fn softplus(x: FLOAT) -> FLOAT {
        x.max(0.0) + (-x.abs()).exp().ln_1p()
    }
"#;

const STEP: &str = r#"
    #[doc = r" 1 for `x > 0`, else 0 (the derivative of `relu`)."]
    #[inline]
    fn step(x: FLOAT) -> FLOAT {
        if x > 0.0 {
            1.0
        } else if x.is_nan() {
            x
        } else {
            0.0
        }
    }
"#;

const SIGN: &str = r#"
    #[doc = r" -1, 0 or 1 (the derivative of `abs`, with `abs'(0) = 0`)."]
    #[inline]
    fn sign(x: FLOAT) -> FLOAT {
        if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            x
        }
    }
"#;

const GATE: &str = r#"
    #[doc = r" 0 where `gate` (a `step` or `sign` factor of `product`) is 0, else `product`: the"]
    #[doc = r" kink rules make the product 0 even where another factor is not finite."]
    #[inline]
    fn gate(gate: FLOAT, product: FLOAT) -> FLOAT {
        if gate == 0.0 {
            0.0
        } else {
            product
        }
    }
"#;
