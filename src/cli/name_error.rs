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
    e.message(flag)
}
