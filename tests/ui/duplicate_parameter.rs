symdiff::network! {
    network tiny {
        input x_t
        target y_t
        param w1, w2, w1
        h = sigmoid(x_t * w1)
        output y = h * w2
        loss E = 1/2 * (y_t - y)^2
    }
}

fn main() {}
