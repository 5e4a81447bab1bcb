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
