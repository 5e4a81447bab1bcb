//! The `symdiff` binary: `grad` and `eval` output, the JSON shape of the CLI contract, and exit
//! statuses 0 (success), 1 (input error) and 2 (usage error).

mod common;

use common::{stderr, stdout, symdiff};

use serde_json::Value;
use std::process::Output;

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

const TWO: &str = "examples/lecture/two_weights.sd";

#[test]
fn grad_prints_the_lecture_formulas_and_exact_values() {
    let o = symdiff(&["grad", TWO, "--at", "x_t=1,y_t=1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("∂E/∂w1 = -(y_t - y)·w2·h·(1 - h)·x_t = -0.05287709278426673"),
        "{out}"
    );
    assert!(
        out.contains("∂E/∂w2 = -(y_t - y)·h = -0.19661193324148185"),
        "{out}"
    );
}

#[test]
fn grad_json_has_the_contract_shape() {
    let o = symdiff(&["grad", TWO, "--at", "x_t=1,y_t=1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["of"], "E");
    assert_eq!(v["wrt"], serde_json::json!(["w1", "w2"]));
    assert_eq!(v["at"]["x_t"], 1.0);
    assert_eq!(v["at"]["w1"], 1.0);
    let loss = v["value"].as_f64().unwrap();
    assert!((loss - 0.5 * (1.0 - 0.7310585786300049f64).powi(2)).abs() < 1e-15);
    let w1 = &v["gradient"]["w1"];
    assert_eq!(w1["formula"], "-(y_t - y)·w2·h·(1 - h)·x_t");
    assert!((w1["value"].as_f64().unwrap() - -0.05288).abs() < 5e-6);
    assert!((v["gradient"]["w2"]["value"].as_f64().unwrap() - -0.19661).abs() < 5e-6);
    assert!(v.get("adjoints").is_none(), "path form, no adjoints listed");
}

#[test]
fn grad_json_values_are_null_when_an_input_is_unassigned() {
    let o = symdiff(&["grad", TWO, "--at", "x_t=1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["value"], Value::Null);
    assert_eq!(v["gradient"]["w1"]["value"], Value::Null);
    assert_eq!(v["at"]["y_t"], Value::Null);
    let o = symdiff(&["grad", TWO, "--format", "json"]);
    assert_eq!(json(&o)["gradient"]["w2"]["value"], Value::Null);
}

#[test]
fn grad_on_the_composite_examples_gives_the_exact_values() {
    let cases = [
        ("examples/lecture/composite1.sd", "w=0", -2.0),
        ("examples/lecture/composite2.sd", "v=0", -1.0),
        (
            "examples/lecture/composite3.sd",
            "w=0",
            2.0 * std::f64::consts::PI - 3.0,
        ),
    ];
    for (file, at, expected) in cases {
        let o = symdiff(&["grad", file, "--at", at, "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
        let v = json(&o);
        let (_, g) = v["gradient"].as_object().unwrap().iter().next().unwrap();
        let got = g["value"].as_f64().unwrap();
        assert!(
            (got - expected).abs() < 1e-12,
            "{file}: {got} vs {expected}"
        );
    }
}

#[test]
fn wrt_and_of_select_the_derivative() {
    let o = symdiff(&["grad", TWO, "--of", "y", "--wrt", "w2", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["of"], "y");
    assert_eq!(v["gradient"]["w2"]["formula"], "h");
}

#[test]
fn past_max_paths_the_formula_is_factored_and_adjoints_are_listed() {
    let five = "examples/lecture/five_weights.sd";
    let o = symdiff(&["grad", five, "--max-paths", "1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["gradient"]["w1"]["paths"], 2);
    assert_eq!(v["gradient"]["w1"]["formula"], "∂E/∂s1·x_t");
    assert!(v["adjoints"]["∂E/∂h1"]["formula"].is_string());
    let o = symdiff(&["grad", five, "--max-paths", "1"]);
    assert!(
        stdout(&o).contains("(factored form of 2 paths)"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn data_sums_the_loss_and_gradient_over_rows() {
    let o = symdiff(&[
        "grad",
        "examples/lecture/linear_regression.sd",
        "--data",
        "examples/lecture/linear_regression.csv",
        "--at",
        "w0=0,w1=0,w2=0",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["rows"], 10);
    // With every weight 0 the model outputs 0: E = Σ t², ∂E/∂w0 = -2 Σ t.
    let t = [-1.0, 1.0, 0.5, 3.0, -2.0, 5.0, 2.0, -2.0, -4.0, 1.0f64];
    let e: f64 = t.iter().map(|t| t * t).sum();
    assert!((v["value"].as_f64().unwrap() - e).abs() < 1e-12);
    let d0 = -2.0 * t.iter().sum::<f64>();
    assert!((v["gradient"]["w0"]["value"].as_f64().unwrap() - d0).abs() < 1e-12);
}

#[test]
fn eval_prints_every_vertex() {
    let o = symdiff(&["eval", TWO, "--at", "x_t=1,y_t=1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("h   = 0.7310585786300049"), "{out}");
    assert!(out.contains("s1  = 1\n"), "{out}");
    let o = symdiff(&["eval", TWO, "--at", "x_t=1,y_t=1", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["values"]["y"], 0.7310585786300049);
    assert_eq!(v["of"], "E");
}

#[test]
fn input_errors_exit_1_with_a_message() {
    let cases: [&[&str]; 5] = [
        &["grad", "no/such/file.sd"],
        &["grad", TWO, "--wrt", "w9"],
        &["grad", TWO, "--of", "Q"],
        &["eval", TWO, "--at", "zz=1"],
        &["eval", TWO],
    ];
    for args in cases {
        let o = symdiff(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).starts_with("error:"), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
    let o = symdiff(&["grad", TWO, "--wrt", "w9"]);
    assert!(stderr(&o).contains("`w9`"), "{}", stderr(&o));
}

#[test]
fn parse_errors_exit_1_with_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("symdiff-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("typo.sd");
    std::fs::write(&file, "y = 1/x\nx = v^2 +\n").unwrap();
    let o = symdiff(&["grad", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("typo.sd:2:"), "{err}");
    assert!(err.contains('^'), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["grad", TWO, "--bogus"][..],
        &["grad", TWO, "--at", "x_t"],
        &["grad", TWO, "--at", "x_t=abc"],
        &["grad", TWO, "--format", "xml"],
        &["frobnicate"],
    ] {
        assert_eq!(symdiff(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn grad_format_rust_prints_the_network_module() {
    let o = symdiff(&["grad", TWO, "--format", "rust"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("pub mod two_weights {"), "{out}");
    // `1 - h` of the sigmoid `h` is evaluated as `sigmoid(-s1)`, which keeps its tail, bound
    // with `h` from one exponential.
    assert!(out.contains("let (h, t0) = sigmoid_pair(s1);"), "{out}");
    assert!(out.contains("let d_s1 = d_h * h * t0;"), "{out}");
    assert!(out.contains("let d_w1 = d_s1 * x_t;"), "{out}");
    let o = symdiff(&["grad", "examples/lecture/composite1.sd", "--format", "rust"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a network"), "{}", stderr(&o));
}
