//! Collecting sums and products: flatten, fold the numbers, gather like terms and like bases.
//!
//! Terms and factors keep the order of their first occurrence; like terms are recognised by
//! the sorted ids of their factors, so `w·h` and `h·w` are the same term.

use super::fold;
use crate::dag::{Dag, Node, NodeId};
use crate::hash::FxHashMap;
use crate::rational::Rational;
use smallvec::SmallVec;
use std::hash::Hash;

/// Entries in order of first filing, found by key: a scan while there are few (most sums and
/// products have a handful of terms, kept inline without allocating), an index beyond that.
struct Filed<K, V> {
    entries: SmallVec<[(K, V); 8]>,
    index: Option<FxHashMap<K, usize>>,
}

impl<K: Clone + Eq + Hash, V> Filed<K, V> {
    /// Past this many entries, keys are indexed.
    const SCAN: usize = 16;

    fn new() -> Self {
        Filed {
            entries: SmallVec::new(),
            index: None,
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let position = match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        };
        position.map(|k| &mut self.entries[k].1)
    }

    /// Files a new key (not already filed) last.
    fn insert(&mut self, key: K, value: V) {
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.entries.len());
        } else if self.entries.len() == Self::SCAN {
            let mut index: FxHashMap<K, usize> = self
                .entries
                .iter()
                .enumerate()
                .map(|(k, (key, _))| (key.clone(), k))
                .collect();
            index.insert(key.clone(), self.entries.len());
            self.index = Some(index);
        }
        self.entries.push((key, value));
    }
}

impl<K, V> IntoIterator for Filed<K, V> {
    type Item = (K, V);
    type IntoIter = smallvec::IntoIter<[(K, V); 8]>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// The factors of a term, sorted: inline up to four.
type SortedFactors = SmallVec<[NodeId; 4]>;

/// Where a term of a sum is filed: the numeric part, or a term keyed by its sorted factors.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum TermKey {
    Number,
    Term(SortedFactors),
}

/// The canonical sum of canonical terms.
pub(super) fn sum(dag: &mut Dag, terms: &[NodeId]) -> NodeId {
    let mut flat: SmallVec<[NodeId; 16]> = SmallVec::with_capacity(terms.len());
    for &t in terms {
        match dag.node(t) {
            Node::Add(inner) => flat.extend_from_slice(inner),
            _ => flat.push(t),
        }
    }
    let collected = collect_flat(dag, &flat);
    // A number times a sum (`-(1 + y)`) is kept whole, unless spreading it over the other
    // terms cancels some: `(y + 1) - (1 + y)` is 0.
    if let Some(spread) = spread_numbers(dag, &flat) {
        let fewer = collect_flat(dag, &spread);
        let flat_terms = !fewer.iter().any(|&t| matches!(dag.node(t), Node::Add(_)));
        if fewer.len() < collected.len() && flat_terms {
            return sum_node(dag, &fewer);
        }
    }
    sum_node(dag, &collected)
}

/// The node of collected terms.
fn sum_node(dag: &mut Dag, terms: &[NodeId]) -> NodeId {
    match terms.len() {
        0 => dag.integer(0),
        1 => terms[0],
        _ => dag.add_slice(terms),
    }
}

/// The terms with every number times a sum, `c·(a + b)`, spread to `c·a + c·b` (one level);
/// `None` when there is no such term.
fn spread_numbers(dag: &mut Dag, terms: &[NodeId]) -> Option<SmallVec<[NodeId; 16]>> {
    let number_times_sum = |dag: &Dag, t: NodeId| match dag.node(t) {
        Node::Mul(f) if f.len() == 2 && dag.as_number(f[0]).is_some() => match dag.node(f[1]) {
            Node::Add(inner) => Some((f[0], SmallVec::<[NodeId; 8]>::from_slice(inner))),
            _ => None,
        },
        _ => None,
    };
    if !terms.iter().any(|&t| number_times_sum(dag, t).is_some()) {
        return None;
    }
    let mut spread: SmallVec<[NodeId; 16]> = SmallVec::with_capacity(terms.len() + 4);
    for &t in terms {
        match number_times_sum(dag, t) {
            Some((c, inner)) => {
                for term in inner {
                    // A product may come out a sum (a number times a sum of fractions).
                    let p = product(dag, &[c, term]);
                    match dag.node(p) {
                        Node::Add(terms) => spread.extend_from_slice(terms),
                        _ => spread.push(p),
                    }
                }
            }
            None => spread.push(t),
        }
    }
    Some(spread)
}

/// [`collect_terms`], and again over the terms of any sum that comes out of it: a number
/// times a product can come out a sum (a product holding a sum of fractions is expanded when
/// that cancels), whose terms join the others. At most four rounds.
fn collect_flat(dag: &mut Dag, flat: &[NodeId]) -> SmallVec<[NodeId; 8]> {
    let mut collected = collect_terms(dag, flat);
    for _ in 0..4 {
        if !collected
            .iter()
            .any(|&t| matches!(dag.node(t), Node::Add(_)))
        {
            break;
        }
        let mut again: SmallVec<[NodeId; 16]> = SmallVec::with_capacity(collected.len() + 4);
        for &t in &collected {
            match dag.node(t) {
                Node::Add(inner) => again.extend_from_slice(inner),
                _ => again.push(t),
            }
        }
        collected = collect_terms(dag, &again);
    }
    collected
}

/// Like terms gathered and numbers folded, in order of first occurrence; zero terms dropped.
fn collect_terms(dag: &mut Dag, flat: &[NodeId]) -> SmallVec<[NodeId; 8]> {
    // Each group's coefficients, folded into one where the exact sum fits (see `fold_exactly`).
    let mut groups: Filed<TermKey, (Coefficients, NodeId)> = Filed::new();
    for &t in flat {
        let (coefficient, rest) = split_coefficient(dag, t);
        let key = match dag.node(rest) {
            _ if dag.as_number(t).is_some() => TermKey::Number,
            Node::Mul(factors) => {
                let mut sorted = SortedFactors::from_slice(factors);
                sorted.sort_unstable();
                TermKey::Term(sorted)
            }
            _ => TermKey::Term(smallvec::smallvec![rest]),
        };
        match groups.get_mut(&key) {
            None => {
                groups.insert(key, (smallvec::smallvec![coefficient], rest));
            }
            Some(entry) => entry.0.push(coefficient),
        }
    }
    let mut out: SmallVec<[NodeId; 8]> = SmallVec::with_capacity(groups.len());
    for (key, (coefficients, rest)) in groups {
        for coefficient in fold_exactly(coefficients) {
            if coefficient.is_zero() {
                continue;
            }
            out.push(match key {
                TermKey::Number => dag.number(coefficient),
                _ if coefficient.is_one() => rest,
                _ => {
                    let c = dag.number(coefficient);
                    product(dag, &[c, rest])
                }
            });
        }
    }
    out
}

/// The coefficients of one group of like terms.
type Coefficients = SmallVec<[Rational; 2]>;

/// The coefficients added exactly wherever the sum fits, until no two of them can be: the
/// terms whose exact sum overflows stay apart, unrounded, and no two that remain could be
/// folded (an order-dependent fold could leave `-a + b` and `-b` apart when `-a - b` overflows,
/// though the three sum to `-a`).
fn fold_exactly(mut coefficients: Coefficients) -> Coefficients {
    let mut merged = true;
    while merged {
        merged = false;
        'pairs: for i in 0..coefficients.len() {
            for j in i + 1..coefficients.len() {
                if let Some(total) = coefficients[i].checked_add(coefficients[j]) {
                    coefficients[i] = total;
                    coefficients.remove(j);
                    merged = true;
                    break 'pairs;
                }
            }
        }
    }
    coefficients
}

/// A term as (numeric coefficient, the rest): `-2·x·y` is `(-2, x·y)`, `3` is `(3, 1)`.
fn split_coefficient(dag: &mut Dag, term: NodeId) -> (Rational, NodeId) {
    if let Some(r) = dag.as_number(term) {
        return (r, dag.integer(1));
    }
    if let Node::Mul(factors) = dag.node(term) {
        if let Some(c) = dag.as_number(factors[0]) {
            let rest = match factors[1..] {
                [only] => only,
                ref rest => {
                    let rest: SmallVec<[NodeId; 8]> = SmallVec::from_slice(rest);
                    dag.mul_slice(&rest)
                }
            };
            return (c, rest);
        }
    }
    (Rational::ONE, term)
}

/// Where a factor of a product is filed: by its base when the exponent is a number.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum FactorKey {
    Base(NodeId),
    Apart(usize),
}

/// The factors of a product filed by base, each with its exponent, in order of first occurrence.
type Bases = Filed<FactorKey, (NodeId, Rational)>;

/// The canonical product of canonical factors.
pub(super) fn product(dag: &mut Dag, factors: &[NodeId]) -> NodeId {
    let flat = flatten_products(dag, factors);
    let Some((coefficient, bases)) = file_by_base(dag, &flat) else {
        return dag.integer(0);
    };
    let (mut out, needs_another_pass) = raise_bases(dag, bases);
    if needs_another_pass {
        // A power folded to a number or distributed over a product: collect once more.
        let c = dag.number(coefficient);
        out.insert(0, c);
        return product(dag, &out);
    }
    with_coefficient(dag, coefficient, out)
}

/// The factors with nested products spliced in: `(x·y)·z` is `x, y, z`.
fn flatten_products(dag: &Dag, factors: &[NodeId]) -> SmallVec<[NodeId; 16]> {
    let mut flat: SmallVec<[NodeId; 16]> = SmallVec::with_capacity(factors.len());
    for &f in factors {
        match dag.node(f) {
            Node::Mul(inner) => flat.extend_from_slice(inner),
            _ => flat.push(f),
        }
    }
    flat
}

/// The product of the numbers among `flat`, and the other factors filed by base with their
/// exponents summed (`x·x^2` files `x` with exponent 3); `None` when a factor is 0. A number or
/// power whose product or exponent sum overflows is filed apart, as it is.
fn file_by_base(dag: &Dag, flat: &[NodeId]) -> Option<(Rational, Bases)> {
    let mut coefficient = Rational::ONE;
    let mut bases: Bases = Filed::new();
    for &f in flat {
        if let Some(r) = dag.as_number(f) {
            if r.is_zero() {
                return None;
            }
            match coefficient.checked_mul(r) {
                Some(c) => coefficient = c,
                None => {
                    let apart = FactorKey::Apart(bases.len());
                    bases.insert(apart, (f, Rational::ONE));
                }
            }
            continue;
        }
        let (base, exponent) = base_and_exponent(dag, f);
        match bases.get_mut(&FactorKey::Base(base)) {
            None => {
                bases.insert(FactorKey::Base(base), (base, exponent));
            }
            Some(entry) => match entry.1.checked_add(exponent) {
                Some(total) => entry.1 = total,
                None => {
                    let apart = FactorKey::Apart(bases.len());
                    bases.insert(apart, (f, Rational::ONE));
                }
            },
        }
    }
    Some((coefficient, bases))
}

/// A factor as (base, numeric exponent): `x^3` is `(x, 3)`; anything else, `x^y` included, is
/// itself to the power 1.
fn base_and_exponent(dag: &Dag, f: NodeId) -> (NodeId, Rational) {
    match dag.node(f) {
        Node::Pow([b, e]) => match dag.as_number(*e) {
            Some(e) => (*b, e),
            None => (f, Rational::ONE),
        },
        _ => (f, Rational::ONE),
    }
}

/// Each filed base raised to its exponent, bases whose exponents cancel left out, and whether
/// a power became a number other than 1 or a product, so that the whole must be collected again.
fn raise_bases(dag: &mut Dag, bases: Bases) -> (SmallVec<[NodeId; 8]>, bool) {
    let mut out: SmallVec<[NodeId; 8]> = SmallVec::with_capacity(bases.len() + 1);
    let mut needs_another_pass = false;
    for (key, (base, exponent)) in bases {
        if let FactorKey::Apart(_) = key {
            // A number or power kept apart because combining it overflowed: as it is.
            out.push(base);
            continue;
        }
        if exponent.is_zero() {
            continue;
        }
        let factor = if exponent.is_one() {
            base
        } else {
            let e = dag.number(exponent);
            fold::power(dag, base, e)
        };
        match dag.node(factor) {
            Node::Number(r) if *r != Rational::ONE => needs_another_pass = true,
            Node::Number(_) => continue,
            Node::Mul(_) => needs_another_pass = true,
            _ => {}
        }
        out.push(factor);
    }
    (out, needs_another_pass)
}

/// `coefficient·factors` in canonical form: the coefficient first, left out when it is 1, and a
/// single factor on its own.
fn with_coefficient(
    dag: &mut Dag,
    coefficient: Rational,
    mut factors: SmallVec<[NodeId; 8]>,
) -> NodeId {
    if factors.is_empty() {
        return dag.number(coefficient);
    }
    if coefficient.is_one() {
        if factors.len() == 1 {
            return factors[0];
        }
    } else {
        factors.insert(0, dag.number(coefficient));
    }
    dag.mul_slice(&factors)
}
