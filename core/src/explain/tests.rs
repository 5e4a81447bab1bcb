//! Explanations of the lecture's two-weight network, built through the core API alone.

use super::*;
use crate::{Func, Model, ModelBuilder, Role};

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

fn at_lecture_point(analysis: &Analysis) -> crate::Point {
    let mut p = analysis.default_point();
    analysis.assign(&mut p, "x_t", 1.0).unwrap();
    analysis.assign(&mut p, "y_t", 1.0).unwrap();
    p
}

#[test]
fn three_lines_per_weight_as_on_the_slides() {
    let mut analysis = Analysis::new(two_weights(), None, None, 16).unwrap();
    let e = Explanation::new(&mut analysis, None, None);
    let text = ExplainText::new(&analysis.model.dag, &e).to_string();
    assert!(
        text.contains("∂E/∂w1 = ∂E/∂y·∂y/∂s2·∂s2/∂h·∂h/∂s1·∂s1/∂w1\n"),
        "{text}"
    );
    assert!(
        text.contains("       = -(y_t - y)·1·w2·h·(1 - h)·x_t\n"),
        "{text}"
    );
    assert!(
        text.contains("       = -(y_t - y)·w2·h·(1 - h)·x_t\n"),
        "{text}"
    );
}

#[test]
fn values_and_training_are_exact() {
    let mut analysis = Analysis::new(two_weights(), None, None, 16).unwrap();
    let p = at_lecture_point(&analysis);
    let evaluation = analysis.evaluate(&p);
    let training = Training::run(&analysis, &[p], 0.1, 2);
    let e = Explanation::new(&mut analysis, Some(&evaluation), None).with_training(training);
    let text = ExplainText::new(&analysis.model.dag, &e).to_string();
    println!("{text}");
    println!("{}", ExplainLatex::new(&analysis.model.dag, &e));
    assert!(text.contains("= -0.19661193324148185"), "{text}");
    let t = e.training.as_ref().unwrap();
    assert!((t.rows[2].params[0] - 1.01036).abs() < 5e-6, "{:?}", t.rows);
    assert!((t.rows[2].params[1] - 1.03822).abs() < 5e-6, "{:?}", t.rows);
}

#[test]
fn factored_form_past_the_cap() {
    let mut analysis = Analysis::new(two_weights(), None, None, 0).unwrap();
    let e = Explanation::new(&mut analysis, None, None);
    let text = ExplainText::new(&analysis.model.dag, &e).to_string();
    println!("{text}");
    assert!(text.contains("∂E/∂w1 = ∂E/∂s1·∂s1/∂w1\n"), "{text}");
    assert!(text.contains("stands for 1 path from E to w1"), "{text}");
}

#[test]
fn graph_prints() {
    let mut model = two_weights();
    let (e, w1) = (
        model.dag.find_symbol("E").unwrap(),
        model.dag.find_symbol("w1").unwrap(),
    );
    let g = LabelledGraph::new(&mut model, Some((e, w1)));
    println!("{}", crate::emit::Dot::new(&model.dag, &g));
    std::fs::write(
        "/tmp/two.svg",
        crate::emit::Svg::new(&model.dag, &g).to_string(),
    )
    .unwrap();
}
