symdiff::network! {
    network tiny {
        input x_t
        target y_t
        param w1, w2
        a = b * w1 + x_t
        b = a * w2
        output y = b
        loss E = 1/2 * (y_t - y)^2
    }
}

fn main() {}
