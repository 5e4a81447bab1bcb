//! The batched evaluator against the per-row loop evaluator: loss and gradient summed over the
//! rows, and the last row's values, agree to 1e-12 (relative) on the generated random networks
//! of `indexed_random.rs`, on the 784-128-10 MLP's shape at small widths (where the
//! contractions are matrix products), in chunks of every size, with the rows given one by one
//! or array by array (`evaluate_stacked`), and on models with fixed
//! references, scalar params and a loss that reads no row.

mod common;

use common::{mlp, random_network, Rng};
use symdiff_core::indexed::{
    ArrayValues, IndexedAnalysis, IndexedEvaluation, IndexedModel, StackedRows, Sub,
};
use symdiff_core::{Func, Role, Symbol};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// Random params (shared) and `rows` rows of every input and target.
fn data(analysis: &IndexedAnalysis, rng: &mut Rng, rows: usize) -> (ArrayValues, Vec<ArrayValues>) {
    let mut shared = ArrayValues::new();
    let mut all = vec![ArrayValues::new(); rows];
    for array in analysis.model.arrays() {
        let size: usize = array.shape.iter().product();
        let mut random = || (0..size).map(|_| rng.unit()).collect::<Vec<f64>>();
        if array.role == Role::Param {
            shared.set(array.symbol, random());
        } else {
            for row in &mut all {
                row.set(array.symbol, random());
            }
        }
    }
    (shared, all)
}

fn assert_same(
    analysis: &IndexedAnalysis,
    got: &IndexedEvaluation,
    want: &IndexedEvaluation,
    what: &str,
) {
    assert!(
        close(got.loss, want.loss),
        "{what}: loss {} batched, {} row by row",
        got.loss,
        want.loss
    );
    for param in analysis.params() {
        let (g, w) = (
            got.gradient.get(param).unwrap(),
            want.gradient.get(param).unwrap(),
        );
        assert_eq!(g.len(), w.len());
        for (k, (a, b)) in g.iter().zip(w).enumerate() {
            let name = analysis.model.dag.name(param);
            assert!(
                close(*a, *b),
                "{what}: ∂E/∂{name}[{k}] = {a} batched, {b} row by row"
            );
        }
    }
    for d in analysis.model.definitions() {
        let (g, w) = (
            got.values.get(d.symbol).unwrap(),
            want.values.get(d.symbol).unwrap(),
        );
        for (a, b) in g.iter().zip(w) {
            let name = analysis.model.dag.name(d.symbol);
            assert!(
                close(*a, *b),
                "{what}: {name} = {a} batched, {b} row by row (last row)"
            );
        }
    }
}

fn check(analysis: &IndexedAnalysis, shared: &ArrayValues, rows: &[ArrayValues], what: &str) {
    let want = analysis.evaluate_each(shared, rows).unwrap();
    let got = analysis.evaluate_batch(shared, rows).unwrap();
    assert_same(analysis, &got, &want, what);
    for chunk in [1, 2, 3] {
        let (got, batched) = analysis
            .evaluate_batch_chunked(shared, rows, chunk)
            .unwrap();
        assert!(batched, "{what}: the batched plan covers it");
        assert_same(analysis, &got, &want, &format!("{what}, chunks of {chunk}"));
    }
    let through_rows = analysis.evaluate_rows(shared, rows).unwrap();
    assert_same(
        analysis,
        &through_rows,
        &want,
        &format!("{what}, evaluate_rows"),
    );
    check_stacked(analysis, shared, rows, &want, what);
}

/// The same rows given array by array, whole and in chunks: the same loss and gradient.
fn check_stacked(
    analysis: &IndexedAnalysis,
    shared: &ArrayValues,
    rows: &[ArrayValues],
    want: &IndexedEvaluation,
    what: &str,
) {
    let stacked: Vec<(Symbol, Vec<f64>)> = rows[0]
        .symbols()
        .map(|a| {
            (
                a,
                rows.iter()
                    .flat_map(|r| r.get(a).unwrap())
                    .copied()
                    .collect(),
            )
        })
        .collect();
    let mut given = StackedRows::new(rows.len());
    for (a, values) in &stacked {
        given = given.with(*a, values);
    }
    let chunks = [None, Some(1), Some(2), Some(3)];
    for chunk in chunks {
        let (loss, gradient) = match chunk {
            None => analysis.evaluate_stacked(shared, &given),
            Some(c) => analysis.evaluate_stacked_chunked(shared, &given, c),
        }
        .unwrap_or_else(|| panic!("{what}: the batched plan takes the stacked rows"));
        let got = IndexedEvaluation {
            values: want.values.clone(),
            loss,
            gradient,
        };
        assert_same(
            analysis,
            &got,
            want,
            &format!("{what}, stacked, chunk {chunk:?}"),
        );
    }
}

#[test]
fn random_networks_batched_equal_the_sum_of_their_rows() {
    for seed in 0..300 {
        let mut rng = Rng(seed);
        let analysis = IndexedAnalysis::new(random_network(&mut rng));
        let rows = 1 + rng.below(7);
        let (shared, rows) = data(&analysis, &mut rng, rows);
        check(&analysis, &shared, &rows, &format!("seed {seed}"));
    }
}

#[test]
fn the_mlp_at_small_widths_batched_equals_the_sum_of_its_rows() {
    for (seed, (i, j, k, n)) in [(8, 4, 2, 5), (30, 12, 5, 64), (40, 16, 10, 100)]
        .into_iter()
        .enumerate()
    {
        let mut rng = Rng(1000 + seed as u64);
        let analysis = IndexedAnalysis::new(mlp(i, j, k));
        let (shared, rows) = data(&analysis, &mut rng, n);
        check(&analysis, &shared, &rows, &format!("{i}-{j}-{k}, {n} rows"));
    }
}

#[test]
fn no_rows_is_none_and_uneven_rows_go_row_by_row() {
    let analysis = IndexedAnalysis::new(mlp(3, 2, 2));
    let mut rng = Rng(7);
    let (shared, mut rows) = data(&analysis, &mut rng, 3);
    assert!(analysis.evaluate_batch(&shared, &[]).is_none());
    // A row that also gives a param: the rows no longer give the same arrays.
    let b2 = analysis.model.dag.find_symbol("b2").unwrap();
    rows[1].set(b2, vec![0.5, -0.5]);
    let (got, batched) = analysis.evaluate_batch_chunked(&shared, &rows, 2).unwrap();
    assert!(!batched);
    assert_same(
        &analysis,
        &got,
        &analysis.evaluate_each(&shared, &rows).unwrap(),
        "uneven rows",
    );
    // Every row giving it: a param per row is batched like an input.
    for row in &mut rows {
        row.set(b2, vec![0.25, 0.75]);
    }
    check(&analysis, &shared, &rows, "a param given by every row");
}

/// `E = Σ_k (t[k] - o[k])² + c·x[2] + Σ_a Σ_b v[a,b]² + q + 3·Σ_i c`, with
/// `o[k] = tanh(Σ_i u[k,i]·x[i]·x[i] + v[1,k])` and `q = c²·exp(v[2,1])`: fixed references, a
/// scalar param, a product of three factors under one Σ, a definition that reads no row
/// (summed once per row), and a Σ whose body does not mention its index.
fn odd_model() -> IndexedModel {
    let mut b = IndexedModel::builder("odd");
    b.declare("x", Role::Input, &[3], None).unwrap();
    b.declare("t", Role::Target, &[2], None).unwrap();
    b.declare("u", Role::Param, &[2, 3], None).unwrap();
    b.declare("v", Role::Param, &[2, 2], None).unwrap();
    b.declare("c", Role::Param, &[], None).unwrap();
    let (i, k) = (b.index("i", 3), b.index("k", 2));
    let (a, bb) = (b.index("a", 2), b.index("b", 2));
    let u = b.element("u", &[Sub::Index(k), Sub::Index(i)]);
    let x = b.element("x", &[Sub::Index(i)]);
    let uxx = b.dag().mul(vec![u, x, x]);
    let s = b.sum(i, uxx);
    let v1k = b.element("v", &[Sub::Fixed(1), Sub::Index(k)]);
    let arg = b.dag().add(vec![s, v1k]);
    let o = b.dag().call(Func::Tanh, vec![arg]);
    b.define("o", Role::Output, &[k], o).unwrap();
    let c = b.element("c", &[]);
    let v21 = b.element("v", &[Sub::Fixed(2), Sub::Fixed(1)]);
    let e21 = b.dag().call(Func::Exp, vec![v21]);
    let c2 = b.dag().powi(c, 2);
    let q = b.dag().mul(vec![c2, e21]);
    b.define("q", Role::Intermediate, &[], q).unwrap();
    let tk = b.element("t", &[Sub::Index(k)]);
    let ok = b.element("o", &[Sub::Index(k)]);
    let d = b.dag().sub(tk, ok);
    let sq = b.dag().powi(d, 2);
    let err = b.sum(k, sq);
    let x2 = b.element("x", &[Sub::Fixed(2)]);
    let cx = b.dag().mul(vec![c, x2]);
    let vab = b.element("v", &[Sub::Index(a), Sub::Index(bb)]);
    let v2 = b.dag().powi(vab, 2);
    let inner = b.sum(bb, v2);
    let norm = b.sum(a, inner);
    let qn = b.element("q", &[]);
    let constant = b.sum(i, c);
    let three = b.dag().integer(3);
    let scaled = b.dag().mul(vec![three, constant]);
    let e = b.dag().add(vec![err, cx, norm, qn, scaled]);
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

#[test]
fn fixed_references_scalars_and_row_free_parts_batched_equal_the_sum_of_their_rows() {
    let analysis = IndexedAnalysis::new(odd_model());
    let mut rng = Rng(11);
    let (shared, rows) = data(&analysis, &mut rng, 9);
    check(&analysis, &shared, &rows, "odd model");
}

/// `E = Σ_j w[j]²`: a loss that reads no row counts once per row.
#[test]
fn a_loss_that_reads_no_row_counts_once_per_row() {
    let mut b = IndexedModel::builder("norm");
    b.declare("x", Role::Input, &[1], None).unwrap();
    b.declare("w", Role::Param, &[2], None).unwrap();
    let j = b.index("j", 2);
    let wj = b.element("w", &[Sub::Index(j)]);
    let sq = b.dag().powi(wj, 2);
    let e = b.sum(j, sq);
    b.define("E", Role::Loss, &[], e).unwrap();
    let analysis = IndexedAnalysis::new(b.finish().unwrap());
    let w = analysis.model.dag.find_symbol("w").unwrap();
    let mut shared = ArrayValues::new();
    shared.set(w, vec![1.0, 2.0]);
    let rows = vec![ArrayValues::new(); 4];
    let result = analysis.evaluate_batch(&shared, &rows).unwrap();
    assert_eq!(result.loss, 20.0);
    assert_eq!(result.gradient.get(w), Some(&[8.0, 16.0][..]));
}
