//! Generated code for an indexed network against hand-written backprop, in one run: the
//! 784-128-10 ReLU MLP with softmax cross-entropy (`examples/lecture/indexed/mnist_mlp.sd`),
//! f32, forward and full gradient of the mean loss over a batch of 64 rows (the issue's
//! target; JAX/XLA pinned to one core takes 0.41 ms here, see BENCHMARKS.md).
//!
//! - `generated`: `mnist_mlp::gradient_batch`, what `network!` emits (loops and the runtime's
//!   matrix products);
//! - `hand_written`: the same computation written as a practitioner would (row-major
//!   `S = X·W1ᵀ + b1`, `H = relu(S)`, `Z = H·W2ᵀ + b2`, `P = softmax(Z)`, `dZ = (P - T)/n`,
//!   `dW2 = dZᵀ·H`, `dH = dZ·W2`, `dS = dH∘step(S)`, `dW1 = dSᵀ·X`), through the same
//!   `symdiff::runtime::matmul::gemm`, so the comparison is of the code around the products.
//!
//! Both are checked to agree before timing. Run with
//! `cargo bench --bench generated_mlp -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use symdiff::runtime::matmul::{gemm, Strided};

#[path = "shared/mod.rs"]
mod shared;

symdiff::network!(
    file = "../examples/lecture/indexed/mnist_mlp.sd",
    float = f32
);

const ROWS: usize = 64;
const I: usize = 784;
const H: usize = 128;
const K: usize = 10;

/// Inputs in [0, 1) and one-hot targets from a seed.
fn batch() -> (Vec<f32>, Vec<f32>) {
    let mut state = 2026u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32
    };
    let x = (0..ROWS * I).map(|_| next()).collect();
    let mut t = vec![0.0; ROWS * K];
    for r in 0..ROWS {
        t[r * K + (next() * K as f32) as usize % K] = 1.0;
    }
    (x, t)
}

/// Hand-written backprop: mean loss and gradient (dW1, db1, dW2, db2), row-major.
fn hand_written(p: &mnist_mlp::Params, x: &[f32], t: &[f32]) -> (f32, [Vec<f32>; 4]) {
    let n = x.len() / I;
    let (w1, w2) = (p.w1.as_flattened(), p.w2.as_flattened());
    let mut s = vec![0.0f32; n * H];
    gemm(
        x,
        Strided::row_major(n, I),
        w1,
        Strided::row_major(H, I).transposed(),
        &mut s,
        Strided::row_major(n, H),
        false,
    );
    for r in 0..n {
        for j in 0..H {
            s[r * H + j] += p.b1[j];
        }
    }
    let h: Vec<f32> = s.iter().map(|&v| v.max(0.0)).collect();
    let mut z = vec![0.0f32; n * K];
    gemm(
        &h,
        Strided::row_major(n, H),
        w2,
        Strided::row_major(K, H).transposed(),
        &mut z,
        Strided::row_major(n, K),
        false,
    );
    let mut loss = 0.0f32;
    let mut dz = vec![0.0f32; n * K];
    let scale = 1.0 / n as f32;
    for r in 0..n {
        let row = &mut z[r * K..(r + 1) * K];
        for (v, b) in row.iter_mut().zip(&p.b2) {
            *v += b;
        }
        let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let sum: f32 = row.iter().map(|&v| (v - max).exp()).sum();
        let lse = max + sum.ln();
        for k in 0..K {
            let tk = t[r * K + k];
            loss -= tk * (row[k] - lse);
            dz[r * K + k] = ((row[k] - lse).exp() - tk) * scale;
        }
    }
    let mut dw2 = vec![0.0f32; K * H];
    gemm(
        &dz,
        Strided::row_major(n, K).transposed(),
        &h,
        Strided::row_major(n, H),
        &mut dw2,
        Strided::row_major(K, H),
        false,
    );
    let mut db2 = vec![0.0f32; K];
    for r in 0..n {
        for k in 0..K {
            db2[k] += dz[r * K + k];
        }
    }
    let mut ds = vec![0.0f32; n * H];
    gemm(
        &dz,
        Strided::row_major(n, K),
        w2,
        Strided::row_major(K, H),
        &mut ds,
        Strided::row_major(n, H),
        false,
    );
    let mut db1 = vec![0.0f32; H];
    for r in 0..n {
        for j in 0..H {
            if s[r * H + j] <= 0.0 {
                ds[r * H + j] = 0.0;
            }
            db1[j] += ds[r * H + j];
        }
    }
    let mut dw1 = vec![0.0f32; H * I];
    gemm(
        &ds,
        Strided::row_major(n, H).transposed(),
        x,
        Strided::row_major(n, I),
        &mut dw1,
        Strided::row_major(H, I),
        false,
    );
    (loss * scale, [dw1, db1, dw2, db2])
}

fn agree(p: &mnist_mlp::Params, x: &[f32], t: &[f32]) {
    let (loss, g) = mnist_mlp::gradient_batch(p, x, t);
    let (hand_loss, hand) = hand_written(p, x, t);
    assert!(
        (loss - hand_loss).abs() <= 1e-5 * hand_loss.abs(),
        "{loss} vs {hand_loss}"
    );
    let generated = [
        g.w1.as_flattened(),
        &g.b1[..],
        g.w2.as_flattened(),
        &g.b2[..],
    ];
    for (got, want) in generated.iter().zip(&hand) {
        let scale = want.iter().fold(1e-30f32, |m, v| m.max(v.abs()));
        for (a, b) in got.iter().zip(want) {
            assert!((a - b).abs() <= 1e-4 * scale, "{a} vs {b}");
        }
    }
}

fn bench(c: &mut Criterion) {
    let p = mnist_mlp::Params::init(0);
    let (x, t) = batch();
    agree(&p, &x, &t);
    let mut group = c.benchmark_group("mnist_784_128_10_f32_batch64");
    group.bench_function("generated", |b| {
        b.iter(|| mnist_mlp::gradient_batch(black_box(&p), black_box(&x), black_box(&t)))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| hand_written(black_box(&p), black_box(&x), black_box(&t)))
    });
    group.finish();
    let ratio = shared::paired_ratio(
        || mnist_mlp::gradient_batch(&p, &x, &t),
        || hand_written(&p, &x, &t),
        41,
    );
    println!("generated / hand-written (paired, 41 rounds): {ratio}");
    against_jax(&p, &x, &t);
}

/// JAX's jitted value-and-gradient on one core (`benches/mnist_jax_bench.py`, pinned with
/// `taskset -c 0`), in alternation with the generated code: five rounds, each timing 200 calls
/// of both. Skipped, saying so, where JAX is not installed (`pip install jax`).
fn against_jax(p: &mnist_mlp::Params, x: &[f32], t: &[f32]) {
    use std::process::Command;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/generated_mlp_bench");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, values: &[f32]| {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(dir.join(format!("{name}.f32")), bytes).unwrap();
    };
    write("x", x);
    write("t", t);
    write("w1", p.w1.as_flattened());
    write("b1", &p.b1);
    write("w2", p.w2.as_flattened());
    write("b2", &p.b2);
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/mnist_jax_bench.py");
    let (loss, _) = mnist_mlp::gradient_batch(p, x, t);
    for round in 0..5 {
        let out = Command::new("taskset")
            .args(["-c", "0", "python3"])
            .arg(&script)
            .arg(&dir)
            .args([ROWS.to_string(), "200".to_string()])
            .output();
        let Some(out) = out.ok().filter(|o| o.status.success()) else {
            println!(
                "JAX: not run (benches/mnist_jax_bench.py needs `pip install jax` and taskset)"
            );
            return;
        };
        let line = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<f64> = line
            .split_whitespace()
            .map(|f| f.parse().unwrap())
            .collect();
        assert!(
            (fields[0] as f32 - loss).abs() <= 1e-5 * loss.abs(),
            "JAX loss {} vs {loss}",
            fields[0]
        );
        let mut times: Vec<f64> = (0..200)
            .map(|_| {
                let start = std::time::Instant::now();
                black_box(mnist_mlp::gradient_batch(
                    black_box(p),
                    black_box(x),
                    black_box(t),
                ));
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "round {round}: JAX jit (one core) median {:.3} ms (quartiles {:.3}-{:.3}); generated median {:.3} ms (quartiles {:.3}-{:.3})",
            fields[1] * 1e3, fields[2] * 1e3, fields[3] * 1e3,
            times[100] * 1e3, times[50] * 1e3, times[150] * 1e3
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
