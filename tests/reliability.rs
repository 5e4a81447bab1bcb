//! The binary on bad and extreme input: every corpus file gives a diagnostic with line:col and
//! exit 1 (never a panic), names that do not exist are input errors, a variable the loss does not
//! use has gradient exactly 0, CRLF and tabs read like LF and spaces, and deep or long input is a
//! clear error or a correct result in bounded time.
//!
//! Timing: the grammar and core are built with `opt-level = 1` in test builds (root
//! `Cargo.toml`), so the 100,000-definition chain and the 10 MB file take a few seconds each in
//! `cargo test` (all of this file: about 6 s on 2 shared cores; 4.7 s with `--release`).

mod common;

use common::{stderr, stdout, symdiff, write_temp};

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Asserts a run failed as an input error: exit 1, a message, no panic.
fn assert_input_error(out: &Output, what: &str) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(err.contains("error"), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    err
}

/// `file:line:col` of the first located diagnostic in `stderr`.
fn location(err: &str, file: &str) -> Option<(usize, usize)> {
    let start = err.find(file)? + file.len();
    let mut parts = err[start..].strip_prefix(':')?.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()?;
    Some((line, col))
}

#[test]
fn every_corpus_file_is_diagnosed_with_line_and_column() {
    let dir = common::root().join("tests/cases/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sd"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "{} corpus files", files.len());
    for path in &files {
        let file = path_str(path);
        let out = symdiff(&["grad", file]);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{file}: {err}");
        let (line, col) =
            location(&err, file).unwrap_or_else(|| panic!("{file}: no line:col in\n{err}"));
        assert!(line >= 1 && col >= 1, "{file}: {line}:{col}");
        if file.ends_with("31_unused_param_warn.sd") {
            // A warning, and a correct result: the unused param's gradient is exactly 0.
            assert!(out.status.success(), "{file}: {err}");
            assert!(err.starts_with("warning:"), "{err}");
            assert!(stdout(&out).contains("∂E/∂w3 = 0\n"), "{}", stdout(&out));
        } else {
            assert_input_error(&out, file);
        }
    }
}

#[test]
fn a_variable_the_loss_does_not_use_has_gradient_exactly_zero() {
    let path = write_temp("reliability", 
        "unused.sd",
        "network n {\n  input x\n  target t\n  param w = 0.5, u = 2\n  output y = w*x\n  loss E = 1/2*(t - y)^2\n}\n",
    );
    let out = symdiff(&[
        "grad",
        path_str(&path),
        "--wrt",
        "w,u",
        "--at",
        "x=1,t=0",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The note: the grammar's warning names the param and points at it.
    let err = stderr(&out);
    assert!(
        err.contains("does not depend on param `u`"),
        "no note in: {err}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["gradient"]["u"]["formula"], "0");
    assert_eq!(v["gradient"]["u"]["value"], 0.0);
    assert_eq!(v["gradient"]["w"]["value"], 0.5);
}

#[test]
fn of_and_wrt_names_that_do_not_exist_are_input_errors() {
    let path = common::root().join("examples/lecture/two_weights.sd");
    let file = path_str(&path);
    for args in [
        &["grad", file, "--of", "nope"][..],
        &["grad", file, "--wrt", "w1,nope"][..],
        &["grad", file, "--at", "nope=1"][..],
        &["grad", file, "--network", "nope"][..],
        &["eval", file, "--at", "h=1"][..],
        &["grad", "/nonexistent/file.sd"][..],
    ] {
        let err = assert_input_error(&symdiff(args), &format!("{args:?}"));
        assert!(
            err.contains("nope") || err.contains("h") || err.contains("cannot read"),
            "{err}"
        );
    }
    // Unknown flags and malformed values are usage errors (2).
    assert_eq!(symdiff(&["grad", file, "--bogus"]).status.code(), Some(2));
    assert_eq!(
        symdiff(&["grad", file, "--at", "w1"]).status.code(),
        Some(2)
    );
}

#[test]
fn crlf_and_tabs_read_like_lf_and_spaces() {
    let lf = "network n {\n    input x\n    target t\n    param w = 2\n    h = sigmoid(w * x)\n    loss E = 1/2 * (t - h)^2\n}\n";
    let crlf_tabs = lf.replace("    ", "\t").replace('\n', "\r\n");
    let a = write_temp("reliability", "lf.sd", lf);
    let b = write_temp("reliability", "crlf.sd", &crlf_tabs);
    let run = |p: &Path| symdiff(&["grad", path_str(p), "--at", "x=1,t=0"]);
    let (x, y) = (run(&a), run(&b));
    assert!(x.status.success() && y.status.success(), "{}", stderr(&y));
    assert_eq!(stdout(&x), stdout(&y));
    // An error after CRLF lines and tabs is located by characters, not bytes.
    let bad = write_temp("reliability", "bad_crlf.sd", "y = x\r\n\tz = (y +\r\n");
    let err = assert_input_error(&symdiff(&["grad", path_str(&bad)]), "CRLF error");
    assert_eq!(
        location(&err, path_str(&bad)).map(|(l, _)| l),
        Some(2),
        "{err}"
    );
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_a_clear_error() {
    const N: usize = 100_000;
    let path = write_temp(
        "reliability",
        "nested.sd",
        &format!("y = {}x{}\n", "(".repeat(N), ")".repeat(N)),
    );
    let start = Instant::now();
    let out = symdiff(&["grad", path_str(&path)]);
    let err = assert_input_error(&out, "nested");
    assert!(err.contains("nested more than"), "{err}");
    assert!(location(&err, path_str(&path)).is_some(), "{err}");
    assert!(
        err.len() < 2000,
        "the message is not 200,000 characters wide"
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

fn chain(n: usize) -> String {
    (1..=n)
        .map(|i| format!("v{i} = v{} + 1\n", i - 1))
        .collect()
}

/// `v_n = v_(n-1) + 1`: the derivative of the last with respect to `v0` is exactly 1.
fn assert_chain_differentiates(n: usize, limit: Duration) {
    let path = write_temp("reliability", &format!("chain{n}.sd"), &chain(n));
    let start = Instant::now();
    let out = symdiff(&[
        "grad",
        path_str(&path),
        "--wrt",
        "v0",
        "--at",
        "v0=0.5",
        "--format",
        "json",
    ]);
    let took = start.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["of"], format!("v{n}"));
    assert_eq!(v["gradient"]["v0"]["formula"], "1");
    assert_eq!(v["gradient"]["v0"]["value"], 1.0);
    assert_eq!(v["value"], n as f64 + 0.5);
    assert!(took < limit, "{n} chained definitions took {took:?}");
}

#[test]
fn ten_thousand_chained_definitions_differentiate_to_one() {
    assert_chain_differentiates(10_000, Duration::from_secs(30));
}

#[test]
fn a_hundred_thousand_chained_definitions_differentiate_to_one() {
    assert_chain_differentiates(100_000, Duration::from_secs(60));
}

/// A 10 MB file: the two-weight network, then thousands of independent small networks.
#[test]
fn a_ten_megabyte_file_parses_and_differentiates_in_bounded_time() {
    let mut text = common::lecture_source("two_weights");
    let mut k = 0;
    while text.len() < 10_000_000 {
        text += &format!(
            "network n{k} {{\n  input x\n  target t\n  param w1 = 1, w2 = 1\n  h = sigmoid(x * w1)\n  output y = h * w2\n  loss E = 1/2 * (t - y)^2\n}}\n"
        );
        k += 1;
    }
    let path = write_temp("reliability", "ten_megabytes.sd", &text);
    let start = Instant::now();
    let out = symdiff(&["grad", path_str(&path), "--at", "x_t=1,y_t=1"]);
    let took = start.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("= -0.19661193324148"),
        "{}",
        stdout(&out)
    );
    assert!(took < Duration::from_secs(60), "10 MB took {took:?}");
}

/// Inputs the fuzzer (`fuzz/`) found: each must give a result or a diagnostic, never a panic.
///
/// All of them are sums and products of numbers whose exact rational sum or product overflows
/// (`1.718888888888888 + 888888888888888 + 888888888888888888888`): the numbers are then kept
/// apart, unrounded, which the canonical-form check once rejected (a `debug_assert!` panic), and
/// a power folded to such a number once sent `product` into endless recursion.
#[test]
fn fuzz_regressions_do_not_panic() {
    let dir = common::root().join("tests/cases/fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in &files {
        let out = symdiff(&["grad", path_str(path)]);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{}: {err}", path.display());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            path.display()
        );
    }
}
