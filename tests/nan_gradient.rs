//! Where the loss is NaN, every param's gradient is NaN (issue 18), also in the generated code
//! that leaves out its own `if E.is_nan()` test because the formulas carry the NaN
//! (`core/src/codegen/nan_check.rs`). The networks' inputs, targets and params are drawn from
//! ordinary numbers, zeros, huge numbers, infinities and NaN; at every point whose loss is
//! NaN, the gradient must be all NaN.

use std::process::Command;
use symdiff::runtime::ParamVector;

symdiff::network!(file = "nets/five_weights.sd");
symdiff::network!(file = "nets/tanh_2_2_1.sd");
symdiff::network!(file = "nets/random_a.sd");
symdiff::network!(file = "nets/random_c.sd");
symdiff::network!(file = "../benches/mlp_2_8_8_1.sd");

/// The generated source of a network file, through `symdiff codegen`.
fn codegen(file: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(["codegen", file])
        .output()
        .expect("symdiff runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_test_is_left_out_only_where_the_formulas_carry_the_nan() {
    for file in [
        "tests/nets/five_weights.sd",
        "tests/nets/tanh_2_2_1.sd",
        "tests/nets/random_a.sd",
        "tests/nets/random_c.sd",
        "benches/mlp_2_8_8_1.sd",
    ] {
        assert!(
            !codegen(file).contains(".is_nan() {\n            return"),
            "{file}: squared errors through sums, products and tanh/sigmoid carry the NaN"
        );
    }
    // relu (a `max` that drops a NaN, and a `step` gate in the adjoints), and a loss whose
    // gradient does not go through the loss's own NaN (bce): the test stays.
    for file in [
        "tests/nets/relu_regression.sd",
        "tests/nets/sigmoid_classification.sd",
        "tests/nets/xor_2_2_1.sd",
    ] {
        assert!(
            codegen(file).contains("if E.is_nan() {"),
            "{file}: keeps the test"
        );
    }
}

/// Values that make NaN and infinities appear inside the networks (0·inf, inf - inf, ...).
const SPECIAL: [f64; 9] = [
    0.0,
    1.5,
    -0.75,
    1e308,
    -1e308,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    -3.0,
];

/// A small deterministic stream of indices into [`SPECIAL`], mostly ordinary numbers.
struct Draw(u64);

impl Draw {
    fn value(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (self.0 >> 33) as usize;
        if r.is_multiple_of(4) {
            SPECIAL[(r / 4) % SPECIAL.len()]
        } else {
            ((r % 2001) as f64 - 1000.0) / 250.0
        }
    }

    fn values(&mut self, n: usize) -> Vec<f64> {
        (0..n).map(|_| self.value()).collect()
    }
}

/// At 3,000 drawn points of one network: where the loss is NaN, every gradient element is
/// NaN. Returns how many points had a NaN loss (so that the test shows it met some).
fn nan_loss_gives_nan_gradient<P: ParamVector<Float = f64>>(
    name: &str,
    inputs: usize,
    gradient: impl Fn(&P, &[f64], &[f64]) -> (f64, P),
) -> usize {
    let mut draw = Draw(7);
    let mut nan_points = 0;
    for point in 0..3000 {
        let params = P::from_flat(&draw.values(P::LEN));
        let (x, t) = (draw.values(inputs), draw.values(1));
        let (loss, grad) = gradient(&params, &x, &t);
        if loss.is_nan() {
            nan_points += 1;
            let flat = grad.flat_vec();
            assert!(
                flat.iter().all(|g| g.is_nan()),
                "{name}, point {point}: loss NaN at x = {x:?}, t = {t:?}, but gradient {flat:?}"
            );
        }
    }
    nan_points
}

trait FromFlat {
    fn from_flat(values: &[f64]) -> Self;
}

impl<P: ParamVector<Float = f64>> FromFlat for P {
    fn from_flat(values: &[f64]) -> P {
        let mut params = P::zeros();
        params.set_from_slice(values);
        params
    }
}

#[test]
fn where_the_loss_is_nan_every_gradient_is_nan() {
    let counts = [
        nan_loss_gives_nan_gradient("five_weights", 1, five_weights::gradient_batch),
        nan_loss_gives_nan_gradient("tanh_2_2_1", 2, tanh_2_2_1::gradient_batch),
        nan_loss_gives_nan_gradient("random_a", 2, random_a::gradient_batch),
        nan_loss_gives_nan_gradient("random_c", 1, random_c::gradient_batch),
        nan_loss_gives_nan_gradient("mlp_2_8_8_1", 2, mlp::gradient_batch),
    ];
    for (name, count) in ["five_weights", "tanh_2_2_1", "random_a", "random_c", "mlp"]
        .iter()
        .zip(counts)
    {
        assert!(count > 100, "{name}: only {count} points with a NaN loss");
    }
}
