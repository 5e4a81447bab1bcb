//! Every diagnostic the CLI gives for the bad-input corpus (`tests/cases/bad/*.sd`) is also a
//! compile error of `network!`, with the same message: through `file = "..."` for every file, and
//! inline for every file whose text is valid Rust tokens (the form a `network! { ... }` body
//! takes). The macro never panics on any of them.

use crate::expand::expand;
use proc_macro2::TokenStream;
use quote::quote;
use std::path::PathBuf;

fn corpus() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/cases/bad");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the bad-input corpus exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sd"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "the corpus has {} files", files.len());
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable corpus file");
            (p, text)
        })
        .collect()
}

/// The messages of an expansion's errors, or `None` when it succeeded.
fn errors(input: TokenStream) -> Option<Vec<String>> {
    expand(input, None)
        .err()
        .map(|e| e.0.into_iter().map(|(_, m)| m).collect())
}

#[test]
fn every_cli_diagnostic_is_a_compile_error_through_a_file() {
    for (path, text) in corpus() {
        let absolute = std::fs::canonicalize(&path).expect("canonical path");
        let origin = absolute.display().to_string();
        let literal = origin.clone();
        let got = errors(quote!(file = #literal));
        match symdiff_grammar::parse(&origin, &text) {
            Err(d) => {
                let cli = d.render(&origin, &text).trim_end().to_string();
                assert_eq!(got, Some(vec![cli]), "{}", path.display());
            }
            Ok(parsed) => {
                // Valid text: an error only where there is no network to generate.
                let networks = parsed.models.iter().filter(|m| m.is_network()).count();
                let free = parsed.models.iter().any(|m| !m.is_network());
                assert_eq!(
                    got.is_some(),
                    networks == 0 || free,
                    "{}: {got:?}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn every_cli_diagnostic_is_a_compile_error_inline() {
    let mut compared = 0;
    for (path, text) in corpus() {
        let Ok(tokens) = text.parse::<TokenStream>() else {
            continue; // not Rust tokens (`#` comments, `·`, unbalanced brackets): file form only
        };
        let Err(d) = symdiff_grammar::parse("network!", &text) else {
            continue;
        };
        let Some(got) = errors(tokens) else {
            panic!(
                "{}: the CLI reports an error, the macro expanded",
                path.display()
            );
        };
        let first_cli_message = &d.0.iter().find(|d| d.is_error()).expect("an error").message;
        assert!(
            got.iter()
                .any(|m| m.starts_with(first_cli_message.as_str())),
            "{}: CLI says {first_cli_message:?}, the macro {got:?}",
            path.display()
        );
        compared += 1;
    }
    assert!(
        compared >= 10,
        "only {compared} corpus files were compared inline"
    );
}
