//! Seeded random initial values, shared by symdiff's evaluator and generated `Params::init`:
//! one stream per (seed, array name), so the same file and seed give the same values on every
//! platform, in the CLI and in generated code. `stream.rs` says how the numbers are made.

mod stream;

pub(crate) use stream::Stream;

/// `count` values `low + (high - low)·u`, `u` uniform on `[0, 1)`, from the stream of
/// (`seed`, `name`).
///
/// ```
/// let a = symdiff_runtime::init::uniform(0, "w1", 4, -1.0, 1.0);
/// assert_eq!(a, symdiff_runtime::init::uniform(0, "w1", 4, -1.0, 1.0));
/// assert!(a.iter().all(|v| (-1.0..1.0).contains(v)));
/// assert_ne!(a, symdiff_runtime::init::uniform(0, "w2", 4, -1.0, 1.0));
/// ```
pub fn uniform(seed: u64, name: &str, count: usize, low: f64, high: f64) -> Vec<f64> {
    let mut stream = Stream::new(seed, name);
    let width = high - low;
    (0..count).map(|_| low + width * stream.uniform()).collect()
}

/// `count` values `mean + sd·z`, `z` standard normal (Marsaglia's polar method, pairs), from
/// the stream of (`seed`, `name`).
///
/// ```
/// let z = symdiff_runtime::init::normal(7, "w", 1001, 0.0, 1.0);
/// assert_eq!(z.len(), 1001);
/// let mean = z.iter().sum::<f64>() / 1001.0;
/// assert!(mean.abs() < 0.15);
/// ```
pub fn normal(seed: u64, name: &str, count: usize, mean: f64, sd: f64) -> Vec<f64> {
    let mut stream = Stream::new(seed, name);
    let mut values = Vec::with_capacity(count + 1);
    while values.len() < count {
        let (z1, z2) = stream.normal_pair();
        values.push(mean + sd * z1);
        values.push(mean + sd * z2);
    }
    values.truncate(count);
    values
}
