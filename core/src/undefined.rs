//! Why a value is undefined: where an evaluation gives no number (NaN) although every input,
//! target and param has one, the first definition that gives none, the innermost part of it
//! that does, and the reason in words.
//!
//! The evaluator then reports the gradient at that point as undefined too
//! ([`crate::Analysis::evaluate`]): a derivative is a limit of the function's values around the
//! point, and a function with no value at the point has none there, whatever the simplified
//! formula of its derivative would give (`x/x·y` at `x = 0` has the formula `1` for `∂/∂y`).
//!
//! The CLI prints the reason beside the missing value (`grad`'s text and its JSON `"note"`,
//! `explain`, `check`), so that an unknown value is never a silent `?`.

mod indexed;

pub use indexed::indexed_undefined_reason;

use crate::analysis::{Analysis, Evaluation};
use crate::dag::{Dag, Node, NodeId};
use crate::diff::{partial_symbol, Notation};
use crate::emit::Text;
use crate::eval::evaluate;
use crate::op::Func;

/// Why the differentiated vertex has no value in `evaluation`, or `None` when it has one or
/// when some input, target or param was not given a value (then nothing is known).
///
/// ```
/// use symdiff_core::{undefined_reason, Analysis, Func, ModelBuilder, Role};
/// let mut b = ModelBuilder::free();
/// let x = b.dag.node_named("x");
/// let rhs = b.dag.call(Func::Log, vec![x]);
/// b.define("o", Role::Intermediate, rhs).unwrap();
/// let analysis = Analysis::new(b.finish().unwrap(), None, None, 16).unwrap();
/// let mut point = analysis.default_point();
/// analysis.assign(&mut point, "x", -1.0).unwrap();
/// let e = analysis.evaluate(&point);
/// assert!(e.value.is_nan() && e.gradient[0].is_nan());
/// assert_eq!(
///     undefined_reason(&analysis, &e).unwrap(),
///     "`o` is undefined here: log(x) is the logarithm of a negative number"
/// );
/// ```
pub fn undefined_reason(analysis: &Analysis, evaluation: &Evaluation) -> Option<String> {
    if !evaluation.value.is_nan() || !analysis.unassigned(&evaluation.point).is_empty() {
        return None;
    }
    let dag = &analysis.model.dag;
    let values = evaluation.point.as_slice();
    let (symbol, rhs) = analysis
        .evaluated_definitions()
        .iter()
        .copied()
        .find(|&(s, _)| evaluation.point.get(s).is_nan())?;
    let culprit = innermost_nan(dag, rhs, values);
    let name = analysis.model.name_of(symbol);
    let what = Text::new(dag, culprit);
    Some(format!(
        "`{name}` is undefined here: {what} {}",
        reason(dag, culprit, values)
    ))
}

/// Why the gradient has no value where the differentiated vertex has none (every entry is NaN
/// there, [`Analysis::evaluate`]), or `None` when it has one, when the gradient is empty or when
/// nothing is known. Printed after [`undefined_reason`], which says why the vertex has none.
///
/// ```
/// use symdiff_core::{undefined_gradient_reason, Analysis, Func, ModelBuilder, Role};
/// let mut b = ModelBuilder::free();
/// let x = b.dag.node_named("x");
/// let rhs = b.dag.call(Func::Log, vec![x]);
/// b.define("o", Role::Intermediate, rhs).unwrap();
/// let analysis = Analysis::new(b.finish().unwrap(), None, None, 16).unwrap();
/// let mut point = analysis.default_point();
/// analysis.assign(&mut point, "x", -1.0).unwrap();
/// let e = analysis.evaluate(&point);
/// assert!(e.gradient[0].is_nan()); // not 1/x = -1
/// assert_eq!(
///     undefined_gradient_reason(&analysis, &e).unwrap(),
///     "∂o/∂x is undefined here too: a function has no derivative where it has no value"
/// );
/// ```
pub fn undefined_gradient_reason(analysis: &Analysis, evaluation: &Evaluation) -> Option<String> {
    let gradients = &analysis.derivation.gradients;
    if !evaluation.value.is_nan()
        || gradients.is_empty()
        || !analysis.unassigned(&evaluation.point).is_empty()
    {
        return None;
    }
    let model = &analysis.model;
    let of = model.name_of(analysis.of());
    let names: Vec<String> = gradients
        .iter()
        .map(|g| partial_symbol(of, model.name_of(g.wrt), Notation::Unicode))
        .collect();
    let which = match &names[..] {
        [one] => format!("{one} is"),
        [init @ .., last] if names.len() <= 3 => format!("{} and {last} are", init.join(", ")),
        _ => format!("its {} derivatives are", names.len()),
    };
    Some(format!(
        "{which} undefined here too: a function has no derivative where it has no value"
    ))
}

/// Why the `k`-th derivative has no value in `evaluation` while the differentiated vertex has
/// one (a kink or a pole of the derivative alone: `sqrt(x^2)` at 0 is 0, its derivative `x/f`
/// is 0/0), or `None` when it has one or nothing is known.
///
/// ```
/// use symdiff_core::{undefined_derivative_reason, Analysis, Func, ModelBuilder, Role};
/// let mut b = ModelBuilder::free();
/// let x = b.dag.node_named("x");
/// let square = b.dag.powi(x, 2);
/// let rhs = b.dag.call(Func::Sqrt, vec![square]);
/// b.define("f", Role::Intermediate, rhs).unwrap();
/// let analysis = Analysis::new(b.finish().unwrap(), None, None, 16).unwrap();
/// let mut point = analysis.default_point();
/// analysis.assign(&mut point, "x", 0.0).unwrap();
/// let e = analysis.evaluate(&point);
/// assert_eq!(e.value, 0.0);
/// assert_eq!(
///     undefined_derivative_reason(&analysis, &e, 0).unwrap(),
///     "∂f/∂x is undefined here: x/f is 0 times infinity (0/0, or a product that overflowed)"
/// );
/// ```
pub fn undefined_derivative_reason(
    analysis: &Analysis,
    evaluation: &Evaluation,
    k: usize,
) -> Option<String> {
    let gradient = analysis.derivation.gradients.get(k)?;
    let undefined = evaluation.gradient.get(k).is_some_and(|g| g.is_nan());
    if !undefined || evaluation.value.is_nan() || !analysis.unassigned(&evaluation.point).is_empty()
    {
        return None;
    }
    let dag = &analysis.model.dag;
    let values = evaluation.point.as_slice();
    let formula = gradient.formula();
    if !evaluate(dag, formula, values).is_nan() {
        return None;
    }
    let culprit = innermost_nan(dag, formula, values);
    let model = &analysis.model;
    let symbol = partial_symbol(
        model.name_of(analysis.of()),
        model.name_of(gradient.wrt),
        Notation::Unicode,
    );
    let what = Text::new(dag, culprit);
    Some(format!(
        "{symbol} is undefined here: {what} {}",
        reason(dag, culprit, values)
    ))
}

/// The innermost node under `root` whose value is NaN while its children's are not.
fn innermost_nan(dag: &Dag, root: NodeId, values: &[f64]) -> NodeId {
    let mut id = root;
    // Each step goes to a child: at most the depth of the formula.
    while let Some(&child) = dag
        .node(id)
        .children()
        .iter()
        .find(|&&c| evaluate(dag, c, values).is_nan())
    {
        id = child;
    }
    id
}

/// What makes `id`'s value undefined, given that its children's values are numbers.
fn reason(dag: &Dag, id: NodeId, values: &[f64]) -> &'static str {
    let arg = |k: usize| evaluate(dag, dag.node(id).children()[k], values);
    match dag.node(id) {
        Node::Call(Func::Log, _) => "is the logarithm of a negative number",
        Node::Call(Func::Sqrt, _) => "is the square root of a negative number",
        Node::Call(_, _) => "is outside the function's domain (an infinite argument)",
        Node::Pow(_) if arg(0) < 0.0 => "is a fractional power of a negative number",
        Node::Pow(_) => "is 0 or infinity to a power that leaves it undefined",
        Node::Mul(_) => "is 0 times infinity (0/0, or a product that overflowed)",
        Node::Add(_) => "is infinity minus infinity (a sum that overflowed)",
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => "has no value",
    }
}
