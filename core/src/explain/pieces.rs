//! What both explanation printers (text and LaTeX) write the same way: a chain of factors on
//! one line, and a value.

use crate::dag::{Dag, NodeId};
use crate::emit::float::FloatText;
use crate::emit::precedence::{precedence, Prec};
use crate::fraction::fraction;

/// Joins factors with `times`, bracketing sums, signed factors after the first, and (when
/// `bracket_fractions`, for a one-line notation) fractions followed by more factors, so that
/// `(-1/x^2)·2·v` cannot be misread.
pub(super) fn join_factors(
    dag: &Dag,
    factors: &[NodeId],
    times: &str,
    bracket_fractions: bool,
    print: impl Fn(NodeId) -> String,
) -> String {
    let mut out = String::new();
    for (i, &f) in factors.iter().enumerate() {
        if i > 0 {
            out.push_str(times);
        }
        let prec = precedence(dag, f);
        let view = fraction(dag, f);
        let is_fraction = !view.denominator.is_empty() || !view.coefficient.is_integer();
        let bracket = prec < Prec::Neg
            || (i > 0 && prec < Prec::Product)
            || (bracket_fractions && is_fraction && i + 1 < factors.len());
        if bracket {
            out.push('(');
            out.push_str(&print(f));
            out.push(')');
        } else {
            out.push_str(&print(f));
        }
    }
    out
}

/// A value as the shortest text that reads back as the same `f64` (`?` when unknown), in
/// exponent form when very large or small, as the text printer writes float literals.
pub(super) fn number(x: f64) -> String {
    if x.is_nan() {
        "?".to_string()
    } else if x == 0.0 {
        "0".to_string()
    } else {
        FloatText::new(x).to_string()
    }
}
