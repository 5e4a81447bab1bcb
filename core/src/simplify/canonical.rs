//! The canonical-form predicate that every simplified node satisfies (checked by a
//! `debug_assert!` after each rebuild, as SymEngine asserts `is_canonical`).

use crate::dag::{Dag, Node, NodeId};
use crate::rational::Rational;

/// Whether a node is in the form [`crate::simplify()`] produces. Checks the node itself, not its
/// children (they were checked when they were built).
pub fn is_canonical(dag: &Dag, id: NodeId) -> bool {
    let is_number = |c: &NodeId| dag.as_number(*c).is_some();
    match dag.node(id) {
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => true,
        Node::Add(terms) => {
            terms.len() >= 2
                && numbers_do_not_fold(dag, terms, Rational::checked_add)
                && terms.iter().all(|t| {
                    !matches!(dag.node(*t), Node::Add(_))
                        && dag.as_number(*t) != Some(Rational::ZERO)
                })
        }
        Node::Mul(factors) => {
            factors.len() >= 2
                && (factors.iter().skip(1).all(|f| !is_number(f))
                    || numbers_do_not_fold(dag, factors, Rational::checked_mul))
                && factors
                    .iter()
                    .all(|f| !matches!(dag.node(*f), Node::Mul(_)))
                && dag
                    .as_number(factors[0])
                    .is_none_or(|c| !c.is_one() && !c.is_zero())
        }
        Node::Pow([base, exponent]) => {
            let e = dag.as_number(*exponent);
            e != Some(Rational::ZERO)
                && e != Some(Rational::ONE)
                && dag.as_number(*base) != Some(Rational::ONE)
        }
        Node::Call(..) => true,
    }
}

/// Whether the numbers among `children` are at most one, or could not be folded into one
/// because their exact sum (or product) overflows: then they are kept apart, unrounded.
fn numbers_do_not_fold(
    dag: &Dag,
    children: &[NodeId],
    fold: fn(Rational, Rational) -> Option<Rational>,
) -> bool {
    let numbers: Vec<Rational> = children.iter().filter_map(|&c| dag.as_number(c)).collect();
    match numbers.split_first() {
        None => true,
        Some((first, rest)) => {
            rest.is_empty()
                || rest
                    .iter()
                    .try_fold(*first, |acc, &r| fold(acc, r))
                    .is_none()
        }
    }
}
