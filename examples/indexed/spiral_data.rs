//! Three interleaved spiral arms with a little noise, and the share of rows classified right:
//! shared by `examples/spiral.rs` and `tests/indexed_training.rs`, so both train on the same
//! points.

/// The number of arms (classes).
pub const ARMS: usize = 3;

/// A small seeded generator (xorshift64*), uniform in [0, 1).
pub struct Rng(pub u64);

impl Rng {
    pub fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `per_arm` points of each arm: rows of `x` (2 values) and one-hot `t`.
pub fn spirals(rng: &mut Rng, per_arm: usize) -> (Vec<f64>, Vec<f64>) {
    let (mut x, mut t) = (Vec::new(), Vec::new());
    for arm in 0..ARMS {
        for n in 0..per_arm {
            let r = n as f64 / per_arm as f64;
            let angle = arm as f64 * 4.0 + 4.0 * r + 0.2 * (rng.unit() - 0.5);
            x.extend([r * angle.sin(), r * angle.cos()]);
            t.extend((0..ARMS).map(|k| f64::from(u8::from(k == arm))));
        }
    }
    (x, t)
}

/// The share of rows whose largest output `p` (rows of `ARMS`) is the target's class.
pub fn accuracy(p: &[f64], t: &[f64]) -> f64 {
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
