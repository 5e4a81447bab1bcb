//! Generated indexed networks (sizes 1-6, depths 1-4, every function): the index-form gradient
//! from the loop evaluator equals the scalar engine's gradient of the same network unrolled
//! into scalars to 1e-12, and central finite differences to gradcheck tolerances.

use symdiff_core::indexed::{
    element_name, positions, unroll, ArrayValues, IndexedAnalysis, IndexedBuilder, IndexedModel,
    Sub,
};
use symdiff_core::{Analysis, Func, Rational, Role};

/// A small deterministic generator (SplitMix64), so that a failure names a reproducible seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// Every activation, applied so that it stays in its domain (`log` and `sqrt` of `1 + s²`).
const ACTIVATIONS: [&str; 12] = [
    "sigmoid", "tanh", "relu", "softplus", "sin", "cos", "abs", "exp", "log1p2", "sqrt1p2",
    "square", "max0",
];

fn activate(b: &mut IndexedBuilder, name: &str, s: symdiff_core::NodeId) -> symdiff_core::NodeId {
    let dag = b.dag();
    match name {
        "log1p2" | "sqrt1p2" => {
            let one = dag.integer(1);
            let sq = dag.powi(s, 2);
            let arg = dag.add(vec![one, sq]);
            let f = if name == "log1p2" {
                Func::Log
            } else {
                Func::Sqrt
            };
            dag.call(f, vec![arg])
        }
        "square" => dag.powi(s, 2),
        "max0" => {
            // max(s, 0) = s + relu(0 - s), the language's max, written out
            let minus = dag.neg(s);
            let relu = dag.call(Func::Relu, vec![minus]);
            dag.add(vec![s, relu])
        }
        "exp" => {
            let half = dag.number(Rational::new(1, 2).unwrap());
            let scaled = dag.mul(vec![half, s]);
            dag.call(Func::Exp, vec![scaled])
        }
        other => {
            let f = Func::from_name(other).unwrap();
            dag.call(f, vec![s])
        }
    }
}

/// A random network: `depth` dense layers of random widths with random activations, a weight
/// shared by two layers when two layers have the same shape, and one of three losses.
fn random_network(rng: &mut Rng) -> IndexedModel {
    let depth = 1 + rng.below(4);
    let mut widths: Vec<usize> = (0..=depth).map(|_| 1 + rng.below(6)).collect();
    let mut b = IndexedModel::builder("random");
    b.declare("x", Role::Input, &[widths[0]], None).unwrap();
    let loss_kind = rng.below(3);
    if loss_kind == 2 {
        widths[depth] = widths[depth].max(2);
    }
    b.declare("t", Role::Target, &[widths[depth]], None)
        .unwrap();
    let mut input = "x".to_string();
    let mut weights: Vec<(String, usize, usize)> = Vec::new();
    for l in 0..depth {
        let (n_in, n_out) = (widths[l], widths[l + 1]);
        // Reuse an earlier weight of the same shape (a shared weight) half the time.
        let shared = weights
            .iter()
            .find(|(_, o, i)| *o == n_out && *i == n_in)
            .map(|(w, _, _)| w.clone())
            .filter(|_| rng.below(2) == 0);
        let w = match shared {
            Some(w) => w,
            None => {
                let w = format!("w{l}");
                b.declare(&w, Role::Param, &[n_out, n_in], None).unwrap();
                weights.push((w.clone(), n_out, n_in));
                w
            }
        };
        let bias = format!("b{l}");
        b.declare(&bias, Role::Param, &[n_out], None).unwrap();
        let (o, i) = (
            b.index(&format!("o{l}"), n_out),
            b.index(&format!("i{l}"), n_in),
        );
        let wi = b.element(&w, &[Sub::Index(o), Sub::Index(i)]);
        let xi = b.element(&input, &[Sub::Index(i)]);
        let product = b.dag().mul(vec![wi, xi]);
        let sum = b.sum(i, product);
        let bo = b.element(&bias, &[Sub::Index(o)]);
        let s = b.dag().add(vec![sum, bo]);
        let act = ACTIVATIONS[rng.below(ACTIVATIONS.len())];
        let h = activate(&mut b, act, s);
        let name = format!("h{l}");
        b.define(&name, Role::Intermediate, &[o], h).unwrap();
        input = name;
    }
    let k = b.index("k", widths[depth]);
    let tk = b.element("t", &[Sub::Index(k)]);
    let ok = b.element(&input, &[Sub::Index(k)]);
    let e = match loss_kind {
        0 => {
            let d = b.dag().sub(tk, ok);
            let sq = b.dag().powi(d, 2);
            let s = b.sum(k, sq);
            let half = b.dag().number(Rational::new(1, 2).unwrap());
            b.dag().mul(vec![half, s])
        }
        1 => {
            // Σ_k t[k]·softplus(o[k]) - o[k]·t[k]²: a loss with a product of inputs
            let sp = b.dag().call(Func::Softplus, vec![ok]);
            let a = b.dag().mul(vec![tk, sp]);
            let t2 = b.dag().powi(tk, 2);
            let c = b.dag().mul(vec![ok, t2]);
            let d = b.dag().sub(a, c);
            b.sum(k, d)
        }
        _ => {
            // softmax cross-entropy: logsumexp_m o[m] - Σ_k t[k]·o[k]
            let m = b.index("m", widths[depth]);
            let om = b.element(&input, &[Sub::Index(m)]);
            let lse = b.logsumexp(m, om);
            let to = b.dag().mul(vec![tk, ok]);
            let s = b.sum(k, to);
            b.dag().sub(lse, s)
        }
    };
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

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
