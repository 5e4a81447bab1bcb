//! Explanations of the lecture's two-weight network, built through the core API alone.

use super::*;
use crate::testing::two_weights;
use crate::{LabelledGraph, LocalPartials, Model};

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

/// The two-weight net's dependency graph, each edge labelled by its local partial, the paths of
/// `∂E/∂w1` highlighted.
fn two_weight_graph() -> (Model, LabelledGraph) {
    let mut model = two_weights();
    let (e, w1) = (
        model.dag.find_symbol("E").unwrap(),
        model.dag.find_symbol("w1").unwrap(),
    );
    let mut locals = LocalPartials::new(&mut model);
    let graph = LabelledGraph::new(&mut model, Some((e, w1)), |model, user, used| {
        locals.get(model, user, used)
    });
    (model, graph)
}

#[test]
fn graph_prints_as_dot() {
    let (model, g) = two_weight_graph();
    let dot = crate::emit::Dot::new(&model.dag, &g).to_string();
    let hl = "color=\"#d93025\", fontcolor=\"#d93025\", penwidth=2.5";
    let dim = "color=\"#9aa0a6\", fontcolor=\"#9aa0a6\"";
    let expected = [
        "digraph \"two_weights\" {",
        "  rankdir=LR;",
        "  node [fontname=\"Helvetica\", style=filled];",
        "  edge [fontname=\"Helvetica\", fontsize=10];",
        "  label=\"paths of ∂E/∂w1\"; labelloc=t;",
        "  \"x_t\" [shape=ellipse, fillcolor=\"#e8f0fe\"];",
        "  \"y_t\" [shape=ellipse, fillcolor=\"#fde8e8\"];",
        "  \"w1\" [shape=box, fillcolor=\"#fff4d6\"];",
        "  \"w2\" [shape=box, fillcolor=\"#fff4d6\"];",
        "  \"s1\" [shape=ellipse, fillcolor=\"#ffffff\"];",
        "  \"h\" [shape=ellipse, fillcolor=\"#ffffff\"];",
        "  \"s2\" [shape=ellipse, fillcolor=\"#ffffff\"];",
        "  \"y\" [shape=ellipse, fillcolor=\"#e6f4ea\"];",
        "  \"E\" [shape=doublecircle, fillcolor=\"#f1e6f8\"];",
        &format!("  \"x_t\" -> \"s1\" [label=\"w1\", {dim}];"),
        &format!("  \"w1\" -> \"s1\" [label=\"x_t\", {hl}];"),
        &format!("  \"s1\" -> \"h\" [label=\"h·(1 - h)\", {hl}];"),
        &format!("  \"h\" -> \"s2\" [label=\"w2\", {hl}];"),
        &format!("  \"w2\" -> \"s2\" [label=\"h\", {dim}];"),
        &format!("  \"s2\" -> \"y\" [label=\"1\", {hl}];"),
        &format!("  \"y_t\" -> \"E\" [label=\"y_t - y\", {dim}];"),
        &format!("  \"y\" -> \"E\" [label=\"-(y_t - y)\", {hl}];"),
        "}",
    ];
    assert_eq!(dot.lines().collect::<Vec<_>>(), expected, "{dot}");
}

#[test]
fn graph_prints_as_well_formed_svg() {
    let (model, g) = two_weight_graph();
    let svg = crate::emit::Svg::new(&model.dag, &g).to_string();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert_eq!(well_formed(&svg), Ok(()), "{svg}");
    assert!(well_formed("<svg><g></svg>").is_err() && well_formed("<a/><b/>").is_err());
    for name in ["x_t", "y_t", "w1", "w2", "s1", "h", "s2", "y", "E"] {
        let label = format!("text-anchor=\"middle\">{name}</text>");
        assert!(svg.contains(&label), "no vertex {name} in\n{svg}");
    }
    assert!(
        svg.contains(">two_weights: paths of ∂E/∂w1</text>"),
        "{svg}"
    );
    // One arrow per edge, the five on the paths of ∂E/∂w1 in the highlight colour.
    assert_eq!(svg.matches("marker-end=").count(), g.edges.len(), "{svg}");
    assert_eq!(
        svg.matches("marker-end=\"url(#arrow-hl)\"").count(),
        5,
        "{svg}"
    );
    assert_eq!(
        svg.matches("marker-end=\"url(#arrow-dim)\"").count(),
        3,
        "{svg}"
    );
    assert!(svg.contains(">h·(1 - h)</text>"), "{svg}");
}

/// Whether `xml` is one well-formed element: every tag closed in order, attribute values quoted,
/// and `&` only in the three entities the printer writes.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = xml.trim_end();
    while !rest.is_empty() {
        let (text, tag) = match rest.find('<') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let unescaped = text
            .replace("&amp;", "")
            .replace("&lt;", "")
            .replace("&gt;", "");
        if unescaped.contains(['&', '>']) || (open.is_empty() && !text.trim().is_empty()) {
            return Err(format!("stray text {text:?}"));
        }
        if tag.is_empty() {
            break;
        }
        let end = tag.find('>').ok_or("unclosed tag")?;
        let body = &tag[..end];
        rest = &tag[end + 1..];
        if body.matches('"').count() % 2 != 0 {
            return Err(format!("unbalanced quotes in <{body}>"));
        }
        let name = body
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap();
        if let Some(closing) = body.strip_prefix('/') {
            if open.pop() != Some(closing) {
                return Err(format!("</{closing}> closes nothing open"));
            }
        } else if !body.ends_with('/') {
            roots += usize::from(open.is_empty());
            open.push(name);
        } else {
            roots += usize::from(open.is_empty());
        }
    }
    match (open.as_slice(), roots) {
        ([], 1) => Ok(()),
        (open, roots) => Err(format!("{roots} roots, left open: {open:?}")),
    }
}
