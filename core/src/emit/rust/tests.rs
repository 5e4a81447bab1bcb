//! The emitter on the lecture's two-weight network, built through core alone.

use super::{network_modules, RustOptions};
use crate::model::{Model, ModelBuilder, Role};
use crate::op::Func;

fn two_weights() -> Model {
    let mut b = ModelBuilder::network("two_weights");
    b.declare("x_t", Role::Input, None).unwrap();
    b.declare("y_t", Role::Target, None).unwrap();
    b.declare("w1", Role::Param, Some(1.0)).unwrap();
    b.declare("w2", Role::Param, Some(1.0)).unwrap();
    let d = &mut b.dag;
    let (x_t, y_t, w1, w2) = (
        d.symbol("x_t"),
        d.symbol("y_t"),
        d.symbol("w1"),
        d.symbol("w2"),
    );
    let (s1, h, s2, y) = (d.symbol("s1"), d.symbol("h"), d.symbol("s2"), d.symbol("y"));
    let s1_rhs = d.mul(vec![x_t, w1]);
    let h_rhs = d.call(Func::Sigmoid, vec![s1]);
    let s2_rhs = d.mul(vec![h, w2]);
    let one = d.integer(1);
    let two = d.integer(2);
    let half = d.div(one, two);
    let err = d.sub(y_t, y);
    let sq = d.powi(err, 2);
    let e_rhs = d.mul(vec![half, sq]);
    b.define("s1", Role::Intermediate, s1_rhs).unwrap();
    b.define("h", Role::Intermediate, h_rhs).unwrap();
    b.define("s2", Role::Intermediate, s2_rhs).unwrap();
    b.define("y", Role::Output, s2).unwrap();
    b.define("E", Role::Loss, e_rhs).unwrap();
    b.finish().unwrap()
}

#[test]
fn two_weights_reads_like_backprop() {
    let code = network_modules(vec![two_weights()], &RustOptions::default(), 16)
        .unwrap()
        .to_string();
    eprintln!("{code}");
    assert!(code.contains("let h = sigmoid (s1) ;"), "{code}");
    assert!(code.contains("h * (1.0 - h)"), "{code}");
    assert!(code.contains("let d_h ="), "{code}");
}

#[test]
fn free_definitions_are_not_a_network() {
    let mut b = ModelBuilder::free();
    let w = b.dag.symbol("w");
    let rhs = b.dag.call(Func::Exp, vec![w]);
    b.define("v", Role::Intermediate, rhs).unwrap();
    let err = network_modules(vec![b.finish().unwrap()], &RustOptions::default(), 16).unwrap_err();
    assert!(err.to_string().contains("not a network"));
}

/// `y = Σ w_k·x`, `E = (t - y)^2` with `params` weights.
fn wide(params: usize) -> Model {
    let mut b = ModelBuilder::network("wide");
    b.declare("x", Role::Input, None).unwrap();
    b.declare("t", Role::Target, None).unwrap();
    let mut terms = Vec::new();
    for k in 0..params {
        let name = format!("w{k}");
        b.declare(&name, Role::Param, None).unwrap();
        let (w, x) = (b.dag.symbol(&name), b.dag.symbol("x"));
        terms.push(b.dag.mul(vec![w, x]));
    }
    let y_rhs = b.dag.add(terms);
    b.define("y", Role::Output, y_rhs).unwrap();
    let (t, y) = (b.dag.symbol("t"), b.dag.symbol("y"));
    let err = b.dag.sub(t, y);
    let e_rhs = b.dag.powi(err, 2);
    b.define("E", Role::Loss, e_rhs).unwrap();
    b.finish().unwrap()
}

#[test]
fn wide_structs_compare_field_by_field_instead_of_one_deep_expression() {
    let emit = |n| {
        network_modules(vec![wide(n)], &RustOptions::default(), 0)
            .unwrap()
            .to_string()
    };
    let small = emit(3);
    assert!(small.contains("PartialEq"), "{small}");
    assert!(!small.contains("impl PartialEq"), "{small}");
    let large = emit(300);
    assert!(large.contains("impl PartialEq for Params"));
    assert!(large.contains("equal &= self . w299 == other . w299 ;"));
    // Input and Target (one field each) still derive it.
    assert_eq!(large.matches("impl PartialEq").count(), 1);
}
