//! The one list of operations: every function of the language and every named constant.
//!
//! Evaluation, local partials and every printer `match` on these enums with no catch-all arm,
//! so adding a function is a checklist the compiler walks you through: add the variant here,
//! then follow the errors into `eval.rs`, `diff/rules.rs` and `emit/`.

/// A named function of the language (`sigmoid(s1)`, `exp(w)`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Func {
    /// `exp(x)`, e to the x.
    Exp,
    /// `log(x)`, the natural logarithm.
    Log,
    /// `sqrt(x)`.
    Sqrt,
    /// `sin(x)`.
    Sin,
    /// `cos(x)`.
    Cos,
    /// `tan(x)`.
    Tan,
    /// `tanh(x)`.
    Tanh,
    /// `sigmoid(x) = 1/(1 + e^-x)`.
    Sigmoid,
    /// `relu(x) = max(x, 0)`.
    Relu,
    /// `softplus(x) = log(1 + e^x)`.
    Softplus,
    /// `abs(x)`.
    Abs,
    /// `step(x)`: 1 for `x > 0`, else 0 (the derivative of `relu`, with `relu'(0) = 0`).
    Step,
    /// `sign(x)`: -1, 0 or 1 (the derivative of `abs`, with `abs'(0) = 0`).
    Sign,
    /// `Σ_i body` over an index of an indexed layer: the arguments are `[i, extent, body]`,
    /// the index a symbol, the extent a whole number. Written `sum(i, body)` in the language.
    /// Only the indexed evaluator gives it a value (`crate::indexed`).
    Sum,
    /// `log Σ_i exp(body)`, evaluated with its max shift: arguments `[i, extent, body]` as for
    /// [`Func::Sum`]. Written `logsumexp(i, body)`.
    LogSumExp,
}

impl Func {
    /// Every function called as `f(x)`, in the order the documentation lists them. The
    /// reductions [`Func::Sum`] and [`Func::LogSumExp`] bind an index and are not among them.
    pub const ALL: [Func; 13] = [
        Func::Exp,
        Func::Log,
        Func::Sqrt,
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Tanh,
        Func::Sigmoid,
        Func::Relu,
        Func::Softplus,
        Func::Abs,
        Func::Step,
        Func::Sign,
    ];

    /// The name the language uses for this function.
    ///
    /// ```
    /// use symdiff_core::Func;
    /// assert_eq!(Func::Sigmoid.name(), "sigmoid");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Log => "log",
            Func::Sqrt => "sqrt",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Tanh => "tanh",
            Func::Sigmoid => "sigmoid",
            Func::Relu => "relu",
            Func::Softplus => "softplus",
            Func::Abs => "abs",
            Func::Step => "step",
            Func::Sign => "sign",
            Func::Sum => "sum",
            Func::LogSumExp => "logsumexp",
        }
    }

    /// How many arguments the function takes.
    pub fn arity(self) -> usize {
        match self {
            Func::Exp
            | Func::Log
            | Func::Sqrt
            | Func::Sin
            | Func::Cos
            | Func::Tan
            | Func::Tanh
            | Func::Sigmoid
            | Func::Relu
            | Func::Softplus
            | Func::Abs
            | Func::Step
            | Func::Sign => 1,
            Func::Sum | Func::LogSumExp => 3,
        }
    }

    /// Whether this is a reduction over an index (`sum`, `logsumexp`), whose arguments are
    /// `[index, extent, body]`.
    pub fn is_reduction(self) -> bool {
        matches!(self, Func::Sum | Func::LogSumExp)
    }

    /// The function with this name, if the language has one.
    ///
    /// ```
    /// use symdiff_core::Func;
    /// assert_eq!(Func::from_name("tanh"), Some(Func::Tanh));
    /// assert_eq!(Func::from_name("sigmoidd"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A named mathematical constant.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Constant {
    /// π
    Pi,
    /// e, the base of the natural logarithm.
    E,
}

impl Constant {
    /// The constant's value.
    pub fn value(self) -> f64 {
        match self {
            Constant::Pi => std::f64::consts::PI,
            Constant::E => std::f64::consts::E,
        }
    }

    /// The constant with this name in the language (`pi`, `π`, `e`).
    pub fn from_name(name: &str) -> Option<Constant> {
        match name {
            "pi" | "π" => Some(Constant::Pi),
            "e" => Some(Constant::E),
            _ => None,
        }
    }
}
