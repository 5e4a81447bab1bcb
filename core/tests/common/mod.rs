//! What the indexed tests share: a seeded generator, random indexed networks (sizes 1-6,
//! depths 1-4, every function, shared weights, three losses) and the 784-128-10-shaped MLP
//! (ReLU hidden layer, softmax cross-entropy) at any widths, and the agreement check of an
//! indexed network with the same network unrolled into scalars.
#![allow(dead_code)]

use symdiff_core::indexed::{
    element_name, positions, unroll, ArrayValues, IndexedAnalysis, IndexedBuilder,
    IndexedEvaluation, IndexedModel, Sub,
};
use symdiff_core::{Analysis, Evaluation, Func, Rational, Role};

/// A small deterministic generator (SplitMix64), so that a failure names a reproducible seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// Every activation, applied so that it stays in its domain (`log` and `sqrt` of `1 + s²`,
/// `tan` of `tanh(s)`, inside its first pole), and the language's `max` and `min`.
pub const ACTIVATIONS: [&str; 14] = [
    "sigmoid", "tanh", "relu", "softplus", "sin", "cos", "abs", "exp", "log1p2", "sqrt1p2",
    "square", "max0", "min0", "tan_tanh",
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
        "min0" => {
            // min(s, 0) = s - relu(s - 0), the language's min, written out
            let relu = dag.call(Func::Relu, vec![s]);
            let minus = dag.neg(relu);
            dag.add(vec![s, minus])
        }
        "tan_tanh" => {
            let tanh = dag.call(Func::Tanh, vec![s]);
            dag.call(Func::Tan, vec![tanh])
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
pub fn random_network(rng: &mut Rng) -> IndexedModel {
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

/// A dense layer `out[o] = act(Σ_p w[o,p]·in[p] + b[o])` (the bias and the activation when
/// given), defined with `role`.
pub fn layer(
    b: &mut IndexedBuilder,
    role: Role,
    (out, o, o_extent): (&str, &str, usize),
    (input, p, p_extent): (&str, &str, usize),
    weight: &str,
    bias: Option<&str>,
    act: Option<Func>,
) {
    let (o, p) = (b.index(o, o_extent), b.index(p, p_extent));
    let w = b.element(weight, &[Sub::Index(o), Sub::Index(p)]);
    let x = b.element(input, &[Sub::Index(p)]);
    let wx = b.dag().mul(vec![w, x]);
    let mut s = b.sum(p, wx);
    if let Some(bias) = bias {
        let bo = b.element(bias, &[Sub::Index(o)]);
        s = b.dag().add(vec![s, bo]);
    }
    if let Some(f) = act {
        s = b.dag().call(f, vec![s]);
    }
    b.define(out, role, &[o], s).unwrap();
}

/// The MLP of the performance target: `h[j] = relu(Σ_i w1[j,i]·x[i] + b1[j])`,
/// `z[k] = Σ_j w2[k,j]·h[j] + b2[k]`, `E = logsumexp(m, z[m]) - Σ_k t[k]·z[k]`.
pub fn mlp(inputs: usize, hidden: usize, classes: usize) -> IndexedModel {
    let mut b = IndexedModel::builder("mlp");
    b.declare("x", Role::Input, &[inputs], None).unwrap();
    b.declare("t", Role::Target, &[classes], None).unwrap();
    b.declare("w1", Role::Param, &[hidden, inputs], None)
        .unwrap();
    b.declare("b1", Role::Param, &[hidden], None).unwrap();
    b.declare("w2", Role::Param, &[classes, hidden], None)
        .unwrap();
    b.declare("b2", Role::Param, &[classes], None).unwrap();
    layer(
        &mut b,
        Role::Intermediate,
        ("h", "j", hidden),
        ("x", "i", inputs),
        "w1",
        Some("b1"),
        Some(Func::Relu),
    );
    layer(
        &mut b,
        Role::Output,
        ("z", "k", classes),
        ("h", "j", hidden),
        "w2",
        Some("b2"),
        None,
    );
    let (k, m) = (b.index("k", classes), b.index("m", classes));
    let zm = b.element("z", &[Sub::Index(m)]);
    let lse = b.logsumexp(m, zm);
    let tk = b.element("t", &[Sub::Index(k)]);
    let zk = b.element("z", &[Sub::Index(k)]);
    let tz = b.dag().mul(vec![tk, zk]);
    let dot = b.sum(k, tz);
    let e = b.dag().sub(lse, dot);
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

/// Checks `model` at values drawn from `value` (one per element, arrays in declaration order):
/// the loop evaluator's and the batched plan's loss and gradient equal the scalar engine's on
/// the unrolled network to 1e-12, and each gradient element its central difference to
/// `fd_tolerance` (relative, at least absolute). `what` names the case in a failure.
pub fn agrees_with_unrolled(
    model: IndexedModel,
    value: &mut dyn FnMut() -> f64,
    fd_tolerance: f64,
    what: &str,
) {
    let scalar = unroll(&model).unwrap();
    let analysis = IndexedAnalysis::new(model);
    let model = &analysis.model;
    let unrolled = Analysis::new(scalar, None, None, 16).unwrap();
    let mut point = unrolled.default_point();
    let mut values = ArrayValues::new();
    for array in model.arrays() {
        let v: Vec<f64> = positions(&array.shape).iter().map(|_| value()).collect();
        for (k, at) in positions(&array.shape).iter().enumerate() {
            let name = element_name(model.dag.name(array.symbol), at);
            unrolled.assign(&mut point, &name, v[k]).unwrap();
        }
        values.set(array.symbol, v);
    }
    let expected = unrolled.evaluate(&point);
    let looped = analysis.evaluate_looped(&values);
    compare(
        what,
        &analysis,
        &unrolled,
        &looped,
        &expected,
        "loop evaluator",
    );
    let result = analysis.evaluate(&values);
    compare(
        what,
        &analysis,
        &unrolled,
        &result,
        &expected,
        "batched plan",
    );
    let mut checked = 0;
    for param in analysis.params() {
        let shape = model.shape(param);
        let g = result.gradient.get(param).unwrap();
        for (k, at) in positions(&shape).iter().enumerate() {
            let name = element_name(model.dag.name(param), at);
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
                (fd - g[k]).abs() <= fd_tolerance * g[k].abs().max(1.0),
                "{what}: ∂E/∂{name} = {} but central difference {fd}",
                g[k]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, model.param_count(), "{what}");
}

/// The loss and every gradient element of an index-form evaluation against the unrolled
/// network's, to 1e-12.
fn compare(
    what: &str,
    analysis: &IndexedAnalysis,
    unrolled: &Analysis,
    result: &IndexedEvaluation,
    expected: &Evaluation,
    evaluator: &str,
) {
    let model = &analysis.model;
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
    assert!(
        close(result.loss, expected.value),
        "{what}, {evaluator}: loss {} vs unrolled {}",
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
                close(g[k], want),
                "{what}, {evaluator}: ∂E/∂{name} = {} in index form, {want} unrolled",
                g[k]
            );
        }
    }
}
