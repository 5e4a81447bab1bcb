//! The index-form derivation on the lecture's two-layer sigmoid network (built with the
//! builder, as the grammar lowers it): the slides' formulas for ∂E/∂w2[k,j] and ∂E/∂w1[j,i].

mod common;

use symdiff_core::indexed::{IndexedDerivation, IndexedModel, Sub};
use symdiff_core::{Func, Rational, Role, Simplifier, Text};

/// `network two_layer` of DESIGN.md, "Indexed layers" (I = 3, J = 3, K = 4).
fn two_layer() -> IndexedModel {
    let mut b = IndexedModel::builder("two_layer");
    b.declare("x", Role::Input, &[3], None).unwrap();
    b.declare("t", Role::Target, &[4], None).unwrap();
    b.declare("w1", Role::Param, &[3, 3], None).unwrap();
    b.declare("b1", Role::Param, &[3], None).unwrap();
    b.declare("w2", Role::Param, &[4, 3], None).unwrap();
    common::layer(
        &mut b,
        Role::Intermediate,
        ("s", "j", 3),
        ("x", "i", 3),
        "w1",
        Some("b1"),
        None,
    );
    let (j, k) = (b.index("j", 3), b.index("k", 4));
    let sj = b.element("s", &[Sub::Index(j)]);
    let h = b.dag().call(Func::Sigmoid, vec![sj]);
    b.define("h", Role::Intermediate, &[j], h).unwrap();
    common::layer(
        &mut b,
        Role::Intermediate,
        ("z", "k", 4),
        ("h", "j", 3),
        "w2",
        None,
        None,
    );
    let zk = b.element("z", &[Sub::Index(k)]);
    let o = b.dag().call(Func::Sigmoid, vec![zk]);
    b.define("o", Role::Output, &[k], o).unwrap();
    let tk = b.element("t", &[Sub::Index(k)]);
    let ok = b.element("o", &[Sub::Index(k)]);
    let diff = b.dag().sub(tk, ok);
    let sq = b.dag().powi(diff, 2);
    let total = b.sum(k, sq);
    let half = b.dag().number(Rational::new(1, 2).unwrap());
    let e = b.dag().mul(vec![half, total]);
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

fn closed_form(model: &mut IndexedModel, d: &IndexedDerivation, name: &str) -> String {
    let vertex = model.dag.find_symbol(name).unwrap();
    let templates = d.path_templates(model, vertex);
    let mut terms = Vec::new();
    for t in &templates {
        let product = model.dag.mul(t.locals.clone());
        terms.push(symdiff_core::indexed::sum_over_public(
            model, &t.sums, product,
        ));
    }
    let sum = model.dag.add(terms);
    let mut simplifier = Simplifier::default();
    let s = symdiff_core::indexed::tidy(model, &mut simplifier, sum);
    let chains: Vec<String> = templates.iter().map(|t| t.chain.join("·")).collect();
    format!("{} = {}", chains.join(" + "), Text::new(&model.dag, s))
}

fn adjoint_lines(model: &IndexedModel, d: &IndexedDerivation) -> Vec<String> {
    d.adjoints()
        .iter()
        .map(|a| {
            format!(
                "{} = {}",
                model.dag.name(a.symbol),
                Text::new(&model.dag, a.formula)
            )
        })
        .collect()
}

#[test]
fn two_layer_formulas_are_the_slides() {
    let mut model = two_layer();
    let d = IndexedDerivation::new(&mut model);
    assert_eq!(
        adjoint_lines(&model, &d),
        [
            "∂E/∂o[k] = -(t[k] - o[k])",
            "∂E/∂z[k] = ∂E/∂o[k]·o[k]·(1 - o[k])",
            "∂E/∂h[j] = Σ_k ∂E/∂z[k]·w2[k,j]",
            "∂E/∂s[j] = ∂E/∂h[j]·h[j]·(1 - h[j])",
            "∂E/∂x[i] = Σ_j ∂E/∂s[j]·w1[j,i]",
            "∂E/∂t[k] = t[k] - o[k]",
            "∂E/∂w1[j,i] = ∂E/∂s[j]·x[i]",
            "∂E/∂b1[j] = ∂E/∂s[j]",
            "∂E/∂w2[k,j] = ∂E/∂z[k]·h[j]",
        ]
    );
    // The slides: ∂E_n/∂w_kj = -(t_nk - o_nk)·o_nk·(1 - o_nk)·h_nj, and
    // ∂E_n/∂w_ji = -h_nj·(1 - h_nj)·x_ni·Σ_k w_kj·(t_nk - o_nk)·o_nk·(1 - o_nk).
    assert_eq!(
        closed_form(&mut model, &d, "w2"),
        "∂E/∂o[k]·∂o[k]/∂z[k]·∂z[k]/∂w2[k,j] = -(t[k] - o[k])·o[k]·(1 - o[k])·h[j]"
    );
    assert_eq!(
        closed_form(&mut model, &d, "w1"),
        "∂E/∂o[k]·∂o[k]/∂z[k]·∂z[k]/∂h[j]·∂h[j]/∂s[j]·∂s[j]/∂w1[j,i] = \
         -h[j]·(1 - h[j])·x[i]·(Σ_k (t[k] - o[k])·o[k]·(1 - o[k])·w2[k,j])"
    );
    let w1 = model.dag.find_symbol("w1").unwrap();
    let templates = d.path_templates(&mut model, w1);
    assert_eq!(templates.len(), 1);
    assert_eq!(templates[0].paths, 4, "one template stands for K = 4 paths");
}

/// The loop evaluator's and the batched plan's gradients equal the scalar engine's on the
/// unrolled network, and central finite differences, at deterministic values in (-1, 1).
fn agrees_with_unrolled(model: IndexedModel) {
    let mut n = 0usize;
    let mut value = || {
        n += 1;
        let x = ((n * 104_729 + 13) as f64).sin() * 43758.5453;
        2.0 * (x - x.floor()) - 1.0
    };
    common::agrees_with_unrolled(model, &mut value, 1e-6, "indexed_derive");
}

#[test]
fn two_layer_gradient_agrees_with_the_unrolled_network() {
    agrees_with_unrolled(two_layer());
}

/// The slide's three sigmoid layers: h1[i] from x[p], h2[j] from h1[i], o[k] from h2[j].
fn three_layer() -> IndexedModel {
    let mut b = IndexedModel::builder("three_layer");
    b.declare("x", Role::Input, &[2], None).unwrap();
    b.declare("t", Role::Target, &[2], None).unwrap();
    b.declare("w1", Role::Param, &[3, 2], None).unwrap();
    b.declare("w2", Role::Param, &[4, 3], None).unwrap();
    b.declare("w3", Role::Param, &[2, 4], None).unwrap();
    common::layer(
        &mut b,
        Role::Intermediate,
        ("h1", "i", 3),
        ("x", "p", 2),
        "w1",
        None,
        Some(Func::Sigmoid),
    );
    common::layer(
        &mut b,
        Role::Intermediate,
        ("h2", "j", 4),
        ("h1", "i", 3),
        "w2",
        None,
        Some(Func::Sigmoid),
    );
    common::layer(
        &mut b,
        Role::Intermediate,
        ("o", "k", 2),
        ("h2", "j", 4),
        "w3",
        None,
        Some(Func::Sigmoid),
    );
    let k = b.index("k", 2);
    let tk = b.element("t", &[Sub::Index(k)]);
    let ok = b.element("o", &[Sub::Index(k)]);
    let diff = b.dag().sub(tk, ok);
    let sq = b.dag().powi(diff, 2);
    let total = b.sum(k, sq);
    let half = b.dag().number(Rational::new(1, 2).unwrap());
    let e = b.dag().mul(vec![half, total]);
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

#[test]
fn three_layer_formula_has_the_slides_nested_sums() {
    let mut model = three_layer();
    let d = IndexedDerivation::new(&mut model);
    // The slide: ∂E/∂w_ip = (Σ_j (Σ_k -(t_k - o_k)·o_k(1 - o_k)·w_kj)·h_j(1 - h_j)·w_ji)·h_i(1 - h_i)·h_p
    // (here the first layer's input is x[p]).
    assert_eq!(
        closed_form(&mut model, &d, "w1"),
        "∂E/∂o[k]·∂o[k]/∂h2[j]·∂h2[j]/∂h1[i]·∂h1[i]/∂w1[i,p] = \
         -h1[i]·(1 - h1[i])·x[p]·(Σ_j h2[j]·(1 - h2[j])·w2[j,i]·(Σ_k (t[k] - o[k])·o[k]·(1 - o[k])·w3[k,j]))"
    );
    agrees_with_unrolled(model);
}

/// Softmax cross-entropy through logsumexp, with a weight shared by two layers, a layer of
/// size 1 (a degenerate Σ) and a fixed element reference.
fn softmax_shared() -> IndexedModel {
    let mut b = IndexedModel::builder("softmax");
    b.declare("x", Role::Input, &[3], None).unwrap();
    b.declare("t", Role::Target, &[3], None).unwrap();
    b.declare("w", Role::Param, &[3, 3], None).unwrap();
    b.declare("u", Role::Param, &[1, 3], None).unwrap();
    b.declare("c", Role::Param, &[], None).unwrap();
    common::layer(
        &mut b,
        Role::Intermediate,
        ("h", "j", 3),
        ("x", "i", 3),
        "w",
        None,
        Some(Func::Tanh),
    );
    // The same w again: z[k] = Σ_j w[k,j]·h[j] + c·x[2]
    let (k, j) = (b.index("k", 3), b.index("j", 3));
    let w = b.element("w", &[Sub::Index(k), Sub::Index(j)]);
    let hj = b.element("h", &[Sub::Index(j)]);
    let wh = b.dag().mul(vec![w, hj]);
    let s = b.sum(j, wh);
    let c = b.element("c", &[]);
    let x2 = b.element("x", &[Sub::Fixed(2)]);
    let cx = b.dag().mul(vec![c, x2]);
    let z = b.dag().add(vec![s, cx]);
    b.define("z", Role::Intermediate, &[k], z).unwrap();
    // g[m] = softplus(Σ_k u[m,k]·z[k]), m = 1..1
    common::layer(
        &mut b,
        Role::Intermediate,
        ("g", "m", 1),
        ("z", "k", 3),
        "u",
        None,
        Some(Func::Softplus),
    );
    // p[k] = exp(z[k] - logsumexp(l, z[l]))
    let l = b.index("l", 3);
    let zl = b.element("z", &[Sub::Index(l)]);
    let lse = b.logsumexp(l, zl);
    let zk = b.element("z", &[Sub::Index(k)]);
    let shifted = b.dag().sub(zk, lse);
    let p = b.dag().call(Func::Exp, vec![shifted]);
    b.define("p", Role::Output, &[k], p).unwrap();
    // E = -Σ_k t[k]·log(p[k]) + g[1]^2
    let tk = b.element("t", &[Sub::Index(k)]);
    let pk = b.element("p", &[Sub::Index(k)]);
    let log = b.dag().call(Func::Log, vec![pk]);
    let tlog = b.dag().mul(vec![tk, log]);
    let ce = b.sum(k, tlog);
    let ce = b.dag().neg(ce);
    let g1 = b.element("g", &[Sub::Fixed(1)]);
    let g2 = b.dag().powi(g1, 2);
    let e = b.dag().add(vec![ce, g2]);
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

#[test]
fn softmax_shared_weights_and_fixed_references_agree_with_the_unrolled_network() {
    let mut model = softmax_shared();
    let d = IndexedDerivation::new(&mut model);
    for line in adjoint_lines(&model, &d) {
        eprintln!("{line}");
    }
    agrees_with_unrolled(model);
}

#[test]
fn softmax_cross_entropy_is_finite_at_logits_of_a_thousand() {
    use symdiff_core::indexed::{ArrayValues, IndexedAnalysis};
    let mut b = IndexedModel::builder("softmax_ce");
    b.declare("x", Role::Input, &[3], None).unwrap();
    b.declare("t", Role::Target, &[3], None).unwrap();
    b.declare("w", Role::Param, &[], None).unwrap();
    let (k, m) = (b.index("k", 3), b.index("m", 3));
    let w = b.element("w", &[]);
    let xk = b.element("x", &[Sub::Index(k)]);
    let z = b.dag().mul(vec![w, xk]);
    b.define("z", Role::Intermediate, &[k], z).unwrap();
    let zm = b.element("z", &[Sub::Index(m)]);
    let lse = b.logsumexp(m, zm);
    let zk = b.element("z", &[Sub::Index(k)]);
    let shifted = b.dag().sub(zk, lse);
    let p = b.dag().call(Func::Exp, vec![shifted]);
    b.define("p", Role::Output, &[k], p).unwrap();
    let tk = b.element("t", &[Sub::Index(k)]);
    let pk = b.element("p", &[Sub::Index(k)]);
    let log = b.dag().call(Func::Log, vec![pk]);
    let tlog = b.dag().mul(vec![tk, log]);
    let ce = b.sum(k, tlog);
    let e = b.dag().neg(ce);
    b.define("E", Role::Loss, &[], e).unwrap();
    let analysis = IndexedAnalysis::new(b.finish().unwrap());
    let name = |n: &str| analysis.model.dag.find_symbol(n).unwrap();
    // The printed adjoint of the logits: p[k]·Σ t - t[k], which is p[k] - t[k] for targets
    // that sum to 1 (the multi-class twin of sigmoid and cross-entropy's y - t).
    let z_adjoint = analysis.derivation.adjoint(name("z")).unwrap();
    let mut model = analysis.model.clone();
    let mut simplifier = Simplifier::default();
    let inlined = analysis
        .derivation
        .inline_adjoints(&mut model, z_adjoint.formula);
    let closed = symdiff_core::indexed::tidy(&mut model, &mut simplifier, inlined);
    assert_eq!(
        Text::new(&model.dag, closed).to_string(),
        "-t[k] + p[k]·(Σ_k′ t[k′])"
    );
    // Logits of ±1000: every value finite.
    let mut values = ArrayValues::new();
    values.set(name("x"), vec![1000.0, -1000.0, 0.0]);
    values.set(name("t"), vec![0.0, 1.0, 0.0]);
    values.set(name("w"), vec![1.0]);
    let result = analysis.evaluate(&values);
    assert_eq!(result.loss, 2000.0); // logsumexp = 1000 (+ e^-1000), minus z[2] = -1000
                                     // ∂E/∂w = Σ_k (p[k] - t[k])·x[k] = 1·1000 - 1·(-1000)
    assert_eq!(result.gradient.get(name("w")), Some(&[2000.0][..]));
}
