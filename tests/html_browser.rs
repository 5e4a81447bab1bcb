//! `symdiff explain --format html` in a real browser: headless Chromium loads each lecture page
//! from a `file://` URL with `#selftest`, the page's hook clicks through every derivative, path
//! and gradient-descent step and writes what it showed into the DOM, and these tests read it:
//! every param's block with the lecture's numbers, exactly the edges of each path highlighted,
//! the slider's steps, no console errors and no request. Under CI a browser that cannot start
//! fails the tests (`browser::chromium`).

mod browser;
mod common;

use common::{symdiff_ok, write_temp};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The page for `args`, written to a temporary file.
fn page(name: &str, args: &[&str]) -> PathBuf {
    let html = symdiff_ok(args);
    write_temp("html-browser", &format!("{name}.html"), &html)
}

/// What the page's self-test recorded, with the browser's stderr checked for console errors
/// and the page's own record of errors and requests checked empty.
fn selftest(name: &str, args: &[&str]) -> Option<Value> {
    let browser = browser::chromium()?;
    let path = page(name, args);
    let profile = path.with_extension("profile");
    let (dom, stderr) =
        browser::dump_dom(&browser, &browser::file_url(&path, "selftest"), &profile);
    let text = browser::pre_text(&dom, "selftest-result")
        .unwrap_or_else(|| panic!("{name}: the self-test wrote no result; stderr:\n{stderr}"));
    let result: Value = serde_json::from_str(&text).expect("the self-test writes JSON");
    assert!(
        result.get("crashed").is_none(),
        "{name}: the self-test crashed: {result}"
    );
    assert_eq!(
        result["errors"],
        Value::Array(vec![]),
        "{name}: errors in the page"
    );
    assert_eq!(
        result["resources"],
        Value::Array(vec![]),
        "{name}: the page requested something"
    );
    for line in stderr.lines() {
        let console_error =
            line.contains("CONSOLE") && (line.contains("ERROR") || line.contains("Uncaught"));
        assert!(
            !console_error && !line.contains("Refused to"),
            "{name}: the browser logged an error: {line}"
        );
    }
    Some(result)
}

/// Text as the page shows it, made comparable with the text printer's: the minus sign as `-`,
/// no spaces.
fn plain(text: &str) -> String {
    text.replace('−', "-").replace([' ', '\u{a0}'], "")
}

/// The last line (the value) of a derivative block, as a number.
fn value_of(result: &Value, wrt: &str) -> f64 {
    let lines = result["blocks"][wrt]
        .as_array()
        .unwrap_or_else(|| panic!("no block of {wrt}"));
    plain(lines.last().unwrap().as_str().unwrap())
        .parse()
        .unwrap()
}

/// The gradient from `explain --format json`: the same derivation as the page.
fn json_gradient(args: &[&str]) -> Vec<(String, String)> {
    let mut args = args.to_vec();
    let at = args.iter().position(|a| *a == "html").unwrap();
    args[at] = "json";
    let json: Value = serde_json::from_str(&symdiff_ok(&args)).unwrap();
    json["gradients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["wrt"].as_str().unwrap().to_string(),
                g["value"].to_string(),
            )
        })
        .collect()
}

/// `from->to` pairs.
fn edges(pairs: &[(&str, &str)]) -> BTreeSet<String> {
    pairs.iter().map(|(a, b)| format!("{a}->{b}")).collect()
}

fn edge_set(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

const TWO: &[&str] = &["explain", "--format", "html"];
const FIVE: &[&str] = &[
    "explain",
    "examples/lecture/five_weights.sd",
    "--at",
    "x_t=1,y_t=1",
    "--steps",
    "2",
    "--format",
    "html",
];
const COMPOSITE: &[&str] = &[
    "explain",
    "examples/lecture/composite3.sd",
    "--at",
    "w=0",
    "--format",
    "html",
];

#[test]
fn two_weights_numbers_paths_and_gradient_descent() {
    let Some(r) = selftest("two_weights", TWO) else {
        return;
    };
    // The lecture's numbers: ∂E/∂w2 = -0.197, ∂E/∂w1 = -0.053 (exactly -0.19661, -0.05288).
    assert!((value_of(&r, "w2") - -0.19661193324148185).abs() < 1e-15);
    assert!((value_of(&r, "w1") - -0.05287709278426673).abs() < 1e-15);
    for (wrt, value) in json_gradient(TWO) {
        let shown = plain(
            r["blocks"][&wrt]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .as_str()
                .unwrap(),
        );
        assert_eq!(shown, value, "the page and the JSON agree on ∂E/∂{wrt}");
    }
    // Every line of the path form, as the text printer writes it.
    let w1: Vec<String> = (r["blocks"]["w1"].as_array().unwrap().iter())
        .map(|l| plain(l.as_str().unwrap()))
        .collect();
    assert_eq!(w1[1], "-(yt-y)·1·w2·h·(1-h)·xt");
    assert_eq!(w1[2], "-(yt-y)·w2·h·(1-h)·xt");
    // One path each; stepping shows it.
    let w1 = &r["variables"][0];
    assert_eq!(w1["name"], "w1");
    assert_eq!(w1["pressed"], "w1");
    assert_eq!(w1["selected"][0], "d-w1");
    let path = edges(&[
        ("w1", "s1"),
        ("s1", "h"),
        ("h", "s2"),
        ("s2", "y"),
        ("y", "E"),
    ]);
    assert_eq!(edge_set(&w1["all"]), path);
    assert_eq!(edge_set(&w1["paths"][0]["edges"]), path);
    assert_eq!(
        w1["paths"][0]["label"],
        "Path 1 of 1: w1 → s1 → h → s2 → y → E"
    );
    assert_eq!(w1["paths"][0]["active"], serde_json::json!([0, 0]));
    // The slider: the lecture's (1.0053, 1.0197) after one step, (1.0104, 1.0384) after two
    // (exactly 1.00529, 1.01966 and 1.01036, 1.03822; the slides round intermediates).
    let steps = r["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    let at = |s: usize, w: &str| {
        steps[s]["values"][w]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert_eq!((at(0, "w1"), at(0, "w2")), (1.0, 1.0));
    assert!((at(1, "w1") - 1.00529).abs() < 5e-6 && (at(1, "w2") - 1.01966).abs() < 5e-6);
    assert!((at(2, "w1") - 1.01036).abs() < 5e-6 && (at(2, "w2") - 1.03822).abs() < 5e-6);
    assert!(steps[2]["values"]["w2"]
        .as_str()
        .unwrap()
        .starts_with("1.03822"));
    assert!(steps[2]["params"]
        .as_str()
        .unwrap()
        .starts_with("w1 = 1.0103575676781666, w2 = 1.0382205216727156"));
    // The derivative's value line follows the slider: ∂E/∂w2 at step 2 is smaller in size.
    let v0 = plain(steps[0]["valueLines"][1].as_str().unwrap())
        .parse::<f64>()
        .unwrap();
    let v2 = plain(steps[2]["valueLines"][1].as_str().unwrap())
        .parse::<f64>()
        .unwrap();
    assert_eq!(v0, -0.19661193324148185);
    assert!(v2 > v0 && v2 < 0.0, "∂E/∂w2 at step 2 is {v2}");
    // The graph's numbers follow it too (4 digits in the picture).
    let graph: Vec<&str> = steps[2]["graph"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert!(graph.contains(&"w2=1.038"), "{graph:?}");
    // Focusing a vertex shows its value and adjoint.
    assert_eq!(r["focused"]["name"], "x_t");
    assert_eq!(r["focused"]["info"], "x_t = 1    ∂E/∂x_t = —");
    assert_eq!(r["hovered"]["name"], "E");
    assert_eq!(
        r["hovered"]["info"],
        "E = 0.036164744064256626    ∂E/∂E = 1"
    );
}

#[test]
fn five_weights_w1_highlights_its_two_paths_one_at_a_time() {
    let Some(r) = selftest("five_weights", FIVE) else {
        return;
    };
    let names: Vec<&str> = (r["variables"].as_array().unwrap().iter())
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["w1", "w2", "w3", "w4", "w5"]);
    for (wrt, value) in json_gradient(FIVE) {
        let shown = plain(
            r["blocks"][&wrt]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .as_str()
                .unwrap(),
        );
        assert_eq!(shown, value, "the page and the JSON agree on ∂E/∂{wrt}");
    }
    // The slides' two-path formula of ∂E/∂w1, summed.
    let w1: Vec<String> = (r["blocks"]["w1"].as_array().unwrap().iter())
        .map(|l| plain(l.as_str().unwrap()))
        .collect();
    assert_eq!(w1[2], "-(yt-y)·1·w4·h2·(1-h2)·w2·h1·(1-h1)·xt");
    assert_eq!(
        w1[3],
        "+-(yt-y)·1·w5·h3·(1-h3)·w3·h1·(1-h1)·xt".trim_start_matches('+')
    );
    let first = [
        ("w1", "s1"),
        ("s1", "h1"),
        ("h1", "s2"),
        ("s2", "h2"),
        ("h2", "s4"),
        ("s4", "y"),
        ("y", "E"),
    ];
    let second = [
        ("w1", "s1"),
        ("s1", "h1"),
        ("h1", "s3"),
        ("s3", "h3"),
        ("h3", "s4"),
        ("s4", "y"),
        ("y", "E"),
    ];
    let v = &r["variables"][0];
    let both: BTreeSet<String> = edges(&first).union(&edges(&second)).cloned().collect();
    assert_eq!(both.len(), 10);
    assert_eq!(
        edge_set(&v["all"]),
        both,
        "selecting w1 highlights exactly its two paths"
    );
    assert_eq!(edge_set(&v["paths"][0]["edges"]), edges(&first));
    assert_eq!(edge_set(&v["paths"][1]["edges"]), edges(&second));
    assert_eq!(
        v["paths"][0]["label"],
        "Path 1 of 2: w1 → s1 → h1 → s2 → h2 → s4 → y → E"
    );
    assert_eq!(
        v["paths"][1]["label"],
        "Path 2 of 2: w1 → s1 → h1 → s3 → h3 → s4 → y → E"
    );
    // Each step marks that path's chain of symbols and its product of local partials.
    assert_eq!(v["paths"][0]["active"], serde_json::json!([0, 0]));
    assert_eq!(v["paths"][1]["active"], serde_json::json!([1, 1]));
    let product = plain(v["paths"][1]["activeText"][1].as_str().unwrap());
    assert_eq!(product, "-(yt-y)·1·w5·h3·(1-h3)·w3·h1·(1-h1)·xt");
    assert_eq!(edge_set(&v["afterAll"]), both);
    // w4 has one path: E ← y ← s4 ← w4.
    let w4 = &r["variables"][3];
    assert_eq!(
        edge_set(&w4["all"]),
        edges(&[("w4", "s4"), ("s4", "y"), ("y", "E")])
    );
}

#[test]
fn composite_four_paths_and_two_pi_minus_three() {
    let Some(r) = selftest("composite3", COMPOSITE) else {
        return;
    };
    // dy/dw at w = 0 is 2π - 3 (the slide's value).
    let value = value_of(&r, "w");
    assert!(
        (value - (2.0 * std::f64::consts::PI - 3.0)).abs() < 1e-12,
        "{value}"
    );
    let v = &r["variables"][0];
    assert_eq!(v["paths"].as_array().unwrap().len(), 4);
    let all = edges(&[
        ("w", "v"),
        ("w", "x"),
        ("w", "t"),
        ("v", "x"),
        ("v", "t"),
        ("x", "y"),
        ("t", "y"),
    ]);
    assert_eq!(edge_set(&v["all"]), all);
    let shown: Vec<BTreeSet<String>> = (v["paths"].as_array().unwrap().iter())
        .map(|p| edge_set(&p["edges"]))
        .collect();
    assert_eq!(shown[0], edges(&[("w", "v"), ("v", "x"), ("x", "y")]));
    assert_eq!(shown[1], edges(&[("w", "x"), ("x", "y")]));
    assert_eq!(shown[2], edges(&[("w", "t"), ("t", "y")]));
    assert_eq!(shown[3], edges(&[("w", "v"), ("v", "t"), ("t", "y")]));
    // No slider without --steps.
    assert_eq!(r["steps"], Value::Array(vec![]));
}

#[test]
fn screenshots_of_the_three_pages() {
    let Some(browser) = browser::chromium() else {
        return;
    };
    for (name, args, fragment) in [
        ("two_weights", TWO, "w1"),
        ("five_weights", FIVE, "w1/2"),
        ("composite3", COMPOSITE, "w/1"),
    ] {
        let path = page(name, args);
        let png = path.with_extension("png");
        let profile = path.with_extension("shot-profile");
        browser::screenshot(
            &browser,
            &browser::file_url(&path, fragment),
            &png,
            (1400, 1000),
            &profile,
        );
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        // A blank page compresses to a few kB; a drawn one is far larger.
        assert!(
            bytes.len() > 50_000,
            "{name}: a {} byte screenshot",
            bytes.len()
        );
    }
}

#[test]
fn an_indexed_network_one_node_per_layer_and_an_element_picker() {
    let args = [
        "explain",
        "examples/lecture/indexed/three_three_four.sd",
        "--at",
        "x=[1,1,1],t=[0,1,0,1]",
        "--format",
        "html",
    ];
    let Some(r) = selftest("three_three_four", &args) else {
        return;
    };
    let names: Vec<&str> = (r["variables"].as_array().unwrap().iter())
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["w", "v"]);
    // One node per layer: w's paths run w → s → h → σ → H → E, v's v → σ → H → E.
    assert_eq!(r["variables"][0]["all"].as_array().unwrap().len(), 5);
    assert_eq!(r["variables"][1]["all"].as_array().unwrap().len(), 3);
    assert_eq!(
        r["variables"][0]["label"],
        "4 paths through the layers, one node per layer: every edge on them is highlighted."
    );
    let first = r["variables"][0]["all"].as_array().unwrap();
    assert!(
        first
            .iter()
            .any(|e| e.as_str().unwrap().starts_with("w[j,i]")),
        "{first:?}"
    );
    // The element picker shows one element at a time, each Σ term by term.
    let picked = &r["elements"];
    assert_eq!(picked["w"]["shown"], 1, "{picked}");
    assert!(picked["w"]["text"]
        .as_str()
        .unwrap()
        .starts_with("∂E/∂w[1,1]"));
    assert_eq!(picked["w"]["options"], 9);
}

#[test]
fn a_thousand_weight_network_stays_responsive() {
    // 22 inputs, two hidden layers of 22, one output: 990 weights.
    let source = common::dense_network(22, 2);
    assert_eq!(source.matches("param ").count(), 990);
    let file = write_temp("html-browser", "dense.sd", &source);
    let file = file.to_str().unwrap();
    let args = ["explain", file, "--format", "html"];
    let html = symdiff_ok(&args);
    assert_eq!(html.matches("<section class=\"derivative\"").count(), 990);
    // Past the path cap every derivative is in factored form; the graph is one node per layer.
    assert!(html.contains("factored form of 22 paths"));
    assert!(html.contains("one node per layer"));
    assert!(html.len() < 10_000_000, "{} bytes", html.len());
    let Some(r) = selftest("dense", &args) else {
        return;
    };
    assert_eq!(r["variables"].as_array().unwrap().len(), 990);
    // Every click (choosing each of the 990 derivatives in turn) answers within a frame or so.
    let slowest = r["slowest"].as_f64().unwrap();
    assert!(slowest < 500.0, "the slowest interaction took {slowest} ms");
    let ready = r["ready"].as_f64().unwrap();
    assert!(ready < 60_000.0, "the page was ready after {ready} ms");
}
