//! Generated code for indexed networks against hand-written backprop, in one run, same batch,
//! same data:
//!
//! - the 784-128-10 ReLU MLP with softmax cross-entropy (`examples/lecture/indexed/
//!   mnist_mlp.sd`), f32, forward and full gradient of the mean loss over 64 rows:
//!   `generated` (`mnist_mlp::gradient_batch`, what `network!` emits), `hand_written_same_gemm`
//!   (the computation as a practitioner writes it, row-major `S = X·W1ᵀ + b1`, ...,
//!   `dW1 = dSᵀ·X`, through the same `symdiff::runtime::matmul::gemm`), and
//!   `hand_written_naive_loops` (the same with triple loops); then JAX's `jit(value_and_grad)`
//!   pinned to one core (`benches/mnist_jax_bench.py`, when JAX is installed), alternated with
//!   the generated code;
//! - the 2-64-64-3 spiral classifier (`examples/indexed/spiral.sd`), f64, 256 rows, generated
//!   against hand-written with the same matrix product.
//!
//! Every variant is checked against the generated one before timing. Run with
//! `cargo bench --bench generated_mlp -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use symdiff::runtime::matmul::{gemm, Strided};
use symdiff::runtime::Float;

#[path = "shared/mod.rs"]
mod shared;

symdiff::network!(
    file = "../examples/lecture/indexed/mnist_mlp.sd",
    float = f32
);

const ROWS: usize = 64;
const I: usize = 784;
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

/// `c = a·b` (row-major `a` m×k read through `va`, `b` through `vb`, `c` m×n row-major).
type Product<F> = fn(&[F], Strided, &[F], Strided, &mut [F]);

/// Through the runtime's matrix product (the crate generated code calls).
fn product_gemm<F: Float>(a: &[F], va: Strided, b: &[F], vb: Strided, c: &mut [F]) {
    let view = Strided::row_major(va.rows, vb.cols);
    gemm(a, va, b, vb, c, view, false);
}

/// Naive loops: `c[r][col] = Σ_t a[r][t]·b[t][col]`, the inner loop over `t`.
fn product_naive<F: Float>(a: &[F], va: Strided, b: &[F], vb: Strided, c: &mut [F]) {
    for r in 0..va.rows {
        for col in 0..vb.cols {
            let mut sum = F::ZERO;
            for t in 0..va.cols {
                sum += a[va.offset + r * va.row_stride + t * va.col_stride]
                    * b[vb.offset + t * vb.row_stride + col * vb.col_stride];
            }
            c[r * vb.cols + col] = sum;
        }
    }
}

/// Hand-written backprop for a ReLU MLP with softmax cross-entropy (`layers`: each weight
/// `[out × in]` row-major and bias), mean loss over the rows of `x` and its gradient, every
/// matrix product through `product`: `S = X·Wᵀ + b`, `H = relu(S)`, ..., `dZ = (P - T)/n`,
/// `dW = dSᵀ·H_prev`, `dH_prev = dS·W`, `dS_prev = dH_prev∘step(S_prev)`.
fn hand_written<F: Float>(
    layers: &[(&[F], &[F])],
    x: &[F],
    t: &[F],
    product: Product<F>,
) -> (F, Vec<Vec<F>>) {
    let width = |l: usize| layers[l].1.len();
    let inputs = layers[0].0.len() / width(0);
    let n = x.len() / inputs;
    // Forward: the pre-activations of every layer, and the activations feeding each.
    let mut acts: Vec<Vec<F>> = vec![x.to_vec()];
    let mut pre: Vec<Vec<F>> = Vec::new();
    for (l, &(w, b)) in layers.iter().enumerate() {
        let (out, inp) = (width(l), w.len() / width(l));
        let mut s = vec![F::ZERO; n * out];
        let a = acts.last().unwrap();
        product(
            a,
            Strided::row_major(n, inp),
            w,
            Strided::row_major(out, inp).transposed(),
            &mut s,
        );
        for row in s.chunks_mut(out) {
            for (v, &bias) in row.iter_mut().zip(b) {
                *v += bias;
            }
        }
        if l + 1 < layers.len() {
            acts.push(
                s.iter()
                    .map(|&v| if v > F::ZERO { v } else { F::ZERO })
                    .collect(),
            );
        }
        pre.push(s);
    }
    let classes = width(layers.len() - 1);
    let z = pre.last().unwrap();
    let scale = F::ONE / F::from_f64(n as f64);
    let mut loss = F::ZERO;
    let mut delta = vec![F::ZERO; n * classes];
    for r in 0..n {
        let row = &z[r * classes..(r + 1) * classes];
        let max = row
            .iter()
            .fold(F::NEG_INFINITY, |m, &v| if v > m { v } else { m });
        let sum = row.iter().fold(F::ZERO, |s, &v| s + (v - max).exp());
        let lse = max + sum.ln();
        for k in 0..classes {
            let tk = t[r * classes + k];
            loss -= tk * (row[k] - lse);
            delta[r * classes + k] = ((row[k] - lse).exp() - tk) * scale;
        }
    }
    let mut grads = vec![Vec::new(); 2 * layers.len()];
    for l in (0..layers.len()).rev() {
        let (out, inp) = (width(l), layers[l].0.len() / width(l));
        let mut dw = vec![F::ZERO; out * inp];
        product(
            &delta,
            Strided::row_major(n, out).transposed(),
            &acts[l],
            Strided::row_major(n, inp),
            &mut dw,
        );
        let mut db = vec![F::ZERO; out];
        for row in delta.chunks(out) {
            for (d, &v) in db.iter_mut().zip(row) {
                *d += v;
            }
        }
        grads[2 * l] = dw;
        grads[2 * l + 1] = db;
        if l > 0 {
            let mut below = vec![F::ZERO; n * inp];
            product(
                &delta,
                Strided::row_major(n, out),
                layers[l].0,
                Strided::row_major(out, inp),
                &mut below,
            );
            for (d, &s) in below.iter_mut().zip(&pre[l - 1]) {
                if s <= F::ZERO {
                    *d = F::ZERO;
                }
            }
            delta = below;
        }
    }
    (loss * scale, grads)
}

/// The MNIST network's layers as the hand-written code takes them.
fn mnist_layers(p: &mnist_mlp::Params) -> [(&[f32], &[f32]); 2] {
    [
        (p.w1.as_flattened(), &p.b1[..]),
        (p.w2.as_flattened(), &p.b2[..]),
    ]
}

fn agree(p: &mnist_mlp::Params, x: &[f32], t: &[f32]) {
    let (loss, g) = mnist_mlp::gradient_batch(p, x, t);
    let (hand_loss, hand) = hand_written(&mnist_layers(p), x, t, product_gemm);
    let (naive_loss, _) = hand_written(&mnist_layers(p), x, t, product_naive);
    assert!((naive_loss - hand_loss).abs() <= 1e-5 * hand_loss.abs());
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
    let layers = mnist_layers(&p);
    group.bench_function("hand_written_same_gemm", |b| {
        b.iter(|| {
            hand_written(
                black_box(&layers),
                black_box(&x),
                black_box(&t),
                product_gemm,
            )
        })
    });
    group.bench_function("hand_written_naive_loops", |b| {
        b.iter(|| {
            hand_written(
                black_box(&layers),
                black_box(&x),
                black_box(&t),
                product_naive,
            )
        })
    });
    group.finish();
    let ratio = shared::paired_ratio(
        || mnist_mlp::gradient_batch(&p, &x, &t),
        || hand_written(&layers, &x, &t, product_gemm),
        41,
    );
    println!("784-128-10: generated / hand-written with the same matrix product (paired, 41 rounds): {ratio}");
    let ratio = shared::paired_ratio(
        || mnist_mlp::gradient_batch(&p, &x, &t),
        || hand_written(&layers, &x, &t, product_naive),
        11,
    );
    println!("784-128-10: generated / hand-written naive loops (paired, 11 rounds): {ratio}");
    spiral_bench(c);
    against_jax(&p, &x, &t);
}

/// JAX's jitted value-and-gradient on one core (`benches/mnist_jax_bench.py`, pinned with
/// `taskset -c 0`), in alternation with the generated code: nine rounds, each timing 200 calls
/// of both, and the median of the rounds' ratios. Run the bench itself under `taskset -c 0`
/// so that both sides use the same core. Skipped, saying so, where JAX is not installed
/// (`pip install jax`).
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
    let mut ratios = Vec::new();
    for round in 0..9 {
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
        ratios.push(times[100] / fields[1]);
        println!(
            "round {round}: JAX jit (one core) median {:.3} ms (quartiles {:.3}-{:.3}); generated median {:.3} ms (quartiles {:.3}-{:.3}); generated / JAX {:.3}",
            fields[1] * 1e3, fields[2] * 1e3, fields[3] * 1e3,
            times[100] * 1e3, times[50] * 1e3, times[150] * 1e3,
            times[100] / fields[1]
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "784-128-10: generated / JAX (one core, 9 rounds): median {:.3} (quartiles {:.3}-{:.3}, range {:.3}-{:.3})",
        ratios[4], ratios[2], ratios[6], ratios[0], ratios[8]
    );
}

symdiff::network!(file = "../examples/indexed/spiral.sd");

/// The 2-64-64-3 spiral classifier, f64, batch 256: generated against hand-written with the
/// same matrix product.
fn spiral_bench(c: &mut Criterion) {
    let p = spiral::Params::init(0);
    let rows = 256;
    let mut state = 99u64;
    let mut unit = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let x: Vec<f64> = (0..rows * 2).map(|_| 2.0 * unit() - 1.0).collect();
    let mut t = vec![0.0; rows * 3];
    for r in 0..rows {
        t[r * 3 + r % 3] = 1.0;
    }
    let layers = [
        (p.w1.as_flattened(), &p.b1[..]),
        (p.w2.as_flattened(), &p.b2[..]),
        (p.w3.as_flattened(), &p.b3[..]),
    ];
    let (loss, g) = spiral::gradient_batch(&p, &x, &t);
    let (hand_loss, hand) = hand_written(&layers, &x, &t, product_gemm);
    assert!((loss - hand_loss).abs() <= 1e-12 * hand_loss.abs());
    for (got, want) in g.to_vec().iter().zip(hand.concat()) {
        assert!((got - want).abs() <= 1e-12 * (1.0 + want.abs()));
    }
    let mut group = c.benchmark_group("spiral_2_64_64_3_f64_batch256");
    group.bench_function("generated", |b| {
        b.iter(|| spiral::gradient_batch(black_box(&p), black_box(&x), black_box(&t)))
    });
    group.bench_function("hand_written_same_gemm", |b| {
        b.iter(|| {
            hand_written(
                black_box(&layers),
                black_box(&x),
                black_box(&t),
                product_gemm,
            )
        })
    });
    group.finish();
    let ratio = shared::paired_ratio(
        || spiral::gradient_batch(&p, &x, &t),
        || hand_written(&layers, &x, &t, product_gemm),
        41,
    );
    println!("2-64-64-3: generated / hand-written with the same matrix product (paired, 41 rounds): {ratio}");
}

criterion_group!(benches, bench);
criterion_main!(benches);
