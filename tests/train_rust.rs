//! A `network!` training loop and `symdiff train` give the same params: the same file, seed,
//! optimizer and batches (the runtime's `epoch_batches`, `gather_rows`, `Adam`/`Momentum`/
//! `Sgd`), generated `gradient_batch` on one side and core's evaluators on the other (the
//! scalar one, and the batched one of indexed networks), agree to 1e-12 after hundreds of steps.

use std::path::Path;
use symdiff::runtime::batches::{epoch_batches, gather_rows};
use symdiff::runtime::{Adam, Momentum, Optimizer, ParamVector, Sgd};

symdiff::network!(file = "../examples/train/xor.sd");
symdiff::network!(file = "../examples/train/linear.sd");
symdiff::network!(file = "../examples/train/blobs.sd");

/// A table's columns, row-major, in the order given.
fn columns(path: &Path, names: &[&str]) -> Vec<f64> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at: Vec<usize> = names
        .iter()
        .map(|n| header.iter().position(|h| h == n).unwrap())
        .collect();
    lines
        .flat_map(|l| {
            let cells: Vec<f64> = l.split(',').map(|c| c.parse().unwrap()).collect();
            at.iter().map(move |&k| cells[k]).collect::<Vec<_>>()
        })
        .collect()
}

/// `symdiff train` on an example with these flags; the saved params in declaration order.
fn cli_params(name: &str, flags: &[&str], params: &[&str]) -> Vec<f64> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let save = std::env::temp_dir().join(format!(
        "symdiff-train-rust-{}-{name}.json",
        std::process::id()
    ));
    let file = root.join(format!("examples/train/{name}.sd"));
    let data = root.join(format!("examples/train/{name}.csv"));
    let mut args = vec![
        "train".to_string(),
        file.display().to_string(),
        "--data".to_string(),
        data.display().to_string(),
        "--save".to_string(),
        save.display().to_string(),
        "--quiet".to_string(),
    ];
    args.extend(flags.iter().map(|f| f.to_string()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&save).unwrap()).unwrap();
    // Each param a number, or a list of them (row-major), in declaration order.
    let mut flat = Vec::new();
    for p in params {
        match &saved[p] {
            serde_json::Value::Array(items) => {
                flat.extend(items.iter().map(|v| v.as_f64().unwrap()));
            }
            value => flat.push(value.as_f64().unwrap()),
        }
    }
    flat
}

fn assert_close(rust: &[f64], cli: &[f64]) {
    assert_eq!(rust.len(), cli.len());
    for (k, (r, c)) in rust.iter().zip(cli).enumerate() {
        assert!(
            (r - c).abs() <= 1e-12 * (1.0 + c.abs()),
            "param {k}: {r} (Rust) vs {c} (CLI)"
        );
    }
}

#[test]
fn adam_on_xor_in_minibatches_gives_the_clis_params() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/train/xor.csv");
    let (x, t) = (columns(&root, &["x1", "x2"]), columns(&root, &["t"]));
    let (epochs, batch, seed) = (500, 2, 5);
    let mut p = xor::Params::INITIAL;
    let mut adam = Adam::new(0.05);
    for epoch in 1..=epochs {
        for rows in epoch_batches(t.len(), batch, seed, epoch) {
            let (xb, tb) = (gather_rows(&x, 2, &rows), gather_rows(&t, 1, &rows));
            let (_, g) = xor::gradient_batch(&p, &xb, &tb);
            adam.step(&mut p, &g);
        }
    }
    let names = ["a11", "a12", "b1", "a21", "a22", "b2", "v1", "v2", "c"];
    let flags = [
        "--lr",
        "0.05",
        "--epochs",
        "500",
        "--batch-size",
        "2",
        "--seed",
        "5",
    ];
    let cli = cli_params("xor", &flags, &names);
    assert_close(&p.to_vec(), &cli);
    // And it learned XOR.
    let y = |x1, x2| xor::forward(&p, &xor::Input { x1, x2 });
    assert!(y(0.0, 1.0) > 0.5 && y(1.0, 0.0) > 0.5 && y(0.0, 0.0) < 0.5 && y(1.0, 1.0) < 0.5);
}

#[test]
fn momentum_and_sgd_on_a_line_give_the_clis_params() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/train/linear.csv");
    let (x, t) = (columns(&root, &["x"]), columns(&root, &["t"]));
    for (name, mut opt) in [
        (
            "momentum",
            Box::new(Momentum::new(0.05, 0.9)) as Box<dyn Optimizer<f64>>,
        ),
        ("sgd", Box::new(Sgd::new(0.05))),
    ] {
        let mut p = linear::Params::INITIAL;
        for epoch in 1..=20 {
            for rows in epoch_batches(t.len(), 16, 3, epoch) {
                let (xb, tb) = (gather_rows(&x, 1, &rows), gather_rows(&t, 1, &rows));
                let (_, g) = linear::gradient_batch(&p, &xb, &tb);
                let mut flat = p.to_vec();
                opt.step_slice(&mut flat, &g.flat_vec());
                p = linear::Params::from_slice(&flat);
            }
        }
        let flags = [
            "--optimizer",
            name,
            "--lr",
            "0.05",
            "--epochs",
            "20",
            "--batch-size",
            "16",
            "--seed",
            "3",
        ];
        assert_close(&p.to_vec(), &cli_params("linear", &flags, &["a", "b"]));
    }
}

#[test]
fn adam_on_an_indexed_network_gives_the_clis_params() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/train/blobs.csv");
    let (x, t) = (columns(&root, &["x[1]", "x[2]"]), columns(&root, &["t"]));
    let mut p = blobs::Params::init(3);
    let mut adam = Adam::new(0.1);
    for epoch in 1..=20 {
        for rows in epoch_batches(t.len(), 16, 3, epoch) {
            let (xb, tb) = (gather_rows(&x, 2, &rows), gather_rows(&t, 1, &rows));
            let (_, g) = blobs::gradient_batch(&p, &xb, &tb);
            adam.step(&mut p, &g);
        }
    }
    let flags = [
        "--lr",
        "0.1",
        "--epochs",
        "20",
        "--batch-size",
        "16",
        "--seed",
        "3",
    ];
    let cli = cli_params("blobs", &flags, &["w", "b"]);
    assert_close(&p.to_vec(), &cli);
}
