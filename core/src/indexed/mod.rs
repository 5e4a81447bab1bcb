//! Indexed layers: arrays, definitions written once with indices, their derivatives in index
//! form (the slides' Σ formulas), and the loop evaluator that runs them.
//!
//! - `model.rs`: the indexed model and its builder (what the grammar lowers into).
//! - `init.rs`: a param's initial values from its initializer and a seed.
//! - `derive.rs`: local partials, adjoints in index form, path templates.
//! - `eval.rs`: forward values and gradients by loops over arrays, one row at a time.
//! - `batch.rs`: the same over many rows at once, the rows an outer index (given one
//!   `ArrayValues` per row, or array by array as `stacked.rs`'s `StackedRows`); `dense.rs` its
//!   values over index sets and contractions; the matrix product they call
//!   is symdiff-runtime's `matmul`.
//! - `unroll.rs`: the same network as scalars, for the scalar engine and `graph --unroll`.

mod analysis;
pub(crate) mod batch;
pub(crate) mod dense;
mod derive;
mod eval;
mod formula;
mod index_ops;
pub(crate) mod init;
pub(crate) mod model;
mod stable;
mod stacked;
mod unroll;

pub use analysis::{IndexedAnalysis, IndexedEvaluation};
pub use batch::MEMORY_BUDGET;
pub use derive::{IndexedAdjoint, IndexedDerivation, LocalPartial, PathTemplate};
pub use eval::{ArrayValues, IndexedProgram};
pub use formula::IndexedFormula;
pub use stacked::StackedRows;
pub use unroll::{element_name, positions, unroll};

pub use init::{initial_values, DEFAULT_SEED};
pub use model::{
    Array, Definition, Element, IndexedBuilder, IndexedError, IndexedModel, Initializer, Sub,
};

pub use index_ops::fix_indices;
#[doc(hidden)]
pub use index_ops::{sum_over as sum_over_public, tidy};
/// The matrix product of the batched evaluator (symdiff-runtime's, shared with generated code).
pub use symdiff_runtime::matmul;
