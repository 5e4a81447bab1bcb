//! Trains the MNIST-shaped 784-128-10 network of `examples/lecture/indexed/mnist_mlp.sd` in f32
//! (generated code: loops and matrix products) on generated data, and prints its throughput.
//!
//! The data: ten class prototypes of 784 "pixels" in [0, 1), each example its class's
//! prototype with noise, so that the classes overlap but are learnable.
//!
//! `cargo run --release --example mnist`

use symdiff::runtime::ParamVector;

symdiff::network!(file = "lecture/indexed/mnist_mlp.sd", float = f32);

const PIXELS: usize = 784;
const CLASSES: usize = 10;
const EXAMPLES: usize = 6400;
const BATCH: usize = 64;

struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// `EXAMPLES` rows of pixels and one-hot targets.
fn data(rng: &mut Rng) -> (Vec<f32>, Vec<f32>) {
    let prototypes: Vec<f32> = (0..CLASSES * PIXELS).map(|_| rng.unit()).collect();
    let (mut x, mut t) = (
        Vec::with_capacity(EXAMPLES * PIXELS),
        vec![0.0; EXAMPLES * CLASSES],
    );
    for n in 0..EXAMPLES {
        let class = n % CLASSES;
        let prototype = &prototypes[class * PIXELS..(class + 1) * PIXELS];
        x.extend(
            prototype
                .iter()
                .map(|&p| (0.5 * p + 0.5 * rng.unit()).min(1.0)),
        );
        t[n * CLASSES + class] = 1.0;
    }
    (x, t)
}

fn accuracy(params: &mnist_mlp::Params, x: &[f32], t: &[f32]) -> f32 {
    let p = mnist_mlp::forward_batch(params, x);
    let argmax = |row: &[f32]| {
        (0..CLASSES)
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap()
    };
    let rows = t.len() / CLASSES;
    let right = (0..rows)
        .filter(|&r| argmax(&p[r * CLASSES..][..CLASSES]) == argmax(&t[r * CLASSES..][..CLASSES]))
        .count();
    right as f32 / rows as f32
}

fn main() {
    let mut rng = Rng(7);
    let (x, t) = data(&mut rng);
    let mut params = mnist_mlp::Params::init(0);
    let eta = 0.1f32;
    println!(
        "784-128-10, {} params, f32, batches of {BATCH}; accuracy before training {:.1}%",
        <mnist_mlp::Params as ParamVector>::LEN,
        100.0 * accuracy(&params, &x, &t)
    );
    for epoch in 1..=3 {
        let start = std::time::Instant::now();
        let mut total = 0.0;
        for (xb, tb) in x.chunks(BATCH * PIXELS).zip(t.chunks(BATCH * CLASSES)) {
            let (loss, grad) = mnist_mlp::gradient_batch(&params, xb, tb);
            total += loss;
            params.zip_apply(&grad, |w, g| w - eta * g);
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "epoch {epoch}: mean loss {:.4}, {:.0} examples/s (forward + gradient + update), accuracy {:.1}%",
            total / (EXAMPLES / BATCH) as f32,
            EXAMPLES as f64 / seconds,
            100.0 * accuracy(&params, &x, &t)
        );
    }
}
