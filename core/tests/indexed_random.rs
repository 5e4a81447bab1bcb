//! Generated indexed networks (sizes 1-6, depths 1-4, every function): the index-form gradient
//! from the loop evaluator equals the scalar engine's gradient of the same network unrolled
//! into scalars to 1e-12, and central finite differences to gradcheck tolerances.

mod common;

use common::{random_network, Rng};
use symdiff_core::indexed::{element_name, positions, unroll, ArrayValues, IndexedAnalysis};
use symdiff_core::Analysis;

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
    let result = analysis.evaluate(&values);
    let expected = unrolled.evaluate(&point);
    let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0);
    assert!(
        close(result.loss, expected.value, 1e-12),
        "seed {seed}: loss {} vs unrolled {}",
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
                close(g[k], want, 1e-12),
                "seed {seed}: ∂E/∂{name} = {} in index form, {want} unrolled",
                g[k]
            );
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

#[test]
fn random_indexed_networks_agree_with_their_unrolled_scalars() {
    for seed in 0..300 {
        check(seed);
    }
}
