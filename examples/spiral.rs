//! Trains the 2-64-64-3 spiral classifier of `examples/indexed/spiral.sd` (generated code:
//! loops and matrix products) on three interleaved spiral arms generated here, with minibatch
//! gradient descent with momentum over the params' vector view, and prints the accuracy.
//!
//! `cargo run --release --example spiral`

use symdiff::runtime::ParamVector;

symdiff::network!(file = "indexed/spiral.sd");

const ARMS: usize = 3;
const PER_ARM: usize = 200;

/// A small seeded generator (xorshift64*), uniform in [0, 1).
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Points of three spiral arms with a little noise: rows of `x` (2 values) and one-hot `t`.
fn spirals(rng: &mut Rng) -> (Vec<f64>, Vec<f64>) {
    let (mut x, mut t) = (Vec::new(), Vec::new());
    for arm in 0..ARMS {
        for n in 0..PER_ARM {
            let r = n as f64 / PER_ARM as f64;
            let angle = arm as f64 * 4.0 + 4.0 * r + 0.2 * (rng.unit() - 0.5);
            x.extend([r * angle.sin(), r * angle.cos()]);
            t.extend((0..ARMS).map(|k| f64::from(u8::from(k == arm))));
        }
    }
    (x, t)
}

/// The share of rows whose largest output is the target's class.
fn accuracy(params: &spiral::Params, x: &[f64], t: &[f64]) -> f64 {
    let p = spiral::forward_batch(params, x);
    let argmax = |row: &[f64]| {
        (0..ARMS)
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap()
    };
    let rows = t.len() / ARMS;
    let right = (0..rows)
        .filter(|&r| argmax(&p[r * ARMS..][..ARMS]) == argmax(&t[r * ARMS..][..ARMS]))
        .count();
    right as f64 / rows as f64
}

fn main() {
    let mut rng = Rng(2026);
    let (x, t) = spirals(&mut rng);
    let rows = t.len() / ARMS;
    let mut params = spiral::Params::init(0);
    let mut velocity = spiral::Params::default();
    let (eta, beta, batch) = (0.05, 0.9, 32);
    let mut order: Vec<usize> = (0..rows).collect();
    let start = std::time::Instant::now();
    for epoch in 1..=300 {
        // A seeded shuffle (Fisher-Yates), then one step per batch of rows.
        for i in (1..rows).rev() {
            order.swap(i, (rng.unit() * (i + 1) as f64) as usize);
        }
        let mut total = 0.0;
        for chunk in order.chunks(batch) {
            let xb: Vec<f64> = chunk
                .iter()
                .flat_map(|&r| x[2 * r..2 * r + 2].to_vec())
                .collect();
            let tb: Vec<f64> = chunk
                .iter()
                .flat_map(|&r| t[ARMS * r..ARMS * (r + 1)].to_vec())
                .collect();
            let (loss, grad) = spiral::gradient_batch(&params, &xb, &tb);
            total += loss * chunk.len() as f64;
            velocity.zip_apply(&grad, |v, g| beta * v + g);
            params.zip_apply(&velocity, |w, v| w - eta * v);
        }
        if epoch % 50 == 0 {
            println!(
                "epoch {epoch:3}: mean loss {:.4}, accuracy {:.1}%",
                total / rows as f64,
                100.0 * accuracy(&params, &x, &t)
            );
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{} params, {rows} points, 300 epochs in {seconds:.2} s; final accuracy {:.1}%",
        <spiral::Params as ParamVector>::LEN,
        100.0 * accuracy(&params, &x, &t)
    );
}
