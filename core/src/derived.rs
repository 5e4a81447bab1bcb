//! Derived functions: names of the language that stand for a formula over the primitive
//! operations of [`crate::Func`], expanded when the source is lowered.
//!
//! `bce(t, y)` is binary cross-entropy, `mse(t, y)` the squared error, `log_sigmoid(x)` the log
//! of a sigmoid, `max(a, b)` and `min(a, b)` the larger and the smaller of two values. Expanding them keeps one list of primitives for evaluation, differentiation and
//! printing, and lets the simplifier see through them: `bce(t, sigmoid(s))` becomes
//! `t·softplus(-s) + (1 - t)·softplus(s)`, which evaluates without overflow at any logit.

use crate::dag::{Dag, NodeId};
use crate::op::Func;

/// A function of the language defined by a formula.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Derived {
    /// `bce(t, y) = -(t·log(y) + (1 - t)·log(1 - y))`
    Bce,
    /// `mse(t, y) = (t - y)^2`
    Mse,
    /// `log_sigmoid(x) = -softplus(-x)`
    LogSigmoid,
    /// `max(a, b) = a + relu(b - a)`: at a tie its derivative follows the first argument
    /// (`relu'(0) = 0`), the kink policy "the tie goes to the first argument".
    Max,
    /// `min(a, b) = a - relu(a - b)`: at a tie its derivative follows the first argument.
    Min,
}

impl Derived {
    /// Every derived function.
    pub const ALL: [Derived; 5] = [
        Derived::Bce,
        Derived::Mse,
        Derived::LogSigmoid,
        Derived::Max,
        Derived::Min,
    ];

    /// The name the language uses.
    pub fn name(self) -> &'static str {
        match self {
            Derived::Bce => "bce",
            Derived::Mse => "mse",
            Derived::LogSigmoid => "log_sigmoid",
            Derived::Max => "max",
            Derived::Min => "min",
        }
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Derived::Bce | Derived::Mse | Derived::Max | Derived::Min => 2,
            Derived::LogSigmoid => 1,
        }
    }

    /// The derived function with this name.
    ///
    /// ```
    /// use symdiff_core::Derived;
    /// assert_eq!(Derived::from_name("bce"), Some(Derived::Bce));
    /// assert_eq!(Derived::from_name("exp"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Derived> {
        Derived::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The formula it stands for, over `args` (exactly [`Derived::arity`] of them).
    ///
    /// ```
    /// use symdiff_core::{Dag, Derived, Text};
    /// let mut dag = Dag::new();
    /// let (t, y) = (dag.node_named("t"), dag.node_named("y"));
    /// let e = Derived::Mse.expand(&mut dag, &[t, y]);
    /// assert_eq!(Text::new(&dag, e).to_string(), "(t - y)^2");
    /// ```
    pub fn expand(self, dag: &mut Dag, args: &[NodeId]) -> NodeId {
        assert_eq!(
            args.len(),
            self.arity(),
            "{} takes {} arguments",
            self.name(),
            self.arity()
        );
        match self {
            Derived::Bce => {
                let (t, y) = (args[0], args[1]);
                let one = dag.integer(1);
                let log_y = dag.call(Func::Log, vec![y]);
                let one_minus_t = dag.sub(one, t);
                let one_minus_y = dag.sub(one, y);
                let log_one_minus_y = dag.call(Func::Log, vec![one_minus_y]);
                let a = dag.mul(vec![t, log_y]);
                let b = dag.mul(vec![one_minus_t, log_one_minus_y]);
                let sum = dag.add(vec![a, b]);
                dag.neg(sum)
            }
            Derived::Mse => {
                let difference = dag.sub(args[0], args[1]);
                dag.powi(difference, 2)
            }
            Derived::LogSigmoid => {
                let minus_x = dag.neg(args[0]);
                let softplus = dag.call(Func::Softplus, vec![minus_x]);
                dag.neg(softplus)
            }
            Derived::Max => {
                let (a, b) = (args[0], args[1]);
                let b_minus_a = dag.sub(b, a);
                let relu = dag.call(Func::Relu, vec![b_minus_a]);
                dag.add(vec![a, relu])
            }
            Derived::Min => {
                let (a, b) = (args[0], args[1]);
                let a_minus_b = dag.sub(a, b);
                let relu = dag.call(Func::Relu, vec![a_minus_b]);
                dag.sub(a, relu)
            }
        }
    }
}

/// A function name of the language: a primitive operation or a derived formula.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Function {
    /// Evaluated, differentiated and printed as itself.
    Primitive(Func),
    /// Expanded into primitives when lowered.
    Derived(Derived),
}

impl Function {
    /// The function with this name, primitive or derived.
    ///
    /// ```
    /// use symdiff_core::{Derived, Func, Function};
    /// assert_eq!(Function::from_name("tanh"), Some(Function::Primitive(Func::Tanh)));
    /// assert_eq!(Function::from_name("mse"), Some(Function::Derived(Derived::Mse)));
    /// ```
    pub fn from_name(name: &str) -> Option<Function> {
        Func::from_name(name)
            .map(Function::Primitive)
            .or_else(|| Derived::from_name(name).map(Function::Derived))
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Function::Primitive(f) => f.arity(),
            Function::Derived(d) => d.arity(),
        }
    }

    /// Every function name of the language, primitives first.
    pub fn names() -> Vec<&'static str> {
        let primitives = Func::ALL.into_iter().map(Func::name);
        primitives
            .chain(Derived::ALL.into_iter().map(Derived::name))
            .collect()
    }

    /// The node for a call: a primitive call, or the derived function's formula.
    pub fn apply(self, dag: &mut Dag, args: Vec<NodeId>) -> NodeId {
        match self {
            Function::Primitive(f) => dag.call(f, args),
            Function::Derived(d) => d.expand(dag, &args),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Text;

    fn expanded(d: Derived) -> String {
        let mut dag = Dag::new();
        let (a, b) = (dag.node_named("a"), dag.node_named("b"));
        let e = d.expand(&mut dag, &[a, b]);
        Text::new(&dag, e).to_string()
    }

    #[test]
    fn max_and_min_are_a_relu_away_from_their_first_argument() {
        // At a tie relu'(0) = 0, so the derivative is that of the first argument.
        assert_eq!(expanded(Derived::Max), "a + relu(b - a)");
        assert_eq!(expanded(Derived::Min), "a - relu(a - b)");
        assert_eq!(Derived::from_name("max"), Some(Derived::Max));
        assert_eq!(
            Function::from_name("min"),
            Some(Function::Derived(Derived::Min))
        );
    }
}
