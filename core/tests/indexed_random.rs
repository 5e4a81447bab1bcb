//! Generated indexed networks (sizes 1-6, depths 1-4, every function): the index-form gradient
//! from the loop evaluator equals the scalar engine's gradient of the same network unrolled
//! into scalars to 1e-12, and central finite differences to gradcheck tolerances; so does the
//! batched plan's (which `evaluate` runs with one row).

mod common;

use common::{random_network, Rng};
use symdiff_core::indexed::{
    element_name, positions, unroll, ArrayValues, IndexedAnalysis, IndexedEvaluation,
};
use symdiff_core::{Analysis, Evaluation};

fn check(seed: u64) {
    let mut rng = Rng(seed);
    let model = random_network(&mut rng);
    let scalar = unroll(&model).unwrap();
    let analysis = IndexedAnalysis::new(model);
    let model = &analysis.model;
    let unrolled = Analysis::new(scalar, None, None, 16).unwrap();
    let mut point = unrolled.default_point();
    let mut values = ArrayValues::new();
    for array in model.arrays() {
        let v: Vec<f64> = positions(&array.shape).iter().map(|_| rng.unit()).collect();
        for (k, at) in positions(&array.shape).iter().enumerate() {
            let name = element_name(model.dag.name(array.symbol), at);
            unrolled.assign(&mut point, &name, v[k]).unwrap();
        }
        values.set(array.symbol, v);
    }
    let expected = unrolled.evaluate(&point);
    let looped = analysis.evaluate_looped(&values);
    compare(
        seed,
        &analysis,
        &unrolled,
        &looped,
        &expected,
        "loop evaluator",
    );
    let result = analysis.evaluate(&values);
    compare(
        seed,
        &analysis,
        &unrolled,
        &result,
        &expected,
        "batched plan",
    );
    for param in analysis.params() {
        let shape = model.shape(param);
        let g = result.gradient.get(param).unwrap();
        for (k, at) in positions(&shape).iter().enumerate() {
            let name = element_name(model.dag.name(param), at);
            let h = 1e-6;
            let shifted = |delta: f64| {
                let mut v = values.clone();
                let mut a = v.get(param).unwrap().to_vec();
                a[k] += delta;
                v.set(param, a);
                analysis.evaluate(&v).loss
            };
            let fd = (shifted(h) - shifted(-h)) / (2.0 * h);
            assert!(
                (fd - g[k]).abs() <= 1e-5 * g[k].abs().max(1.0),
                "seed {seed}: ∂E/∂{name} = {} but central difference {fd}",
                g[k]
            );
        }
    }
}

/// The loss and every gradient element of an index-form evaluation against the unrolled
/// network's, to 1e-12.
fn compare(
    seed: u64,
    analysis: &IndexedAnalysis,
    unrolled: &Analysis,
    result: &IndexedEvaluation,
    expected: &Evaluation,
    what: &str,
) {
    let model = &analysis.model;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
    assert!(
        close(result.loss, expected.value),
        "seed {seed}, {what}: loss {} vs unrolled {}",
        result.loss,
        expected.value
    );
    let wrt = unrolled.wrt();
    for param in analysis.params() {
        let shape = model.shape(param);
        let g = result.gradient.get(param).unwrap();
        for (k, at) in positions(&shape).iter().enumerate() {
            let name = element_name(model.dag.name(param), at);
            let n = wrt
                .iter()
                .position(|&s| unrolled.model.name_of(s) == name)
                .unwrap();
            let want = expected.gradient[n];
            assert!(
                close(g[k], want),
                "seed {seed}, {what}: ∂E/∂{name} = {} in index form, {want} unrolled",
                g[k]
            );
        }
    }
}

#[test]
fn random_indexed_networks_agree_with_their_unrolled_scalars() {
    for seed in 0..300 {
        check(seed);
    }
}
