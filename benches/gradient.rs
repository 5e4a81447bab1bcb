//! The generated `gradient` against hand-written backprop of the same networks: the lecture's
//! five-weight net and a 2-8-8-1 scalar MLP (tanh hidden layers). Results are in
//! BENCHMARKS.md; run with
//! `cargo bench --bench gradient -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

#[path = "shared/mod.rs"]
mod shared;
use shared::*;

/// Hand-written backprop of the five-weight net: returns (E, [dE/dw1..dE/dw5]).
fn five_by_hand(w: &[f64; 5], x: f64, t: f64) -> (f64, [f64; 5]) {
    let h1 = sigmoid(x * w[0]);
    let h2 = sigmoid(h1 * w[1]);
    let h3 = sigmoid(h1 * w[2]);
    let y = h2 * w[3] + h3 * w[4];
    let err = t - y;
    let e = 0.5 * err * err;
    let dy = -err;
    let ds2 = dy * w[3] * h2 * (1.0 - h2);
    let ds3 = dy * w[4] * h3 * (1.0 - h3);
    let ds1 = (ds2 * w[1] + ds3 * w[2]) * h1 * (1.0 - h1);
    (e, [ds1 * x, ds2 * h1, ds3 * h1, dy * h2, dy * h3])
}

/// A 2-8-8-1 MLP's parameters as a person would hold them.
#[derive(Clone, Copy, Default)]
struct Mlp {
    a: [[f64; 2]; 8],
    b: [f64; 8],
    c: [[f64; 8]; 8],
    d: [f64; 8],
    v: [f64; 8],
    e0: f64,
}

/// Hand-written backprop of the MLP: returns (E, gradient in the same shape). Index loops, as
/// the maths is written.
#[allow(clippy::needless_range_loop)]
fn mlp_by_hand(p: &Mlp, x: [f64; 2], t: f64) -> (f64, Mlp) {
    let mut h = [0.0; 8];
    for j in 0..8 {
        h[j] = (p.a[j][0] * x[0] + p.a[j][1] * x[1] + p.b[j]).tanh();
    }
    let mut g = [0.0; 8];
    let mut y = p.e0;
    for k in 0..8 {
        let mut s = p.d[k];
        for j in 0..8 {
            s += p.c[k][j] * h[j];
        }
        g[k] = s.tanh();
        y += p.v[k] * g[k];
    }
    let err = t - y;
    let e = 0.5 * err * err;
    let dy = -err;
    let mut grad = Mlp {
        e0: dy,
        ..Mlp::default()
    };
    let mut dh = [0.0; 8];
    for k in 0..8 {
        grad.v[k] = dy * g[k];
        let ds = dy * p.v[k] * (1.0 - g[k] * g[k]);
        grad.d[k] = ds;
        for j in 0..8 {
            grad.c[k][j] = ds * h[j];
            dh[j] += ds * p.c[k][j];
        }
    }
    for j in 0..8 {
        let ds = dh[j] * (1.0 - h[j] * h[j]);
        grad.b[j] = ds;
        grad.a[j] = [ds * x[0], ds * x[1]];
    }
    (e, grad)
}

/// The generated MLP's initial parameters in the hand-written shape.
fn mlp_params(p: &mlp::Params) -> Mlp {
    let q = p;
    Mlp {
        a: [
            [q.a1_1, q.a1_2],
            [q.a2_1, q.a2_2],
            [q.a3_1, q.a3_2],
            [q.a4_1, q.a4_2],
            [q.a5_1, q.a5_2],
            [q.a6_1, q.a6_2],
            [q.a7_1, q.a7_2],
            [q.a8_1, q.a8_2],
        ],
        b: [q.b1, q.b2, q.b3, q.b4, q.b5, q.b6, q.b7, q.b8],
        c: [
            [
                q.c1_1, q.c1_2, q.c1_3, q.c1_4, q.c1_5, q.c1_6, q.c1_7, q.c1_8,
            ],
            [
                q.c2_1, q.c2_2, q.c2_3, q.c2_4, q.c2_5, q.c2_6, q.c2_7, q.c2_8,
            ],
            [
                q.c3_1, q.c3_2, q.c3_3, q.c3_4, q.c3_5, q.c3_6, q.c3_7, q.c3_8,
            ],
            [
                q.c4_1, q.c4_2, q.c4_3, q.c4_4, q.c4_5, q.c4_6, q.c4_7, q.c4_8,
            ],
            [
                q.c5_1, q.c5_2, q.c5_3, q.c5_4, q.c5_5, q.c5_6, q.c5_7, q.c5_8,
            ],
            [
                q.c6_1, q.c6_2, q.c6_3, q.c6_4, q.c6_5, q.c6_6, q.c6_7, q.c6_8,
            ],
            [
                q.c7_1, q.c7_2, q.c7_3, q.c7_4, q.c7_5, q.c7_6, q.c7_7, q.c7_8,
            ],
            [
                q.c8_1, q.c8_2, q.c8_3, q.c8_4, q.c8_5, q.c8_6, q.c8_7, q.c8_8,
            ],
        ],
        d: [q.d1, q.d2, q.d3, q.d4, q.d5, q.d6, q.d7, q.d8],
        v: [q.v1, q.v2, q.v3, q.v4, q.v5, q.v6, q.v7, q.v8],
        e0: q.e0,
    }
}

fn benches(c: &mut Criterion) {
    // Both versions compute the same numbers.
    let (five, fi, ft) = five_weight_point();
    let w = [0.9, 1.1, 0.7, 1.3, 0.8];
    let (e1, g1) = five_weights::gradient(&five, &fi, &ft);
    let (e2, g2) = five_by_hand(&w, 0.6, 0.4);
    assert!(
        (e1 - e2).abs() < 1e-12 && (g1.w1 - g2[0]).abs() < 1e-12 && (g1.w5 - g2[4]).abs() < 1e-12
    );
    let mp = mlp::Params::INITIAL;
    let hp = mlp_params(&mp);
    let (mi, mt) = (mlp::Input { x1: 0.3, x2: -0.7 }, mlp::Target { t: 0.25 });
    let (e1, g1) = mlp::gradient(&mp, &mi, &mt);
    let (e2, g2) = mlp_by_hand(&hp, [0.3, -0.7], 0.25);
    assert!((e1 - e2).abs() < 1e-12);
    assert!((g1.a3_2 - g2.a[2][1]).abs() < 1e-12 && (g1.c5_7 - g2.c[4][6]).abs() < 1e-12);

    // Paired ratios first (see `paired_ratio`): robust to the machine's speed drifting.
    let five_ratio = paired_ratio(
        || five_weights::gradient(black_box(&five), black_box(&fi), black_box(&ft)),
        || five_by_hand(black_box(&w), black_box(0.6), black_box(0.4)),
        101,
    );
    println!("paired ratio five_weights generated / hand_written: {five_ratio}");
    let mlp_ratio = paired_ratio(
        || mlp::gradient(black_box(&mp), black_box(&mi), black_box(&mt)),
        || mlp_by_hand(black_box(&hp), black_box([0.3, -0.7]), black_box(0.25)),
        101,
    );
    println!("paired ratio mlp_2_8_8_1 generated / hand_written: {mlp_ratio}");

    let mut group = c.benchmark_group("five_weights");
    group.bench_function("generated", |b| {
        b.iter(|| five_weights::gradient(black_box(&five), black_box(&fi), black_box(&ft)))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| five_by_hand(black_box(&w), black_box(0.6), black_box(0.4)))
    });
    group.finish();
    let mut group = c.benchmark_group("mlp_2_8_8_1");
    group.bench_function("generated", |b| {
        b.iter(|| mlp::gradient(black_box(&mp), black_box(&mi), black_box(&mt)))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| mlp_by_hand(black_box(&hp), black_box([0.3, -0.7]), black_box(0.25)))
    });
    group.finish();
}

criterion_group!(gradient, benches);
criterion_main!(gradient);
