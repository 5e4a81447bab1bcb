//! `symdiff graph`: the DOT of the five-weight net (snapshot) and an SVG drawn in-process.

mod common;

use common::{root, symdiff_ok as symdiff};
use std::process::Command;

#[test]
fn dot_of_the_five_weight_net_highlights_both_paths_of_w1() {
    let out = symdiff(&["graph", "examples/lecture/five_weights.sd", "--wrt", "w1"]);
    // h1 feeds h2 and h3, so both branches lie on a path of ∂E/∂w1.
    for edge in [
        "\"h1\" -> \"s2\" [label=\"w2\", color=\"#d93025\"",
        "\"h1\" -> \"s3\" [label=\"w3\", color=\"#d93025\"",
    ] {
        assert!(out.contains(edge), "missing {edge} in\n{out}");
    }
    insta::assert_snapshot!("dot_five_weights", out);
}

#[test]
fn svg_draws_every_vertex_and_labelled_edge() {
    let dir = std::env::temp_dir().join(format!("symdiff-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("composite.sd");
    std::fs::write(
        &file,
        "y = 1 / (x + t)\nx = v^2 + w\nt = sin((w + v) * pi)\nv = exp(w)\n",
    )
    .unwrap();
    let out = symdiff(&[
        "graph",
        file.to_str().unwrap(),
        "--wrt",
        "w",
        "--format",
        "svg",
    ]);
    assert!(
        out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{out}"
    );
    assert!(out.trim_end().ends_with("</svg>"), "{out}");
    for name in ["w", "v", "x", "t", "y"] {
        assert!(
            out.contains(&format!(">{name}</text>")),
            "vertex {name} missing:\n{out}"
        );
    }
    // Four paths from y down to w: every one of the seven edges is highlighted.
    assert_eq!(
        out.matches("marker-end=\"url(#arrow-hl)\"").count(),
        7,
        "{out}"
    );
    assert!(out.contains(">2·v</text>"), "{out}");
    assert!(out.contains(">-1/(x + t)^2</text>"), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unknown_wrt_is_an_input_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(["graph", "examples/lecture/two_weights.sd", "--wrt", "w9"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`w9`"));
}

#[path = "graph/geometry.rs"]
mod geometry;

/// The SVG of `graph FILE ARGS... --format svg`.
fn svg(file: &str, args: &[&str]) -> String {
    let mut all = vec!["graph", file, "--format", "svg"];
    all.extend(args);
    symdiff(&all)
}

/// The faults of a picture (edges through vertices, labels over vertices), having checked that
/// it was read at all: `nodes` vertices and `edges` edges.
fn faults_of(svg: &str, nodes: usize, edges: usize) -> Vec<String> {
    let picture = geometry::read(svg);
    assert_eq!(picture.nodes.len(), nodes, "{:?}", picture.nodes);
    assert_eq!(picture.edges.len(), edges);
    picture.faults()
}

#[test]
fn micrograd_skip_edges_go_around_vertices_and_labels_cover_none() {
    let out = svg("tests/nets/micrograd_more_ops.sd", &["--wrt", "a"]);
    // a, b, c1..c3, d1..d3, e1, f, g1, g2; 19 uses.
    let faults = faults_of(&out, 12, 19);
    assert!(faults.is_empty(), "{faults:#?}");
    let picture = geometry::read(&out);
    assert_eq!(picture.labels.len(), 19, "every edge keeps its label");
}

#[test]
fn lecture_pictures_have_no_crossed_vertices() {
    for (file, nodes, edges) in [
        ("examples/lecture/two_weights.sd", 9, 8),
        ("examples/lecture/five_weights.sd", 16, 16),
    ] {
        let faults = faults_of(&svg(file, &["--wrt", "w1"]), nodes, edges);
        assert!(faults.is_empty(), "{file}: {faults:#?}");
    }
}

#[test]
fn the_legend_says_what_shapes_labels_and_highlight_mean() {
    let out = svg("examples/lecture/two_weights.sd", &["--wrt", "w1"]);
    for text in [
        ">parameter</text>",
        ">input</text>",
        ">target</text>",
        ">intermediate</text>",
        ">output</text>",
        ">loss</text>",
        ">edge u → v: v uses u, labelled by the local partial ∂v/∂u</text>",
        ">on a path of ∂E/∂w1: the product of its labels is one term of ∂E/∂w1</text>",
    ] {
        assert!(out.contains(text), "no legend entry {text} in\n{out}");
    }
    // Only the roles drawn: free definitions have inputs and intermediates, and no highlight.
    let out = svg("tests/nets/micrograd_more_ops.sd", &[]);
    assert!(out.contains(">input</text>") && !out.contains(">parameter</text>"));
    assert!(!out.contains("on a path of"));
}

/// The 310-weight network (10 inputs, three sigmoid layers of 10, a linear output).
const DENSE: &str = "tests/nets/dense_10x3.sd";

#[test]
fn a_310_weight_network_fits_a_page() {
    let out = svg(DENSE, &[]);
    let picture = geometry::read(&out);
    let aspect = picture.width / picture.height;
    assert!(
        (0.5..=2.0).contains(&aspect) && picture.width.max(picture.height) <= 3200.0,
        "{} x {}",
        picture.width,
        picture.height
    );
    // 310 weights, 10 inputs, 30 sums, 30 units, y, t, E; its 652 edges unlabelled.
    let faults = faults_of(&out, 383, 652);
    assert!(faults.is_empty(), "{faults:#?}");
    assert!(picture.labels.is_empty());
    assert!(out.contains(">edge labels left out: 652 edges, more than 120</text>"));
}

#[test]
fn collapse_draws_one_vertex_per_layer() {
    let out = svg(DENSE, &["--collapse"]);
    for name in [
        ">x1…x10 (10)</text>",
        ">w1_1_1…w1_10_10 (100)</text>",
        ">h3_1…h3_10 (10)</text>",
        ">y</text>",
    ] {
        assert!(out.contains(name), "no {name} in\n{out}");
    }
    let picture = geometry::read(&out);
    assert!(picture.width <= 2400.0 && picture.height <= 400.0);
    // x, w1, s1, h1, w2, s2, h2, w3, s3, h3, v, y, t, E; one edge per pair of layers.
    let faults = faults_of(&out, 14, 13);
    assert!(faults.is_empty(), "{faults:#?}");
    assert!(out.contains(">100 partials</text>"), "{out}");
}

#[test]
fn collapse_is_for_svg_only() {
    let out = Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(["graph", DENSE, "--collapse"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format svg"));
}

#[test]
fn svg_of_the_lecture_networks() {
    for name in ["two_weights", "five_weights"] {
        let file = format!("examples/lecture/{name}.sd");
        insta::assert_snapshot!(format!("svg_{name}"), svg(&file, &["--wrt", "w1"]));
    }
}
