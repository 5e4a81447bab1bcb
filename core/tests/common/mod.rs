//! What the indexed tests share: a seeded generator, random indexed networks (sizes 1-6,
//! depths 1-4, every function, shared weights, three losses) and the 784-128-10-shaped MLP
//! (ReLU hidden layer, softmax cross-entropy) at any widths.
#![allow(dead_code)]

use symdiff_core::indexed::{IndexedBuilder, IndexedModel, Sub};
use symdiff_core::{Func, Rational, Role};

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
    let (i, j) = (b.index("i", inputs), b.index("j", hidden));
    let (k, m) = (b.index("k", classes), b.index("m", classes));
    let w1 = b.element("w1", &[Sub::Index(j), Sub::Index(i)]);
    let x = b.element("x", &[Sub::Index(i)]);
    let wx = b.dag().mul(vec![w1, x]);
    let sum = b.sum(i, wx);
    let b1 = b.element("b1", &[Sub::Index(j)]);
    let s = b.dag().add(vec![sum, b1]);
    let h = b.dag().call(Func::Relu, vec![s]);
    b.define("h", Role::Intermediate, &[j], h).unwrap();
    let w2 = b.element("w2", &[Sub::Index(k), Sub::Index(j)]);
    let hj = b.element("h", &[Sub::Index(j)]);
    let wh = b.dag().mul(vec![w2, hj]);
    let sum = b.sum(j, wh);
    let b2 = b.element("b2", &[Sub::Index(k)]);
    let z = b.dag().add(vec![sum, b2]);
    b.define("z", Role::Output, &[k], z).unwrap();
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
