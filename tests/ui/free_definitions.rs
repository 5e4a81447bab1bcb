symdiff::network! {
    y = 1 / (x + t)
    x = v^2 + w
}

fn main() {}
