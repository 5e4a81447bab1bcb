//! Numerically stable forms of a model's definitions and adjoints, for evaluation and generated
//! code.
//!
//! Each rewrite is an identity on the whole real line, so values only become more accurate:
//!
//! | as written (`y = sigmoid(s)`, `h = tanh(a)`) | evaluated as | why |
//! | --- | --- | --- |
//! | `log(y)` | `-softplus(-s)` | finite where `y` rounds to 0 |
//! | `log(1 - y)` | `-softplus(s)` | finite where `y` rounds to 1 |
//! | `log(1 - y) - log(y)` | `-s` | exact |
//! | `log(exp(u))` | `u` | `exp(u)` overflows from `u ≈ 709.8` |
//! | `1 - y` | `sigmoid(-s)` | `1 - y` rounds to 0 from `s ≈ 37` on (`sigmoid(-s)` shares `y`'s exponential, see [`crate::numerics::sigmoid`]) |
//! | `1 - h^2` | `4·sigmoid(2·a)·sigmoid(-2·a)` | `1 - h^2` rounds to 0 from `a ≈ 19` on; both share one exponential |
//!
//! `y` is matched through names and aliases (`z = y`, with `y = sigmoid(s)`, is a sigmoid too),
//! and `1 - y` in either order of its terms (`-y + 1`). The definitions and formulas the user
//! reads (`explain`, `grad`) are not touched; only what is evaluated.

use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::model::Model;
use crate::op::Func;
use crate::rational::Rational;
use std::collections::HashMap;

/// The model's definitions, in evaluation order, in their stable forms.
///
/// ```
/// use symdiff_core::{stable_definitions, Func, ModelBuilder, Role, Text};
/// let mut b = ModelBuilder::free();
/// let s = b.dag.node_named("s");
/// let y_rhs = b.dag.call(Func::Sigmoid, vec![s]);
/// b.define("y", Role::Intermediate, y_rhs).unwrap();
/// let y = b.dag.node_named("y");
/// let o_rhs = b.dag.call(Func::Log, vec![y]);
/// b.define("o", Role::Intermediate, o_rhs).unwrap();
/// let mut model = b.finish().unwrap();
/// let stable = stable_definitions(&mut model);
/// assert_eq!(Text::new(&model.dag, stable[1].1).to_string(), "-softplus(-s)");
/// ```
pub fn stable_definitions(model: &mut Model) -> Vec<(Symbol, NodeId)> {
    let definitions = model.definitions();
    let roots: Vec<NodeId> = definitions.iter().map(|&(_, rhs)| rhs).collect();
    let stable = stable_formulas(model, &roots);
    definitions.iter().map(|&(s, _)| s).zip(stable).collect()
}

/// Formulas over the model's names (adjoints, say) in their stable forms, in order.
///
/// ```
/// use symdiff_core::{stable_formulas, Func, ModelBuilder, Role, Text};
/// let mut b = ModelBuilder::free();
/// let s = b.dag.node_named("s");
/// let y_rhs = b.dag.call(Func::Sigmoid, vec![s]);
/// b.define("y", Role::Intermediate, y_rhs).unwrap();
/// let mut model = b.finish().unwrap();
/// let y = model.dag.node_named("y");
/// let one = model.dag.integer(1);
/// let complement = model.dag.sub(one, y);
/// let slope = model.dag.mul(vec![y, complement]);
/// let stable = stable_formulas(&mut model, &[slope]);
/// assert_eq!(Text::new(&model.dag, stable[0]).to_string(), "y·sigmoid(-s)");
/// ```
pub fn stable_formulas(model: &mut Model, formulas: &[NodeId]) -> Vec<NodeId> {
    let definitions: HashMap<Symbol, NodeId> = model.definitions().into_iter().collect();
    model
        .dag
        .rebuild(formulas, |dag, id| stable_form(dag, id, &definitions))
}

/// The stable form of one node, or `None` where it is already stable.
fn stable_form(dag: &mut Dag, id: NodeId, definitions: &HashMap<Symbol, NodeId>) -> Option<NodeId> {
    let calls = Calls { definitions };
    match dag.node(id) {
        Node::Call(Func::Log, args) => {
            let x = args[0];
            log_of_exp(dag, x, &calls).or_else(|| stable_log(dag, x, &calls))
        }
        Node::Add(_) => log_odds(dag, id, &calls).or_else(|| complement(dag, id, &calls)),
        _ => None,
    }
}

/// `-softplus(-s)` for `log(y)` where `y` is a sigmoid of the logit `s` ([`Calls::logit`]):
/// `log(sigmoid(s))`, and `log(1 - sigmoid(s))` as `-softplus(s)`.
fn stable_log(dag: &mut Dag, x: NodeId, calls: &Calls) -> Option<NodeId> {
    let s = calls.logit(dag, x)?;
    let minus_s = dag.neg(s);
    let softplus = dag.call(Func::Softplus, vec![minus_s]);
    Some(dag.neg(softplus))
}

/// `u` for `log(exp(u))` (through names): `exp(u)` overflows from `u ≈ 709.8` on, `u` does not.
fn log_of_exp(dag: &mut Dag, x: NodeId, calls: &Calls) -> Option<NodeId> {
    calls.argument(dag, x, Func::Exp)
}

/// `-s` for `log(1 - y) - log(y)` with `y = sigmoid(s)` (the derivative of cross-entropy with
/// respect to its target), in either order of the terms.
fn log_odds(dag: &mut Dag, id: NodeId, calls: &Calls) -> Option<NodeId> {
    let Node::Add(terms) = dag.node(id) else {
        return None;
    };
    let [a, b] = terms[..] else {
        return None;
    };
    let (log_complement, minus_log) = match negated(dag, b) {
        Some(minus) => (a, minus),
        None => (b, negated(dag, a)?),
    };
    let y = log_argument(dag, minus_log)?;
    let one_minus_y = log_argument(dag, log_complement)?;
    if one_minus(dag, one_minus_y) != Some(y) {
        return None;
    }
    let s = calls.argument(dag, y, Func::Sigmoid)?;
    Some(dag.neg(s))
}

/// `sigmoid(-s)` for `1 - sigmoid(s)`; `4·sigmoid(2·a)·sigmoid(-2·a)` for `1 - tanh(a)^2`.
fn complement(dag: &mut Dag, id: NodeId, calls: &Calls) -> Option<NodeId> {
    let y = one_minus(dag, id)?;
    if let Some(minus_s) = calls.logit(dag, id) {
        return Some(dag.call(Func::Sigmoid, vec![minus_s]));
    }
    let Node::Pow([h, exponent]) = *dag.node(y) else {
        return None;
    };
    if dag.as_number(exponent) != Some(Rational::integer(2)) {
        return None;
    }
    let a = calls.argument(dag, h, Func::Tanh)?;
    let (two, four) = (dag.integer(2), dag.integer(4));
    let two_a = dag.mul(vec![two, a]);
    let minus_two_a = dag.neg(two_a);
    let up = dag.call(Func::Sigmoid, vec![two_a]);
    let down = dag.call(Func::Sigmoid, vec![minus_two_a]);
    Some(dag.mul(vec![four, up, down]))
}

/// The definitions, to see a call through the names that stand for it.
struct Calls<'a> {
    definitions: &'a HashMap<Symbol, NodeId>,
}

impl Calls<'_> {
    /// The argument of `func(argument)` when `x` is that call, or a name defined as it, or an
    /// alias of such a name (followed as far as there are definitions, so never in a cycle).
    fn argument(&self, dag: &Dag, x: NodeId, func: Func) -> Option<NodeId> {
        match dag.node(self.resolve(dag, x)) {
            Node::Call(f, args) if *f == func => Some(args[0]),
            _ => None,
        }
    }

    /// `x`, or the right-hand side of the name `x`, or of the name that one aliases, and so on
    /// (followed at most as many times as there are definitions, so never in a cycle).
    fn resolve(&self, dag: &Dag, mut x: NodeId) -> NodeId {
        for _ in 0..=self.definitions.len() {
            match dag.node(x) {
                Node::Symbol(s) if self.definitions.contains_key(s) => x = self.definitions[s],
                _ => break,
            }
        }
        x
    }

    /// The logit of `x` when `x` is a sigmoid: `s` for `sigmoid(s)`, `-s` for `1 - sigmoid(s)`,
    /// `s` again for `1 - (1 - sigmoid(s))`, each seen through names ([`Calls::resolve`]).
    fn logit(&self, dag: &mut Dag, mut x: NodeId) -> Option<NodeId> {
        let mut flipped = false;
        loop {
            if let Some(s) = self.argument(dag, x, Func::Sigmoid) {
                return Some(if flipped { dag.neg(s) } else { s });
            }
            x = one_minus(dag, self.resolve(dag, x))?;
            flipped = !flipped;
        }
    }
}

/// `y` when `x` is `1 - y`, as `1 + (-1)·y` or `(-1)·y + 1`.
fn one_minus(dag: &Dag, x: NodeId) -> Option<NodeId> {
    let Node::Add(terms) = dag.node(x) else {
        return None;
    };
    let [a, b] = terms[..] else {
        return None;
    };
    let one = Some(Rational::ONE);
    if dag.as_number(a) == one {
        negated(dag, b)
    } else if dag.as_number(b) == one {
        negated(dag, a)
    } else {
        None
    }
}

/// `y` when `x` is `(-1)·y`.
fn negated(dag: &Dag, x: NodeId) -> Option<NodeId> {
    match dag.node(x) {
        Node::Mul(f) if f.len() == 2 && dag.as_number(f[0]) == Some(Rational::MINUS_ONE) => {
            Some(f[1])
        }
        _ => None,
    }
}

/// `x` when `id` is `log(x)`.
fn log_argument(dag: &Dag, id: NodeId) -> Option<NodeId> {
    match dag.node(id) {
        Node::Call(Func::Log, args) => Some(args[0]),
        _ => None,
    }
}
