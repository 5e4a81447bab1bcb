//! A 2-2-1 sigmoid network (examples/train/xor.sd) trained on XOR with the runtime's Adam in
//! minibatches of two, the batches `symdiff train` takes with the same seed; prints its truth
//! table. The command-line twin:
//! `symdiff train examples/train/xor.sd --data examples/train/xor.csv --lr 0.05 --epochs 500 --batch-size 2`.
//!
//! Run with `cargo run --example xor`.

use symdiff::runtime::batches::{epoch_batches, gather_rows};
use symdiff::runtime::{Adam, Optimizer};

symdiff::network!(file = "train/xor.sd");

fn main() {
    let x = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]; // x1, x2 per row
    let t = [0.0, 1.0, 1.0, 0.0];
    let mut p = xor::Params::INITIAL;
    let mut adam = Adam::new(0.05);
    for epoch in 1..=500 {
        for rows in epoch_batches(4, 2, 0, epoch) {
            let (xb, tb) = (gather_rows(&x, 2, &rows), gather_rows(&t, 1, &rows));
            let (_, gradient) = xor::gradient_batch(&p, &xb, &tb);
            adam.step(&mut p, &gradient);
        }
        if epoch % 100 == 0 {
            println!(
                "epoch {epoch:>3}: mean E = {:.6}",
                xor::loss_batch(&p, &x, &t)
            );
        }
    }
    println!("\nx1 x2 | t | y");
    for (xr, t) in x.chunks(2).zip(t) {
        let y = xor::forward(
            &p,
            &xor::Input {
                x1: xr[0],
                x2: xr[1],
            },
        );
        println!(" {}  {} | {t} | {y:.4}", xr[0], xr[1]);
    }
}
