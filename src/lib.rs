//! symdiff: symbolic differentiation the way backpropagation is taught.
//!
//! The crates behind this facade: [`core`] (expression DAG, differentiation, simplification,
//! evaluation, printers), [`grammar`] (the `.sd` language) and [`runtime`] (what generated code
//! for indexed networks calls, and the optimizers that step any generated `Params`).
#![warn(missing_docs)]

pub use symdiff_core as core;
pub use symdiff_grammar as grammar;
pub use symdiff_runtime as runtime;

/// Specialized gradient code at compile time: `network! { network NAME { ... } }` (or
/// `network!(file = "path.sd")`, relative to the invoking file) expands to `pub mod NAME` with
/// `Params`, `Input`, `Target`, `forward`, `loss`, `gradient`, `sgd_step` and `batch_gradient`.
/// `#[float = f32]` before `network NAME` (or `network!(file = "...", float = f32)`) selects
/// `f32`.
///
/// ```
/// symdiff::network! {
///     network tiny {
///         input x_t
///         target y_t
///         param w1 = 1, w2 = 1
///         h = sigmoid(x_t * w1)
///         output y = h * w2
///         loss E = 1/2 * (y_t - y)^2
///     }
/// }
/// let (e, g) = tiny::gradient(&tiny::Params::INITIAL, &tiny::Input { x_t: 1.0 }, &tiny::Target { y_t: 1.0 });
/// assert!((g.w2 + 0.19661193324148185).abs() < 1e-12);
/// assert!(e > 0.0);
/// ```
pub use symdiff_macros::network;
