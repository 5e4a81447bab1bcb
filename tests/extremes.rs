//! Numerics at the extremes (issue 18), through the evaluator: accurate sigmoid and tanh tails,
//! stable forms seen through names and aliases, the kink rules' zero factors, and undefined
//! values giving undefined gradients. Every expected value is a constant computed with mpmath
//! at 50 significant digits (`mp.dps = 50`), from the expression quoted next to it; the
//! same cases through `network!` are in `tests/extremes_network.rs`.

mod common;

use common::analyse;
use symdiff::core::{undefined_reason, Analysis};

/// Evaluates a file's default derivative at a point given by name.
fn at(a: &Analysis, pairs: &[(&str, f64)]) -> (f64, Vec<f64>) {
    let mut p = a.default_point();
    for &(name, v) in pairs {
        a.assign(&mut p, name, v).unwrap();
    }
    let e = a.evaluate(&p);
    (e.value, e.gradient)
}

/// The gradient entry of the variable `name`.
fn grad_of(a: &Analysis, gradient: &[f64], name: &str) -> f64 {
    let k = a.wrt().iter().position(|&w| a.model.name_of(w) == name);
    gradient[k.unwrap_or_else(|| panic!("{name} is a variable"))]
}

/// An mpmath constant, as printed (more digits than an f64 holds), rounded to the nearest f64.
fn mp(digits: &str) -> f64 {
    digits.parse().expect("a number")
}

/// How many units in the last place `x` is from `exact` (a normal, nonzero f64).
fn ulps(x: f64, exact: f64) -> f64 {
    let ulp = f64::from_bits(exact.abs().to_bits() + 1) - exact.abs();
    (x - exact).abs() / ulp
}

/// `∂sigmoid(x)/∂x = sigmoid(x)·sigmoid(-x)` (mpmath: `sig(x)*sig(-x)`,
/// `sig = lambda x: 1/(1+exp(-x))`) and `∂tanh(x)/∂x = sech(x)^2`, at the README's points.
fn tails() -> [(f64, f64, f64); 8] {
    [
        // (x, sigmoid'(x), tanh'(x)); tanh'(700) = 3.9e-608 is below the smallest f64: 0.
        (0.0, 0.25, 1.0),
        (
            10.0,
            mp("4.5395807735951671032e-5"),
            mp("8.2446144557673973746e-9"),
        ),
        (
            20.0,
            mp("2.0611536139418493437e-9"),
            mp("1.6993417021166355837e-17"),
        ),
        (
            30.0,
            mp("9.3576229688384233028e-14"),
            mp("3.5026043050786081354e-26"),
        ),
        (
            37.0,
            mp("8.533047625744064338e-17"),
            mp("2.9125160713286575337e-32"),
        ),
        (
            40.0,
            mp("4.2483542552915889592e-18"),
            mp("7.2194055513816606892e-35"),
        ),
        (
            100.0,
            mp("3.720075976020835963e-44"),
            mp("5.5355861069469501226e-87"),
        ),
        (700.0, mp("9.8596765437597708567e-305"), 0.0),
    ]
}

#[test]
fn sigmoid_and_tanh_derivatives_keep_their_tails() {
    let sigmoid = analyse("s.sd", "o = sigmoid(x)", 16);
    let tanh = analyse("t.sd", "o = tanh(x)", 16);
    for (x, d_sigmoid, d_tanh) in tails() {
        for (sign, what) in [(1.0, "x"), (-1.0, "-x")] {
            let d = at(&sigmoid, &[("x", sign * x)]).1[0];
            assert!(ulps(d, d_sigmoid) <= 4.0, "sigmoid'({what}) at {x}: {d}");
            let d = at(&tanh, &[("x", sign * x)]).1[0];
            if d_tanh == 0.0 {
                assert_eq!(d, 0.0, "tanh'({what}) at {x}");
            } else {
                assert!(ulps(d, d_tanh) <= 4.0, "tanh'({what}) at {x}: {d}");
            }
        }
    }
}

#[test]
fn amplified_tails_are_right() {
    // mpmath: diff(lambda s: log(-log(sig(s))), 40) = -0.99999999999999999788
    let a = analyse("a.sd", "o = log(-log(sigmoid(s)))", 16);
    let (value, g) = at(&a, &[("s", 40.0)]);
    // log(-log(sig(40))) = log(4.2483542552915889592e-18) = -40.000000000000000004
    assert_eq!(value, -40.0);
    assert!(ulps(g[0], mp("-0.99999999999999999788")) <= 4.0, "{g:?}");
}

#[test]
fn cross_entropy_is_stable_through_names() {
    // y = sigmoid(s), E = bce(t, y): ∂E/∂t = log(1 - y) - log(y) = -s exactly
    // (mpmath: log(1-sig(40)) - log(sig(40)) = -40.0, at 30: -30.0).
    let a = analyse("n.sd", "y = sigmoid(s)\nE = bce(t, y)", 16);
    for s in [40.0, 30.0] {
        let (_, g) = at(&a, &[("s", s), ("t", 0.3)]);
        assert_eq!(grad_of(&a, &g, "t"), -s, "s = {s}");
    }
    // bce(0.3, sig(40)) = 28.000000000000000004248; ∂/∂s = sig(40) - 0.3 = 0.69999999999999999575
    let (value, g) = at(&a, &[("s", 40.0), ("t", 0.3)]);
    assert_eq!((value, grad_of(&a, &g, "s")), (28.0, 0.7));
    // The same loss spelled out, with `-y + 1` for `1 - y`.
    let spelled = "y = sigmoid(s)\nE = -t*log(y) - (1 - t)*log(-y + 1)";
    let a = analyse("spelled.sd", spelled, 16);
    let (value, g) = at(&a, &[("s", 40.0), ("t", 0.3)]);
    assert_eq!((value, grad_of(&a, &g, "s")), (28.0, 0.7));
    // mpmath: bce(0.3, 1 - sig(-40)) = 28.000000000000000004248,
    // diff(lambda s: bce(0.3, 1-sig(s)), -40) = -0.69999999999999999575
    let a = analyse("c.sd", "E = bce(t, 1 - sigmoid(s))", 16);
    let (value, g) = at(&a, &[("s", -40.0), ("t", 0.3)]);
    assert_eq!((value, grad_of(&a, &g, "s")), (28.0, -0.7));
    // An alias: z = y, o = log(z); log(sig(-1000)) = -1000 - log1p(e^-1000) = -1000.0. (The
    // gradient, 1/z·y·(1 - y) across two adjoints, is still 0·inf there: not yet cancelled.)
    let a = analyse("z.sd", "y = sigmoid(s)\nz = y\no = log(z)", 16);
    assert_eq!(at(&a, &[("s", -1000.0)]).0, -1000.0);
}

#[test]
fn log_of_exp_does_not_overflow() {
    // a = log(exp(x)) = x: o = a·y + x at x = 800, y = 2 is 2400, ∂o/∂y = a = 800, ∂o/∂x = 3.
    let a = analyse("le.sd", "a = log(exp(x))\no = a*y + x", 16);
    let (value, g) = at(&a, &[("x", 800.0), ("y", 2.0)]);
    assert_eq!(value, 2400.0);
    assert_eq!((grad_of(&a, &g, "y"), grad_of(&a, &g, "x")), (800.0, 3.0));
}

#[test]
fn a_kink_factor_that_is_zero_makes_the_product_zero() {
    // o = y^(1 + relu(z)) at y = -2, z = -1: o = -2, ∂o/∂z = o·log(y)·step(z) = 0 (step(-1) = 0
    // by the lecture's rule, although log(-2) has no real value), ∂o/∂y = 1.
    let a = analyse("k.sd", "o = y^(1 + relu(z))", 16);
    let (value, g) = at(&a, &[("y", -2.0), ("z", -1.0)]);
    assert_eq!(value, -2.0);
    assert_eq!((grad_of(&a, &g, "z"), grad_of(&a, &g, "y")), (0.0, 1.0));
}

#[test]
fn where_the_value_is_undefined_the_gradient_is_too() {
    for (source, point, culprit) in [
        ("o = (x^(3/2))^2", &[("x", -2.0)][..], "a fractional power"),
        ("o = x/x*y", &[("x", 0.0), ("y", 2.0)], "0 times infinity"),
        ("o = sqrt(x)^2", &[("x", -1.0)], "square root of a negative"),
        ("o = 0*log(x)", &[("x", 0.0)], "0 times infinity"),
        (
            "o = log(x) - log(x)",
            &[("x", -1.0)],
            "logarithm of a negative",
        ),
    ] {
        let a = analyse("u.sd", source, 16);
        let (value, gradient) = at(&a, point);
        assert!(value.is_nan(), "{source}: {value}");
        assert!(
            gradient.iter().all(|g| g.is_nan()),
            "{source}: {gradient:?}"
        );
        let mut p = a.default_point();
        for &(name, v) in point {
            a.assign(&mut p, name, v).unwrap();
        }
        let reason = undefined_reason(&a, &a.evaluate(&p)).expect("a reason");
        assert!(reason.starts_with("`o` is undefined here: "), "{reason}");
        assert!(reason.contains(culprit), "{source}: {reason}");
    }
    // Defined points keep their gradients: (x^(3/2))^2 = x^3 at x = 2 has ∂o/∂x = 3·2^2.
    let a = analyse("d.sd", "o = (x^(3/2))^2", 16);
    let (value, g) = at(&a, &[("x", 2.0)]);
    assert!(
        ulps(value, 8.0) <= 4.0 && ulps(g[0], 12.0) <= 4.0,
        "{value} {g:?}"
    );
}

#[test]
fn huge_whole_powers_are_accurate() {
    // mpmath: (1 + 2**-30)**2147483647 = 7.3890560851674607474569509503973205284249404217921,
    // 2147483647*(1 + 2**-30)**2147483646 = 15867877094.88484906198806
    let a = analyse("p.sd", "o = x^2147483647", 16);
    let (value, g) = at(&a, &[("x", 1.0 + 2f64.powi(-30))]);
    assert!(
        ulps(value, mp("7.3890560851674607474569509503973205")) <= 1.0,
        "{value}"
    );
    assert!(ulps(g[0], mp("15867877094.88484906")) <= 4.0, "{g:?}");
}

/// Runs the `symdiff` binary on a source written to a temporary file.
fn symdiff_on(source: &str, args: &[&str]) -> std::process::Output {
    let dir = std::env::temp_dir().join(format!("symdiff-extremes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{:x}.sd", source.len() * 31 + args.len()));
    std::fs::write(&file, source).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_symdiff"));
    command.arg(args[0]).arg(&file).args(&args[1..]);
    command
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn grad_says_why_a_value_and_its_gradient_are_undefined() {
    let out = symdiff_on(
        "o = x/x*y\n",
        &["grad", "--at", "x=0,y=2", "--format", "json"],
    );
    assert!(out.status.success());
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(
        json.contains("\"note\": \"`o` is undefined here: "),
        "{json}"
    );
    // Both gradient entries (formulas `0` and `1`) are null, as the value is.
    assert_eq!(json.matches("\"value\": null").count(), 3, "{json}");
    let out = symdiff_on("o = log(x) - log(x)\n", &["grad", "--at", "x=-1"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "logarithm of a negative number\n∂o/∂x is undefined here too: \
             a function has no derivative where it has no value\n∂o/∂x = 0 = ?\n"
        ),
        "{text}"
    );
}

#[test]
fn check_says_when_it_found_no_point_where_the_function_is_defined() {
    let out = symdiff_on("o = log(-1 - x^2)\n", &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no point where the function is defined was found"),
        "{stderr}"
    );
}

#[test]
fn exact_constants_are_folded_before_rounding() {
    // mpmath: 2**2000 * mpf('1e-200')**2 = 1.1481306952742545242328332011776819840223e+202;
    // evaluated as written, 2^2000 is infinite and x^2 is 0.
    let a = analyse("p.sd", "o = 2^2000*x^2", 16);
    let (value, _) = at(&a, &[("x", 1e-200)]);
    assert!(
        ulps(value, mp("1.1481306952742545242328332011776819840223e+202")) <= 4.0,
        "{value}"
    );
    // 1e308*10*x at x = 1e-10 is 1e299, as `x*1e308*10` is (1e308*10 alone overflows).
    for source in ["o = 1e308*10*x", "o = x*1e308*10"] {
        let a = analyse("q.sd", source, 16);
        let (value, _) = at(&a, &[("x", 1e-10)]);
        assert!(ulps(value, 1e299) <= 2.0, "{source}: {value}");
    }
}

#[test]
fn a_difference_with_a_sigmoid_keeps_its_tail() {
    // mpmath: with sig = lambda x: 1/(1+exp(-x)), B(s) = -log(sig(s)) (t = 1):
    // 1/B(45) = 34934271057485095348.53, diff(lambda u: 1/B(u), 45) = 34934271057485095348.03.
    // The derivative's formula is t/D^2 - sigmoid(s)/D^2, whose difference rounded to 0.
    let a = analyse("r.sd", "o = 1/bce(t, sigmoid(s))", 16);
    let (value, g) = at(&a, &[("s", 45.0), ("t", 1.0)]);
    assert!(ulps(value, mp("34934271057485095348.53")) <= 4.0, "{value}");
    let d = grad_of(&a, &g, "s");
    assert!(ulps(d, mp("34934271057485095348.03")) <= 8.0, "{d}");
    // Named, through the cross-entropy's own partials.
    let a = analyse("r2.sd", "y = sigmoid(s)\nE = bce(t, y)\no = 1/E", 16);
    let (_, g) = at(&a, &[("s", 45.0), ("t", 1.0)]);
    let d = grad_of(&a, &g, "s");
    assert!(ulps(d, mp("34934271057485095348.03")) <= 8.0, "{d}");
}

#[test]
fn an_alias_of_a_sigmoid_cancels_in_its_logarithms_derivative() {
    // z = y, o = log(z), y = sigmoid(s): ∂o/∂s = 1 - sig(s) = sig(1000) = 1.0 at s = -1000
    // (mpmath), where y and z round to 0 and ∂o/∂z·y·(1 - y) = (1/z)·y·(1 - y) is 0/0.
    let a = analyse("z.sd", "y = sigmoid(s)\nz = y\no = log(z)", 16);
    let (value, g) = at(&a, &[("s", -1000.0)]);
    assert_eq!((value, g[0]), (-1000.0, 1.0));
    // Away from the tail the cancelled form gives the same.
    let (_, g) = at(&a, &[("s", 0.5)]);
    assert!(
        (g[0] - mp("0.37754066879814543536")).abs() <= 1e-16,
        "{g:?}"
    );
}

#[test]
fn like_terms_that_cancel_are_removed() {
    // (y + 1) - (1 + y) was kept as written; it is 0, and so is its derivative.
    let out = symdiff_on("o = (y + 1) - (1 + y)\n", &["grad", "--at", "y=1"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "at y = 1\no = 0\n∂o/∂y = 0 = 0\n"
    );
}

#[test]
fn a_literal_that_underflows_is_an_error_as_one_that_overflows_is() {
    let out = symdiff_on("o = 1e-400*x\n", &["grad", "--at", "x=1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: number `1e-400` is too small"),
        "{err}"
    );
    assert!(err.contains("underflows a 64-bit float to 0"), "{err}");
}

#[test]
fn check_passes_where_the_tail_is_amplified() {
    // log(-log(sigmoid(s))) at s = 40: the derivative -0.99999999999999999788 (mpmath) was
    // -0.0, and `check` failed there.
    let out = symdiff_on("o = log(-log(sigmoid(s)))\n", &["check", "--at", "s=40"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 of 1 check passed"), "{text}");
}
