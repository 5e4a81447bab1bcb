//! Explanations of the lecture's two-weight network, built through the core API alone.

use super::*;
use crate::testing::two_weights;
use crate::{LabelledGraph, LocalPartials};

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
    let mut locals = LocalPartials::new(&mut model);
    let g = LabelledGraph::new(&mut model, Some((e, w1)), |model, user, used| {
        locals.get(model, user, used)
    });
    println!("{}", crate::emit::Dot::new(&model.dag, &g));
    std::fs::write(
        "/tmp/two.svg",
        crate::emit::Svg::new(&model.dag, &g).to_string(),
    )
    .unwrap();
}
