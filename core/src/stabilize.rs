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
    stable_over(model, formulas, &[])
}

/// The adjoints' formulas in their stable forms, in order: [`stable_formulas`], with each
/// adjoint symbol seen through to its formula as a definition's name is (`∂o/∂z = 1/z` with
/// `z = y`, `y = sigmoid(s)`: `∂o/∂z·y·(1 - y)` is `sigmoid(-s)`, which is 1 at s = -1000, where
/// `y` and `z` round to 0).
pub(crate) fn stable_adjoints(model: &mut Model, adjoints: &[(Symbol, NodeId)]) -> Vec<NodeId> {
    let formulas: Vec<NodeId> = adjoints.iter().map(|&(_, f)| f).collect();
    stable_over(model, &formulas, adjoints)
}

/// The stable forms of `formulas`, seeing through the model's definitions and `more` (symbol,
/// formula) pairs. Two passes: a rewrite returns a node over its original children, which the
/// second pass rewrites in turn (the rewrites' own results are stable, so a third would change
/// nothing).
fn stable_over(model: &mut Model, formulas: &[NodeId], more: &[(Symbol, NodeId)]) -> Vec<NodeId> {
    let mut definitions: HashMap<Symbol, NodeId> = model.definitions().into_iter().collect();
    definitions.extend(more.iter().copied());
    let once = model
        .dag
        .rebuild(formulas, |dag, id| stable_form(dag, id, &definitions));
    model
        .dag
        .rebuild(&once, |dag, id| stable_form(dag, id, &definitions))
}

/// The stable form of one node, or `None` where it is already stable.
fn stable_form(dag: &mut Dag, id: NodeId, definitions: &HashMap<Symbol, NodeId>) -> Option<NodeId> {
    let calls = Calls { definitions };
    match dag.node(id) {
        Node::Call(Func::Log, args) => {
            let x = args[0];
            log_of_exp(dag, x, &calls).or_else(|| stable_log(dag, x, &calls))
        }
        Node::Add(_) => log_odds(dag, id, &calls)
            .or_else(|| complement(dag, id, &calls))
            .or_else(|| minus_sigmoid(dag, id, &calls)),
        Node::Mul(_) => cancel_reciprocal(dag, id, &calls)
            .or_else(|| power_of_constant(dag, id))
            .or_else(|| numbers_last(dag, id)),
        _ => None,
    }
}

/// `rest` for `y·rest/z` where `z` is `y` through names and aliases (or an adjoint whose
/// formula is `1/z`), and `y` a sigmoid or an exponential: never 0, so the quotient is exactly
/// 1, while `y` and `z` may both round to 0 (`sigmoid(-1000)`) and make it 0/0.
fn cancel_reciprocal(dag: &mut Dag, id: NodeId, calls: &Calls) -> Option<NodeId> {
    let Node::Mul(factors) = dag.node(id) else {
        return None;
    };
    let factors = factors.to_vec();
    for (i, &f) in factors.iter().enumerate() {
        let Node::Pow([z, minus_one]) = *dag.node(calls.resolve(dag, f)) else {
            continue;
        };
        let y = calls.resolve(dag, z);
        let never_zero = matches!(dag.node(y), Node::Call(Func::Sigmoid | Func::Exp, _));
        if dag.as_number(minus_one) != Some(Rational::MINUS_ONE) || !never_zero {
            continue;
        }
        let Some(j) = (0..factors.len()).find(|&j| j != i && calls.resolve(dag, factors[j]) == y)
        else {
            continue;
        };
        let rest: Vec<NodeId> = (0..factors.len())
            .filter(|&k| k != i && k != j)
            .map(|k| factors[k])
            .collect();
        return Some(match rest[..] {
            [] => dag.integer(1),
            [only] => only,
            _ => dag.mul(rest),
        });
    }
    None
}

/// `(b^(m/n)·u)^n` for `b^m·u^n`, a power of a number beyond the range of `f64` (`2^2000`)
/// whose n-th root is within it: `2^2000·x^2` as `(2^1000·x)^2`, which is 1.148e202 at
/// `x = 1e-200`, where `2^2000` is infinite and `x^2` is 0.
fn power_of_constant(dag: &mut Dag, id: NodeId) -> Option<NodeId> {
    let Node::Mul(factors) = dag.node(id) else {
        return None;
    };
    let factors = factors.to_vec();
    let integer_power = |dag: &Dag, f: NodeId| match *dag.node(f) {
        Node::Pow([base, e]) => dag
            .as_number(e)
            .filter(|e| e.is_integer())
            .map(|e| (base, e.numer())),
        _ => None,
    };
    for (i, &f) in factors.iter().enumerate() {
        let Some((b, m)) = integer_power(dag, f) else {
            continue;
        };
        let Some(base) = dag.as_number(b).map(Rational::to_f64) else {
            continue;
        };
        let value = crate::numerics::power(base, m as f64);
        if value.is_finite() && value != 0.0 {
            continue;
        }
        for (j, &g) in factors.iter().enumerate() {
            let Some((u, n)) = integer_power(dag, g).filter(|&(_, n)| n.abs() >= 2) else {
                continue;
            };
            let root = crate::numerics::power(base, (m / n) as f64);
            if j == i || m % n != 0 || !root.is_finite() || root == 0.0 {
                continue;
            }
            let (root_exponent, n_node) = (dag.integer(m / n), dag.integer(n));
            let root = dag.pow(b, root_exponent);
            let inner = dag.mul(vec![root, u]);
            let power = dag.pow(inner, n_node);
            let mut rest: Vec<NodeId> = (0..factors.len())
                .filter(|&k| k != i && k != j)
                .map(|k| factors[k])
                .collect();
            rest.push(power);
            return Some(match rest[..] {
                [only] => only,
                _ => dag.mul(rest),
            });
        }
    }
    None
}

/// A product's numbers after its other factors when the numbers' own product overflows or
/// underflows `f64`: `1e308·10·x` as `x·1e308·10`, which is 1e299 at `x = 1e-10` (evaluated
/// left to right, `1e308·10` is infinite first).
fn numbers_last(dag: &mut Dag, id: NodeId) -> Option<NodeId> {
    let Node::Mul(factors) = dag.node(id) else {
        return None;
    };
    let value = |dag: &Dag, f: NodeId| match *dag.node(f) {
        Node::Number(r) => Some(r.to_f64()),
        Node::Float(bits) => Some(f64::from_bits(bits)),
        _ => None,
    };
    let (numbers, others): (Vec<NodeId>, Vec<NodeId>) =
        factors.iter().partition(|&&f| value(dag, f).is_some());
    let product: f64 = numbers
        .iter()
        .map(|&f| value(dag, f).unwrap_or(1.0))
        .product();
    if numbers.len() < 2 || others.is_empty() || (product.is_finite() && product != 0.0) {
        return None;
    }
    Some(dag.mul(others.into_iter().chain(numbers).collect()))
}

/// `c·q·(a·sigmoid(-s) - (1 - a)·sigmoid(s))` for `c·q·a - c·q·y` with `y = sigmoid(s)` (through
/// names) and `q` any common factors: the same value, `c·q·(a - y)`, without the difference
/// `a - y` that rounds to 0 where `y` rounds to 1 and `a` is 1 (`1/bce(t, sigmoid(s))` at
/// s = 45, t = 1 has the derivative `t/D^2 - sigmoid(s)/D^2`, true value 3.49e19). Both
/// sigmoids share one exponential.
fn minus_sigmoid(dag: &mut Dag, id: NodeId, calls: &Calls) -> Option<NodeId> {
    let Node::Add(terms) = dag.node(id) else {
        return None;
    };
    let terms = terms.to_vec();
    let split: Vec<(Rational, Vec<NodeId>)> = terms.iter().map(|&t| split_term(dag, t)).collect();
    for (j, (cj, fj)) in split.iter().enumerate() {
        for (k, &y) in fj.iter().enumerate() {
            let Some(s) = calls.argument(dag, y, Func::Sigmoid) else {
                continue;
            };
            let mut q: Vec<NodeId> = fj.clone();
            q.remove(k);
            q.sort_unstable();
            let Some((i, a)) = split.iter().enumerate().find_map(|(i, (ci, fi))| {
                let opposite = cj.checked_neg() == Some(*ci);
                let a = (i != j && opposite && fi.len() == q.len() + 1)
                    .then(|| extra_factor(fi, &q))??;
                dag.as_number(a).is_none().then_some((i, a))
            }) else {
                continue;
            };
            let minus_s = dag.neg(s);
            let down = dag.call(Func::Sigmoid, vec![minus_s]);
            let one = dag.integer(1);
            let one_minus_a = dag.sub(one, a);
            let kept = dag.mul(vec![a, down]);
            let lost = dag.mul(vec![one_minus_a, y]);
            let difference = dag.sub(kept, lost);
            let mut factors = Vec::with_capacity(q.len() + 2);
            if split[i].0 != Rational::ONE {
                factors.push(dag.number(split[i].0));
            }
            factors.extend_from_slice(&q);
            factors.push(difference);
            let term = match factors[..] {
                [only] => only,
                _ => dag.mul(factors),
            };
            let mut rest: Vec<NodeId> = (0..terms.len())
                .filter(|&t| t != i && t != j)
                .map(|t| terms[t])
                .collect();
            rest.push(term);
            return Some(match rest[..] {
                [only] => only,
                _ => dag.add(rest),
            });
        }
    }
    None
}

/// A term as its number coefficient and its other factors: `-2·x·y` is `(-2, [x, y])`.
fn split_term(dag: &Dag, term: NodeId) -> (Rational, Vec<NodeId>) {
    match dag.node(term) {
        Node::Mul(f) => match dag.as_number(f[0]) {
            Some(c) => (c, f[1..].to_vec()),
            None => (Rational::ONE, f.to_vec()),
        },
        _ => (Rational::ONE, vec![term]),
    }
}

/// The one factor of `factors` that `sorted` (sorted, one shorter) lacks, if that is all.
fn extra_factor(factors: &[NodeId], sorted: &[NodeId]) -> Option<NodeId> {
    (0..factors.len()).find_map(|k| {
        let mut rest = factors.to_vec();
        let extra = rest.remove(k);
        rest.sort_unstable();
        (rest == sorted).then_some(extra)
    })
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
