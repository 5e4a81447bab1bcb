symdiff::network! {
    network layer {
        input x[3]
        target t
        param w[4] = 0.1
        output y = sum(i, w[i] * x[i])
        loss E = 1/2 * (t - y)^2
    }
}

fn main() {}
