//! The cheap-gradient principle, measured: the generated `gradient` against the generated
//! `loss` of the same network (reverse mode should cost a small constant multiple of the
//! function, at most 2.5x), on the lecture's two-weight and five-weight nets and the 2-8-8-1
//! MLP; and the two-weight net's generated gradient against hand-written backprop (the
//! five-weight net and the MLP against hand-written code are in `benches/gradient.rs`).
//!
//! Results are in BENCHMARKS.md; run with
//! `cargo bench --bench cheap_gradient -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

#[path = "shared/mod.rs"]
mod shared;
use shared::*;

/// Hand-written backprop of the lecture's two-weight net: returns (E, [dE/dw1, dE/dw2]).
fn two_by_hand(w: &[f64; 2], x: f64, t: f64) -> (f64, [f64; 2]) {
    let h = sigmoid(x * w[0]);
    let y = h * w[1];
    let err = t - y;
    let e = 0.5 * err * err;
    let dy = -err;
    let ds1 = dy * w[1] * h * (1.0 - h);
    (e, [ds1 * x, dy * h])
}

fn benches(c: &mut Criterion) {
    let two = two_weights::Params { w1: 0.9, w2: 1.1 };
    let (ti, tt) = (
        two_weights::Input { x_t: 0.6 },
        two_weights::Target { y_t: 0.4 },
    );
    let w = [0.9, 1.1];
    let (e1, g1) = two_weights::gradient(&two, &ti, &tt);
    let (e2, g2) = two_by_hand(&w, 0.6, 0.4);
    assert!((e1 - e2).abs() < 1e-12 && (g1.w1 - g2[0]).abs() < 1e-12);
    assert!((g1.w2 - g2[1]).abs() < 1e-12);

    // Paired ratios first (see `paired_ratio`): robust to the machine's speed drifting.
    let ratio = paired_ratio(
        || two_weights::gradient(black_box(&two), black_box(&ti), black_box(&tt)),
        || two_by_hand(black_box(&w), black_box(0.6), black_box(0.4)),
        101,
    );
    println!("paired ratio two_weights generated / hand_written: {ratio}");
    let ratio = paired_ratio(
        || two_weights::gradient(black_box(&two), black_box(&ti), black_box(&tt)),
        || two_weights::loss(black_box(&two), black_box(&ti), black_box(&tt)),
        101,
    );
    println!("paired ratio two_weights gradient / loss: {ratio}");

    let mut group = c.benchmark_group("two_weights");
    group.bench_function("generated", |b| {
        b.iter(|| two_weights::gradient(black_box(&two), black_box(&ti), black_box(&tt)))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| two_by_hand(black_box(&w), black_box(0.6), black_box(0.4)))
    });
    group.bench_function("loss", |b| {
        b.iter(|| two_weights::loss(black_box(&two), black_box(&ti), black_box(&tt)))
    });
    group.finish();

    let (five, fi, ft) = five_weight_point();
    let ratio = paired_ratio(
        || five_weights::gradient(black_box(&five), black_box(&fi), black_box(&ft)),
        || five_weights::loss(black_box(&five), black_box(&fi), black_box(&ft)),
        101,
    );
    println!("paired ratio five_weights gradient / loss: {ratio}");
    let mut group = c.benchmark_group("five_weights_cheap");
    group.bench_function("gradient", |b| {
        b.iter(|| five_weights::gradient(black_box(&five), black_box(&fi), black_box(&ft)))
    });
    group.bench_function("loss", |b| {
        b.iter(|| five_weights::loss(black_box(&five), black_box(&fi), black_box(&ft)))
    });
    group.finish();

    let mp = mlp::Params::INITIAL;
    let (mi, mt) = (mlp::Input { x1: 0.3, x2: -0.7 }, mlp::Target { t: 0.25 });
    let ratio = paired_ratio(
        || mlp::gradient(black_box(&mp), black_box(&mi), black_box(&mt)),
        || mlp::loss(black_box(&mp), black_box(&mi), black_box(&mt)),
        101,
    );
    println!("paired ratio mlp_2_8_8_1 gradient / loss: {ratio}");
    let mut group = c.benchmark_group("mlp_2_8_8_1_cheap");
    group.bench_function("gradient", |b| {
        b.iter(|| mlp::gradient(black_box(&mp), black_box(&mi), black_box(&mt)))
    });
    group.bench_function("loss", |b| {
        b.iter(|| mlp::loss(black_box(&mp), black_box(&mi), black_box(&mt)))
    });
    group.finish();
}

criterion_group!(cheap_gradient, benches);
criterion_main!(cheap_gradient);
