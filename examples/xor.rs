//! A 2-2-1 sigmoid network, written with scalar weights, trained by full-batch gradient descent
//! on cross-entropy until it computes XOR; prints its truth table.
//!
//! Run with `cargo run --example xor`.

symdiff::network! {
    network xor {
        input x1, x2
        target t
        // Asymmetric starting weights, so the two hidden units learn different features.
        param a11 = 0.5, a12 = -0.4, b1 = 0.1
        param a21 = -0.3, a22 = 0.6, b2 = -0.2
        param v1 = 0.7, v2 = -0.5, c = 0.05
        h1 = sigmoid(a11 * x1 + a12 * x2 + b1)
        h2 = sigmoid(a21 * x1 + a22 * x2 + b2)
        output y = sigmoid(v1 * h1 + v2 * h2 + c)
        loss E = -(t * log(y) + (1 - t) * log(1 - y))
    }
}

fn main() {
    use xor::{Input, Params, Target};
    let samples: Vec<(Input, Target)> = [
        (0.0, 0.0, 0.0),
        (0.0, 1.0, 1.0),
        (1.0, 0.0, 1.0),
        (1.0, 1.0, 0.0),
    ]
    .iter()
    .map(|&(x1, x2, t)| (Input { x1, x2 }, Target { t }))
    .collect();
    let mut p = Params::INITIAL;
    let eta = 0.5;
    for epoch in 0..=20_000 {
        let (e, g) = xor::batch_gradient(&p, &samples);
        if epoch % 4000 == 0 {
            println!("epoch {epoch:>5}: E = {e:.6}");
        }
        p.a11 -= eta * g.a11;
        p.a12 -= eta * g.a12;
        p.b1 -= eta * g.b1;
        p.a21 -= eta * g.a21;
        p.a22 -= eta * g.a22;
        p.b2 -= eta * g.b2;
        p.v1 -= eta * g.v1;
        p.v2 -= eta * g.v2;
        p.c -= eta * g.c;
    }
    println!("\nx1 x2 | t | y");
    let mut correct = 0;
    for (input, target) in &samples {
        let y = xor::forward(&p, input);
        correct += usize::from((y > 0.5) == (target.t > 0.5));
        println!(" {}  {} | {} | {y:.4}", input.x1, input.x2, target.t);
    }
    println!("{correct}/4 correct");
}
