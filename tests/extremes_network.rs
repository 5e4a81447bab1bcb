//! Numerics at the extremes (issue 18) through `network!`: the generated code keeps the sigmoid
//! and tanh tails, sees cross-entropy through names and spellings, applies the kink rules'
//! zero factors and computes huge whole powers accurately. The expected values are the mpmath
//! constants of `tests/extremes.rs`, with the expressions they came from.

symdiff::network! {
    network sigmoid_tail {
        input x
        target t
        param w = 1
        output y = sigmoid(w * x)
        loss E = y
    }

    network tanh_tail {
        input x
        target t
        param w = 1
        output y = tanh(w * x)
        loss E = y
    }

    // `t` is a param here, so that `∂E/∂t = log(1 - y) - log(y)` is generated.
    network names {
        input s
        target q
        param w = 1, t = 0
        z = w * s
        y = sigmoid(z)
        output o = y
        loss E = bce(t, y)
    }

    network spelled {
        input s
        target t
        param w = 1
        y = sigmoid(w * s)
        output o = y
        loss E = -t*log(y) - (1 - t)*log(-y + 1)
    }

    network complement {
        input s
        target t
        param w = 1
        output o = 1 - sigmoid(w * s)
        loss E = bce(t, o)
    }

    network kink {
        input y
        target q
        param z = 0
        output o = y^(1 + relu(z))
        loss E = o
    }

    network power_of_constant {
        input x
        target q
        param w = 1
        output o = 2^2000*(w*x)^2
        loss E = o
    }

    network big_constants {
        input x
        target q
        param w = 1
        output o = 1e308*10*(w*x)
        loss E = o
    }

    network reciprocal_bce {
        input s
        target t
        param w = 1
        output y = sigmoid(w*s)
        loss E = 1/bce(t, y)
    }

    network alias {
        input s
        target q
        param w = 1
        y = sigmoid(w*s)
        z = y
        output o = z
        loss E = log(z)
    }

    network undefined {
        input x
        target q
        param w = 1
        output o = relu(log(w*x))
        loss E = o
    }

    network huge_power {
        input x
        target q
        param w = 1
        output o = w^2147483647
        loss E = o
    }
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

#[test]
fn generated_sigmoid_and_tanh_gradients_keep_their_tails() {
    // (x, sigmoid'(x), tanh'(x)) from mpmath, `sig(x)*sig(-x)` and `sech(x)**2`; with w = 1,
    // ∂E/∂w = f'(x)·x.
    for (x, d_sigmoid, d_tanh) in [
        (
            10.0,
            mp("4.5395807735951671032e-5"),
            mp("8.2446144557673973746e-9"),
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
            100.0,
            mp("3.720075976020835963e-44"),
            mp("5.5355861069469501226e-87"),
        ),
        (700.0, mp("9.8596765437597708567e-305"), 0.0),
    ] {
        let input = sigmoid_tail::Input { x };
        let (_, g) = sigmoid_tail::gradient(
            &sigmoid_tail::Params { w: 1.0 },
            &input,
            &sigmoid_tail::Target { t: 0.0 },
        );
        assert!(
            ulps(g.w / x, d_sigmoid) <= 4.0,
            "sigmoid'({x}): {}",
            g.w / x
        );
        let (_, g) = tanh_tail::gradient(
            &tanh_tail::Params { w: 1.0 },
            &tanh_tail::Input { x },
            &tanh_tail::Target { t: 0.0 },
        );
        if d_tanh == 0.0 {
            assert_eq!(g.w, 0.0);
        } else {
            assert!(ulps(g.w / x, d_tanh) <= 4.0, "tanh'({x}): {}", g.w / x);
        }
    }
}

#[test]
fn generated_cross_entropy_is_stable_through_names_and_spellings() {
    // ∂E/∂t = log(1 - y) - log(y) = -s: mpmath gives -40.0 and -30.0 at s = 40 and 30.
    for s in [40.0, 30.0] {
        let (_, g) = names::gradient(
            &names::Params { w: 1.0, t: 0.3 },
            &names::Input { s },
            &names::Target { q: 0.0 },
        );
        assert_eq!(g.t, -s);
    }
    // bce(0.3, sig(40)) = 28.000000000000000004248; ∂E/∂w = (sig(40) - 0.3)·40 = 28.
    let (value, g) = spelled::gradient(
        &spelled::Params { w: 1.0 },
        &spelled::Input { s: 40.0 },
        &spelled::Target { t: 0.3 },
    );
    assert_eq!((value, g.w), (28.0, 28.0));
    // bce(0.3, 1 - sig(-40)) = 28.000000000000000004248; ∂E/∂s = -0.69999999999999999575, so
    // ∂E/∂w = -0.7·(-40) = 28.
    let (value, g) = complement::gradient(
        &complement::Params { w: 1.0 },
        &complement::Input { s: -40.0 },
        &complement::Target { t: 0.3 },
    );
    assert_eq!((value, g.w), (28.0, 28.0));
}

#[test]
fn generated_kink_factors_that_are_zero_make_the_product_zero() {
    // o = y^(1 + relu(z)) at y = -2, z = -1: ∂o/∂z = o·log(y)·step(z) = 0.
    let (value, g) = kink::gradient(
        &kink::Params { z: -1.0 },
        &kink::Input { y: -2.0 },
        &kink::Target { q: 0.0 },
    );
    assert_eq!((value, g.z), (-2.0, 0.0));
}

#[test]
fn generated_huge_whole_powers_are_accurate() {
    // mpmath: (1 + 2**-30)**2147483647 = 7.38905608516746074745695,
    // 2147483647*(1 + 2**-30)**2147483646 = 15867877094.88484906198806
    let (value, g) = huge_power::gradient(
        &huge_power::Params {
            w: 1.0 + 2f64.powi(-30),
        },
        &huge_power::Input { x: 0.0 },
        &huge_power::Target { q: 0.0 },
    );
    assert!(
        ulps(value, mp("7.3890560851674607474569509503973205")) <= 1.0,
        "{value}"
    );
    assert!(ulps(g.w, mp("15867877094.88484906")) <= 4.0, "{}", g.w);
}

#[test]
fn generated_code_folds_exact_constants_before_rounding() {
    // mpmath: 2**2000 * mpf('1e-200')**2 = 1.1481306952742545242328332011776819840223e+202.
    let (value, _) = power_of_constant::gradient(
        &power_of_constant::Params { w: 1.0 },
        &power_of_constant::Input { x: 1e-200 },
        &power_of_constant::Target { q: 0.0 },
    );
    assert!(
        ulps(value, mp("1.1481306952742545242328332011776819840223e+202")) <= 4.0,
        "{value}"
    );
    let (value, _) = big_constants::gradient(
        &big_constants::Params { w: 1.0 },
        &big_constants::Input { x: 1e-10 },
        &big_constants::Target { q: 0.0 },
    );
    assert!(ulps(value, 1e299) <= 2.0, "{value}");
}

#[test]
fn generated_differences_with_a_sigmoid_and_aliases_keep_their_tails() {
    // 1/bce(1, sig(45)): ∂E/∂w = 45·34934271057485095348.03 (mpmath, see tests/extremes.rs).
    let (value, g) = reciprocal_bce::gradient(
        &reciprocal_bce::Params { w: 1.0 },
        &reciprocal_bce::Input { s: 45.0 },
        &reciprocal_bce::Target { t: 1.0 },
    );
    assert!(ulps(value, mp("34934271057485095348.53")) <= 4.0, "{value}");
    assert!(
        ulps(g.w, 45.0 * mp("34934271057485095348.03")) <= 8.0,
        "{}",
        g.w
    );
    // z = y, E = log(z): ∂E/∂w = s·sig(-s) = -1000·sig(1000) = -1000 at s = -1000.
    let (value, g) = alias::gradient(
        &alias::Params { w: 1.0 },
        &alias::Input { s: -1000.0 },
        &alias::Target { q: 0.0 },
    );
    assert_eq!((value, g.w), (-1000.0, -1000.0));
}

#[test]
fn generated_code_has_no_gradient_where_the_loss_has_no_value() {
    // relu(log(w·x)) at x = -1: log(-1) is undefined, so is relu of it (`x.max(0.0)` gave 0),
    // and so is the gradient (the adjoints' formula step(..)/w gave 0), as in the evaluator.
    let (params, input, target) = (
        undefined::Params { w: 1.0 },
        undefined::Input { x: -1.0 },
        undefined::Target { q: 0.0 },
    );
    assert!(undefined::forward(&params, &input).is_nan());
    let (value, g) = undefined::gradient(&params, &input, &target);
    assert!(value.is_nan() && g.w.is_nan(), "{value} {}", g.w);
    // Where it is defined, the usual numbers: relu(log(2)) = log(2), ∂/∂w = 1/w.
    let (value, g) = undefined::gradient(&params, &undefined::Input { x: 2.0 }, &target);
    assert_eq!((value, g.w), (2f64.ln(), 1.0));
}
