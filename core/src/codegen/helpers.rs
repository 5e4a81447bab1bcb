//! The small functions emitted code calls (`sigmoid`, `softplus`, `step`, `sign`), written into
//! the module only when used, in the module's float type.

use super::Float;
use crate::op::Func;

/// The helper functions emitted code calls; only those used are emitted.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Helpers {
    sigmoid: bool,
    softplus: bool,
    step: bool,
    sign: bool,
}

impl Helpers {
    /// Marks a helper as used and returns its name.
    pub(super) fn use_(&mut self, func: Func) -> &'static str {
        match func {
            Func::Sigmoid => self.sigmoid = true,
            Func::Softplus => self.softplus = true,
            Func::Step => self.step = true,
            Func::Sign => self.sign = true,
            Func::Exp
            | Func::Log
            | Func::Sqrt
            | Func::Sin
            | Func::Cos
            | Func::Tan
            | Func::Tanh
            | Func::Relu
            | Func::Abs => {}
            Func::Sum | Func::LogSumExp => {
                unreachable!("indexed networks are refused before code generation")
            }
        }
        func.name()
    }

    /// Writes the definitions of the helpers used, in `float`.
    pub(super) fn write_definitions(self, out: &mut String, float: Float) {
        let used = [
            (self.sigmoid, SIGMOID),
            (self.softplus, SOFTPLUS),
            (self.step, STEP),
            (self.sign, SIGN),
        ];
        for (_, definition) in used.iter().filter(|(used, _)| *used) {
            out.push_str(&definition.replace("FLOAT", float.ty()));
        }
    }
}

const SIGMOID: &str = r#"
    #[doc = r" `1/(1 + e^-x)`, without overflow for large negative `x`."]
    #[inline]
    fn sigmoid(x: FLOAT) -> FLOAT {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            let z = x.exp();
            z / (1.0 + z)
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
