//! Generated indexed networks (sizes 1-6, depths 1-4, every function): the index-form gradient
//! from the loop evaluator equals the scalar engine's gradient of the same network unrolled
//! into scalars to 1e-12, and central finite differences to gradcheck tolerances; so does the
//! batched plan's (which `evaluate` runs with one row).

mod common;

use common::{agrees_with_unrolled, random_network, Rng};

fn check(seed: u64) {
    let mut rng = Rng(seed);
    let model = random_network(&mut rng);
    agrees_with_unrolled(model, &mut || rng.unit(), 1e-5, &format!("seed {seed}"));
}

#[test]
fn random_indexed_networks_agree_with_their_unrolled_scalars() {
    for seed in 0..300 {
        check(seed);
    }
}
