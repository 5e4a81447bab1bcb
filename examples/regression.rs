//! The lecture's linear-regression table fitted by gradient descent on the summed squared
//! error, `E = Σ (t - L(x; w))²` with `L = w0 + w1·x1 + w2·x2`, using `batch_gradient` (the
//! sum of the per-example derivatives). Prints the fitted weights and the model's outputs.
//!
//! Run with `cargo run --example regression`.

symdiff::network! {
    network linear {
        input x1, x2
        target t
        param w0 = 0, w1 = 0, w2 = 0
        output L = w0 + w1 * x1 + w2 * x2
        loss E = (t - L)^2
    }
}

/// The lecture's training data: (x1, x2, t).
const DATA: [(f64, f64, f64); 10] = [
    (3.0, 1.0, -1.0),
    (4.0, 3.0, 1.0),
    (6.0, 1.0, 0.5),
    (2.0, 3.0, 3.0),
    (5.0, 9.0, -2.0),
    (4.0, 8.0, 5.0),
    (1.0, 2.0, 2.0),
    (4.0, 4.0, -2.0),
    (4.0, 1.0, -4.0),
    (5.0, 5.0, 1.0),
];

fn main() {
    use linear::{Input, Params, Target};
    let samples: Vec<(Input, Target)> = DATA
        .iter()
        .map(|&(x1, x2, t)| (Input { x1, x2 }, Target { t }))
        .collect();
    let mut p = Params::INITIAL;
    let eta = 0.002;
    for step in 0..=5_000 {
        let (e, g) = linear::batch_gradient(&p, &samples);
        if step % 1000 == 0 {
            println!(
                "step {step:>5}: E = {e:.6}  w = ({:.4}, {:.4}, {:.4})",
                p.w0, p.w1, p.w2
            );
        }
        p.w0 -= eta * g.w0;
        p.w1 -= eta * g.w1;
        p.w2 -= eta * g.w2;
    }
    println!("\nx1 x2 |    t | L(x; w)");
    for (input, target) in &samples {
        let l = linear::forward(&p, input);
        println!(
            "{:>2} {:>2} | {:>4} | {l:>7.3}",
            input.x1, input.x2, target.t
        );
    }
}
