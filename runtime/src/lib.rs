//! symdiff's run-time library: what code generated for indexed networks calls, and what
//! trains any generated `Params`.
//!
//! - [`matmul`]: the one matrix product (a safe wrapper over the `gemm` crate with the `gemm`
//!   feature, else over `matrixmultiply`; extents and strides checked before the call), for
//!   `f32` and `f64`.
//! - [`float`]: the [`Float`] trait that makes the rest generic over `f32` and `f64`.
//! - [`init`]: the seeded random initializers (`uniform`, `normal`), the same numbers as the CLI.
//! - [`reduce`]: the stable reductions generated code calls (`logsumexp`).
//! - [`params`]: [`ParamVector`], all params of a generated network as one vector.
//! - [`optim`]: [`Sgd`], [`Momentum`] and [`Adam`], which step any `Params` or a flat slice.
//! - [`batches`]: the seeded shuffles and minibatches of `symdiff train` (from the stream of
//!   [`init`]).
//! - `serde_rows` (with the `serde` feature): params whose rows are long arrays as nested JSON
//!   arrays.
//!
//! It depends on nothing but `matrixmultiply` (and `gemm` with the `gemm` feature), so a crate
//! that uses `network!` with `default-features = false` builds no command-line dependencies.
#![warn(missing_docs)]

pub mod batches;
pub mod float;
pub mod init;
pub mod matmul;
pub mod optim;
pub mod params;
pub mod reduce;
#[cfg(feature = "serde")]
pub mod serde_rows;

pub use float::Float;
pub use optim::{Adam, Momentum, Optimizer, Sgd};
pub use params::ParamVector;
