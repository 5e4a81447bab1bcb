//! The batch API and the params' vector view that every generated module has (the network!
//! contract): `gradient_batch` is the mean of the per-example gradients, `to_vec` /
//! `from_slice` round-trip in declaration order, and the runtime's `ParamVector` steps them.

use symdiff::runtime::ParamVector;

symdiff::network! {
    network two {
        input x_t, b
        target y_t
        param w1 = 0.5, w2 = -1.5, c = 0.25
        h = sigmoid(x_t * w1 + b * c)
        output y = h * w2
        loss E = 1/2 * (y_t - y)^2
    }
}

const X: [f64; 6] = [0.5, 1.0, -1.25, 0.5, 2.0, -0.75];
const T: [f64; 3] = [0.3, -0.2, 1.1];

#[test]
fn gradient_batch_is_the_mean_of_the_rows_gradients() {
    let p = two::Params::INITIAL;
    let (loss, grad) = two::gradient_batch(&p, &X, &T);
    let mut want = [0.0; 4];
    for r in 0..3 {
        let input = two::Input {
            x_t: X[2 * r],
            b: X[2 * r + 1],
        };
        let (l, g) = two::gradient(&p, &input, &two::Target { y_t: T[r] });
        for (w, v) in want.iter_mut().zip([l, g.w1, g.w2, g.c]) {
            *w += v / 3.0;
        }
    }
    let got = [loss, grad.w1, grad.w2, grad.c];
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= 1e-15 * (1.0 + w.abs()), "{g} vs {w}");
    }
    assert!((two::loss_batch(&p, &X, &T) - loss).abs() < 1e-15);
    let outputs = two::forward_batch(&p, &X);
    assert_eq!(outputs.len(), 3);
    assert_eq!(
        outputs[2],
        two::forward(&p, &two::Input { x_t: 2.0, b: -0.75 })
    );
}

#[test]
fn the_params_vector_is_in_declaration_order() {
    let p = two::Params::INITIAL;
    assert_eq!(p.to_vec(), vec![0.5, -1.5, 0.25]);
    assert_eq!(two::Params::from_slice(&[1.0, 2.0, 3.0]).w2, 2.0);
    assert_eq!(<two::Params as ParamVector>::LEN, 3);
    // One gradient-descent step through the vector view equals sgd_step.
    let (mut a, mut b) = (p, p);
    let (input, target) = (two::Input { x_t: 0.5, b: 1.0 }, two::Target { y_t: 0.3 });
    let (_, g) = two::gradient(&a, &input, &target);
    a.zip_apply(&g, |w, d| w - 0.1 * d);
    two::sgd_step(&mut b, &input, &target, 0.1);
    assert_eq!(a, b);
}

#[test]
#[should_panic(expected = "has 3 values, not 2")]
fn from_slice_names_the_expected_length() {
    two::Params::from_slice(&[1.0, 2.0]);
}

#[test]
#[should_panic(expected = "t holds 2 values; 3 rows of 1 targets are 3")]
fn rows_that_do_not_match_are_refused() {
    two::gradient_batch(&two::Params::INITIAL, &X, &T[..2]);
}
