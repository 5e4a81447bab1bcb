//! symdiff: symbolic differentiation the way backpropagation is taught.
//!
//! The crates behind this facade: [`core`] (expression DAG, differentiation, simplification,
//! evaluation, printers) and [`grammar`] (the `.sd` language).
#![warn(missing_docs)]

pub use symdiff_core as core;
pub use symdiff_grammar as grammar;
