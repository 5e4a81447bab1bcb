//! Every file of `tests/cases/bad/` (one mistake each) through `parse`, with its rendered
//! diagnostics pinned as a snapshot. A file whose name contains `warn` must parse, with at
//! least one warning; every other file must be rejected.

use symdiff_grammar::{parse, Severity};

#[test]
fn every_bad_case_is_reported_readably() {
    insta::glob!("../../tests/cases/bad", "*.sd", |path| {
        let text = std::fs::read_to_string(path).expect("readable case");
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name");
        let rendered = match parse(name, &text) {
            Ok(parsed) => {
                assert!(name.contains("warn"), "{name} was accepted");
                assert!(!parsed.warnings.is_empty(), "{name} has no warning");
                assert!(parsed
                    .warnings
                    .iter()
                    .all(|w| w.severity == Severity::Warning));
                parsed
                    .warnings
                    .iter()
                    .map(|w| w.render(name, &text))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Err(errors) => {
                assert!(!name.contains("warn"), "{name} was rejected: {errors}");
                assert!(errors.0.iter().all(|e| e.severity == Severity::Error));
                errors.render(name, &text)
            }
        };
        insta::assert_snapshot!(rendered);
    });
}
