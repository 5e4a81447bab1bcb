//! The simplifier's rules, one row each, in the style of egg's `tests/math.rs`: the text of an
//! expression and the text the simplifier prints for it.
//!
//! Every identity and exact value of `core/src/simplify/identities.rs` and every rule of
//! `collect.rs`, `fold.rs` and `cancel.rs` has a row that fails when that rule alone is disabled
//! (checked by turning each rule off in turn). Rows whose output is their input are rules that
//! must NOT fire: `exp(log(x)) = x` would define `x <= 0`, `(x^2)^(1/2) = x` is wrong for
//! `x < 0`, and the bounds of `cancel` keep large expansions from being tried.
//!
//! The input is parsed by the grammar, which keeps what was written (nothing is simplified while
//! lowering), so each row tests the simplifier alone.

use symdiff::core::{simplify, Text};

/// Simplifies `input` (the right-hand side of a definition) and compares the printed result with
/// `expected`.
#[track_caller]
fn check(input: &str, expected: &str) {
    let text = format!("f = {input}\n");
    let parsed = symdiff::grammar::parse("row", &text)
        .unwrap_or_else(|d| panic!("{}", d.render("row", &text)));
    let mut model = parsed.models.into_iter().next().expect("one model");
    let (_, rhs) = model
        .definitions()
        .into_iter()
        .next()
        .expect("f is defined");
    let simplified = simplify(&mut model.dag, rhs);
    let actual = Text::new(&model.dag, simplified).to_string();
    assert_eq!(actual, expected, "simplify({input})");
}

/// `identities::exact_value`: functions at rational (or constant) points.
#[test]
fn exact_values() {
    check("log(e)", "1"); //                    log(e) = 1
    check("exp(0)", "1"); //                    exp(0) = 1
    check("cos(0)", "1"); //                    cos(0) = 1
    check("sin(0)", "0"); //                    sin(0) = 0
    check("tan(0)", "0"); //                    tan(0) = 0
    check("tanh(0)", "0"); //                   tanh(0) = 0
    check("log(1)", "0"); //                    log(1) = 0
    check("sigmoid(0)", "1/2"); //              sigmoid(0) = 1/2
    check("relu(-3)", "0"); //                  relu(r) = max(r, 0)
    check("relu(2/3)", "2/3");
    check("abs(-3/4)", "3/4"); //               abs(r) = |r|
    check("abs(5)", "5");
    check("step(2)", "1"); //                   step(r) = 1 for r > 0, else 0
    check("step(0)", "0");
    check("step(-1)", "0");
    check("sign(-7)", "-1"); //                 sign(r)
    check("sign(0)", "0");
    check("sign(1/2)", "1");
    check("sqrt(9/4)", "3/2"); //               sqrt of a perfect square
    check("sqrt(2)", "sqrt(2)"); //             must not fire: irrational
    check("sqrt(-4)", "sqrt(-4)"); //           must not fire: undefined
    check("exp(1)", "exp(1)"); //               must not fire: irrational
    check("sin(1)", "sin(1)");
    check("log(2)", "log(2)");
    check("softplus(0)", "softplus(0)"); //     log(2): irrational
    check("log(0)", "log(0)"); //               must not fire: undefined
    check("log(pi)", "log(π)");
    check("cos(pi)", "cos(π)"); //              only log(e) is exact at a constant
}

/// `identities::identity`: rewrites of a function applied to a particular form.
#[test]
fn identities() {
    check("log(exp(x))", "x"); //               log(exp(u)) = u
    check("log(e^x)", "x"); //                  log(e^u) = u
    check("log(sigmoid(x))", "-softplus(-x)"); // log(sigmoid(u)) = -softplus(-u)
    check("log(1 - sigmoid(x))", "-softplus(x)"); // log(1 - sigmoid(u)) = -softplus(u)
    check("log(-sigmoid(x) + 1)", "-softplus(x)"); // ... with the terms in the other order
    check("sqrt(x^2)", "abs(x)"); //            sqrt(u^2) = |u|
    check("sqrt(sigmoid(x)^2)", "sigmoid(x)"); // ... and |u| simplified
    check("abs(abs(x))", "abs(x)"); //          f(f(u)) = f(u) for abs
    check("relu(relu(x))", "relu(x)"); //       ... relu
    check("step(step(x))", "step(x)"); //       ... step
    check("sign(sign(x))", "sign(x)"); //       ... sign
    check("abs(exp(x))", "exp(x)"); //          |u| = u for u never negative: exp
    check("abs(sigmoid(x))", "sigmoid(x)"); //  ... sigmoid
    check("abs(relu(x))", "relu(x)"); //        ... relu
    check("abs(softplus(x))", "softplus(x)"); // ... softplus
    check("exp(log(x))", "exp(log(x))"); //     must not fire: would define x <= 0
    check("abs(sin(x))", "abs(sin(x))"); //     must not fire: sin can be negative
    check("abs(tanh(x))", "abs(tanh(x))");
    check("log(x^2)", "log(x^2)"); //           must not fire: 2·log(x) is undefined for x < 0
    check("sqrt(x)^2", "sqrt(x)^2"); //         must not fire: would define x < 0
}

/// `fold::power`: exact powers and the power laws that hold on the whole domain.
#[test]
fn powers() {
    check("1^x", "1"); //                       1^y = 1
    check("x^0", "1"); //                       x^0 = 1
    check("0^0", "1");
    check("x^1", "x"); //                       x^1 = x
    check("2^3", "8"); //                       p^n exact for rationals
    check("(2/3)^-2", "9/4");
    check("0^-1", "1/0"); //                    must not fire: 0^-n is undefined
    check("(x^2)^3", "x^6"); //                 (x^a)^n = x^(a·n), whole n
    check("(x^(1/2))^4", "x^2");
    check("(x^2)^(1/2)", "(x^2)^(1/2)"); //     must not fire: x for x < 0 is wrong
    check("(x^y)^2", "(x^y)^2"); //             must not fire: a is not a number
    check("(x*y)^2", "x^2·y^2"); //             (x·y)^n = x^n·y^n, whole n
    check("(x*y)^(1/2)", "(x·y)^(1/2)"); //     must not fire: x^(1/2) undefined for x < 0
}

/// `collect::sum`: flatten, fold the numbers, collect like terms.
#[test]
fn sums() {
    check("x + 0", "x"); //                     0 terms dropped
    check("(x + 1) + 2", "x + 3"); //           nested sums flattened, then numbers folded
    check("(x + y) - y", "x");
    check("1 + 2 + x", "3 + x"); //             numbers folded
    check("2*x + 3*x", "5·x"); //               c·x + d·x = (c+d)·x
    check("x + x", "2·x");
    check("x*y + y*x", "2·x·y"); //             like terms by sorted factors
    check("x - x", "0"); //                     a zero coefficient drops the term
    check("2*x*y - 2*x*y", "0");
    check("x + 1 - 1", "x");

    // Sums that overflow are kept apart, unrounded.
    check("1/4000000007 + 1/4000000009", "1/4000000007 + 1/4000000009");
    // Folded in any order that fits: `-a - b` overflows, `-a - b + b` does not.
    check(
        "-888888888888888888 - 8888888888888888888 + 8888888888888888888 + x",
        "-888888888888888888 + x",
    );
    check(
        "x/4000000007 + x/4000000009",
        "1/4000000007·x + 1/4000000009·x",
    );
}

/// `collect::product`: flatten, fold the numbers, combine powers of one base, drop 1·.
#[test]
fn products() {
    check("x*1", "x"); //                       1· dropped
    check("0*x", "0"); //                       0·x = 0
    check("2*x*3", "6·x"); //                   numbers folded
    check("(x*y)*x", "x^2·y"); //               nested products flattened
    check("2*(3*x)", "6·x");
    check("x*x", "x^2"); //                     x·x = x^2
    check("x*x^2", "x^3"); //                   x·x^2 = x^3
    check("x/x", "1"); //                       exponents summing to 0 drop the base
    check("x^2/x", "x"); //                     an exponent of 1 is the base itself
    check("x^2*y/x", "x·y");
    check("x^(1/2)*x^(3/2)", "x^2");
    check("2^(1/2)*2^(1/2)", "2"); //           a power folded to a number: collected again
    check("x*2^(1/2)*2^(1/2)", "2·x");
    check("3*z*(x*y)^(1/2)*(x*y)^(3/2)", "3·z·x^2·y^2"); // ... or to a product
    check("(-1)^(1/2)*(-1)^(3/2)*x", "x"); //   ... or to the number 1

    // Products and exponents that overflow are kept apart, unrounded.
    check("3037000500*3037000500*x", "3037000500·3037000500·x");
    check(
        "x^(1/4000000007)*x^(1/4000000009)",
        "x^(1/4000000007)·x^(1/4000000009)",
    );
}

/// `cancel::cancel`: a product holding a sum of fractions, expanded only when that is smaller.
#[test]
fn cancellation() {
    check("(1/x + 1/y)*x*y", "y + x"); //       fractions distributed and cancelled
    check("(1/x - 1/y)*x*y", "y - x");
    check("(t/y - 1/y)*y", "t - 1");
    check("(-t/y + (1 - t)/(1 - y))*y*(1 - y)*h", "(y - t)·h"); // like terms vanish
    check("(a/x + b/x)*x*h", "(a + b)·h"); //   common factors pulled out again
    check("(-t/y + 1)*y", "y - t"); //          positive terms first
    check("(1/x + 1/y)*x*y*(a + b)", "(y + x)·(a + b)"); // expanded, cancelled, re-factored
    check("(1/x + y)*(a + b)", "(1/x + y)·(a + b)"); // must not fire: the expansion is larger
    check("-(t - y)*h*(1 - h)", "-(t - y)·h·(1 - h)"); // must not fire: no fraction
    check("(a*b + a*c)*d", "(a·b + a·c)·d"); // must not fire: no fraction, though smaller
    check("((a+b)^2/x - (a^2 + 2*a*b + b^2)/x)*x", "0"); // small whole powers of sums expanded

    // Sums that cancel to 0 once expanded; past the bounds of `cancel` they are not expanded.
    check("((a+1)/x - (1+a)/x)*x*(c+d)", "0");
    check(
        "((a+1)/x - (1+a)/x)*x*(c+d+e)^4",
        "((a + 1)/x - (1 + a)/x)·x·(c + d + e)^4",
    ); // > 64 terms
    check(
        "((a+1)/x - (1+a)/x)*x*((((((((q+1)*q+1)*q+1)*q+1)*q+1)*q+1)*q+1)*q+1)",
        "0",
    );
    check(
        "((a+1)/x - (1+a)/x)*x*(((((((((q+1)*q+1)*q+1)*q+1)*q+1)*q+1)*q+1)*q+1)*q+1)",
        "((a + 1)/x - (1 + a)/x)·x·(((((((((q + 1)·q + 1)·q + 1)·q + 1)·q + 1)·q + 1)·q + 1)·q + 1)·q + 1)",
    ); // too deep
}

/// The canonical order: terms and factors keep the order of their first occurrence.
#[test]
fn order() {
    check("y + x", "y + x"); //                 never sorted
    check("y + x + y", "2·y + x"); //           a like term joins the first occurrence
    check("y*x*y", "y^2·x");
    check("x/y*y", "x");
    check("2*x/2", "x");
}
