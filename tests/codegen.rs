//! Snapshots of `symdiff codegen` for the lecture's two- and five-weight networks and the
//! two-layer indexed network: the Rust
//! that `network!` expands to, formatted. A reviewer reads them like hand-written backprop.

mod common;

use std::process::Command;

/// `symdiff codegen` of a file in `tests/nets/`.
fn codegen(file: &str) -> String {
    let path = common::root().join("tests/nets").join(file);
    common::symdiff_ok(&["codegen", path.to_str().expect("UTF-8 path")])
}

#[test]
fn codegen_two_weights() {
    insta::assert_snapshot!(codegen("two_weights.sd"));
}

#[test]
fn codegen_five_weights() {
    insta::assert_snapshot!(codegen("five_weights.sd"));
}

/// DESIGN.md's two-layer sigmoid network in index form: loops over the rows and each layer's
/// index, the three contractions of each pass as matrix products, the params' adjoints summed
/// over the rows by the products themselves.
#[test]
fn codegen_indexed_two_layer() {
    let code = codegen("indexed/two_layer.sd");
    // `grad --format rust` is the same module.
    let path = common::root().join("tests/nets/indexed/two_layer.sd");
    let rust = common::symdiff_ok(&["grad", path.to_str().unwrap(), "--format", "rust"]);
    assert_eq!(rust, code);
    insta::assert_snapshot!(code);
}

/// The lines of the generated `gradient` function's body.
fn gradient_body(code: &str) -> Vec<&str> {
    code.lines()
        .skip_while(|l| !l.contains("pub fn gradient("))
        .skip(1)
        .take_while(|l| *l != "    }")
        .collect()
}

/// A hidden unit's pre-activation adjoint `∂E/∂g·(1 - g²)` has no name in the source, yet the
/// generated gradient multiplies it out once per unit, as hand-written backprop does, and every
/// weight into the unit costs one more multiplication.
#[test]
fn pre_activation_adjoint_is_multiplied_once_per_unit() {
    let code = codegen("tanh_2_2_1.sd");
    let body = gradient_body(&code);
    for k in [1, 2] {
        let products: Vec<&&str> = body
            .iter()
            .filter(|l| l.contains(&format!("d_g{k} * ")))
            .collect();
        assert_eq!(
            products.len(),
            1,
            "d_g{k} multiplied more than once:\n{code}"
        );
        let temp = products[0]
            .trim()
            .strip_prefix("let ")
            .and_then(|l| l.split(' ').next())
            .unwrap_or_else(|| panic!("{}", products[0]));
        for j in [1, 2] {
            let weight = format!("let d_a{k}{j} = {temp} * x{j};");
            assert!(body.iter().any(|l| l.trim() == weight), "{weight}\n{code}");
        }
    }
    // The 2-8-8-1 MLP of the benchmarks, where the bias's gradient is that product itself.
    let path = common::root().join("benches/mlp_2_8_8_1.sd");
    let code = common::symdiff_ok(&["codegen", path.to_str().expect("UTF-8 path")]);
    let body = gradient_body(&code);
    for k in 1..=8 {
        let uses = body
            .iter()
            .filter(|l| l.contains(&format!("d_g{k} * ")))
            .count();
        assert_eq!(uses, 1, "d_g{k}:\n{code}");
    }
}

#[test]
fn codegen_of_free_definitions_is_an_error() {
    let dir = std::env::temp_dir().join(format!("symdiff-codegen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("free.sd");
    std::fs::write(&file, "y = exp(w)\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_symdiff"))
        .arg("codegen")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a network"), "{stderr}");
}

/// An adjoint that is a sum of fractions can cancel against a bare name it multiplies
/// (`((1 + x)/x - 1)·x` is `1`): the chain collapses into the gradient, nothing of it is bound.
#[test]
fn an_adjoint_that_cancels_against_a_name_is_inlined() {
    let code = codegen("cancelling_loss.sd");
    let body = gradient_body(&code);
    assert!(
        // `1 - u` of the sigmoid `u = sigmoid(w)` is evaluated as `sigmoid(-w)` (its tail),
        // bound with `u` (`let (u, t0) = sigmoid_pair(w);`).
        body.iter().any(|l| l.trim() == "let d_w = u * t0;"),
        "{}",
        body.join("\n")
    );
    assert!(
        !body.iter().any(|l| l.trim_start().starts_with("let d_v")),
        "{}",
        body.join("\n")
    );
}

/// Generated code for indexed layers is loops and matrix products, never unrolled scalars: the
/// MNIST-size network (101,770 params) and the 256-64-1 network (16,513) are each under 1,000
/// formatted lines, and four times the widths give the same code but for its numbers (the same
/// statements and blocks; a line may wrap differently where a number grows a digit).
#[test]
fn indexed_code_size_does_not_grow_with_width() {
    let code = |path: &std::path::Path| common::symdiff_ok(&["codegen", path.to_str().unwrap()]);
    let lines = |path: &std::path::Path| code(path).lines().count();
    // The code with every number replaced by `N` and whitespace dropped.
    let shape = |path: &std::path::Path| {
        let text: String = code(path).split_whitespace().collect();
        let mut out = String::new();
        let mut in_number = false;
        for c in text.chars() {
            if c.is_ascii_digit() {
                if !in_number {
                    out.push('N');
                }
                in_number = true;
            } else {
                in_number = false;
                out.push(c);
            }
        }
        out
    };
    let root = common::root();
    let mnist = lines(&root.join("examples/lecture/indexed/mnist_mlp.sd"));
    let dense = root.join("tests/nets/indexed/dense_256_64_1.sd");
    let narrow = lines(&dense);
    assert!(mnist < 1000, "784-128-10: {mnist} lines");
    assert!(narrow < 1000, "256-64-1: {narrow} lines");
    let wide_text = std::fs::read_to_string(&dense)
        .unwrap()
        .replace("I = 256, J = 64", "I = 1024, J = 256");
    let wide = common::write_temp("codegen", "dense_1024_256_1.sd", &wide_text);
    assert_eq!(shape(&wide), shape(&dense), "1024-256-1 against 256-64-1");
}
