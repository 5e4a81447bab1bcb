//! `symdiff explain` end to end: snapshots of the full text for every lecture example (with and
//! without a point, and the two-weight training table), LaTeX for the two- and five-weight nets,
//! JSON, and the factored form of a dense network whose paths are counted, never enumerated.

mod common;

use common::{lecture_examples, root, symdiff_ok as symdiff};
use std::path::Path;

/// The lecture's point for an example: free definitions are evaluated at 0 (`w = 0`,
/// `v = 0`), networks at the training sample (x_t, y_t) = (1, 1) with every param at its
/// initial value (1 where the file gives none).
fn lecture_point(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let origin = path.display().to_string();
    let parsed = symdiff::grammar::parse(&origin, &text)
        .unwrap_or_else(|d| panic!("{}", d.render(&origin, &text)));
    let model = &parsed.models[0];
    let value = if model.is_network() { "1" } else { "0" };
    let names: Vec<String> = model
        .vertices()
        .filter(|v| !v.role.is_defined() && v.init.is_none())
        .map(|v| format!("{}={value}", model.name_of(v.symbol)))
        .collect();
    names.join(",")
}

#[test]
fn every_lecture_example_with_and_without_a_point() {
    let names = lecture_examples();
    for expected in [
        "composite1",
        "composite2",
        "composite3",
        "two_weights",
        "five_weights",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "examples/lecture/{expected}.sd is missing"
        );
    }
    for name in names {
        let file = format!("examples/lecture/{name}.sd");
        insta::assert_snapshot!(format!("explain_{name}"), symdiff(&["explain", &file]));
        let at = lecture_point(&root().join(&file));
        insta::assert_snapshot!(
            format!("explain_{name}_at"),
            symdiff(&["explain", &file, "--at", &at])
        );
    }
}

#[test]
fn two_weight_training_table_matches_the_lecture() {
    let out = symdiff(&[
        "explain",
        "examples/lecture/two_weights.sd",
        "--at",
        "x_t=1,y_t=1",
        "--steps",
        "2",
        "--eta",
        "0.1",
    ]);
    insta::assert_snapshot!("explain_two_weights_steps", out);
}

#[test]
fn no_file_explains_the_embedded_two_weight_network() {
    let out = symdiff(&["explain"]);
    // DESIGN.md's table, unrounded: h = 0.7311, ∂E/∂w1 = -0.05288, ∂E/∂w2 = -0.19661, then
    // (1.00529, 1.01966) and (1.01036, 1.03822) after one and two steps at η = 0.1.
    for exact in [
        "h  = sigmoid(s1)   = 0.7310585786300049",
        "= -0.05287709278426673",
        "= -0.19661193324148185",
        "1     1.0052877092784267  1.0196611933241482",
        "2     1.0103575676781666  1.0382205216727156",
    ] {
        assert!(out.contains(exact), "missing `{exact}` in\n{out}");
    }
    insta::assert_snapshot!("explain_default", out);
}

#[test]
fn ascii_notation_has_no_unicode() {
    let out = symdiff(&["explain", "--ascii"]);
    assert!(out.is_ascii(), "{out}");
    assert!(
        out.contains("dE/dw1 = dE/dy*dy/ds2*ds2/dh*dh/ds1*ds1/dw1"),
        "{out}"
    );
}

#[test]
fn latex_of_the_two_and_five_weight_nets() {
    for name in ["two_weights", "five_weights"] {
        let file = format!("examples/lecture/{name}.sd");
        let out = symdiff(&["explain", &file, "--format", "latex"]);
        assert!(out.starts_with("\\begin{aligned}"), "{out}");
        assert!(
            out.contains("\\frac{\\partial E}{\\partial w_{1}}"),
            "{out}"
        );
        assert!(out.contains("\\sigma(s_{1})"), "{out}");
        insta::assert_snapshot!(format!("latex_{name}"), out);
    }
}

#[test]
fn json_holds_paths_factors_formulas_and_values() {
    let out = symdiff(&["explain", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let w1 = &v["gradients"][0];
    assert_eq!(w1["wrt"], "w1");
    assert_eq!(w1["paths"], 1);
    assert_eq!(
        w1["terms"][0]["path"],
        serde_json::json!(["E", "y", "s2", "h", "s1", "w1"])
    );
    assert_eq!(w1["terms"][0]["factors"][3], "h·(1 - h)");
    assert_eq!(w1["formula"], "-(y_t - y)·w2·h·(1 - h)·x_t");
    assert_eq!(w1["value"], -0.05287709278426673);
    assert_eq!(v["training"]["rows"][2]["params"]["w2"], 1.0382205216727156);
}

/// A dense scalar network: `width` inputs, `depth` fully connected sigmoid layers, one output.
fn dense_network(width: usize, depth: usize) -> String {
    let mut src = String::from("network dense {\n");
    let inputs: Vec<String> = (1..=width).map(|i| format!("x{i}")).collect();
    src += &format!("    input {}\n    target t\n", inputs.join(", "));
    let mut previous = inputs;
    for layer in 1..=depth {
        let mut current = Vec::new();
        for j in 1..=width {
            let terms: Vec<String> = (1..=previous.len())
                .map(|i| {
                    src += &format!("    param w{layer}_{j}_{i} = 0.1\n");
                    format!("w{layer}_{j}_{i}*{}", previous[i - 1])
                })
                .collect();
            src += &format!("    s{layer}_{j} = {}\n", terms.join(" + "));
            src += &format!("    h{layer}_{j} = sigmoid(s{layer}_{j})\n");
            current.push(format!("h{layer}_{j}"));
        }
        previous = current;
    }
    let out: Vec<String> = (1..=width)
        .map(|i| {
            src += &format!("    param v{i} = 0.1\n");
            format!("v{i}*{}", previous[i - 1])
        })
        .collect();
    src += &format!(
        "    output y = {}\n    loss E = 1/2 * (t - y)^2\n}}\n",
        out.join(" + ")
    );
    src
}

#[test]
fn dense_network_is_explained_in_factored_form_with_its_path_count() {
    let dir = std::env::temp_dir().join(format!("symdiff-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dense.sd");
    std::fs::write(&file, dense_network(6, 8)).unwrap();
    let file = file.to_str().unwrap();
    let started = std::time::Instant::now();
    let out = symdiff(&["explain", file, "--wrt", "w1_1_1"]);
    // 6^7 paths: one choice of unit in each of layers 2..8 (and the output sums over layer 8).
    assert!(
        out.contains("(factored form: stands for 279936 paths from E to w1_1_1)"),
        "{out}"
    );
    assert!(
        out.contains("∂E/∂w1_1_1 = ∂E/∂s1_1·∂s1_1/∂w1_1_1\n"),
        "{out}"
    );
    // The backward recursion: h1_1's adjoint from its six users' adjoints.
    assert!(out.contains("∂E/∂h1_1   = ∂E/∂s2_1·∂s2_1/∂h1_1\n"), "{out}");
    assert!(out.contains("+ ∂E/∂s2_6·∂s2_6/∂h1_1\n"), "{out}");
    assert!(
        !out.contains("∂E/∂y·∂y/∂h8_1·"),
        "paths must not be enumerated:\n{out}"
    );
    // Every parameter at once stays linear in the network's size.
    let all = symdiff(&["explain", file, "--at", "x1=1,x2=1,x3=1,x4=1,x5=1,x6=1,t=1"]);
    assert!(all.contains("stands for 279936 paths"), "{all}");
    assert!(
        all.lines().count() < 20_000,
        "{} lines",
        all.lines().count()
    );
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn xor_hidden_units_under_cross_entropy_read_as_the_lecture_writes_them() {
    let file = "tests/nets/xor_2_2_1.sd";
    let out = symdiff(&["explain", file, "--at", "x1=1,x2=0,t=1", "--digits", "4"]);
    for formula in [
        "∂E/∂w1 = (y - t)·v1·h1·(1 - h1)·x1",
        "∂E/∂b2 = (y - t)·v2·h2·(1 - h2)",
        "∂E/∂v1 = (y - t)·h1",
    ] {
        let (lhs, rhs) = formula.split_once(" = ").expect("an equation");
        let block = out.split("\n\n").find(|b| b.starts_with(lhs)).expect(lhs);
        assert!(
            block.contains(&format!("= {rhs}\n")),
            "{formula} not in\n{block}"
        );
    }
    assert!(!out.contains("y·h1"), "an expanded hidden unit in\n{out}");
    insta::assert_snapshot!("explain_xor_2_2_1", out);
}
