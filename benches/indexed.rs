//! Indexed layers over data rows: the 784-128-10 ReLU MLP with softmax cross-entropy
//! (`core/tests/common/mod.rs`, `mlp`), 1,000 rows, forward and full gradient.
//!
//! - `batched`: [`IndexedAnalysis::evaluate_batch`], the rows an outer index, contractions as
//!   matrix products;
//! - `per_row_interpreter`: [`IndexedAnalysis::evaluate_each`], the loop evaluator one row at
//!   a time, timed on one row (a thousand rows would take minutes: its local partial
//!   `step(Σ_i′ w1[j,i′]·x[i′])·x[i]` recomputes the Σ for every `(j, i)`);
//! - `derive`: [`IndexedAnalysis::new`] for 784-128-10 and for 8-4-2 (the same formulas);
//! - numpy: `scripts/mnist_numpy_bench.py` on the same numbers (written to
//!   `target/indexed_bench/`), run in alternation with the batched evaluator, single-threaded
//!   (`OPENBLAS_NUM_THREADS=1` and friends) and with numpy's default threads; its loss and
//!   gradient sums are checked against ours first.
//!
//! Results are in BENCHMARKS.md ("Indexed layers"); run with
//! `cargo bench --bench indexed -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[path = "../core/tests/common/mod.rs"]
mod common;
#[path = "shared/mod.rs"]
mod shared;

use common::{mlp, Rng};
use shared::paired_ratio;
use symdiff::core::indexed::{ArrayValues, IndexedAnalysis};

const ROWS: usize = 1000;
const SHAPE: (usize, usize, usize) = (784, 128, 10);

/// Glorot-uniform weights, zero biases, inputs in [0, 1) and one-hot targets, from a seed.
fn data(analysis: &IndexedAnalysis, rows: usize) -> (ArrayValues, Vec<ArrayValues>) {
    let mut rng = Rng(2026);
    let symbol = |n: &str| analysis.model.dag.find_symbol(n).expect("declared");
    let mut shared = ArrayValues::new();
    for (w, b) in [("w1", "b1"), ("w2", "b2")] {
        let shape = analysis.model.shape(symbol(w));
        let limit = (6.0 / (shape[0] + shape[1]) as f64).sqrt();
        let weights = (0..shape[0] * shape[1])
            .map(|_| limit * rng.unit())
            .collect();
        shared.set(symbol(w), weights);
        shared.set(symbol(b), vec![0.0; shape[0]]);
    }
    let (inputs, classes) = (
        analysis.model.shape(symbol("x"))[0],
        analysis.model.shape(symbol("t"))[0],
    );
    let rows = (0..rows)
        .map(|_| {
            let mut row = ArrayValues::new();
            row.set(
                symbol("x"),
                (0..inputs).map(|_| 0.5 + 0.5 * rng.unit()).collect(),
            );
            let mut t = vec![0.0; classes];
            t[rng.below(classes)] = 1.0;
            row.set(symbol("t"), t);
            row
        })
        .collect();
    (shared, rows)
}

/// Writes the arrays for the numpy script, row-major, little-endian.
fn write_data(dir: &Path, analysis: &IndexedAnalysis, shared: &ArrayValues, rows: &[ArrayValues]) {
    std::fs::create_dir_all(dir).expect("a directory for the numpy data");
    let symbol = |n: &str| analysis.model.dag.find_symbol(n).expect("declared");
    let write = |name: &str, values: Vec<f64>| {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(dir.join(format!("{name}.f64")), bytes).expect("written");
    };
    for name in ["w1", "b1", "w2", "b2"] {
        write(name, shared.get(symbol(name)).expect("set").to_vec());
    }
    for name in ["x", "t"] {
        let all = rows
            .iter()
            .flat_map(|r| r.get(symbol(name)).expect("set").to_vec())
            .collect();
        write(name, all);
    }
}

/// One run of the numpy script: its printed `key=value` pairs.
fn numpy(dir: &Path, repeats: usize, single_thread: bool) -> Vec<(String, f64)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mnist_numpy_bench.py");
    let (i, j, k) = SHAPE;
    let mut command = Command::new("python3");
    command.arg(script).arg(dir);
    for n in [ROWS, i, j, k, repeats] {
        command.arg(n.to_string());
    }
    if single_thread {
        for var in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"] {
            command.env(var, "1");
        }
    }
    let output = command.output().expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            Some((key.to_string(), value.parse().ok()?))
        })
        .collect()
}

fn value(pairs: &[(String, f64)], key: &str) -> f64 {
    pairs
        .iter()
        .find(|p| p.0 == key)
        .map(|p| p.1)
        .expect("printed")
}

/// The median over `repeats` timings of `f`, in seconds.
fn median_time<R>(repeats: usize, mut f: impl FnMut() -> R) -> f64 {
    let mut times: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn against_numpy(analysis: &IndexedAnalysis, shared: &ArrayValues, rows: &[ArrayValues]) {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/indexed_bench");
    write_data(&dir, analysis, shared, rows);
    let ours = analysis.evaluate_batch(shared, rows).expect("rows");
    let theirs = numpy(&dir, 3, true);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    assert!(
        close(ours.loss, value(&theirs, "loss")),
        "loss {} vs numpy {:?}",
        ours.loss,
        theirs
    );
    for name in ["w1", "b1", "w2", "b2"] {
        let symbol = analysis.model.dag.find_symbol(name).expect("declared");
        let sum: f64 = ours.gradient.get(symbol).expect("a param").iter().sum();
        assert!(
            close(sum, value(&theirs, name)),
            "Σ ∂E/∂{name} {sum} vs numpy {theirs:?}"
        );
    }
    println!(
        "numpy agrees: loss {} (ours {})",
        value(&theirs, "loss"),
        ours.loss
    );
    for single in [true, false] {
        let mut ratios = Vec::new();
        let (mut ours_t, mut theirs_t) = (Vec::new(), Vec::new());
        for round in 0..11 {
            let time_ours = || median_time(21, || analysis.evaluate_batch(shared, rows));
            let (o, n) = if round % 2 == 0 {
                let o = time_ours();
                (o, value(&numpy(&dir, 21, single), "median"))
            } else {
                let n = value(&numpy(&dir, 21, single), "median");
                (time_ours(), n)
            };
            ours_t.push(o);
            theirs_t.push(n);
            ratios.push(o / n);
        }
        for v in [&mut ratios, &mut ours_t, &mut theirs_t] {
            v.sort_by(f64::total_cmp);
        }
        println!(
            "batched / numpy ({}): paired median {:.3} (quartiles {:.3}–{:.3}); medians: batched {:.2} ms, numpy {:.2} ms",
            if single { "numpy single-threaded" } else { "numpy default threads" },
            ratios[5],
            ratios[3],
            ratios[8],
            ours_t[5] * 1e3,
            theirs_t[5] * 1e3
        );
    }
}

fn indexed(c: &mut Criterion) {
    let (i, j, k) = SHAPE;
    let analysis = IndexedAnalysis::new(mlp(i, j, k));
    let (shared, rows) = data(&analysis, ROWS);

    // The batched result equals the interpreter's on the first rows (the full check is in
    // core/tests/indexed_batch.rs at smaller widths).
    let few = &rows[..2];
    let (a, b) = (
        analysis.evaluate_batch(&shared, few).expect("rows"),
        analysis.evaluate_each(&shared, few).expect("rows"),
    );
    assert!((a.loss - b.loss).abs() <= 1e-12 * a.loss.abs().max(1.0));

    against_numpy(&analysis, &shared, &rows);

    let small = || IndexedAnalysis::new(mlp(8, 4, 2));
    let large = || IndexedAnalysis::new(mlp(i, j, k));
    println!(
        "derive 784-128-10 / 8-4-2: paired {}",
        paired_ratio(large, small, 101)
    );

    let mut group = c.benchmark_group("mlp_784_128_10");
    group.sample_size(10);
    group.bench_function("batched_1000_rows", |bench| {
        bench.iter(|| analysis.evaluate_batch(black_box(&shared), black_box(&rows)))
    });
    group.bench_function("per_row_interpreter_1_row", |bench| {
        bench.iter(|| analysis.evaluate_each(black_box(&shared), black_box(&rows[..1])))
    });
    group.bench_function("batched_1_row", |bench| {
        bench.iter(|| analysis.evaluate_batch(black_box(&shared), black_box(&rows[..1])))
    });
    group.finish();

    let mut group = c.benchmark_group("derive");
    group.bench_function("784-128-10", |bench| bench.iter(large));
    group.bench_function("8-4-2", |bench| bench.iter(small));
    group.finish();
}

criterion_group!(benches, indexed);
criterion_main!(benches);
