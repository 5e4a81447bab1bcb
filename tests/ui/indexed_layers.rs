symdiff::network! {
    network layer {
        input x[3]
        target t
        param w[3] = 0.1
        loss E = 1/2 * (t - sum(i, w[i] * x[i]))^2
    }
}

fn main() {}
