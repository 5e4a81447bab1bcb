//! A new user types the lecture's slide notation into a file and runs the `symdiff` binary, as
//! issue 17 describes: a line continued inside parentheses, a byte-order mark written by an
//! editor, `−`, `×`, `²`, `³`, Greek names, and the mistakes slides invite (`sin x`, a prime in
//! a name, a character symdiff does not know). Each either works or fails with exit status 1 and
//! a diagnostic that names the file, line and column, shows the line with a caret, and says what
//! was expected.

mod common;

use common::{stderr, stdout, write_temp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Writes `text` to a fresh file named `name` in a directory of this test's own.
fn file(test: &str, name: &str, text: &str) -> PathBuf {
    write_temp(&format!("new-user-{test}"), name, text)
}

/// Runs `symdiff` in the directory of `path`, naming the file by its bare name, as a user in
/// that directory would.
fn symdiff(path: &Path, args: &[&str]) -> Output {
    let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
    let (command, rest) = args.split_first().expect("a subcommand");
    Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .arg(command)
        .arg(name)
        .args(rest)
        .current_dir(path.parent().expect("a directory"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed; its output.
fn ok(path: &Path, args: &[&str]) -> String {
    let o = symdiff(path, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Runs a command that must fail as an input error (status 1); its diagnostics.
fn input_error(path: &Path, args: &[&str]) -> String {
    let o = symdiff(path, args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_line_continues_while_a_parenthesis_is_open() {
    let f = file(
        "continue",
        "poly.sd",
        "y = (x^2 +\n     z)\nw = sin(y,\n)\n",
    );
    let err = input_error(&f, &["eval", "--at", "x=2,z=1"]);
    // The call's stray comma is the only mistake: the lines themselves continue.
    assert!(err.contains("poly.sd:4:1"), "{err}");
    let f = file(
        "continue",
        "poly.sd",
        "y = (x^2 +   # a comment inside the parentheses\n     z)\nw = sigmoid(\n    y\n)\n",
    );
    let out = ok(&f, &["eval", "--at", "x=2,z=1"]);
    assert!(out.contains("y = 5\n"), "{out}");

    // A `(` never closed: the error is where the `)` is missing, and says why.
    let f = file("continue", "open.sd", "y = (x^2 +\n     z\nw = y + 1\n");
    let err = input_error(&f, &["eval", "--at", "x=2,z=1"]);
    assert!(
        err.starts_with(
            "error: expected `)` to close the `(` opened at 1:5, found end of line\n \
             --> open.sd:2:7\n  |\n2 |      z\n  |       ^\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("note: a line continues while a `(` is open, but line 3 does not"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let f = file("bom", "bom.sd", "\u{FEFF}y = x^2 + 1\n");
    let out = ok(&f, &["eval", "--at", "x=3"]);
    assert!(out.contains("y = 10\n"), "{out}");
    // Columns on the first line do not count it.
    let f = file("bom", "bad.sd", "\u{FEFF}y = x +\n");
    let err = input_error(&f, &["eval", "--at", "x=3"]);
    assert!(err.contains(" --> bad.sd:1:8\n"), "{err}");
    assert!(err.contains("\n1 | y = x +\n  |        ^\n"), "{err}");
}

#[test]
fn minus_times_and_superscripts_read_as_ascii() {
    let f = file(
        "ops",
        "ops.sd",
        "y = −x × 3 + x² − x³ + 2·x + z\nz = −(x − 1)²\n",
    );
    let out = ok(&f, &["eval", "--at", "x=2"]);
    // z = -(1)^2 = -1; y = -6 + 4 - 8 + 4 + z = -7.
    assert!(out.contains("z = -1\n"), "{out}");
    assert!(out.contains("y = -7\n"), "{out}");
    let out = ok(&f, &["grad", "--at", "x=2"]);
    // dy/dx = -3 + 2x - 3x^2 + 2 - 2(x - 1) = -11 at x = 2.
    assert!(out.contains("= -11\n"), "{out}");
}

#[test]
fn greek_names_work_in_every_command() {
    let text = "network slide {\n    input x\n    target t\n    param α1 = 0.5, β = 0.25\n    \
                σ = sigmoid(α1 × x + β)\n    δ = t − σ\n    output y = σ\n    \
                loss η = 1/2 · δ²\n}\n";
    let f = file("greek", "greek.sd", text);
    let out = ok(&f, &["grad", "--at", "x=1,t=1,α1=2"]);
    assert!(out.contains("∂η/∂α1 = "), "{out}");
    assert!(out.contains("∂η/∂β"), "{out}");
    let out = ok(&f, &["explain", "--at", "x=1,t=1"]);
    assert!(out.contains("σ = sigmoid(α1·x + β)"), "{out}");
    let out = ok(&f, &["check"]);
    assert!(out.contains("checks passed"), "{out}");
    let out = ok(&f, &["codegen"]);
    assert!(out.contains("pub α1: f64,"), "{out}");
    assert!(out.contains("pub β: f64,"), "{out}");
    assert!(out.contains("let σ = "), "{out}");
    let out = ok(&f, &["graph", "--format", "svg"]);
    assert!(out.contains("σ"), "{out}");
}

#[test]
fn sin_x_suggests_sin_of_x() {
    let f = file("sin", "sin.sd", "y = sin x\n");
    let err = input_error(&f, &["eval", "--at", "x=1"]);
    assert_eq!(
        err,
        "error: expected `(` after the function `sin`, found `x`\n \
         --> sin.sd:1:9\n  |\n1 | y = sin x\n  |         ^\n  \
         = help: a function's argument goes in parentheses: `sin(x)`\n"
    );
}

#[test]
fn a_character_that_is_not_a_letter_is_reported_once() {
    let f = file("prime", "prime.sd", "f = x^2\nf′ = 2*x\ny = f′ * f′\n");
    let err = input_error(&f, &["eval", "--at", "x=1"]);
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(
        err.starts_with("error: unexpected character `′` (U+2032)\n --> prime.sd:2:2\n"),
        "{err}"
    );
    assert!(
        err.contains("= help: a name cannot hold a prime: write `f_prime` or `df`, say"),
        "{err}"
    );
    assert!(
        err.contains("= note: `′` also stands at 3:6 and 3:11"),
        "{err}"
    );

    // A no-break space pasted from a slide is named by its code point.
    let f = file("prime", "space.sd", "y = x\u{A0}+ 1\n");
    let err = input_error(&f, &["eval", "--at", "x=1"]);
    assert!(
        err.starts_with("error: unexpected character U+00A0\n --> space.sd:1:6\n"),
        "{err}"
    );
    assert!(err.contains("type a plain space"), "{err}");

    // A superscript symdiff does not read says how to write the power.
    let f = file("prime", "power.sd", "y = x⁴\n");
    let err = input_error(&f, &["eval", "--at", "x=1"]);
    assert!(err.contains("write powers with `^`: `^4` for `⁴`"), "{err}");
}
