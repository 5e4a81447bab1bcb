//! `explain` (and `grad`, `check`) as a new user meets them in a lecture: the binary run on each
//! teaching item of issue 17, asserting the exit status and what the user reads — rounded
//! numbers, no line that only repeats the one before, the direct dependency told apart from the
//! total derivative, plurals, each variable once, the point's label, the valid names on a typo,
//! only the values a narrowed derivative uses, ASCII JSON, and a hidden unit's `1 - h` kept.

mod common;

use common::{stderr, stdout, symdiff, write_temp};

/// What one run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the binary from the workspace root without colour.
fn run(args: &[&str]) -> Run {
    let out = symdiff(args);
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: stdout(&out),
        stderr: stderr(&out),
    }
}

/// Runs the binary and expects success; returns stdout.
fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, 0, "symdiff {args:?}: {}", r.stderr);
    assert!(
        r.stderr.is_empty(),
        "symdiff {args:?} wrote to stderr: {}",
        r.stderr
    );
    r.stdout
}

/// A source file of the user's own, in this test's temporary directory.
fn user_file(name: &str, text: &str) -> String {
    write_temp("new-user-explain", name, text)
        .display()
        .to_string()
}

/// The block of lines that explains `lhs` (up to the next blank line).
fn block<'a>(out: &'a str, lhs: &str) -> &'a str {
    out.split("\n\n")
        .find(|b| b.starts_with(lhs))
        .unwrap_or_else(|| panic!("no block for {lhs} in\n{out}"))
}

#[test]
fn digits_round_every_printed_number_and_default_is_unchanged() {
    let out = ok(&["explain", "--digits", "4"]);
    assert!(out.contains("h  = sigmoid(s1)   = 0.7311\n"), "{out}");
    assert!(out.contains("= -0.05288\n"), "{out}");
    assert!(
        out.contains("= -(1 - 0.7311)·0.7311·(1 - 0.7311)\n"),
        "{out}"
    );
    assert!(out.contains("1     1.005  1.02   0.03213\n"), "{out}");
    assert!(!out.contains("0.7310585786300049"), "{out}");
    let exact = ok(&["explain"]);
    // 1 - h is evaluated as sigmoid(-s1) (issue 18): -0.0528770927842667215... (mpmath).
    assert!(exact.contains("= -0.05287709278426673\n"), "{exact}");
    assert!(exact.contains("= 0.7310585786300049\n"), "{exact}");
}

#[test]
fn digits_show_sin_pi_as_zero() {
    let file = "examples/lecture/composite3.sd";
    let out = ok(&["explain", file, "--at", "w=0", "--digits", "3"]);
    assert!(out.contains("t = sin((w + v)·π) = 0\n"), "{out}");
    assert!(!out.contains("e-16"), "{out}");
    assert!(out.contains("= 3.28\n"), "2π - 3 to 3 digits:\n{out}");
    let exact = ok(&["explain", file, "--at", "w=0"]);
    assert!(exact.contains("1.2246467991473532e-16"), "{exact}");
}

#[test]
fn digits_out_of_range_is_a_usage_error() {
    let r = run(&["explain", "--digits", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--digits"), "{}", r.stderr);
}

#[test]
fn an_identity_reads_as_one_line() {
    let file = user_file("identity.sd", "y = x\n");
    let out = ok(&["explain", &file, "--at", "x=2"]);
    assert!(out.ends_with("\n∂y/∂x = 1\n"), "{out}");
    assert!(!out.contains("∂y/∂x = ∂y/∂x"), "{out}");
}

#[test]
fn the_factored_form_does_not_repeat_its_left_hand_side() {
    let file = "examples/lecture/two_weights.sd";
    let out = ok(&["explain", file, "--max-paths", "0", "--at", "x_t=1,y_t=1"]);
    let dy = block(&out, "∂E/∂y ");
    assert!(dy.starts_with("∂E/∂y  = -(y_t - y)\n"), "{dy}");
    assert!(!out.contains("∂E/∂y  = ∂E/∂y\n"), "{out}");
    for line in out.lines() {
        assert!(
            !line.contains("paths from E to"),
            "1 path said as paths: {line}"
        );
    }
}

#[test]
fn the_numeric_line_substitutes_into_the_simplified_form_without_ones() {
    let out = ok(&["explain"]);
    let w1 = block(&out, "∂E/∂w1");
    let lines: Vec<&str> = w1.lines().collect();
    assert_eq!(lines[2], "       = -(y_t - y)·w2·h·(1 - h)·x_t", "{w1}");
    assert_eq!(
        lines[3], "       = -(1 - 0.7310585786300049)·0.7310585786300049·(1 - 0.7310585786300049)",
        "{w1}"
    );
    assert!(!lines[3].contains("·1·"), "{w1}");
}

#[test]
fn a_direct_dependency_reads_apart_from_the_total_derivative() {
    let file = user_file("direct.sd", "y = x*w + sin(x)\nx = w^2\n");
    let out = ok(&["explain", &file, "--wrt", "w", "--at", "w=1"]);
    assert!(out.contains("∂y/∂w = ∂y/∂x·∂x/∂w\n"), "{out}");
    assert!(out.contains("      + ∂y/∂w (direct)\n"), "{out}");
    let latex = ok(&["explain", &file, "--format", "latex"]);
    assert!(latex.contains("\\right|_{\\text{direct}}"), "{latex}");
    let json = ok(&["explain", &file, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let terms = v["gradients"][0]["terms"].as_array().expect("terms");
    let direct: Vec<bool> = terms.iter().map(|t| t["direct"] == true).collect();
    assert_eq!(direct, [false, true], "{json}");
}

#[test]
fn one_path_and_one_point_are_singular() {
    let file = "examples/lecture/two_weights.sd";
    let grad = ok(&["grad", file, "--max-paths", "0"]);
    assert!(grad.contains("(factored form of 1 path)"), "{grad}");
    assert!(!grad.contains("1 paths"), "{grad}");
    let latex = ok(&["explain", file, "--max-paths", "0", "--format", "latex"]);
    assert!(latex.contains("(factored form of 1 path)"), "{latex}");
    let check = ok(&["check", file, "--at", "x_t=1,y_t=1,w1=1,w2=1"]);
    assert!(
        check.ends_with("2 of 2 checks passed at 1 point\n"),
        "{check}"
    );
}

#[test]
fn a_variable_named_twice_is_explained_once() {
    let file = "examples/lecture/two_weights.sd";
    let out = ok(&["explain", file, "--wrt", "w1,w1"]);
    assert_eq!(out.matches("∂E/∂w1 = ").count(), 1, "{out}");
    let grad = ok(&["grad", file, "--wrt", "w1,w1"]);
    assert_eq!(grad.lines().count(), 1, "{grad}");
}

#[test]
fn check_calls_drawn_values_partly_random_not_given() {
    let file = "examples/lecture/two_weights.sd";
    let drawn = ok(&["check", file]);
    assert!(drawn.contains("point 1 (partly random): "), "{drawn}");
    assert!(!drawn.contains("(given)"), "{drawn}");
    let given = ok(&["check", file, "--at", "x_t=1,y_t=1"]);
    assert!(given.contains("point 1 (given): "), "{given}");
}

#[test]
fn an_unknown_wrt_lists_the_valid_names() {
    let r = run(&["explain", "examples/lecture/two_weights.sd", "--wrt", "w9"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("--wrt names `w9`"), "{}", r.stderr);
    assert!(r.stderr.contains("x_t, y_t, w1, w2"), "{}", r.stderr);
}

#[test]
fn a_narrowed_derivative_lists_only_the_values_it_uses() {
    let inputs: Vec<String> = (1..=10).map(|i| format!("x{i}=1")).collect();
    let at = format!("{},t=1", inputs.join(","));
    let out = ok(&[
        "explain",
        "tests/nets/dense_10x3.sd",
        "--wrt",
        "v1",
        "--at",
        &at,
    ]);
    let at_line = out.lines().nth(1).expect("an at line");
    assert_eq!(
        at_line,
        "at t = 1, v1 = 0.143 (319 other values not used by the derivatives shown):"
    );
}

#[test]
fn ascii_json_has_ascii_formulas() {
    let out = ok(&["explain", "--format", "json", "--ascii"]);
    assert!(out.is_ascii(), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let w1 = &v["gradients"][0];
    assert_eq!(w1["symbol"], "dE/dw1");
    assert_eq!(w1["formula"], "-(y_t - y)*w2*h*(1 - h)*x_t");
    let unicode = ok(&["explain", "--format", "json"]);
    assert!(unicode.contains("∂E/∂w1"), "{unicode}");
}

#[test]
fn a_sigmoid_hidden_unit_under_cross_entropy_keeps_one_minus_h() {
    let out = ok(&["grad", "tests/nets/xor_2_2_1.sd", "--wrt", "w1,v1,c"]);
    assert_eq!(
        out,
        "∂E/∂w1 = (y - t)·v1·h1·(1 - h1)·x1\n∂E/∂v1 = (y - t)·h1\n∂E/∂c = y - t\n"
    );
    let output = ok(&[
        "grad",
        "examples/lecture/sigmoid_classification.sd",
        "--wrt",
        "w2",
    ]);
    assert_eq!(output, "∂E/∂w2 = (y - y_t)·h\n");
}
