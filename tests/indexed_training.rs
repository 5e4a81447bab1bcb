//! Training through generated code for an indexed network: the 2-64-64-3 spiral classifier of
//! `examples/indexed/spiral.sd`, minibatch gradient descent with momentum over the params'
//! vector view, on three spiral arms generated with a fixed seed, reaches 90% accuracy on its
//! training points (a linear classifier cannot pass about 50% on spirals), and its loss falls.

use symdiff::runtime::ParamVector;

symdiff::network!(file = "../examples/indexed/spiral.sd");

const ARMS: usize = 3;

fn spirals(per_arm: usize) -> (Vec<f64>, Vec<f64>) {
    let mut state = 2026u64;
    let mut unit = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut x, mut t) = (Vec::new(), Vec::new());
    for arm in 0..ARMS {
        for n in 0..per_arm {
            let r = n as f64 / per_arm as f64;
            let angle = arm as f64 * 4.0 + 4.0 * r + 0.2 * (unit() - 0.5);
            x.extend([r * angle.sin(), r * angle.cos()]);
            t.extend((0..ARMS).map(|k| f64::from(u8::from(k == arm))));
        }
    }
    (x, t)
}

fn accuracy(params: &spiral::Params, x: &[f64], t: &[f64]) -> f64 {
    let p = spiral::forward_batch(params, x);
    let argmax = |row: &[f64]| {
        (0..ARMS)
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap()
    };
    let rows = t.len() / ARMS;
    let right = (0..rows)
        .filter(|&r| argmax(&p[r * ARMS..][..ARMS]) == argmax(&t[r * ARMS..][..ARMS]))
        .count();
    right as f64 / rows as f64
}

#[test]
fn the_spiral_classifier_learns_the_spirals() {
    let (x, t) = spirals(100);
    let mut params = spiral::Params::init(0);
    let mut velocity = spiral::Params::default();
    let before = spiral::loss_batch(&params, &x, &t);
    for _ in 0..150 {
        for (xb, tb) in x.chunks(2 * 20).zip(t.chunks(ARMS * 20)) {
            let (_, grad) = spiral::gradient_batch(&params, xb, tb);
            velocity.zip_apply(&grad, |v, g| 0.9 * v + g);
            params.zip_apply(&velocity, |w, v| w - 0.05 * v);
        }
    }
    let after = spiral::loss_batch(&params, &x, &t);
    let share = accuracy(&params, &x, &t);
    assert!(after < 0.25 * before, "loss {before} -> {after}");
    assert!(share >= 0.9, "accuracy {share}");
}
