//! `network!` misuse fails to compile with an error at the offending token (trybuild): one
//! mistake per file in `tests/ui/`, its expected compiler output next to it (`.stderr`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
