symdiff::network! {
    #[float = f16]
    network tiny {
        input x_t
        target y_t
        param w1
        output y = x_t * w1
        loss E = (y_t - y)^2
    }
}

fn main() {}
