//! What the gradient, cheap-gradient and evaluator benches share: the networks `network!`
//! generates for them, the five-weight point they are timed at, and the stable sigmoid the
//! hand-written references use (written out, as a person writing backprop by hand would).
#![allow(dead_code)]

symdiff::network!(file = "../../tests/nets/two_weights.sd");
symdiff::network!(file = "../../tests/nets/five_weights.sd");
symdiff::network!(file = "../mlp_2_8_8_1.sd");

/// `1/(1 + e^-x)` without overflow.
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let z = x.exp();
        z / (1.0 + z)
    }
}

/// The five-weight net's params, input and target the benches time.
pub fn five_weight_point() -> (
    five_weights::Params,
    five_weights::Input,
    five_weights::Target,
) {
    (
        five_weights::Params {
            w1: 0.9,
            w2: 1.1,
            w3: 0.7,
            w4: 1.3,
            w5: 0.8,
        },
        five_weights::Input { x_t: 0.6 },
        five_weights::Target { y_t: 0.4 },
    )
}

/// The ratio time(`a`) / time(`b`) measured in alternation: `rounds` rounds, each timing a batch
/// of `a` and a batch of `b` (batches of about 2 ms of the slower one), `a` first in even rounds
/// and `b` first in odd ones, and the median of the rounds' ratios with its quartiles. On a
/// virtual machine whose speed drifts by tens of percent within a minute, this compares like
/// with like; criterion measures one function fully, then the other.
pub fn paired_ratio<RA, RB>(
    mut a: impl FnMut() -> RA,
    mut b: impl FnMut() -> RB,
    rounds: usize,
) -> Ratio {
    use std::hint::black_box;
    use std::time::{Duration, Instant};
    assert!(rounds > 0, "at least one round");
    let mut batch = 1usize;
    loop {
        let start = Instant::now();
        for _ in 0..batch {
            black_box(a());
            black_box(b());
        }
        if start.elapsed() >= Duration::from_millis(4) {
            break;
        }
        batch *= 2;
    }
    fn time<R>(f: &mut impl FnMut() -> R, n: usize) -> f64 {
        let t = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        t.elapsed().as_secs_f64()
    }
    let mut ratios: Vec<f64> = (0..rounds)
        .map(|round| {
            if round % 2 == 0 {
                let ta = time(&mut a, batch);
                ta / time(&mut b, batch)
            } else {
                let tb = time(&mut b, batch);
                time(&mut a, batch) / tb
            }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    Ratio {
        median: at(0.5),
        q1: at(0.25),
        q3: at(0.75),
    }
}

/// A median ratio with its quartiles, from [`paired_ratio`].
pub struct Ratio {
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3} (quartiles {:.3}–{:.3})",
            self.median, self.q1, self.q3
        )
    }
}
