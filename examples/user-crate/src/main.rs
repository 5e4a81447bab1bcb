//! The `network!` contract's example, from a crate that depends on symdiff by path: trains the
//! tiny network for a few steps and prints the derived gradient.

symdiff::network! {
    network tiny {
        input x_t
        target y_t
        param w1, w2
        h = sigmoid(x_t * w1)
        output y = h * w2
        loss E = 1/2 * (y_t - y)^2
    }
}

fn main() {
    let mut params = tiny::Params { w1: 1.0, w2: 1.0 };
    let input = tiny::Input { x_t: 1.0 };
    let target = tiny::Target { y_t: 1.0 };
    let (loss, grad) = tiny::gradient(&params, &input, &target);
    println!(
        "E = {loss:.6}, dE/dw1 = {:.6}, dE/dw2 = {:.6}",
        grad.w1, grad.w2
    );
    for step in 1..=3 {
        tiny::sgd_step(&mut params, &input, &target, 0.1);
        println!(
            "step {step}: w1 = {:.5}, w2 = {:.5}, y = {:.5}",
            params.w1,
            params.w2,
            tiny::forward(&params, &input)
        );
    }
}
