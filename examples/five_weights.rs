//! The lecture's five-weight network (h1 feeds h2 and h3, so ∂E/∂w1 sums two paths), trained
//! by `network!`'s generated gradient at η = 0.1 from every weight at 1 on (x_t, y_t) = (1, 1).
//!
//! Run with `cargo run --example five_weights`.

symdiff::network! {
    network five_weights {
        input x_t
        target y_t
        param w1 = 1, w2 = 1, w3 = 1, w4 = 1, w5 = 1
        s1 = x_t * w1
        h1 = sigmoid(s1)
        s2 = h1 * w2
        h2 = sigmoid(s2)
        s3 = h1 * w3
        h3 = sigmoid(s3)
        s4 = h2 * w4 + h3 * w5
        output y = s4
        loss E = 1/2 * (y_t - y)^2
    }
}

fn main() {
    use five_weights::{Input, Params, Target};
    let (input, target) = (Input { x_t: 1.0 }, Target { y_t: 1.0 });
    let mut p = Params::INITIAL;
    println!("step       w1       w2       w3       w4       w5        y          E");
    for step in 0..=32 {
        let y = five_weights::forward(&p, &input);
        let e = five_weights::loss(&p, &input, &target);
        if step % 4 == 0 {
            println!(
                "{step:>4} {:>8.5} {:>8.5} {:>8.5} {:>8.5} {:>8.5} {y:>8.5} {e:>10.6}",
                p.w1, p.w2, p.w3, p.w4, p.w5
            );
        }
        five_weights::sgd_step(&mut p, &input, &target, 0.1);
    }
}
