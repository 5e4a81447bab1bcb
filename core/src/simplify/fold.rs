//! Powers: exact folding and the power laws that hold on the whole domain.

use super::collect;
use crate::dag::{Dag, Node, NodeId};
use crate::rational::Rational;

/// The canonical `base ^ exponent` of a canonical base and exponent.
///
/// | rule                         | why it is sound                                       |
/// |------------------------------|-------------------------------------------------------|
/// | `x^0 = 1`                    | the convention of `powf` (and of `0^0` in the lecture) |
/// | `x^1 = x`                    | identity                                              |
/// | `1^y = 1`                    | identity for every real `y`                           |
/// | `p^n` exact for rationals    | exact integer powers; `0^-n` is left alone (undefined) |
/// | `(x^a)^n = x^(a·n)`, whole n | repeated multiplication of the same power             |
/// | `(x·y)^n = x^n·y^n`, whole n | commutativity of multiplication                        |
pub(super) fn power(dag: &mut Dag, base: NodeId, exponent: NodeId) -> NodeId {
    if dag.as_number(base) == Some(Rational::ONE) {
        return base;
    }
    let Some(e) = dag.as_number(exponent) else {
        return dag.pow(base, exponent);
    };
    if e.is_zero() {
        return dag.integer(1);
    }
    if e.is_one() {
        return base;
    }
    if !e.is_integer() {
        return dag.pow(base, exponent);
    }
    let n = e.numer();
    match dag.node(base).clone() {
        Node::Number(b) => match b.checked_powi(n) {
            Some(value) => dag.number(value),
            None => dag.pow(base, exponent),
        },
        Node::Pow([inner_base, inner_exponent]) => match dag.as_number(inner_exponent) {
            Some(a) => match a.checked_mul(e) {
                Some(product) => {
                    let p = dag.number(product);
                    power(dag, inner_base, p)
                }
                None => dag.pow(base, exponent),
            },
            None => dag.pow(base, exponent),
        },
        Node::Mul(factors) => {
            let powered: Vec<NodeId> = factors.iter().map(|&f| power(dag, f, exponent)).collect();
            collect::product(dag, &powered)
        }
        _ => dag.pow(base, exponent),
    }
}
