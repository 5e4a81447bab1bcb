//! The `serde` feature: generated structs serialize to the JSON shape of `symdiff train --save`
//! and `--params` (`{"w1": [[...], ...], "b1": [...]}`), so params trained in Rust are read by
//! the CLI and back. Run by `.ci/run` with `cargo test --features serde --test serde_params`.

mod common;

symdiff::network!(file = "nets/indexed/two_layer.sd");
symdiff::network!(file = "nets/two_weights.sd");
symdiff::network!(file = "../examples/lecture/indexed/mnist_mlp.sd");

#[test]
fn indexed_params_are_the_clis_params_file() {
    let mut p = two_layer::Params::init(0);
    p.w1[2][0] = -0.75; // the file's w1[3, 1]
    let json = serde_json::to_string(&p).unwrap();
    assert!(
        json.starts_with(r#"{"w1":[[0.1,0.2,0.3],[0.4,0.5,0.6],[-0.75,"#),
        "{json}"
    );
    let back: two_layer::Params = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    // The CLI reads the file as --params and gives the generated loss.
    let file = common::write_temp("serde", "two_layer.json", &json);
    let net = common::root().join("tests/nets/indexed/two_layer.sd");
    let out = common::symdiff_ok(&[
        "grad",
        net.to_str().unwrap(),
        "--params",
        file.to_str().unwrap(),
        "--at",
        "x=[1,0.5,-1],t=[0,1,0,1]",
        "--format",
        "json",
    ]);
    let cli: serde_json::Value = serde_json::from_str(&out).unwrap();
    let input = two_layer::Input {
        x: vec![1.0, 0.5, -1.0],
    };
    let target = two_layer::Target {
        t: vec![0.0, 1.0, 0.0, 1.0],
    };
    let (loss, grad) = two_layer::gradient(&p, &input, &target);
    let cli_loss = cli["value"].as_f64().unwrap();
    assert!(
        (cli_loss - loss).abs() <= 1e-12 * loss.abs(),
        "{cli_loss} vs {loss}"
    );
    let cli_w1 = cli["gradient"]["w1"]["value"][2][0].as_f64().unwrap();
    assert!((cli_w1 - grad.w1[2][0]).abs() <= 1e-12 * (1.0 + cli_w1.abs()));
}

#[test]
fn scalar_params_serialize_by_name() {
    let p = two_weights::Params { w1: 1.5, w2: -0.25 };
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"w1":1.5,"w2":-0.25}"#
    );
}

#[test]
fn rows_longer_than_32_numbers_are_nested_arrays_too() {
    // serde implements arrays only up to 32 elements: `w1: Vec<[f64; 784]>` goes through
    // `symdiff::runtime::serde_rows`.
    let p = mnist_mlp::Params::init(0);
    let json = serde_json::to_string(&p).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["w1"].as_array().unwrap().len(), 128);
    assert_eq!(value["w1"][0].as_array().unwrap().len(), 784);
    assert_eq!(value["w1"][3][700].as_f64().unwrap(), p.w1[3][700]);
    assert_eq!(value["b1"].as_array().unwrap().len(), 128);
    let back: mnist_mlp::Params = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    // A row one number short is an error that says what was expected.
    let mut short = value.clone();
    short["w1"][5].as_array_mut().unwrap().pop();
    let error = serde_json::from_value::<mnist_mlp::Params>(short)
        .unwrap_err()
        .to_string();
    assert!(error.contains("an array of 784 numbers"), "{error}");
}
