//! A name the analysis could not resolve, said in the CLI's own words: which flag named it
//! (`--of`, `--wrt`, `--at`) and what to pass instead.

use super::Failure;
use symdiff::core::{NameError, NameUse};

/// The flag that gives a name of this use.
fn flag(used_as: NameUse) -> &'static str {
    match used_as {
        NameUse::Of => "--of",
        NameUse::Wrt => "--wrt",
        NameUse::At => "--at",
    }
}

impl From<NameError> for Failure {
    fn from(e: NameError) -> Failure {
        Failure(format!("error: {}", describe(&e)))
    }
}

/// The error's message as the CLI says it, naming the flag.
pub fn describe(e: &NameError) -> String {
    match e {
        NameError::Unknown {
            used_as,
            name,
            known,
        } => format!(
            "{} names `{name}`, which the model does not define (it has: {})",
            flag(*used_as),
            known.join(", ")
        ),
        NameError::NoDefaultOf(candidates) => format!(
            "no loss to differentiate: pass --of with one of {}",
            candidates.join(", ")
        ),
        NameError::Computed(name) => format!(
            "--at assigns `{name}`, which is defined by a formula; assign inputs, targets and params"
        ),
    }
}
