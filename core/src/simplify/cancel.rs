//! Cancellation: a product holding a sum of fractions is expanded, collected and re-factored,
//! and the result is kept only when it is smaller.
//!
//! This is what turns the chain rule through a sigmoid output under cross-entropy,
//! `(-y_t/y + (1 - y_t)/(1 - y))·y·(1 - y)·h`, into `(y - y_t)·h`: distributing lets `y·y^-1` and
//! `(1 - y)·(1 - y)^-1` cancel, like terms (`y_t·y·h - y_t·y·h`) vanish, and the factor common to
//! every remaining term (`h`) is pulled out again, and the sums the product started with that
//! divide what is left are divided back out ([`super::refactor`]). The result is kept only when
//! it is smaller both as a DAG and as printed text (its tree, names at their length), so it never
//! reads longer than the chain product it replaces. Products without such a sum are left alone,
//! so the lecture's shapes (`-(y_t - y)·w2·h·(1 - h)·x_t`) are never expanded.
//!
//! Sound where the original is defined: `y·y^-1 = 1` wherever `y^-1` is defined.

use super::{collect, fold, refactor};
use crate::dag::{Dag, Node, NodeId};
use crate::fraction::is_negative;
use crate::hash::FxBuildHasher;
use crate::rational::Rational;
use indexmap::IndexMap;

/// At most this many monomials are produced by an expansion; past it the product is kept.
const MAX_MONOMIALS: usize = 64;
/// Sums nested deeper than this inside the product are not expanded.
const MAX_DEPTH: usize = 16;

/// A coefficient and the factors it multiplies.
pub(super) type Monomial = (Rational, Vec<NodeId>);

/// The smaller of a canonical product and its expanded, collected, re-factored form.
pub(super) fn cancel(dag: &mut Dag, product: NodeId) -> NodeId {
    let Some(position) = sum_of_fractions(dag, product) else {
        return product;
    };
    let Node::Mul(factors) = dag.node(product).clone() else {
        return product;
    };
    let Node::Add(fractions) = dag.node(factors[position]).clone() else {
        return product;
    };
    // First distribute the sum of fractions over the other factors, so that each fraction
    // meets the factors that cancel its denominator while they are still whole.
    let others: Vec<NodeId> = (0..factors.len())
        .filter(|&i| i != position)
        .map(|i| factors[i])
        .collect();
    let mut monomials = Vec::new();
    for &fraction in fractions.iter() {
        let mut term = vec![fraction];
        term.extend_from_slice(&others);
        let term = collect::product(dag, &term);
        // Then expand what is left, so that like terms can meet and vanish.
        match expand(dag, term, 0) {
            Some(m) if monomials.len() + m.len() <= MAX_MONOMIALS => monomials.extend(m),
            _ => return product,
        }
    }
    let terms: Vec<NodeId> = monomials
        .into_iter()
        .map(|(c, mut factors)| {
            factors.insert(0, dag.number(c));
            collect::product(dag, &factors)
        })
        .collect();
    let sum = collect::sum(dag, &terms);
    let candidate = factor_common(dag, sum);
    let candidate = refactor::divide_out(dag, candidate, &others);
    let smaller = size(dag, candidate) < size(dag, product);
    if smaller && printed_weight(dag, candidate) <= printed_weight(dag, product) {
        candidate
    } else {
        product
    }
}

/// The position of a factor of a product that is a sum with a fraction among its terms.
fn sum_of_fractions(dag: &Dag, id: NodeId) -> Option<usize> {
    let Node::Mul(factors) = dag.node(id) else {
        return None;
    };
    factors.iter().position(|&f| is_sum_of_fractions(dag, f))
}

/// Whether `id` is a sum with a fraction among its terms: the one kind of factor that lets
/// [`cancel`] change a product.
pub(crate) fn is_sum_of_fractions(dag: &Dag, id: NodeId) -> bool {
    let negative_power = |f: &NodeId| match dag.node(*f) {
        Node::Pow([_, e]) => dag.as_number(*e).is_some_and(|e| e.is_negative()),
        _ => false,
    };
    let is_fraction = |t: NodeId| match dag.node(t) {
        Node::Mul(fs) => fs.iter().any(negative_power),
        _ => negative_power(&t),
    };
    match dag.node(id) {
        Node::Add(terms) => terms.iter().any(|&t| is_fraction(t)),
        _ => false,
    }
}

/// The expression as a sum of monomials, distributing products over sums (and small whole
/// powers of sums); `None` past the size or depth limit.
pub(super) fn expand(dag: &Dag, id: NodeId, depth: usize) -> Option<Vec<Monomial>> {
    if depth > MAX_DEPTH {
        return None;
    }
    match dag.node(id) {
        Node::Number(r) => Some(vec![(*r, Vec::new())]),
        Node::Add(terms) => {
            let mut out = Vec::new();
            for &t in terms.iter() {
                out.extend(expand(dag, t, depth + 1)?);
                if out.len() > MAX_MONOMIALS {
                    return None;
                }
            }
            Some(out)
        }
        Node::Mul(factors) => {
            let mut acc = vec![(Rational::ONE, Vec::new())];
            for &f in factors.iter() {
                acc = multiply(&acc, &expand(dag, f, depth + 1)?)?;
            }
            Some(acc)
        }
        Node::Pow([base, e]) if matches!(dag.node(*base), Node::Add(_)) => {
            match dag
                .as_number(*e)
                .filter(|e| e.is_integer() && (2..=4).contains(&e.numer()))
            {
                Some(n) => {
                    let once = expand(dag, *base, depth + 1)?;
                    let mut acc = once.clone();
                    for _ in 1..n.numer() {
                        acc = multiply(&acc, &once)?;
                    }
                    Some(acc)
                }
                None => Some(vec![(Rational::ONE, vec![id])]),
            }
        }
        _ => Some(vec![(Rational::ONE, vec![id])]),
    }
}

fn multiply(a: &[Monomial], b: &[Monomial]) -> Option<Vec<Monomial>> {
    if a.len() * b.len() > MAX_MONOMIALS {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for (ca, fa) in a {
        for (cb, fb) in b {
            let mut factors = fa.clone();
            factors.extend_from_slice(fb);
            out.push((ca.checked_mul(*cb)?, factors));
        }
    }
    Some(out)
}

/// Pulls the factors every term of a sum shares out in front: `y·h - y_t·h = (y - y_t)·h`.
/// Within the remaining sum, positive terms come first.
fn factor_common(dag: &mut Dag, sum: NodeId) -> NodeId {
    let Node::Add(terms) = dag.node(sum).clone() else {
        return sum;
    };
    let powers = |dag: &Dag, t: NodeId| -> IndexMap<NodeId, Rational, FxBuildHasher> {
        let factors: Vec<NodeId> = match dag.node(t) {
            Node::Mul(fs) => fs.to_vec(),
            _ => vec![t],
        };
        factors
            .into_iter()
            .filter(|&f| dag.as_number(f).is_none())
            .map(|f| match dag.node(f) {
                Node::Pow([b, e]) => match dag.as_number(*e) {
                    Some(e) => (*b, e),
                    None => (f, Rational::ONE),
                },
                _ => (f, Rational::ONE),
            })
            .collect()
    };
    let mut common = powers(dag, terms[0]);
    for &t in &terms[1..] {
        let p = powers(dag, t);
        common.retain(|base, e| match p.get(base) {
            Some(&other) if other > Rational::ZERO && *e > Rational::ZERO => {
                *e = (*e).min(other);
                true
            }
            _ => false,
        });
    }
    common.retain(|_, e| *e > Rational::ZERO);
    let mut reduced: Vec<NodeId> = Vec::with_capacity(terms.len());
    for &t in terms.iter() {
        let mut factors = vec![t];
        for (&base, &e) in &common {
            let minus_e = dag.number(e.checked_neg().unwrap_or(e));
            factors.push(fold::power(dag, base, minus_e));
        }
        reduced.push(collect::product(dag, &factors));
    }
    // Positive terms first: `y - y_t`, not `-y_t + y`.
    reduced.sort_by_key(|&t| is_negative(dag, t));
    let inner = collect::sum(dag, &reduced);
    if common.is_empty() {
        return inner;
    }
    let mut factors = vec![inner];
    for (base, e) in common {
        let e = dag.number(e);
        factors.push(fold::power(dag, base, e));
    }
    collect::product(dag, &factors)
}

/// The number of distinct nodes an expression uses.
fn size(dag: &Dag, id: NodeId) -> usize {
    dag.size(id)
}

/// Past this many nodes of its tree an expression's printed weight is not counted further.
const MAX_WEIGHED: usize = 100_000;

/// About how many characters the expression prints as: its tree (a shared node counted at
/// every use), names at their length, one per operator. Iterative; stops counting at
/// [`MAX_WEIGHED`] nodes.
fn printed_weight(dag: &Dag, id: NodeId) -> usize {
    let (mut stack, mut weight, mut seen) = (vec![id], 0usize, 0usize);
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > MAX_WEIGHED {
            break;
        }
        let node = dag.node(n);
        weight += match node {
            Node::Symbol(s) => dag.name(*s).chars().count(),
            Node::Number(r) if r.is_integer() => r.numer().to_string().len(),
            Node::Number(r) => r.numer().to_string().len() + r.denom().to_string().len() + 1,
            Node::Float(_) => 8,
            Node::Constant(_) | Node::Pow(_) => 1,
            Node::Add(c) | Node::Mul(c) => c.len().saturating_sub(1),
            Node::Call(_, _) => 4,
        };
        stack.extend_from_slice(node.children());
    }
    weight
}

#[cfg(test)]
mod tests {
    use crate::{simplify, Dag, NodeId, Text};

    /// Binary cross-entropy's `∂E/∂y = -t/y + (1 - t)/(1 - y)`, and the `1 - y` in it.
    fn cross_entropy_partial(dag: &mut Dag, t: NodeId, y: NodeId) -> (NodeId, NodeId) {
        let one = dag.integer(1);
        let a = dag.div(t, y);
        let a = dag.neg(a);
        let one_minus_t = dag.sub(one, t);
        let one_minus_y = dag.sub(one, y);
        let b = dag.div(one_minus_t, one_minus_y);
        (dag.add(vec![a, b]), one_minus_y)
    }

    #[test]
    fn sigmoid_under_cross_entropy_cancels_to_y_minus_t() {
        let mut dag = Dag::new();
        let (t, y, h) = (
            dag.node_named("y_t"),
            dag.node_named("y"),
            dag.node_named("h"),
        );
        let (de_dy, one_minus_y) = cross_entropy_partial(&mut dag, t, y);
        // dy/ds = y·(1 - y); ds/dw = h
        let product = dag.mul(vec![de_dy, y, one_minus_y, h]);
        let s = simplify(&mut dag, product);
        assert_eq!(Text::new(&dag, s).to_string(), "(y - y_t)·h");
        assert_eq!(
            simplify(&mut dag, s),
            s,
            "simplifying twice changes nothing"
        );
    }

    #[test]
    fn a_sigmoid_hidden_unit_under_cross_entropy_keeps_its_one_minus_h() {
        let mut dag = Dag::new();
        let [t, y, w2, h1] = ["t", "y", "w2", "h1"].map(|n| dag.node_named(n));
        let (de_dy, one_minus_y) = cross_entropy_partial(&mut dag, t, y);
        let one = dag.integer(1);
        let one_minus_h1 = dag.sub(one, h1);
        // ∂E/∂y·∂y/∂s·∂s/∂h1·∂h1/∂s1
        let product = dag.mul(vec![de_dy, y, one_minus_y, w2, h1, one_minus_h1]);
        let s = simplify(&mut dag, product);
        assert_eq!(Text::new(&dag, s).to_string(), "(y - t)·w2·h1·(1 - h1)");
        assert_eq!(
            simplify(&mut dag, s),
            s,
            "simplifying twice changes nothing"
        );
    }

    #[test]
    fn a_sum_that_does_not_divide_stays_expanded_only_when_shorter() {
        let mut dag = Dag::new();
        let [t, y, h] = ["t", "y", "h"].map(|n| dag.node_named(n));
        let one = dag.integer(1);
        let a = dag.div(t, y);
        let b = dag.div(one, h);
        let sum = dag.add(vec![a, b]);
        let one_plus_h = dag.add(vec![one, h]);
        let product = dag.mul(vec![sum, y, one_plus_h]);
        let before = Text::new(&dag, product).to_string();
        let s = simplify(&mut dag, product);
        let after = Text::new(&dag, s).to_string();
        assert!(
            after.chars().count() <= before.chars().count(),
            "{before} -> {after}"
        );
    }

    #[test]
    fn products_without_fractions_keep_the_lecture_shape() {
        let mut dag = Dag::new();
        let (t, y, h) = (
            dag.node_named("y_t"),
            dag.node_named("y"),
            dag.node_named("h"),
        );
        let one = dag.integer(1);
        let err = dag.sub(t, y);
        let neg = dag.neg(err);
        let one_minus_h = dag.sub(one, h);
        let product = dag.mul(vec![neg, h, one_minus_h]);
        let s = simplify(&mut dag, product);
        assert_eq!(Text::new(&dag, s).to_string(), "-(y_t - y)·h·(1 - h)");
    }
}
