//! The lecture's two-weight network trained by `network!`'s generated gradient: 64 steps of
//! gradient descent at η = 0.1 from w1 = w2 = 1 on the sample (x_t, y_t) = (1, 1), printed as
//! the lecture's table.
//!
//! Run with `cargo run --example two_weights`.

symdiff::network! {
    network two_weights {
        input x_t
        target y_t
        param w1 = 1, w2 = 1
        s1 = x_t * w1
        h = sigmoid(s1)
        s2 = h * w2
        output y = s2
        loss E = 1/2 * (y_t - y)^2
    }
}

fn main() {
    use two_weights::{Input, Params, Target};
    let (input, target) = (Input { x_t: 1.0 }, Target { y_t: 1.0 });
    let mut params = Params::INITIAL;
    println!("step       w1       w2        y          E   dE/dw1   dE/dw2");
    for step in 0..=64 {
        let (e, g) = two_weights::gradient(&params, &input, &target);
        let y = two_weights::forward(&params, &input);
        println!(
            "{step:>4} {:>8.5} {:>8.5} {:>8.5} {:>10.6} {:>8.5} {:>8.5}",
            params.w1, params.w2, y, e, g.w1, g.w2
        );
        two_weights::sgd_step(&mut params, &input, &target, 0.1);
    }
}
