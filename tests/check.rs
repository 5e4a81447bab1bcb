//! `symdiff check`: every lecture example passes at its given and random points (exit 0); a
//! point exactly at a relu kink fails (exit 1), because the symbolic derivative there is the
//! lecture's convention `relu'(0) = 0` while central differences see the average slope 1/2.

mod common;

use common::{stderr, stdout, symdiff, write_temp};

#[test]
fn every_lecture_example_passes() {
    for name in common::lecture_examples() {
        let path = common::root().join(format!("examples/lecture/{name}.sd"));
        let out = symdiff(&["check", path.to_str().unwrap()]);
        let text = stdout(&out);
        assert!(out.status.success(), "{name}: {text}\n{}", stderr(&out));
        assert!(text.contains("1e-6") && text.contains("1e-5") && text.contains("1e-3"));
        // The given point and four random ones.
        assert_eq!(text.matches("\npoint ").count(), 5, "{name}: {text}");
        assert!(!text.contains("FAIL"), "{name}: {text}");
    }
}

#[test]
fn two_weight_network_reports_the_lecture_gradient_in_json() {
    let path = common::root().join("examples/lecture/two_weights.sd");
    let out = symdiff(&[
        "check",
        path.to_str().unwrap(),
        "--at",
        "x_t=1,y_t=1",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    assert_eq!(v["pass"], true);
    assert_eq!(v["tolerance"]["step"], 1e-6);
    assert_eq!(v["tolerance"]["atol"], 1e-5);
    assert_eq!(v["tolerance"]["rtol"], 1e-3);
    let points = v["points"].as_array().unwrap();
    // x_t and y_t are given; w1 and w2 are redrawn at the four random points.
    assert_eq!(points.len(), 5);
    let given = &points[0];
    assert_eq!(given["kind"], "given");
    assert_eq!(given["at"]["w1"], 1.0);
    let w2 = &given["gradient"]["w2"];
    assert!((w2["symbolic"].as_f64().unwrap() + 0.19661193324148185).abs() < 1e-15);
    assert!((w2["numeric"].as_f64().unwrap() + 0.19661193324148185).abs() < 1e-8);
    assert!(w2["rel_error"].as_f64().unwrap() < 1e-6);
    let w1 = &given["gradient"]["w1"];
    assert!((w1["symbolic"].as_f64().unwrap() + 0.05287709278426).abs() < 1e-12);
    for p in &points[1..] {
        assert_eq!(p["kind"], "random");
        assert_eq!(p["at"]["x_t"], 1.0);
        assert_ne!(p["at"]["w1"], 1.0);
    }
}

#[test]
fn a_point_exactly_at_a_relu_kink_fails_with_exit_1() {
    let path = write_temp("check", "kink.sd", "y = relu(w) + abs(w)\n");
    let out = symdiff(&["check", path.to_str().unwrap(), "--at", "w=0"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    // relu'(0) + abs'(0) = 0 + 0 by convention; central differences give 1/2 + 0.
    assert!(text.contains("∂y/∂w"), "{text}");
    assert!(text.contains("FAIL"), "{text}");
    assert!(text.contains("0.5"), "{text}");
    // Every name is given, so there is only the one point.
    assert_eq!(text.matches("\npoint ").count(), 1, "{text}");
    let err = stderr(&out);
    assert!(
        err.contains("1 of 1 gradient checks exceed the tolerance"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    // Away from the kink the same file passes.
    let out = symdiff(&["check", path.to_str().unwrap(), "--at", "w=0.3"]);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn a_point_where_the_value_is_undefined_fails() {
    let path = write_temp("check", "log.sd", "y = log(x)\n");
    let out = symdiff(&["check", path.to_str().unwrap(), "--at", "x=-1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("not finite"), "{}", stdout(&out));
    // Random points are redrawn until log is defined, so without --at the check passes.
    let out = symdiff(&["check", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(stdout(&out).matches("\npoint ").count(), 5);
}

#[test]
fn a_param_the_loss_does_not_use_has_gradient_zero_and_passes() {
    let path = write_temp("check", 
        "unused.sd",
        "network n {\n input x\n target t\n param w = 1, u = 2\n output y = w*x\n loss E = (t - y)^2\n}\n",
    );
    let out = symdiff(&[
        "check",
        path.to_str().unwrap(),
        "--wrt",
        "u",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for p in v["points"].as_array().unwrap() {
        assert_eq!(p["gradient"]["u"]["symbolic"], 0.0);
        assert_eq!(p["gradient"]["u"]["numeric"], 0.0);
    }
}

#[test]
fn unknown_names_and_computed_variables_are_input_errors() {
    let path = common::root().join("examples/lecture/two_weights.sd");
    let file = path.to_str().unwrap();
    for args in [
        &["check", file, "--wrt", "w9"][..],
        &["check", file, "--of", "Q"][..],
        &["check", file, "--at", "zz=1"][..],
        &["check", file, "--wrt", "h"][..],
    ] {
        let out = symdiff(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("error:"), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
    }
    let out = symdiff(&["check", file, "--random", "x"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a malformed flag value is a usage error"
    );
}
