//! A new user's commands from issue "No silent `?`": values that cannot be computed are errors
//! that say which name has no value and where to give it, `--data` is reported as what it is
//! (a sum over rows, at the params), and a constant prints its value and an empty gradient.
//! Each case ran on the CLI as a user would type it, and printed `?` or `null` with exit 0
//! before.

use serde_json::Value;
mod common;

use common::{stderr, stdout, symdiff, symdiff_ok, write_temp};

/// A file of this test's own in the temporary directory, as a path argument.
fn temp(name: &str, text: &str) -> String {
    write_temp("new-user-values", name, text)
        .to_string_lossy()
        .into_owned()
}

const LINEAR: &str = "examples/lecture/linear_regression.sd";
const LINEAR_CSV: &str = "examples/lecture/linear_regression.csv";

#[test]
fn a_table_without_a_needed_column_is_an_error_naming_it() {
    let csv = temp("miss.csv", "x1,x2\n1,2\n3,4\n");
    let o = symdiff(&["explain", LINEAR, "--data", &csv, "--steps", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.starts_with("error: no value for `t`, which E depends on: "),
        "{err}"
    );
    assert!(err.contains("miss.csv has no column for it"), "{err}");
}

#[test]
fn a_param_without_an_initial_value_is_named_when_a_value_is_needed() {
    let file = temp(
        "nov.sd",
        "network n {\n input x\n target t\n param v\n output o = sigmoid(v*x)\n loss E = bce(t, o)\n}\n",
    );
    let o = symdiff(&["explain", &file, "--at", "x=1000,t=0", "--steps", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("no value for `v`, which E depends on"),
        "{err}"
    );
    assert!(err.contains("a param without an initial value"), "{err}");
    // Given a value, the same command runs.
    let o = symdiff(&[
        "explain",
        &file,
        "--at",
        "x=1000,t=0,v=0.001",
        "--steps",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains('?'), "{}", stdout(&o));
}

#[test]
fn a_partial_at_overrides_the_embedded_default_point_name_by_name() {
    let o = symdiff(&["explain", "--at", "w1=2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("at x_t = 1, y_t = 1, w1 = 2, w2 = 1:"),
        "{out}"
    );
    // sigmoid(2), not `?`.
    assert!(
        out.contains("h  = sigmoid(s1)   = 0.8807970779778823"),
        "{out}"
    );
    assert!(!out.contains('?'), "{out}");
}

#[test]
fn a_constant_prints_its_value_and_an_empty_gradient() {
    for (text, name, value) in [
        ("y = 3\n", "y", 3.0),
        ("f = cos(sin(0.88))\n", "f", 0.88f64.sin().cos()),
    ] {
        let file = temp(&format!("{name}.sd"), text);
        let o = symdiff(&["grad", &file]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert_eq!(
            out,
            format!("{name} = {value}\n{name} depends on no variable: its gradient is empty\n")
        );
        let o = symdiff(&["grad", &file, "--format", "json"]);
        let json: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(json["value"].as_f64(), Some(value));
        assert_eq!(json["gradient"], serde_json::json!({}));
        assert!(json["note"]
            .as_str()
            .unwrap()
            .contains("depends on no variable"));
        // `eval` needs no --at for it.
        let o = symdiff(&["eval", &file]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), format!("{name} = {value}\n"));
    }
}

#[test]
fn grad_over_a_table_says_how_many_rows_it_summed_at_which_params() {
    let o = symdiff(&["grad", LINEAR, "--data", LINEAR_CSV]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("summed over 10 rows of --data, at w0 = 0, w1 = 0, w2 = 0\nE = 65.25\n"),
        "{out}"
    );
    let o = symdiff(&["grad", LINEAR, "--data", LINEAR_CSV, "--format", "json"]);
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["rows"].as_u64(), Some(10));
    assert_eq!(
        json["at"],
        serde_json::json!({"w0": 0.0, "w1": 0.0, "w2": 0.0})
    );
    assert_eq!(json["value"].as_f64(), Some(65.25));
}

#[test]
fn an_extra_column_is_ignored_with_one_warning_naming_it() {
    let csv = temp("extra.csv", "id,x1,x2,t\n1,3,1,-1\n2,4,3,1\n");
    let o = symdiff(&["grad", LINEAR, "--data", &csv]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.matches("warning:").count(),
        1,
        "one warning, not one per row: {err}"
    );
    assert!(
        err.contains("ignoring column `id`, which the model does not use"),
        "{err}"
    );
    assert!(!err.contains("--at"), "{err}");
    assert!(stdout(&o).starts_with("summed over 2 rows of --data"));
}

#[test]
fn a_name_given_by_both_at_and_a_column_is_an_error() {
    let o = symdiff(&["grad", LINEAR, "--data", LINEAR_CSV, "--at", "x1=100"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(
        stderr(&o),
        "error: `x1` is given both by --at and by a column of examples/lecture/linear_regression.csv: give it once\n"
    );
}

#[test]
fn grad_at_a_partial_point_keeps_its_formulas_and_says_which_value_is_missing() {
    const TWO: &str = "examples/lecture/two_weights.sd";
    let o = symdiff(&["grad", TWO, "--at", "x_t=1", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    // The CLI contract's nulls, with the reason beside them.
    assert_eq!(json["gradient"]["w1"]["value"], Value::Null);
    assert_eq!(
        json["note"],
        "no value for `y_t`, which E depends on: give it with --at NAME=VALUE"
    );
    let o = symdiff(&["grad", TWO, "--at", "x_t=1"]);
    let out = stdout(&o);
    assert!(out.contains("no value for `y_t`"), "{out}");
    assert!(!out.contains('?'), "{out}");
    assert!(out.contains("∂E/∂w2 = -(y_t - y)·h\n"), "{out}");
    // A command whose result is a value fails instead.
    for command in ["eval", "explain"] {
        let o = symdiff(&[command, TWO, "--at", "x_t=1"]);
        assert_eq!(o.status.code(), Some(1), "{command}: {}", stdout(&o));
        assert!(stderr(&o).contains("no value for `y_t`"), "{}", stderr(&o));
    }
}

#[test]
fn a_value_outside_a_functions_domain_is_reported_with_its_reason() {
    let file = temp("log.sd", "f = log(x)\n");
    let reason = "`f` is undefined here: log(x) is the logarithm of a negative number";
    let so = "∂f/∂x is undefined here too: a function has no derivative where it has no value";
    let o = symdiff(&["grad", &file, "--at", "x=-1"]);
    assert!(
        stdout(&o).contains(&format!("f = ?\n{reason}\n")),
        "{}",
        stdout(&o)
    );
    let o = symdiff(&["grad", &file, "--at", "x=-1", "--format", "json"]);
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["value"], Value::Null);
    assert_eq!(json["note"], format!("{reason}\n{so}"));
    let o = symdiff(&["explain", &file, "--at", "x=-1"]);
    assert!(
        stdout(&o).ends_with(&format!("\nnote: {reason}\n\nnote: {so}\n")),
        "{}",
        stdout(&o)
    );
    // check says which vertex first had no value, and fails.
    let o = symdiff(&["check", &file, "--at", "x=-1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(&format!("  {reason}\n")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_derivative_without_a_value_where_the_function_has_one_says_why() {
    let file = temp("sqrt.sd", "f = sqrt(x^2)\n");
    let o = symdiff(&["grad", &file, "--at", "x=0"]);
    let out = stdout(&o);
    assert!(out.starts_with("at x = 0\nf = 0\n"), "{out}");
    assert!(
        out.contains("∂f/∂x is undefined here: x/f is 0 times infinity"),
        "{out}"
    );
    let o = symdiff(&["check", &file, "--at", "x=0"]);
    assert!(
        stdout(&o).contains("  note: ∂f/∂x is undefined here: x/f is 0 times infinity"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn eval_of_an_undefined_value_fails_saying_why() {
    let file = temp("eval_log.sd", "f = log(x)\n");
    let o = symdiff(&["eval", &file, "--at", "x=-1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(stdout(&o), "x = -1\nf = ?\n");
    assert_eq!(
        stderr(&o),
        "error: `f` is undefined here: log(x) is the logarithm of a negative number\n"
    );
}

/// `∂(x^k)/∂k = x^k·log(x)` at x = 0, k = 3: x^k is 0 for every k near 3, so the derivative is
/// 0, although log(0) = -inf makes the product 0·(-inf) (it printed `?`).
const POWER: &str = "o = x^k\n";

#[test]
fn the_power_rule_in_the_exponent_is_zero_at_a_zero_base() {
    let file = temp("power.sd", POWER);
    let out = symdiff_ok(&["grad", &file, "--at", "x=0,k=3"]);
    assert_eq!(
        out,
        "at x = 0, k = 3\no = 0\n∂o/∂x = k·x^(k - 1) = 0\n∂o/∂k = o·log(x) = 0\n"
    );
    let o = symdiff(&["grad", &file, "--at", "x=0,k=3", "--format", "json"]);
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["gradient"]["k"]["value"], 0.0);
    assert_eq!(json.get("note"), None, "{json}");
    let out = symdiff_ok(&["explain", &file, "--at", "x=0,k=3"]);
    assert!(
        out.contains("∂o/∂k = o·log(x)\n      = 0·log(0)\n      = 0\n"),
        "{out}"
    );
    assert!(!out.contains("note"), "{out}");
    let out = symdiff_ok(&["check", &file, "--at", "x=0,k=3"]);
    assert!(out.contains("2 of 2 checks passed"), "{out}");
    // Away from 0 the same formula is x^k·log(x).
    let out = symdiff_ok(&["grad", &file, "--at", "x=2,k=3"]);
    assert!(
        out.ends_with("∂o/∂k = o·log(x) = 5.545177444479562\n"),
        "{out}"
    );
}

#[test]
fn a_zero_times_log_the_user_wrote_stays_undefined_at_zero() {
    // Only the power rule's own product is 0 at a zero base: `0·log(x)` written out has no
    // value at x = 0 (log(0) is not a number), nor has `x^3·log(x)`.
    for text in ["o = 0*log(x) + y\n", "o = x^3*log(x) + y\n"] {
        let file = temp("zero_log.sd", text);
        let o = symdiff(&["grad", &file, "--at", "x=0,y=1", "--format", "json"]);
        let json: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(json["value"], Value::Null, "{text}: {json}");
    }
}

#[test]
fn the_derivative_of_an_undefined_value_is_undefined_with_the_reason() {
    // `log(x)` at x = -1 printed `∂o/∂x = -1` under "outside the domain".
    let file = temp("log_at_minus_one.sd", "o = log(x)\n");
    let out = symdiff(&["grad", &file, "--at", "x=-1"]);
    assert_eq!(
        stdout(&out),
        "at x = -1\no = ?\n\
         `o` is undefined here: log(x) is the logarithm of a negative number\n\
         ∂o/∂x is undefined here too: a function has no derivative where it has no value\n\
         ∂o/∂x = 1/x = ?\n"
    );
    let o = symdiff(&["grad", &file, "--at", "x=-1", "--format", "json"]);
    let json: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["gradient"]["x"]["value"], Value::Null);
    assert!(
        json["note"].as_str().unwrap().ends_with(
            "\n∂o/∂x is undefined here too: a function has no derivative where it has no value"
        ),
        "{json}"
    );
    let out = stdout(&symdiff(&["explain", &file, "--at", "x=-1"]));
    assert!(
        out.contains("∂o/∂x = 1/x\n      = 1/(-1)\n      = ?\n"),
        "{out}"
    );
    assert!(out.contains("note: ∂o/∂x is undefined here too"), "{out}");
    let o = symdiff(&["check", &file, "--at", "x=-1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("  ∂o/∂x is undefined here too"),
        "{}",
        stdout(&o)
    );
}

symdiff::network! {
    // ∂E/∂k at x = 0 in generated code, and ∂E/∂x where E has no value.
    network power_at_zero {
        input x
        param k = 3
        output o = x^k
        loss E = o
    }
}

#[test]
fn generated_code_gives_the_power_rule_zero_at_a_zero_base() {
    let params = power_at_zero::Params { k: 3.0 };
    let (loss, grad) = power_at_zero::gradient(
        &params,
        &power_at_zero::Input { x: 0.0 },
        &power_at_zero::Target {},
    );
    assert_eq!((loss, grad.k), (0.0, 0.0));
    let (loss, grad) = power_at_zero::gradient(
        &params,
        &power_at_zero::Input { x: 2.0 },
        &power_at_zero::Target {},
    );
    assert_eq!(loss, 8.0);
    assert!(
        (grad.k - 8.0 * 2f64.ln()).abs() <= 1e-15 * grad.k,
        "{}",
        grad.k
    );
}
