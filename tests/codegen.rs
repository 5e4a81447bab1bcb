//! Snapshots of `symdiff codegen` for the lecture's two- and five-weight networks: the Rust
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
