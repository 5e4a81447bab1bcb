//! Re-factoring after cancellation: the sums a product started with are divided back out of the
//! expanded sum that [`super::cancel`] produced.
//!
//! Under cross-entropy a sigmoid hidden unit's chain is
//! `(-t/y + (1 - t)/(1 - y))·y·(1 - y)·w2·h1·(1 - h1)`. Expanding it cancels the fractions but
//! also multiplies out the `(1 - h1)` that was never part of them, leaving
//! `(t·h1 + y - t - y·h1)·w2·h1`. Dividing that sum by `1 - h1`, a sum the product started with,
//! gives back `(y - t)·w2·h1·(1 - h1)`, the lecture's form. The division is exact polynomial
//! division in one name of the divisor, so a sum is divided out only when it is a factor.

use super::cancel::{expand, Monomial};
use super::{collect, fold};
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::is_negative;
use crate::hash::FxBuildHasher;
use crate::rational::Rational;
use indexmap::IndexMap;

/// A monomial's factors as `(base, exponent)` pairs, sorted by base: equal monomials are equal.
type Powers = Vec<(NodeId, Rational)>;
/// A polynomial: each distinct monomial with its coefficient, in order of first occurrence.
type Polynomial = IndexMap<Powers, Rational, FxBuildHasher>;

/// At most this many division steps per divisor.
const MAX_STEPS: usize = 256;

/// `candidate` (a sum, or a sum times common factors, as [`super::cancel`] re-factors) with
/// every sum of `originals` that divides its sum divided out; the factors ordered as in
/// `originals`, the quotient first. `candidate` itself when nothing divides.
pub(super) fn divide_out(dag: &mut Dag, candidate: NodeId, originals: &[NodeId]) -> NodeId {
    let (sum, rest) = split(dag, candidate);
    let Some(mut quotient) = expand(dag, sum, 0).and_then(|m| polynomial(dag, &m)) else {
        return candidate;
    };
    let mut divided = Vec::new();
    for &d in originals {
        if !matches!(dag.node(d), Node::Add(_)) {
            continue;
        }
        let Some(divisor) = expand(dag, d, 0).and_then(|m| polynomial(dag, &m)) else {
            continue;
        };
        if let Some(q) = divide(&quotient, &divisor) {
            quotient = q;
            divided.push(d);
        }
    }
    if divided.is_empty() || quotient.is_empty() {
        return candidate;
    }
    let quotient = to_sum(dag, &quotient);
    let mut factors: Vec<NodeId> = rest.into_iter().chain(divided).collect();
    let position = |f: &NodeId| originals.iter().position(|o| o == f).unwrap_or(usize::MAX);
    factors.sort_by_key(position);
    factors.insert(0, quotient);
    collect::product(dag, &factors)
}

/// The sum of a re-factored candidate and its other factors.
fn split(dag: &Dag, candidate: NodeId) -> (NodeId, Vec<NodeId>) {
    if let Node::Mul(factors) = dag.node(candidate) {
        if let Some(i) = factors
            .iter()
            .position(|&f| matches!(dag.node(f), Node::Add(_)))
        {
            let rest = (factors.iter().enumerate())
                .filter(|&(j, _)| j != i)
                .map(|(_, &f)| f)
                .collect();
            return (factors[i], rest);
        }
    }
    (candidate, Vec::new())
}

/// Monomials collected into a polynomial; `None` when a coefficient overflows.
fn polynomial(dag: &Dag, monomials: &[Monomial]) -> Option<Polynomial> {
    let mut p = Polynomial::default();
    for (c, factors) in monomials {
        add_term(&mut p, powers(dag, factors), *c)?;
    }
    Some(p)
}

/// A monomial's factors with like bases merged and numeric powers split into base and exponent.
fn powers(dag: &Dag, factors: &[NodeId]) -> Powers {
    let mut merged: IndexMap<NodeId, Rational, FxBuildHasher> = IndexMap::default();
    for &f in factors {
        let (base, e) = match dag.node(f) {
            Node::Pow([b, e]) => dag.as_number(*e).map_or((f, Rational::ONE), |e| (*b, e)),
            _ => (f, Rational::ONE),
        };
        let sum = merged.get(&base).map_or(Some(e), |&old| old.checked_add(e));
        merged.insert(base, sum.unwrap_or(e));
    }
    let mut out: Powers = merged.into_iter().filter(|(_, e)| !e.is_zero()).collect();
    out.sort_by_key(|&(b, _)| b);
    out
}

/// Adds `c·m` to `p`, dropping the monomial when its coefficient becomes 0.
fn add_term(p: &mut Polynomial, m: Powers, c: Rational) -> Option<()> {
    let sum = match p.get(&m) {
        Some(&old) => old.checked_add(c)?,
        None => c,
    };
    if sum.is_zero() {
        p.shift_remove(&m);
    } else {
        p.insert(m, sum);
    }
    Some(())
}

/// `p / d` when `d` divides `p` exactly: long division in the first name of `d`, whose highest
/// power must stand alone with a number as coefficient (as `-h1` does in `1 - h1`).
fn divide(p: &Polynomial, d: &Polynomial) -> Option<Polynomial> {
    let x = d.keys().find_map(|m| m.first().map(|&(b, _)| b))?;
    let degree = |m: &Powers| {
        m.iter()
            .find(|(b, _)| *b == x)
            .map_or(Rational::ZERO, |p| p.1)
    };
    let top = d.keys().map(degree).fold(Rational::ZERO, max);
    let mut leads = d.iter().filter(|(m, _)| degree(m) == top);
    let (lead, &lead_c) = leads.next()?;
    if leads.next().is_some() || lead.len() != 1 || top <= Rational::ZERO {
        return None;
    }
    let (mut rest, mut quotient) = (p.clone(), Polynomial::default());
    for _ in 0..MAX_STEPS {
        let Some((m, &c)) = rest.iter().find(|(m, _)| degree(m) >= top) else {
            return rest.is_empty().then_some(quotient);
        };
        let q_m = with_power(m, x, degree(m).checked_add(top.checked_neg()?)?);
        let q_c = c.checked_mul(lead_c.checked_recip()?)?;
        add_term(&mut quotient, q_m.clone(), q_c)?;
        for (dm, &dc) in d {
            add_term(
                &mut rest,
                times(&q_m, dm)?,
                q_c.checked_mul(dc)?.checked_neg()?,
            )?;
        }
    }
    None
}

fn max(a: Rational, b: Rational) -> Rational {
    if b > a {
        b
    } else {
        a
    }
}

/// `m` with the exponent of `x` set to `e` (removed when `e` is 0).
fn with_power(m: &Powers, x: NodeId, e: Rational) -> Powers {
    let mut out: Powers = m.iter().copied().filter(|&(b, _)| b != x).collect();
    if !e.is_zero() {
        out.push((x, e));
        out.sort_by_key(|&(b, _)| b);
    }
    out
}

/// The product of two monomials.
fn times(a: &Powers, b: &Powers) -> Option<Powers> {
    let mut out = a.clone();
    for &(base, e) in b {
        match out.iter_mut().find(|(o, _)| *o == base) {
            Some(entry) => entry.1 = entry.1.checked_add(e)?,
            None => out.push((base, e)),
        }
    }
    out.retain(|(_, e)| !e.is_zero());
    out.sort_by_key(|&(b, _)| b);
    Some(out)
}

/// A polynomial as a canonical sum, positive terms first (`y - t`, not `-t + y`).
fn to_sum(dag: &mut Dag, p: &Polynomial) -> NodeId {
    let mut terms = Vec::with_capacity(p.len());
    for (m, &c) in p {
        let mut factors = vec![dag.number(c)];
        for &(base, e) in m {
            let e = dag.number(e);
            factors.push(fold::power(dag, base, e));
        }
        terms.push(collect::product(dag, &factors));
    }
    terms.sort_by_key(|&t| is_negative(dag, t));
    collect::sum(dag, &terms)
}
