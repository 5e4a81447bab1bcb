//! Trains the 2-64-64-3 spiral classifier of `examples/indexed/spiral.sd` (generated code:
//! loops and matrix products) on three interleaved spiral arms generated here, with minibatch
//! gradient descent with momentum over the params' vector view, and prints the accuracy.
//!
//! `cargo run --release --example spiral`

use symdiff::runtime::ParamVector;

symdiff::network!(file = "indexed/spiral.sd");

#[path = "indexed/spiral_data.rs"]
mod spiral_data;

use spiral_data::{spirals, Rng, ARMS};

const PER_ARM: usize = 200;

fn accuracy(params: &spiral::Params, x: &[f64], t: &[f64]) -> f64 {
    spiral_data::accuracy(&spiral::forward_batch(params, x), t)
}

fn main() {
    let mut rng = Rng(2026);
    let (x, t) = spirals(&mut rng, PER_ARM);
    let rows = t.len() / ARMS;
    let mut params = spiral::Params::init(0);
    let mut velocity = spiral::Params::default();
    let (eta, beta, batch) = (0.05, 0.9, 32);
    let mut order: Vec<usize> = (0..rows).collect();
    let start = std::time::Instant::now();
    for epoch in 1..=300 {
        // A seeded shuffle (Fisher-Yates), then one step per batch of rows.
        for i in (1..rows).rev() {
            order.swap(i, (rng.unit() * (i + 1) as f64) as usize);
        }
        let mut total = 0.0;
        for chunk in order.chunks(batch) {
            let xb: Vec<f64> = chunk
                .iter()
                .flat_map(|&r| x[2 * r..2 * r + 2].to_vec())
                .collect();
            let tb: Vec<f64> = chunk
                .iter()
                .flat_map(|&r| t[ARMS * r..ARMS * (r + 1)].to_vec())
                .collect();
            let (loss, grad) = spiral::gradient_batch(&params, &xb, &tb);
            total += loss * chunk.len() as f64;
            velocity.zip_apply(&grad, |v, g| beta * v + g);
            params.zip_apply(&velocity, |w, v| w - eta * v);
        }
        if epoch % 50 == 0 {
            println!(
                "epoch {epoch:3}: mean loss {:.4}, accuracy {:.1}%",
                total / rows as f64,
                100.0 * accuracy(&params, &x, &t)
            );
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} params, {rows} points, 300 epochs in {seconds:.2} s; final accuracy {:.1}%",
        <spiral::Params as ParamVector>::LEN,
        100.0 * accuracy(&params, &x, &t)
    );
}
