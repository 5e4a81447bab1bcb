//! Generated code for indexed networks (`network!` on every indexed lecture example): its
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
    let path = common::root().join("examples/lecture/indexed").join(file);
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
    ($test:ident, $module:ident, $file:literal, $rows:expr) => {
        #[test]
        fn $test() {
            let a = analysis($file);
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

agrees!(
    three_three_four_agrees,
    three_three_four,
    "three_three_four.sd",
    5
);
agrees!(xor_agrees, xor_indexed, "xor_indexed.sd", 4);
agrees!(
    softmax_agrees,
    softmax_classifier,
    "softmax_classifier.sd",
    6
);
agrees!(
    vanishing_two_agrees,
    vanishing_two_layer,
    "vanishing_two_layer.sd",
    3
);
agrees!(
    vanishing_three_agrees,
    vanishing_three_layer,
    "vanishing_three_layer.sd",
    3
);
agrees!(mnist_agrees, mnist_mlp, "mnist_mlp.sd", 2);

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
