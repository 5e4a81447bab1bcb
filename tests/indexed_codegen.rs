//! Generated code for indexed networks (`network!` on every indexed lecture example and on 12
//! random networks from scripts/random_indexed_nets.py): its
//! gradients equal the loop evaluator of "Indexed layers I" (an independent implementation:
//! one index tuple at a time, no matrix products) to 1e-12 in f64, per example and as the
//! mean over a batch; its `forward_batch` gives the evaluator's outputs; `Params::init` gives
//! the CLI's initial values; and the params' vector view round-trips.

mod common;

use common::Rng;
use symdiff::core::indexed::{initial_values, ArrayValues, IndexedAnalysis, DEFAULT_SEED};
use symdiff::core::Role;
use symdiff::runtime::ParamVector;

symdiff::network!(file = "../examples/lecture/indexed/three_three_four.sd");
symdiff::network!(file = "../examples/lecture/indexed/xor_indexed.sd");
symdiff::network!(file = "../examples/lecture/indexed/softmax_classifier.sd");
symdiff::network!(file = "../examples/lecture/indexed/vanishing_two_layer.sd");
symdiff::network!(file = "../examples/lecture/indexed/vanishing_three_layer.sd");
symdiff::network!(file = "../examples/lecture/indexed/mnist_mlp.sd");

fn analysis(file: &str) -> IndexedAnalysis {
    let path = common::root().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let parsed = symdiff::grammar::parse(file, &text).unwrap();
    IndexedAnalysis::new(parsed.indexed.into_iter().next().unwrap())
}

/// The arrays of `role`, in declaration order, filled from `flat`.
fn arrays(a: &IndexedAnalysis, role: Role, flat: &[f64], into: &mut ArrayValues) {
    let mut rest = flat;
    for array in a.model.arrays_with_role(role) {
        let size: usize = array.shape.iter().product();
        let (head, tail) = rest.split_at(size);
        into.set(array.symbol, head.to_vec());
        rest = tail;
    }
    assert!(rest.is_empty());
}

fn width(a: &IndexedAnalysis, role: Role) -> usize {
    a.model
        .arrays_with_role(role)
        .map(|x| x.shape.iter().product::<usize>())
        .sum()
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() <= 1e-12 * (1.0 + want.abs()),
        "{what}: generated {got}, evaluator {want}"
    );
}

/// Per row: the evaluator's loss, gradient (flat, declaration order) and output values.
fn reference(
    a: &IndexedAnalysis,
    params: &[f64],
    x: &[f64],
    t: &[f64],
) -> (f64, Vec<f64>, Vec<f64>) {
    let mut values = ArrayValues::new();
    arrays(a, Role::Param, params, &mut values);
    arrays(a, Role::Input, x, &mut values);
    arrays(a, Role::Target, t, &mut values);
    let e = a.evaluate_looped(&values);
    let gradient: Vec<f64> = a
        .params()
        .iter()
        .flat_map(|&p| e.gradient.get(p).unwrap().to_vec())
        .collect();
    let output = a.model.output().unwrap();
    (e.loss, gradient, e.values.get(output).unwrap().to_vec())
}

macro_rules! agrees {
    ($test:ident, $module:ident, $dir:expr, $file:literal, $rows:expr) => {
        #[test]
        fn $test() {
            let a = analysis(&[$dir, $file].concat());
            let params = $module::Params::init(DEFAULT_SEED);
            let flat = params.to_vec();
            // Params::init gives the CLI's values.
            let mut start = 0;
            for array in a.model.arrays_with_role(Role::Param) {
                let want =
                    initial_values(array, a.model.dag.name(array.symbol), DEFAULT_SEED).unwrap();
                assert_eq!(&flat[start..start + want.len()], &want[..]);
                start += want.len();
            }
            assert_eq!($module::Params::from_slice(&flat), params);
            let (xi, ti) = (width(&a, Role::Input), width(&a, Role::Target));
            let mut rng = Rng::new(7);
            let rows: usize = $rows;
            let x: Vec<f64> = (0..rows * xi).map(|_| rng.uniform(-1.0, 1.0)).collect();
            let t: Vec<f64> = (0..rows * ti).map(|_| rng.uniform(0.0, 1.0)).collect();
            let (loss, grad) = $module::gradient_batch(&params, &x, &t);
            let grad = grad.to_vec();
            let outputs = $module::forward_batch(&params, &x);
            let (mut mean_loss, mut mean_grad) = (0.0, vec![0.0; flat.len()]);
            let per_row = outputs.len() / rows;
            for r in 0..rows {
                let (xr, tr) = (&x[r * xi..(r + 1) * xi], &t[r * ti..(r + 1) * ti]);
                let (l, g, o) = reference(&a, &flat, xr, tr);
                mean_loss += l / rows as f64;
                for (m, v) in mean_grad.iter_mut().zip(&g) {
                    *m += v / rows as f64;
                }
                for (k, &want) in o.iter().enumerate() {
                    close(outputs[r * per_row + k], want, "forward_batch");
                }
                if r == 0 {
                    let (l1, g1) = $module::gradient_batch(&params, xr, tr);
                    close(l1, l, "loss of one row");
                    for (k, (&got, &want)) in g1.to_vec().iter().zip(&g).enumerate() {
                        close(got, want, &format!("one row, gradient element {k}"));
                    }
                }
            }
            close(loss, mean_loss, "mean loss");
            for (k, (&got, &want)) in grad.iter().zip(&mean_grad).enumerate() {
                close(got, want, &format!("mean gradient element {k}"));
            }
            close(
                $module::loss_batch(&params, &x, &t),
                mean_loss,
                "loss_batch",
            );
        }
    };
}

const LECTURE: &str = "examples/lecture/indexed/";
const RANDOM: &str = "tests/nets/indexed/random/";

agrees!(
    three_three_four_agrees,
    three_three_four,
    LECTURE,
    "three_three_four.sd",
    5
);
agrees!(xor_agrees, xor_indexed, LECTURE, "xor_indexed.sd", 4);
agrees!(
    softmax_agrees,
    softmax_classifier,
    LECTURE,
    "softmax_classifier.sd",
    6
);
agrees!(
    vanishing_two_agrees,
    vanishing_two_layer,
    LECTURE,
    "vanishing_two_layer.sd",
    3
);
agrees!(
    vanishing_three_agrees,
    vanishing_three_layer,
    LECTURE,
    "vanishing_three_layer.sd",
    3
);
agrees!(mnist_agrees, mnist_mlp, LECTURE, "mnist_mlp.sd", 2);

// Random networks (scripts/random_indexed_nets.py): shared and transposed weights, products
// of layers, fixed references, every activation, the three kinds of loss.
symdiff::network!(file = "nets/indexed/random/net_1.sd");
symdiff::network!(file = "nets/indexed/random/net_2.sd");
symdiff::network!(file = "nets/indexed/random/net_3.sd");
symdiff::network!(file = "nets/indexed/random/net_4.sd");
symdiff::network!(file = "nets/indexed/random/net_5.sd");
symdiff::network!(file = "nets/indexed/random/net_6.sd");
symdiff::network!(file = "nets/indexed/random/net_7.sd");
symdiff::network!(file = "nets/indexed/random/net_8.sd");
symdiff::network!(file = "nets/indexed/random/net_9.sd");
symdiff::network!(file = "nets/indexed/random/net_10.sd");
symdiff::network!(file = "nets/indexed/random/net_11.sd");
symdiff::network!(file = "nets/indexed/random/net_12.sd");
agrees!(random_1_agrees, net_1, RANDOM, "net_1.sd", 3);
agrees!(random_2_agrees, net_2, RANDOM, "net_2.sd", 3);
agrees!(random_3_agrees, net_3, RANDOM, "net_3.sd", 3);
agrees!(random_4_agrees, net_4, RANDOM, "net_4.sd", 3);
agrees!(random_5_agrees, net_5, RANDOM, "net_5.sd", 3);
agrees!(random_6_agrees, net_6, RANDOM, "net_6.sd", 3);
agrees!(random_7_agrees, net_7, RANDOM, "net_7.sd", 3);
agrees!(random_8_agrees, net_8, RANDOM, "net_8.sd", 3);
agrees!(random_9_agrees, net_9, RANDOM, "net_9.sd", 3);
agrees!(random_10_agrees, net_10, RANDOM, "net_10.sd", 3);
agrees!(random_11_agrees, net_11, RANDOM, "net_11.sd", 3);
agrees!(random_12_agrees, net_12, RANDOM, "net_12.sd", 3);

#[test]
fn the_vector_view_steps_in_place() {
    let mut p = softmax_classifier::Params::init(3);
    let before = p.to_vec();
    let g = softmax_classifier::Params::from_slice(&vec![1.0; before.len()]);
    p.zip_apply(&g, |w, d| w - 0.5 * d);
    let after = p.to_vec();
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(*a, b - 0.5);
    }
    assert_eq!(p.W[2][1], after[5]);
}

/// The same networks in `f32`, against the `f64` evaluator: each value within
/// `F32_TOLERANCE` of the largest magnitude of its kind (the loss, the gradient, the outputs).
mod single {
    symdiff::network!(
        file = "../examples/lecture/indexed/softmax_classifier.sd",
        float = f32
    );
    symdiff::network!(
        file = "../examples/lecture/indexed/mnist_mlp.sd",
        float = f32
    );
    symdiff::network!(file = "nets/indexed/random/net_5.sd", float = f32);
}

/// f32 has 24 bits: a sum of 784 products keeps about 1e-5 of the largest term; 1e-4 leaves
/// room for the layers after it.
const F32_TOLERANCE: f64 = 1e-4;

fn close_f32(got: &[f32], want: &[f64], what: &str) {
    let scale = want.iter().fold(1e-30f64, |m, v| m.max(v.abs()));
    for (k, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            (f64::from(g) - w).abs() <= F32_TOLERANCE * scale,
            "{what} {k}: f32 {g}, f64 evaluator {w} (scale {scale})"
        );
    }
}

macro_rules! agrees_f32 {
    ($test:ident, $module:ident, $dir:expr, $file:literal, $rows:expr) => {
        #[test]
        fn $test() {
            let a = analysis(&[$dir, $file].concat());
            let params = single::$module::Params::init(DEFAULT_SEED);
            let flat: Vec<f64> = params.to_vec().iter().map(|&v| f64::from(v)).collect();
            let (xi, ti) = (width(&a, Role::Input), width(&a, Role::Target));
            let mut rng = Rng::new(11);
            let rows: usize = $rows;
            // Values an f32 holds exactly, so both sides see the same inputs.
            let x: Vec<f32> = (0..rows * xi)
                .map(|_| rng.uniform(-1.0, 1.0) as f32)
                .collect();
            let t: Vec<f32> = (0..rows * ti)
                .map(|_| rng.uniform(0.0, 1.0) as f32)
                .collect();
            let (loss, grad) = single::$module::gradient_batch(&params, &x, &t);
            let (mut mean_loss, mut mean_grad) = (0.0, vec![0.0; flat.len()]);
            for r in 0..rows {
                let xr: Vec<f64> = x[r * xi..(r + 1) * xi].iter().map(|&v| v.into()).collect();
                let tr: Vec<f64> = t[r * ti..(r + 1) * ti].iter().map(|&v| v.into()).collect();
                let (l, g, _) = reference(&a, &flat, &xr, &tr);
                mean_loss += l / rows as f64;
                for (m, v) in mean_grad.iter_mut().zip(&g) {
                    *m += v / rows as f64;
                }
            }
            close_f32(&[loss], &[mean_loss], "loss");
            close_f32(&grad.to_vec(), &mean_grad, "gradient element");
        }
    };
}

agrees_f32!(
    softmax_f32_agrees,
    softmax_classifier,
    LECTURE,
    "softmax_classifier.sd",
    6
);
agrees_f32!(mnist_f32_agrees, mnist_mlp, LECTURE, "mnist_mlp.sd", 3);
agrees_f32!(random_5_f32_agrees, net_5, RANDOM, "net_5.sd", 3);
