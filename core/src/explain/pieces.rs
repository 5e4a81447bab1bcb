//! What both explanation printers (text and LaTeX) write the same way: which lines a derivative
//! has, a chain of factors on one line, and a value.

use super::{Derivative, Term};
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

/// One line of a derivative after its left-hand side: its summed terms, and whether it is the
/// value (which the text printer paints).
pub(super) struct Block {
    pub(super) terms: Vec<String>,
    pub(super) is_value: bool,
}

/// How a printer writes the parts of a derivative's lines.
pub(super) struct Parts<'p> {
    /// A term's chain of partial symbols; the flag says it is the direct dependency of a
    /// derivative that also has paths through other vertices.
    pub(super) symbols: &'p dyn Fn(&Term, bool) -> String,
    /// A product of factors.
    pub(super) chain: &'p dyn Fn(&[NodeId]) -> String,
    /// One expression.
    pub(super) expr: &'p dyn Fn(NodeId) -> String,
    /// The value.
    pub(super) value: &'p dyn Fn(f64) -> String,
}

/// The lines of a derivative with terms: the chain of symbols (left out when it only repeats
/// the left-hand side), the local partials, the simplified result, the result with numbers and
/// the value, each left out when it reads exactly as the line before it.
pub(super) fn blocks(d: &Derivative, parts: &Parts) -> Vec<Block> {
    let block = |terms: Vec<String>| Block {
        terms,
        is_value: false,
    };
    let mut all = Vec::new();
    let tautology = d.terms.len() == 1 && d.terms[0].symbols == [(d.of, d.wrt)];
    if !tautology {
        let symbols = d.terms.iter().map(|t| (parts.symbols)(t, is_direct(d, t)));
        all.push(block(symbols.collect()));
    }
    all.push(block(
        d.terms.iter().map(|t| (parts.chain)(&t.factors)).collect(),
    ));
    all.push(block(vec![(parts.expr)(d.formula)]));
    if let Some(n) = d.numeric {
        all.push(block(vec![(parts.expr)(n)]));
    }
    if let Some(v) = d.value {
        all.push(Block {
            terms: vec![(parts.value)(v)],
            is_value: true,
        });
    }
    let mut kept: Vec<Block> = Vec::with_capacity(all.len());
    for b in all {
        match kept.last_mut() {
            Some(last) if last.terms == b.terms => last.is_value |= b.is_value,
            _ => kept.push(b),
        }
    }
    kept
}

/// Whether `term` is the one-edge path `∂of/∂wrt` of a derivative that has other paths too: the
/// direct dependency, which must not read as the whole derivative.
pub fn is_direct(d: &Derivative, term: &Term) -> bool {
    d.terms.len() > 1 && term.symbols == [(d.of, d.wrt)]
}
