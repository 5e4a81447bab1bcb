//! The two forms of every derivative agree with each other (1e-12 relative) and with central
//! finite differences (gradcheck tolerances, see `common`), on the lecture examples, on seeded
//! random networks covering every function, and on a dense network whose 8^11 paths per
//! first-layer weight are never enumerated.

mod common;

use common::{analyse, assert_gradcheck, dense_network, random_expr, random_point, Rng};
use symdiff::core::{evaluate, Analysis, Point};

/// Checks path form against factored form wherever the path form was enumerated.
fn assert_forms_agree(a: &Analysis, point: &Point, what: &str) -> usize {
    let e = a.evaluate(point);
    let mut checked = 0;
    for (i, g) in a.derivation.gradients.iter().enumerate() {
        let Some(paths) = &g.path_sum else { continue };
        let path_value = evaluate(&a.model.dag, paths.formula, e.point.as_slice());
        let factored = e.gradient[i];
        let scale = path_value.abs().max(factored.abs());
        assert!(
            (path_value - factored).abs() <= 1e-12 * scale + 1e-300,
            "{what}: d/d{}: path form {path_value} vs factored {factored}",
            a.model.name_of(g.wrt)
        );
        checked += 1;
    }
    checked
}

#[test]
fn lecture_examples_agree_with_finite_differences_and_each_other() {
    let mut rng = Rng::new(2026);
    for name in common::lecture_examples() {
        let a = analyse(&format!("{name}.sd"), &common::lecture_source(&name), 16);
        let mut checked = 0;
        while checked < 5 {
            let point = random_point(&a, &mut rng, -1.5, 1.5);
            let e = a.evaluate(&point);
            // Stay away from poles and kinks: the gradient check needs a smooth neighbourhood.
            if !e.value.is_finite() || e.gradient.iter().any(|g| !g.is_finite() || g.abs() > 1e6) {
                continue;
            }
            assert_gradcheck(&a, &point, &name);
            assert!(
                assert_forms_agree(&a, &point, &name) > 0,
                "{name}: no path form checked"
            );
            checked += 1;
        }
    }
}

/// A random network: every definition may use every earlier vertex, so vertices are shared and
/// several paths lead from the loss to most params.
fn random_network(rng: &mut Rng, index: usize) -> String {
    let mut names: Vec<String> = vec![
        "x1".into(),
        "x2".into(),
        "p1".into(),
        "p2".into(),
        "p3".into(),
    ];
    let mut src =
        format!("network random{index} {{\n  input x1, x2\n  target t\n  param p1, p2, p3\n");
    for k in 1..=6 {
        let expr = random_expr(rng, &names, 3);
        src += &format!("  v{k} = {expr}\n");
        names.push(format!("v{k}"));
    }
    src += "  output y = v6 + p1*v5 + p2*v4 + p3*v3\n  loss E = 1/2*(t - y)^2\n}\n";
    src
}

#[test]
fn random_networks_agree_with_finite_differences_and_each_other() {
    let mut rng = Rng::new(7);
    let mut checked_points = 0;
    for index in 0..60 {
        let src = random_network(&mut rng, index);
        let a = analyse("random.sd", &src, 64);
        let mut tries = 0;
        let mut checked_here = 0;
        while checked_here < 3 && tries < 50 {
            tries += 1;
            let point = random_point(&a, &mut rng, -1.0, 1.0);
            let e = a.evaluate(&point);
            if !e.value.is_finite() || e.gradient.iter().any(|g| !g.is_finite() || g.abs() > 1e4) {
                continue;
            }
            assert_gradcheck(&a, &point, &src);
            assert_forms_agree(&a, &point, &src);
            checked_here += 1;
        }
        assert!(checked_here == 3, "no smooth point found for\n{src}");
        checked_points += checked_here;
    }
    assert_eq!(checked_points, 180);
}

#[test]
fn dense_width_8_depth_12_is_differentiated_in_factored_form() {
    let src = dense_network(8, 12);
    let a = analyse("dense.sd", &src, 16);
    let first_layer = a
        .derivation
        .gradients
        .iter()
        .find(|g| a.model.name_of(g.wrt) == "w1_1_1")
        .unwrap();
    assert_eq!(first_layer.path_count, 8u128.pow(11));
    assert!(
        first_layer.path_sum.is_none(),
        "paths must not be enumerated"
    );
    let mut rng = Rng::new(12);
    let point = random_point(&a, &mut rng, -1.0, 1.0);
    assert_gradcheck(&a, &point, "dense 8x12");
    // The factored form stays linear: a handful of adjoint entries per vertex.
    let vertices = a.model.vertices().count();
    assert!(a.derivation.adjoints.entries.len() <= vertices);
}
