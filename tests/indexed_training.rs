//! Training through generated code for an indexed network: the 2-64-64-3 spiral classifier of
//! `examples/indexed/spiral.sd`, minibatch gradient descent with momentum over the params'
//! vector view, on three spiral arms generated with a fixed seed, reaches 90% accuracy on its
//! training points (a linear classifier cannot pass about 50% on spirals), and its loss falls.

use symdiff::runtime::ParamVector;

symdiff::network!(file = "../examples/indexed/spiral.sd");

#[path = "../examples/indexed/spiral_data.rs"]
mod spiral_data;

use spiral_data::{spirals, Rng, ARMS};

fn accuracy(params: &spiral::Params, x: &[f64], t: &[f64]) -> f64 {
    spiral_data::accuracy(&spiral::forward_batch(params, x), t)
}

#[test]
fn the_spiral_classifier_learns_the_spirals() {
    let (x, t) = spirals(&mut Rng(2026), 100);
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
