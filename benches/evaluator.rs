//! The evaluator that `eval`, `check` and `explain --at` use, against the code `network!`
//! generates for the same network (target: within 5x), on the two-weight and five-weight nets
//! and the 2-8-8-1 MLP:
//!
//! - `program_run`: [`Program::run`], the compiled instruction list over pre-sized buffers that
//!   are reused between calls (no allocation per call);
//! - `analysis_evaluate`: [`Analysis::evaluate`], what the CLI calls per point (it copies the
//!   point and returns a fresh gradient vector, so it allocates);
//! - `analysis_evaluate_into`: [`Analysis::evaluate_into`], the same result written into a
//!   reused [`symdiff::core::Evaluation`] with reused registers (no allocation per call);
//! - `generated`: the generated `gradient`.
//!
//! Results are in BENCHMARKS.md; run with
//! `cargo bench --bench evaluator -- --warm-up-time 1 --measurement-time 3`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

#[path = "shared/mod.rs"]
mod shared;
use shared::*;
use symdiff::core::Analysis;
use symdiff::core::{Analysis, Program};

/// The analysis `network!` makes of a file (the loss with respect to every param).
fn analysis_of(path: &str) -> Analysis {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).expect("readable");
    let parsed = symdiff::grammar::parse(&full, &text).expect("parses");
    Analysis::for_network(parsed.models.into_iter().next().expect("a network"), 0)
        .expect("a network")
}

/// The program `Analysis::new` compiles: the evaluated definitions, then the adjoints.
fn program_of(a: &Analysis) -> Program {
    let mut assignments = a.evaluated_definitions().to_vec();
    assignments.extend(a.derivation.adjoints.assignments());
    Program::compile(&a.model.dag, &assignments)
}

/// One network's three contenders, checked to agree on the loss and the first gradient entry.
fn compare(
    c: &mut Criterion,
    name: &str,
    path: &str,
    at: &[(&str, f64)],
    generated: impl Fn() -> (f64, f64),
) {
    let a = analysis_of(path);
    let mut point = a.default_point();
    for &(n, v) in at {
        a.assign(&mut point, n, v).expect("a leaf");
    }
    let program = program_of(&a);
    let mut values = point.as_slice().to_vec();
    values.resize(program.symbols_needed().max(values.len()), f64::NAN);
    let mut scratch = Vec::new();
    program.run(&mut values, &mut scratch);
    let e = a.evaluate(&point);
    let (loss, first) = generated();
    assert!((e.value - loss).abs() < 1e-12 && (e.gradient[0] - first).abs() < 1e-12);
    let of = a.of();
    assert_eq!(values[of.index()], e.value);

    // The paired ratio first (see `paired_ratio`): robust to the machine's speed drifting.
    let ratio = paired_ratio(
        || {
            program.run(black_box(&mut values), &mut scratch);
            values[of.index()]
        },
        &generated,
        101,
    );
    println!("paired ratio {name} program_run / generated: {ratio}");

    let mut group = c.benchmark_group(format!("evaluator_{name}"));
    group.bench_function("generated", |b| b.iter(|| black_box(generated())));
    group.bench_function("program_run", |b| {
        b.iter(|| {
            program.run(black_box(&mut values), &mut scratch);
            values[of.index()]
        })
    });
    group.bench_function("analysis_evaluate", |b| {
        b.iter(|| a.evaluate(black_box(&point)))
    });
    let mut out = a.evaluate(&point);
    let mut registers = Vec::new();
    group.bench_function("analysis_evaluate_into", |b| {
        b.iter(|| {
            a.evaluate_into(black_box(&point), &mut out, &mut registers);
            out.value
        })
    });
    assert_eq!((out.value, &out.gradient), (e.value, &e.gradient));
    group.finish();
}

fn benches(c: &mut Criterion) {
    let two = two_weights::Params { w1: 0.9, w2: 1.1 };
    let (ti, tt) = (
        two_weights::Input { x_t: 0.6 },
        two_weights::Target { y_t: 0.4 },
    );
    compare(
        c,
        "two_weights",
        "tests/nets/two_weights.sd",
        &[("w1", 0.9), ("w2", 1.1), ("x_t", 0.6), ("y_t", 0.4)],
        || {
            let (e, g) = two_weights::gradient(black_box(&two), black_box(&ti), black_box(&tt));
            (e, g.w1)
        },
    );
    let (five, fi, ft) = five_weight_point();
    compare(
        c,
        "five_weights",
        "tests/nets/five_weights.sd",
        &[
            ("w1", 0.9),
            ("w2", 1.1),
            ("w3", 0.7),
            ("w4", 1.3),
            ("w5", 0.8),
            ("x_t", 0.6),
            ("y_t", 0.4),
        ],
        || {
            let (e, g) = five_weights::gradient(black_box(&five), black_box(&fi), black_box(&ft));
            (e, g.w1)
        },
    );
    let mp = mlp::Params::INITIAL;
    let (mi, mt) = (mlp::Input { x1: 0.3, x2: -0.7 }, mlp::Target { t: 0.25 });
    compare(
        c,
        "mlp_2_8_8_1",
        "benches/mlp_2_8_8_1.sd",
        &[("x1", 0.3), ("x2", -0.7), ("t", 0.25)],
        || {
            let (e, g) = mlp::gradient(black_box(&mp), black_box(&mi), black_box(&mt));
            (e, g.a1_1)
        },
    );
}

criterion_group!(evaluator, benches);
criterion_main!(evaluator);
