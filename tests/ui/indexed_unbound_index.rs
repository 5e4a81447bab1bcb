symdiff::network! {
    network layer {
        input x[3]
        target t[2]
        param w[2, 3] = 0.1
        s[j] = sum(i, w[j, i] * x[k])
        output y[j] = sigmoid(s[j])
        loss E = 1/2 * sum(j, (t[j] - y[j])^2)
    }
}

fn main() {}
