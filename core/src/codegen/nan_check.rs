//! Whether `gradient` needs its test `if E.is_nan() { return (E, Params::UNDEFINED) }`: it
//! does not when every param's gradient is NaN whenever the loss is, which the formulas show
//! for the usual losses. Then the test is left out: it costs a few percent of a small
//! network's gradient, against hand-written backprop that has none.
//!
//! The proof, on the formulas as they are emitted:
//!
//! 1. The loss's body `B` is NaN when the loss is. Going down from `B` through operations that
//!    give a number whenever their operand is one (times or plus a finite constant, a power
//!    with a positive whole exponent), each operand is NaN when the loss is: for
//!    `E = 1/2·(y_t - y)^2`, the node `y_t - y`.
//! 2. A formula is NaN when one of those nodes is, if it is one of them, or a sum with such a
//!    term, or a product with such a factor and no `step` or `sign` factor (whose 0 makes the
//!    product 0 by the kink rules), or a power of one (nonzero exponent), or a function that
//!    maps NaN to NaN applied to one, or an adjoint's name whose formula is such.
//! 3. Every param has a gradient (a param the loss does not reach has gradient 0), and each
//!    param's gradient formula is such.
//!
//! Anything else keeps the test, which is always correct.

use super::plan::Plan;
use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::hash::{FxHashMap, FxHashSet};
use crate::op::Func;

/// Whether the loss being NaN makes every param's gradient NaN by the formulas themselves
/// (so `gradient` needs no test of its own).
pub(super) fn loss_nan_reaches_every_gradient(plan: &Plan) -> bool {
    let analysis = plan.analysis;
    let dag = &analysis.model.dag;
    let Some(&(_, body)) = analysis
        .evaluated_definitions()
        .iter()
        .find(|(symbol, _)| *symbol == plan.loss)
    else {
        return false;
    };
    let formulas: FxHashMap<Symbol, NodeId> = analysis
        .derivation
        .adjoints
        .entries
        .iter()
        .map(|a| (a.symbol, analysis.evaluated_adjoint(a)))
        .collect();
    let mut proof = Proof {
        dag,
        carriers: carriers(dag, body),
        formulas,
        known: FxHashMap::default(),
    };
    let adjoints = &analysis.derivation.adjoints;
    plan.params.iter().all(|&p| {
        adjoints
            .get(p)
            .is_some_and(|a| proof.nan_with_loss(analysis.evaluated_adjoint(a)))
    })
}

/// The loss's body and the nodes below it that are NaN whenever it is (step 1).
fn carriers(dag: &Dag, body: NodeId) -> FxHashSet<NodeId> {
    let mut carriers = FxHashSet::default();
    let mut at = Some(body);
    while let Some(id) = at {
        carriers.insert(id);
        at = number_preserving_operand(dag, id);
    }
    carriers
}

/// The one operand of `id` that gives a number to `id` whenever it is one: `x` of `c·x` or
/// `c + x` (`c` constant factors or terms, finite, nonzero for a product), or of `x^k` (`k` a
/// positive whole number).
fn number_preserving_operand(dag: &Dag, id: NodeId) -> Option<NodeId> {
    // The one operand that is not a constant, when each other one is and `accept`s its value.
    let one_variable = |operands: &[NodeId], accept: fn(f64) -> bool| {
        let mut variable = None;
        for &op in operands {
            match constant_value(dag, op) {
                Some(v) if accept(v) => {}
                Some(_) => return None,
                None if variable.is_none() => variable = Some(op),
                None => return None,
            }
        }
        variable
    };
    match dag.node(id) {
        Node::Mul(factors) => one_variable(factors, |v| v != 0.0),
        Node::Add(terms) => one_variable(terms, |_| true),
        Node::Pow([base, exponent]) => {
            let positive_whole = dag
                .as_number(*exponent)
                .is_some_and(|k| k.is_integer() && !k.is_zero() && !k.is_negative());
            positive_whole.then_some(*base)
        }
        _ => None,
    }
}

/// The value of a constant operand (a number, or a number to a whole power such as the `2^-1`
/// of a division by 2), when it is a finite number well inside the range of `f64`.
fn constant_value(dag: &Dag, id: NodeId) -> Option<f64> {
    let value = match dag.node(id) {
        Node::Number(r) => r.to_f64(),
        Node::Pow([base, exponent]) => {
            let (base, k) = (dag.as_number(*base)?, dag.as_number(*exponent)?);
            if !k.is_integer() {
                return None;
            }
            base.to_f64().powi(i32::try_from(k.numer()).ok()?)
        }
        _ => return None,
    };
    let moderate = value == 0.0 || (1e-300..=1e300).contains(&value.abs());
    moderate.then_some(value)
}

/// Step 2, memoised by node.
struct Proof<'a> {
    dag: &'a Dag,
    carriers: FxHashSet<NodeId>,
    formulas: FxHashMap<Symbol, NodeId>,
    known: FxHashMap<NodeId, bool>,
}

impl Proof<'_> {
    /// Whether `root` is NaN whenever the loss is: every node below it decided first, by an
    /// explicit stack (a chain of 100,000 definitions is as deep), each once.
    fn nan_with_loss(&mut self, root: NodeId) -> bool {
        let mut visiting: FxHashSet<NodeId> = FxHashSet::default();
        let mut stack = vec![(root, false)];
        while let Some((id, expanded)) = stack.pop() {
            if self.known.contains_key(&id) {
                continue;
            }
            if expanded {
                let result = self.decide(id);
                self.known.insert(id, result);
                continue;
            }
            visiting.insert(id);
            stack.push((id, true));
            for d in self.operands(id) {
                // A formula never refers to itself; were one to, it would count as no proof.
                if !self.known.contains_key(&d) && !visiting.contains(&d) {
                    stack.push((d, false));
                }
            }
        }
        self.known[&root]
    }

    /// The nodes [`Proof::decide`] reads for `id`.
    fn operands(&self, id: NodeId) -> Vec<NodeId> {
        if self.carriers.contains(&id) {
            return Vec::new();
        }
        match self.dag.node(id) {
            Node::Symbol(s) => self.formulas.get(s).copied().into_iter().collect(),
            Node::Add(args) | Node::Mul(args) => args.to_vec(),
            Node::Pow([base, _]) => vec![*base],
            Node::Call(func, args) if keeps_nan(*func) && args.len() == 1 => vec![args[0]],
            _ => Vec::new(),
        }
    }

    /// Step 2 for one node whose operands are decided.
    fn decide(&self, id: NodeId) -> bool {
        let dag = self.dag;
        let nan = |x: &NodeId| self.known.get(x).copied().unwrap_or(false);
        self.carriers.contains(&id)
            || match dag.node(id) {
                Node::Symbol(s) => self.formulas.get(s).is_some_and(nan),
                Node::Add(terms) => terms.iter().any(nan),
                Node::Mul(factors) => {
                    let gated = factors
                        .iter()
                        .any(|&f| matches!(dag.node(f), Node::Call(Func::Step | Func::Sign, _)));
                    !gated && factors.iter().any(nan)
                }
                Node::Pow([base, exponent]) => {
                    dag.as_number(*exponent).is_some_and(|r| !r.is_zero()) && nan(base)
                }
                Node::Call(func, args) if keeps_nan(*func) && args.len() == 1 => nan(&args[0]),
                _ => false,
            }
    }
}

/// Whether the generated code's `func` of NaN is NaN, relied on only for the functions listed
/// true (`softplus` goes through `max`, which drops a NaN; `step` and `sign` give numbers;
/// `relu` and the reductions are not relied on). Exhaustive, so that a new function is decided
/// here.
fn keeps_nan(func: Func) -> bool {
    match func {
        Func::Exp | Func::Log | Func::Sqrt | Func::Sin | Func::Cos | Func::Tan => true,
        Func::Tanh | Func::Sigmoid | Func::Abs => true,
        Func::Relu | Func::Softplus | Func::Step | Func::Sign => false,
        Func::Sum | Func::LogSumExp => false,
    }
}
