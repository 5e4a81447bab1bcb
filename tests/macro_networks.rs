//! Tests through `network!`: the generated code gives the lecture's numbers, equals core's
//! evaluator (the symbolic gradient) to 1e-12, and equals central finite differences, on every
//! lecture network and on generated random networks (`tests/nets/*.sd`).

mod common;

use common::{Rng, FD_ATOL, FD_RTOL, FD_STEP};
use symdiff::core::Analysis;

symdiff::network!(file = "nets/two_weights.sd");
symdiff::network!(file = "nets/five_weights.sd");
symdiff::network!(file = "nets/relu_regression.sd");
symdiff::network!(file = "nets/sigmoid_classification.sd");
symdiff::network!(file = "nets/random_a.sd");
symdiff::network!(file = "nets/random_b.sd");
symdiff::network!(file = "nets/random_c.sd");
symdiff::network!(file = "nets/tanh_2_2_1.sd");
symdiff::network!(file = "nets/argument_names.sd");
symdiff::network!(file = "nets/slide_notation.sd");

symdiff::network! {
    // The contract's example, inline, in f32.
    #[float = f32]
    network tiny32 {
        input x_t
        target y_t
        param w1 = 1, w2 = 1
        h = sigmoid(x_t * w1)
        output y = h * w2
        loss E = 1/2 * (y_t - y)^2
    }
    // Rust keywords and names that look like generated ones still work.
    network keywords {
        input in, x
        target t
        param type, d_h = 0.5
        h = tanh(type * x + d_h)
        output y = h * in
        loss E = (t - y)^2
    }
    // Greek names, as the slides write them: Rust identifiers too.
    network greek {
        input x
        target t
        param θ1 = 0.5, β = 0.25
        σ = sigmoid(θ1 * x + β)
        δ = t - σ
        // `δ·δ` is one Rust identifier, which the macro reads as `δ * δ`.
        η = 1/2 * δ·δ
        output y = σ
        loss E = η
    }
}

fn analysis(file: &str) -> Analysis {
    let path = common::root().join("tests/nets").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    common::analyse(file, &text, 16)
}

/// For one generated module: at several seeded random points, the generated gradient equals
/// core's evaluator to 1e-12 and central finite differences of the generated `loss` within
/// gradcheck's tolerances; `forward`, `loss` and `batch_gradient` agree too.
macro_rules! check_network {
    ($test:ident, $net:ident, $file:literal, params: [$($p:ident),*], inputs: [$($i:ident),*], targets: [$($t:ident),*]) => {
        #[test]
        fn $test() {
            let a = analysis($file);
            let mut rng = Rng::new(0x5eed ^ $file.len() as u64);
            for _ in 0..8 {
                let params = $net::Params { $($p: rng.uniform(-1.5, 1.5),)* };
                let input = $net::Input { $($i: rng.uniform(-2.0, 2.0),)* };
                let target = $net::Target { $($t: rng.uniform(0.05, 0.95),)* };
                let mut point = a.default_point();
                $(a.assign(&mut point, stringify!($p), params.$p).unwrap();)*
                $(a.assign(&mut point, stringify!($i), input.$i).unwrap();)*
                $(a.assign(&mut point, stringify!($t), target.$t).unwrap();)*
                let symbolic = a.evaluate(&point);
                let (loss, grad) = $net::gradient(&params, &input, &target);
                let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * (1.0 + y.abs());
                assert!(close(loss, symbolic.value), "loss {loss} vs {}", symbolic.value);
                assert_eq!($net::loss(&params, &input, &target), loss);
                let generated = [$(grad.$p),*];
                let names = [$(stringify!($p)),*];
                for (k, name) in names.iter().enumerate() {
                    let at = a.wrt().iter().position(|&w| a.model.name_of(w) == *name).unwrap();
                    assert!(
                        close(generated[k], symbolic.gradient[at]),
                        "{}: d/d{name}: generated {} vs evaluator {}",
                        $file, generated[k], symbolic.gradient[at]
                    );
                }
                let mut k = 0;
                $(
                    let mut plus = params;
                    plus.$p += FD_STEP;
                    let mut minus = params;
                    minus.$p -= FD_STEP;
                    let numeric = ($net::loss(&plus, &input, &target)
                        - $net::loss(&minus, &input, &target)) / (2.0 * FD_STEP);
                    assert!(
                        (generated[k] - numeric).abs() <= FD_ATOL + FD_RTOL * numeric.abs(),
                        "{}: d/d{}: generated {} vs finite differences {numeric}",
                        $file, stringify!($p), generated[k]
                    );
                    k += 1;
                )*
                let _ = k;
                let out = symdiff::core::Symbol::clone(&a.model.with_role(symdiff::core::Role::Output)[0]);
                let y = $net::forward(&params, &input);
                assert!(close(y, symbolic.point.get(out)), "forward {y}");
                let (total, sum) = $net::batch_gradient(&params, &[(input, target), (input, target)]);
                assert!(close(total, 2.0 * loss));
                $(assert!(close(sum.$p, 2.0 * grad.$p));)*
            }
        }
    };
}

check_network!(two_weights_agrees, two_weights, "two_weights.sd",
    params: [w1, w2], inputs: [x_t], targets: [y_t]);
check_network!(five_weights_agrees, five_weights, "five_weights.sd",
    params: [w1, w2, w3, w4, w5], inputs: [x_t], targets: [y_t]);
check_network!(relu_regression_agrees, relu_regression, "relu_regression.sd",
    params: [w1, w2], inputs: [x], targets: [t]);
check_network!(sigmoid_classification_agrees, sigmoid_classification, "sigmoid_classification.sd",
    params: [w1, w2], inputs: [x], targets: [t]);
check_network!(random_a_agrees, random_a, "random_a.sd",
    params: [a1, a2, a3, b1, b2, b3, c1, c2, c3, d], inputs: [x1, x2], targets: [t]);
check_network!(random_b_agrees, random_b, "random_b.sd",
    params: [p, q, r], inputs: [x], targets: [t]);
check_network!(random_c_agrees, random_c, "random_c.sd",
    params: [w1, w2, w3, w4, w5, w6], inputs: [x], targets: [t]);
check_network!(tanh_2_2_1_agrees, tanh_2_2_1, "tanh_2_2_1.sd",
    params: [a11, a12, a21, a22, v1, v2], inputs: [x1, x2], targets: [t]);
check_network!(argument_names_agree, argument_names, "argument_names.sd",
    params: [w, v, grad], inputs: [x1, x2], targets: [t]);

#[test]
fn two_weight_numbers_match_the_lecture() {
    let mut params = two_weights::Params::INITIAL;
    assert_eq!(params, two_weights::Params { w1: 1.0, w2: 1.0 });
    let input = two_weights::Input { x_t: 1.0 };
    let target = two_weights::Target { y_t: 1.0 };
    let y = two_weights::forward(&params, &input);
    assert!((y - 0.7310585786300049).abs() < 1e-12, "{y}");
    let (_, g) = two_weights::gradient(&params, &input, &target);
    assert!((g.w2 - -0.19661193324148185).abs() < 1e-12, "{}", g.w2);
    assert!((g.w1 - -0.0528770927842664).abs() < 1e-12, "{}", g.w1);
    let round5 = |x: f64| (x * 1e5).round() / 1e5;
    two_weights::sgd_step(&mut params, &input, &target, 0.1);
    assert_eq!((round5(params.w1), round5(params.w2)), (1.00529, 1.01966));
    two_weights::sgd_step(&mut params, &input, &target, 0.1);
    assert_eq!((round5(params.w1), round5(params.w2)), (1.01036, 1.03822));
}

#[test]
fn slide_notation_compiles_to_the_same_network() {
    // Two networks that differ only in notation have the same gradient.
    let input = two_weights::Input { x_t: 0.7 };
    let target = two_weights::Target { y_t: 0.2 };
    let (e, g) = two_weights::gradient(&two_weights::Params { w1: 1.5, w2: -0.5 }, &input, &target);
    let (e2, g2) = slide_notation::gradient(
        &slide_notation::Params {
            ω1: 1.5, ω2: -0.5
        },
        &slide_notation::Input { x_t: 0.7 },
        &slide_notation::Target { y_t: 0.2 },
    );
    assert_eq!((e, g.w1, g.w2), (e2, g2.ω1, g2.ω2));
    assert_eq!(
        slide_notation::Params::INITIAL,
        slide_notation::Params { ω1: 1.0, ω2: 1.0 }
    );
}

#[test]
fn greek_names_are_rust_identifiers() {
    let params = greek::Params::INITIAL;
    assert_eq!(params, greek::Params { θ1: 0.5, β: 0.25 });
    let (x, t) = (1.0, 1.0);
    let (e, g) = greek::gradient(&params, &greek::Input { x }, &greek::Target { t });
    let σ = 1.0 / (1.0 + f64::exp(-(0.5 * x + 0.25)));
    let d_s = -(t - σ) * σ * (1.0 - σ);
    assert!((e - (t - σ).powi(2) / 2.0).abs() < 1e-15, "{e}");
    assert!((g.θ1 - d_s * x).abs() < 1e-15, "{}", g.θ1);
    assert!((g.β - d_s).abs() < 1e-15, "{}", g.β);
}

#[test]
fn f32_variant_computes_in_f32() {
    let params = tiny32::Params::INITIAL;
    let (e, g): (f32, tiny32::Params) = tiny32::gradient(
        &params,
        &tiny32::Input { x_t: 1.0 },
        &tiny32::Target { y_t: 1.0 },
    );
    assert!((g.w2 - -0.196_611_93_f32).abs() < 1e-6, "{}", g.w2);
    assert!((g.w1 - -0.052_877_09_f32).abs() < 1e-6, "{}", g.w1);
    assert!(e > 0.0);
}

#[test]
fn keyword_and_lookalike_names_work() {
    let params = keywords::Params {
        r#type: 0.3,
        d_h: 0.5,
    };
    let input = keywords::Input { r#in: 2.0, x: 1.5 };
    let target = keywords::Target { t: 0.25 };
    let (_, g) = keywords::gradient(&params, &input, &target);
    let h = (0.3f64 * 1.5 + 0.5).tanh();
    let d_y = -2.0 * (0.25 - h * 2.0);
    assert!((g.d_h - d_y * 2.0 * (1.0 - h * h)).abs() < 1e-12);
    assert!((g.r#type - d_y * 2.0 * (1.0 - h * h) * 1.5).abs() < 1e-12);
}
