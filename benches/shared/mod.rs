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
