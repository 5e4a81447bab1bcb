//! Derivation time: parse + derive (factored form) + simplify + emit, on dense scalar sigmoid
//! networks (width 4, 8, 16; depth 2 to 64) and on long chains, with the size of the gradient
//! DAG relative to the forward DAG printed before the timings. The reference in the same run is
//! the path form (every path enumerated, the approach before the factored form) on the sizes
//! where it is feasible: it grows exponentially with depth, the factored form linearly.
//!
//! Results are in BENCHMARKS.md; run with
//! `cargo bench --bench derive -- --warm-up-time 1 --measurement-time 3`. Instruction counts of
//! one run: `SYMDIFF_DERIVE_ONCE=16x32 valgrind --tool=callgrind target/release/deps/derive-*`
//! (after `cargo bench --bench derive --no-run`); the stage timings of width 16 depth 32 alone:
//! `SYMDIFF_DERIVE_STAGES=1 target/release/deps/derive-*` (`=16x64` for another size); the
//! depth-doubling ratios of one width: `SYMDIFF_DERIVE_DOUBLING=16 target/release/deps/derive-*`
//! (with, as a reference, the same ratios for a linear-time workload on the same data: lexing
//! the emitted source with `proc_macro2`).

use criterion::{black_box, criterion_group, BenchmarkId, Criterion};
use std::time::Duration;
use symdiff::core::codegen::{network_source, RustOptions};
use symdiff::core::Analysis;
use symdiff::core::Analysis;

#[path = "../tests/common/mod.rs"]
mod common;
use common::dense_network;
#[path = "shared/mod.rs"]
mod shared;
use shared::paired_ratio;

/// `network chain`: one input through `length` scalar sigmoid units, one weight each.
fn chain_network(length: usize) -> String {
    let mut src = String::from("network chain {\n    input x\n    target t\n");
    let mut previous = String::from("x");
    for k in 1..=length {
        src += &format!("    param w{k}\n    h{k} = sigmoid(w{k} * {previous})\n");
        previous = format!("h{k}");
    }
    src += &format!("    output y = {previous}\n    loss E = 1/2*(t - y)^2\n}}\n");
    src
}

/// The whole pipeline the macro runs: parse, derive (paths up to `max_paths`, for the docs),
/// simplify, emit the module's source. (`network!` then hands the source to rustc, whose lexer
/// turns it into tokens; `print_stages` times that step separately, with `proc_macro2`'s own
/// lexer, which is what `symdiff codegen` uses outside rustc.)
fn pipeline(text: &str, max_paths: u128) -> String {
    let parsed = symdiff::grammar::parse("bench.sd", text).expect("parses");
    let model = parsed.models.into_iter().next().expect("one network");
    let analysis = Analysis::for_network(model, max_paths).expect("a network");
    network_source(&analysis, &RustOptions::default()).expect("emits")
}

/// Parse and derive only, with paths enumerated up to `max_paths`.
fn analysis(text: &str, max_paths: u128) -> Analysis {
    let parsed = symdiff::grammar::parse("bench.sd", text).expect("parses");
    let model = parsed.models.into_iter().next().expect("one network");
    Analysis::for_network(model, max_paths).expect("a network")
}

const WIDTHS: [usize; 3] = [4, 8, 16];
const DEPTHS: [usize; 6] = [2, 4, 8, 16, 32, 64];
const CHAINS: [usize; 4] = [128, 256, 512, 1024];

fn print_sizes() {
    println!("\nDAG sizes (forward nodes, forward + gradient nodes, ratio):");
    for width in WIDTHS {
        for depth in DEPTHS {
            let a = analysis(&dense_network(width, depth), 0);
            let (f, t) = a.dag_sizes();
            let weights = a.wrt().len();
            println!(
                "  dense w{width:<2} d{depth:<2} {weights:6} weights: {f:7} {t:7} {:.2}x",
                t as f64 / f as f64
            );
        }
    }
    for length in CHAINS {
        let a = analysis(&chain_network(length), 0);
        let (f, t) = a.dag_sizes();
        println!(
            "  chain {length:5}: {f:7} {t:7} {:.2}x",
            t as f64 / f as f64
        );
    }
    println!();
}

/// Time(depth 2d) / time(depth d) at each width, measured in alternation (see
/// `shared::paired_ratio`): the doubling ratios of the linear-time target, robust to the
/// machine's speed drifting between criterion's separate measurements.
fn print_doubling_ratios(widths: &[usize]) {
    println!("\nDepth-doubling time ratios (paired, median and quartiles of 11 rounds):");
    for &width in widths {
        for pair in DEPTHS.windows(2) {
            let (short, long) = (dense_network(width, pair[0]), dense_network(width, pair[1]));
            let ratio = paired_ratio(|| pipeline(&long, 0), || pipeline(&short, 0), 11);
            println!(
                "  dense w{width:<2} d{:<2} -> d{:<2}: {ratio}",
                pair[0], pair[1]
            );
        }
    }
    for pair in CHAINS.windows(2) {
        let (short, long) = (chain_network(pair[0]), chain_network(pair[1]));
        let ratio = paired_ratio(|| pipeline(&long, 0), || pipeline(&short, 0), 11);
        println!("  chain {:5} -> {:5}: {ratio}", pair[0], pair[1]);
    }
    // A reference for the largest sizes: a linear-time workload of a well-kept crate on the
    // same data, lexing the emitted source with `proc_macro2`. What it needs beyond 2x when its
    // input doubles is the machine's (caches, memory), not an algorithm's.
    let width = *widths.iter().max().expect("a width");
    for pair in [[16, 32], [32, 64]] {
        let [short, long] = pair.map(|depth| pipeline(&dense_network(width, depth), 0));
        let lex = |source: &str| -> proc_macro2::TokenStream { source.parse().expect("lexes") };
        let ratio = paired_ratio(|| lex(&long), || lex(&short), 11);
        println!(
            "  reference, lexing the emitted source of w{width} d{} -> d{}: {ratio}",
            pair[0], pair[1]
        );
    }
    println!();
}

/// Where the time of one pipeline run goes, for width 16 depth 32 (the size of the 100 ms
/// target): parse, analyze (derive + simplify), emit, medians of 11 runs; and, after the
/// pipeline, lexing the emitted source with `proc_macro2`'s lexer (`symdiff codegen`'s path;
/// in `network!` rustc lexes it).
fn print_stages(width: usize, depth: usize) {
    use std::time::Instant;
    let text = dense_network(width, depth);
    let mut stages: [Vec<f64>; 4] = Default::default();
    for _ in 0..11 {
        let t0 = Instant::now();
        let parsed = symdiff::grammar::parse("bench.sd", &text).expect("parses");
        let model = parsed.models.into_iter().next().expect("one network");
        let t1 = Instant::now();
        let analysis = Analysis::for_network(model, 0).expect("a network");
        let t2 = Instant::now();
        let source = network_source(&analysis, &RustOptions::default()).expect("emits");
        let t3 = Instant::now();
        let tokens: proc_macro2::TokenStream = source.parse().expect("lexes");
        let t4 = Instant::now();
        black_box(tokens);
        let spans = [(t0, t1), (t1, t2), (t2, t3), (t3, t4)];
        for (stage, (from, to)) in stages.iter_mut().zip(spans) {
            stage.push((to - from).as_secs_f64() * 1e3);
        }
    }
    let [parse, analyze, emit, lex] = stages.map(|mut v| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    });
    println!(
        "\nStages, dense w{width} d{depth} (median of 11): parse {parse:.1} ms, analyze {analyze:.1} ms, emit {emit:.1} ms \
         (total {:.1} ms); then lexing the source with proc_macro2 {lex:.1} ms\n",
        parse + analyze + emit
    );
}

fn benches(c: &mut Criterion) {
    // The printed measurements take a minute or more: only in a benchmark run (`cargo bench`
    // passes `--bench`), not when `cargo test --benches` checks that the benches run.
    if std::env::args().any(|a| a == "--bench") {
        print_sizes();
        print_stages(16, 32);
        print_doubling_ratios(&WIDTHS);
    }
    for width in WIDTHS {
        let mut group = c.benchmark_group(format!("derive_dense_w{width}"));
        group.sample_size(10);
        for depth in DEPTHS {
            let text = dense_network(width, depth);
            group.bench_with_input(BenchmarkId::from_parameter(depth), &text, |b, t| {
                b.iter(|| pipeline(black_box(t), 0))
            });
        }
        group.finish();
    }
    let mut group = c.benchmark_group("derive_chain");
    group.sample_size(10);
    for length in CHAINS {
        let text = chain_network(length);
        group.bench_with_input(BenchmarkId::from_parameter(length), &text, |b, t| {
            b.iter(|| pipeline(black_box(t), 0))
        });
    }
    group.finish();
    // The reference: every path enumerated (width 4 has 4^(depth-1) paths per first-layer
    // weight), against the factored form alone, on the same networks.
    let mut group = c.benchmark_group("paths_vs_factored_w4");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for depth in [2, 3, 4, 5, 6] {
        let text = dense_network(4, depth);
        group.bench_with_input(BenchmarkId::new("factored", depth), &text, |b, t| {
            b.iter(|| analysis(black_box(t), 0))
        });
        group.bench_with_input(BenchmarkId::new("paths", depth), &text, |b, t| {
            b.iter(|| analysis(black_box(t), u128::MAX))
        });
    }
    group.finish();
}

criterion_group!(derive, benches);

/// `criterion_main!`, plus modes that print one measurement and exit:
/// - `SYMDIFF_DERIVE_ONCE=WIDTHxDEPTH`: the pipeline once on that dense network, for
///   `valgrind --tool=callgrind` (instruction counts do not drift with the machine);
/// - `SYMDIFF_DERIVE_STAGES=WIDTHxDEPTH` (or `=1` for 16x32): the stage timings;
/// - `SYMDIFF_DERIVE_DOUBLING=WIDTH`: the depth-doubling ratios of one width.
fn main() {
    let size = |var: &str, value: &str| -> (usize, usize) {
        let (width, depth) = value.split_once('x').unwrap_or(("16", "32"));
        let number = |s: &str| s.parse().unwrap_or_else(|_| panic!("{var}=WIDTHxDEPTH"));
        (number(width), number(depth))
    };
    if let Ok(value) = std::env::var("SYMDIFF_DERIVE_ONCE") {
        let (width, depth) = size("SYMDIFF_DERIVE_ONCE", &value);
        black_box(pipeline(&dense_network(width, depth), 0));
        return;
    }
    if let Ok(value) = std::env::var("SYMDIFF_DERIVE_STAGES") {
        let (width, depth) = size("SYMDIFF_DERIVE_STAGES", &value);
        print_stages(width, depth);
        return;
    }
    if let Ok(width) = std::env::var("SYMDIFF_DERIVE_DOUBLING") {
        print_doubling_ratios(&[width.parse().expect("SYMDIFF_DERIVE_DOUBLING=WIDTH")]);
        return;
    }
    derive();
    Criterion::default().configure_from_args().final_summary();
}
