//! Numerically stable values: the evaluator and the generated code give finite, correct values
//! where the mathematics is finite — sigmoid and softplus at ±1000, cross-entropy through a
//! sigmoid at logits of ±1000 — and follow the lecture at non-differentiable points
//! (relu'(0) = 0, abs'(0) = 0).

mod common;

use common::analyse;
use symdiff::core::Analysis;

/// Evaluates a file's default derivative at a point given by name.
fn at(a: &Analysis, pairs: &[(&str, f64)]) -> (f64, Vec<f64>) {
    let mut p = a.default_point();
    for &(name, v) in pairs {
        a.assign(&mut p, name, v).unwrap();
    }
    let e = a.evaluate(&p);
    (e.value, e.gradient)
}

#[test]
fn sigmoid_and_softplus_at_plus_minus_1000() {
    let a = analyse("s.sd", "y = sigmoid(x)", 16);
    assert_eq!(at(&a, &[("x", -1000.0)]), (0.0, vec![0.0]));
    assert_eq!(at(&a, &[("x", 1000.0)]), (1.0, vec![0.0]));
    let a = analyse("s.sd", "y = softplus(x)", 16);
    assert_eq!(at(&a, &[("x", 1000.0)]), (1000.0, vec![1.0]));
    assert_eq!(at(&a, &[("x", -1000.0)]), (0.0, vec![0.0]));
    let a = analyse("s.sd", "y = log_sigmoid(x)", 16);
    assert_eq!(at(&a, &[("x", -1000.0)]), (-1000.0, vec![1.0]));
    assert_eq!(at(&a, &[("x", 1000.0)]), (-0.0, vec![0.0]));
}

#[test]
fn bce_through_logits_is_finite_and_correct_at_plus_minus_1000() {
    let a = analyse("bce.sd", "E = bce(t, sigmoid(s))", 16);
    let names: Vec<&str> = a.wrt().iter().map(|&w| a.model.name_of(w)).collect();
    assert_eq!(names, ["t", "s"]);
    // (t, s) -> (loss, ∂E/∂s = sigmoid(s) - t)
    for (t, s, loss, d_s) in [
        (1.0, 1000.0, 0.0, 0.0),
        (0.0, 1000.0, 1000.0, 1.0),
        (1.0, -1000.0, 1000.0, -1.0),
        (0.0, -1000.0, 0.0, 0.0),
    ] {
        let (value, gradient) = at(&a, &[("t", t), ("s", s)]);
        assert_eq!(value, loss, "bce(t = {t}, sigmoid({s}))");
        assert_eq!(gradient[1], d_s, "∂bce/∂s at t = {t}, s = {s}");
    }
}

#[test]
fn the_lecture_classification_net_is_finite_at_extreme_logits() {
    let a = analyse(
        "sigmoid_classification.sd",
        &common::lecture_source("sigmoid_classification"),
        16,
    );
    // s2 = h·w2 with h = relu(x_t·w1): x_t = 1, w1 = 1, w2 = ±1000 gives s2 = ±1000.
    for (y_t, w2, loss) in [
        (1.0, 1000.0, 0.0),
        (0.0, 1000.0, 1000.0),
        (1.0, -1000.0, 1000.0),
    ] {
        let (value, gradient) = at(&a, &[("x_t", 1.0), ("y_t", y_t), ("w2", w2)]);
        assert_eq!(value, loss, "y_t = {y_t}, w2 = {w2}");
        assert!(gradient.iter().all(|g| g.is_finite()), "{gradient:?}");
        // ∂E/∂w2 = (y - y_t)·h with y = sigmoid(±1000) ∈ {0, 1}, h = 1.
        let y = if w2 > 0.0 { 1.0 } else { 0.0 };
        assert_eq!(gradient[1], y - y_t);
    }
}

#[test]
fn mse_is_the_squared_error() {
    let a = analyse("mse.sd", "E = mse(t, y)", 16);
    assert_eq!(at(&a, &[("t", 3.0), ("y", 1.0)]), (4.0, vec![4.0, -4.0]));
}

#[test]
fn relu_and_abs_have_derivative_0_at_0() {
    let a = analyse("relu.sd", "y = relu(x)", 16);
    assert_eq!(at(&a, &[("x", 0.0)]).1, [0.0]);
    assert_eq!(at(&a, &[("x", 1e-300)]).1, [1.0]);
    assert_eq!(at(&a, &[("x", -2.0)]).1, [0.0]);
    let a = analyse("abs.sd", "y = abs(x)", 16);
    assert_eq!(at(&a, &[("x", 0.0)]).1, [0.0]);
    assert_eq!(at(&a, &[("x", -3.0)]).1, [-1.0]);
    assert_eq!(at(&a, &[("x", 3.0)]).1, [1.0]);
}

symdiff::network! {
    network logits {
        input s
        target t
        param w = 1
        z = w * s
        output p = sigmoid(z)
        loss E = bce(t, sigmoid(z))
    }

    network logits_through_a_vertex {
        input s
        target t
        param w = 1
        z = w * s
        output p = sigmoid(z)
        loss E = bce(t, p)
    }

    network extremes {
        input x
        target t
        param w = 1
        output y = sigmoid(w * x) + softplus(w * x)
        loss E = mse(t, y)
    }
}

#[test]
fn generated_code_is_finite_at_extreme_logits() {
    let p = logits::Params { w: 1.0 };
    for (s, t, loss) in [
        (1000.0, 1.0, 0.0),
        (1000.0, 0.0, 1000.0),
        (-1000.0, 1.0, 1000.0),
        (-1000.0, 0.0, 0.0),
    ] {
        let (value, g) = logits::gradient(&p, &logits::Input { s }, &logits::Target { t });
        assert_eq!(value, loss, "s = {s}, t = {t}");
        // ∂E/∂w = (sigmoid(w·s) - t)·s, with sigmoid(±1000) exactly 1 or 0 in f64.
        let sigmoid = if s > 0.0 { 1.0 } else { 0.0 };
        assert_eq!(g.w, (sigmoid - t) * s, "s = {s}, t = {t}");
    }
    let p = logits_through_a_vertex::Params { w: 1.0 };
    for (s, t, loss) in [
        (1000.0, 1.0, 0.0),
        (1000.0, 0.0, 1000.0),
        (-1000.0, 1.0, 1000.0),
    ] {
        let input = logits_through_a_vertex::Input { s };
        let target = logits_through_a_vertex::Target { t };
        let (value, g) = logits_through_a_vertex::gradient(&p, &input, &target);
        assert_eq!(value, loss, "through a vertex: s = {s}, t = {t}");
        let sigmoid = if s > 0.0 { 1.0 } else { 0.0 };
        assert_eq!(g.w, (sigmoid - t) * s, "through a vertex: s = {s}, t = {t}");
    }
    let q = extremes::Params { w: 1.0 };
    assert_eq!(
        extremes::forward(&q, &extremes::Input { x: 1000.0 }),
        1001.0
    );
    assert_eq!(extremes::forward(&q, &extremes::Input { x: -1000.0 }), 0.0);
    let (_, g) = extremes::gradient(
        &q,
        &extremes::Input { x: -1000.0 },
        &extremes::Target { t: 0.0 },
    );
    assert!(g.w.is_finite());
}
