//! The sign and fraction view of a node, which the simplifier and every printer share.
//!
//! The DAG stores `a - b` as `a + (-1)·b` and `a/b` as `a·b^-1`; this module is where a reader
//! of the DAG learns that a term is negative or that a factor belongs under the fraction bar.

use crate::dag::{Dag, Node, NodeId};
use crate::rational::Rational;

/// Whether a term prints with a leading minus (a negative number, or a product with a negative
/// coefficient).
pub fn is_negative(dag: &Dag, id: NodeId) -> bool {
    match dag.node(id) {
        Node::Number(r) => r.is_negative(),
        Node::Float(bits) => f64::from_bits(*bits) < 0.0,
        Node::Mul(factors) => dag.as_number(factors[0]).is_some_and(|c| c.is_negative()),
        _ => false,
    }
}

/// A product seen as a signed fraction: `-2·v^2/x^2` is negative, coefficient 2/1, numerator
/// `[v^2]`, denominator `[(x, 2)]`.
#[derive(Clone, Debug)]
pub struct Fraction {
    /// Whether the product carries a minus sign.
    pub negative: bool,
    /// The absolute value of the numeric coefficient.
    pub coefficient: Rational,
    /// Factors above the bar, in order.
    pub numerator: Vec<NodeId>,
    /// Factors below the bar as (base, positive exponent), in order.
    pub denominator: Vec<(NodeId, Rational)>,
}

/// The fraction view of a product or a power (any other node is a one-factor numerator).
pub fn fraction(dag: &Dag, id: NodeId) -> Fraction {
    let factors: &[NodeId] = match dag.node(id) {
        Node::Mul(factors) => factors,
        _ => std::slice::from_ref(&id),
    };
    let mut view = Fraction {
        negative: false,
        coefficient: Rational::ONE,
        numerator: Vec::with_capacity(factors.len()),
        denominator: Vec::new(),
    };
    for (i, &f) in factors.iter().enumerate() {
        if let (0, Some(c)) = (i, dag.as_number(f)) {
            view.negative = c.is_negative();
            view.coefficient = c.checked_neg().filter(|_| c.is_negative()).unwrap_or(c);
            continue;
        }
        match dag.node(f) {
            Node::Pow([base, e]) => match dag.as_number(*e) {
                Some(e) if e.is_negative() => {
                    view.denominator.push((*base, e.checked_neg().unwrap_or(e)))
                }
                _ => view.numerator.push(f),
            },
            _ => view.numerator.push(f),
        }
    }
    view
}
