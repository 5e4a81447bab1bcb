//! Every indexed lecture example (examples/lecture/indexed/, the MNIST-size one aside): the
//! index-form gradient equals the scalar engine's gradient of the same network unrolled into
//! scalars to 1e-12, and central finite differences, at the file's initial values and seeded
//! inputs.

use symdiff::core::indexed::{
    element_name, initial_values, positions, unroll, ArrayValues, IndexedAnalysis, DEFAULT_SEED,
};
use symdiff::core::{Analysis, Role};

fn examples() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lecture/indexed");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sd"))
        // 784-128-10 has 101,770 params: the benchmark covers it.
        .filter(|p| !p.ends_with("mnist_mlp.sd"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_indexed_example_agrees_with_its_unrolled_scalars() {
    let files = examples();
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let origin = path.display().to_string();
        let parsed = symdiff::grammar::parse(&origin, &text)
            .unwrap_or_else(|d| panic!("{}", d.render(&origin, &text)));
        let model = parsed
            .indexed
            .into_iter()
            .next()
            .expect("an indexed network");
        let scalar = unroll(&model).unwrap();
        let analysis = IndexedAnalysis::new(model);
        let unrolled = Analysis::new(scalar, None, None, 16).unwrap();
        let model = &analysis.model;
        let mut point = unrolled.default_point();
        let mut values = ArrayValues::new();
        let mut seed = 7u64;
        for array in model.arrays() {
            let name = model.dag.name(array.symbol);
            let v = initial_values(array, name, DEFAULT_SEED).unwrap_or_else(|| {
                positions(&array.shape)
                    .iter()
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ((seed >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
                    })
                    .collect()
            });
            for (k, at) in positions(&array.shape).iter().enumerate() {
                unrolled
                    .assign(&mut point, &element_name(name, at), v[k])
                    .unwrap();
            }
            values.set(array.symbol, v);
        }
        let got = analysis.evaluate(&values);
        let want = unrolled.evaluate(&point);
        let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0);
        assert!(close(got.loss, want.value, 1e-12), "{origin}: loss");
        let wrt = unrolled.wrt();
        let mut checked = 0;
        for array in model.arrays_with_role(Role::Param) {
            let g = got.gradient.get(array.symbol).unwrap();
            for (k, at) in positions(&array.shape).iter().enumerate() {
                let name = element_name(model.dag.name(array.symbol), at);
                let n = wrt
                    .iter()
                    .position(|&s| unrolled.model.name_of(s) == name)
                    .unwrap();
                assert!(close(g[k], want.gradient[n], 1e-12), "{origin}: ∂E/∂{name}");
                let shifted = |d: f64| {
                    let mut v = values.clone();
                    let mut a = v.get(array.symbol).unwrap().to_vec();
                    a[k] += d;
                    v.set(array.symbol, a);
                    analysis.evaluate(&v).loss
                };
                let fd = (shifted(1e-6) - shifted(-1e-6)) / 2e-6;
                assert!(
                    (fd - g[k]).abs() <= 1e-5 * g[k].abs().max(1.0),
                    "{origin}: ∂E/∂{name} {} vs {fd}",
                    g[k]
                );
                checked += 1;
            }
        }
        assert_eq!(checked, model.param_count(), "{origin}");
    }
}
