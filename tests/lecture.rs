//! The lecture's worked examples through the public API: the exact values of DESIGN.md's table.

mod common;

use common::{analyse, lecture_source};
use symdiff::core::{Analysis, Point};

fn at(analysis: &Analysis, pairs: &[(&str, f64)]) -> Point {
    let mut p = analysis.default_point();
    for &(name, v) in pairs {
        analysis.assign(&mut p, name, v).unwrap();
    }
    p
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn composite_1_dy_dw_at_0_is_minus_2_not_minus_e() {
    let a = analyse("composite1.sd", &lecture_source("composite1"), 16);
    let e = a.evaluate(&at(&a, &[("w", 0.0)]));
    assert_eq!(e.gradient, [-2.0]);
}

#[test]
fn composite_2_dy_dv_at_0_is_minus_1() {
    let a = analyse("composite2.sd", &lecture_source("composite2"), 16);
    let e = a.evaluate(&at(&a, &[("v", 0.0)]));
    assert_eq!(e.gradient, [-1.0]);
}

#[test]
fn composite_3_dy_dw_at_0_is_2pi_minus_3() {
    let a = analyse("composite3.sd", &lecture_source("composite3"), 16);
    let e = a.evaluate(&at(&a, &[("w", 0.0)]));
    assert!(
        close(e.gradient[0], 2.0 * std::f64::consts::PI - 3.0, 1e-12),
        "{e:?}"
    );
    assert!(close(e.gradient[0], 3.28319, 5e-6));
}

#[test]
fn two_weight_forward_values_and_gradient() {
    let a = analyse("two_weights.sd", &lecture_source("two_weights"), 16);
    let e = a.evaluate(&at(&a, &[("x_t", 1.0), ("y_t", 1.0)]));
    let value = |name: &str| e.point.get(a.model.dag.find_symbol(name).unwrap());
    assert!(close(value("h"), 0.7311, 5e-5));
    assert!(close(value("y"), 0.7311, 5e-5));
    assert!(close(value("h"), 1.0 / (1.0 + (-1.0f64).exp()), 1e-15));
    let names: Vec<&str> = a.wrt().iter().map(|&s| a.model.name_of(s)).collect();
    assert_eq!(names, ["w1", "w2"]);
    assert!(close(e.gradient[0], -0.05288, 5e-6), "{}", e.gradient[0]);
    assert!(close(e.gradient[1], -0.19661, 5e-6), "{}", e.gradient[1]);
}

#[test]
fn two_sgd_steps_match_the_lecture_exactly_not_its_rounding() {
    let a = analyse("two_weights.sd", &lecture_source("two_weights"), 16);
    let mut points = vec![at(&a, &[("x_t", 1.0), ("y_t", 1.0)])];
    let w = |p: &Point, name: &str| p.get(a.model.dag.find_symbol(name).unwrap());
    a.sgd_step(&mut points, 0.1).unwrap();
    assert!(
        close(w(&points[0], "w1"), 1.00529, 5e-6),
        "{}",
        w(&points[0], "w1")
    );
    assert!(
        close(w(&points[0], "w2"), 1.01966, 5e-6),
        "{}",
        w(&points[0], "w2")
    );
    a.sgd_step(&mut points, 0.1).unwrap();
    assert!(
        close(w(&points[0], "w1"), 1.01036, 5e-6),
        "{}",
        w(&points[0], "w1")
    );
    assert!(
        close(w(&points[0], "w2"), 1.03822, 5e-6),
        "{}",
        w(&points[0], "w2")
    );
}

#[test]
fn five_weight_dw1_is_the_sum_of_the_two_path_products() {
    let a = analyse("five_weights.sd", &lecture_source("five_weights"), 16);
    let w1 = a.model.dag.find_symbol("w1").unwrap();
    let g = a.derivation.gradients.iter().find(|g| g.wrt == w1).unwrap();
    assert_eq!(g.path_count, 2);
    let paths = &g.path_sum.as_ref().unwrap().paths;
    let named: Vec<Vec<&str>> = paths
        .iter()
        .map(|p| p.iter().map(|&s| a.model.name_of(s)).collect())
        .collect();
    assert_eq!(
        named,
        [
            ["E", "y", "s4", "h2", "s2", "h1", "s1", "w1"],
            ["E", "y", "s4", "h3", "s3", "h1", "s1", "w1"]
        ]
    );
}
