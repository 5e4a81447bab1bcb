//! symdiff: symbolic differentiation the way backpropagation is taught.
//!
//! The crates behind this facade: [`core`] (expression DAG, differentiation, simplification,
//! evaluation, printers), [`grammar`] (the `.sd` language) and [`runtime`] (what generated code
//! for indexed networks calls, and the optimizers that step any generated `Params`).
#![warn(missing_docs)]

pub use symdiff_core as core;
pub use symdiff_grammar as grammar;
pub use symdiff_runtime as runtime;

/// serde, for the derives of generated structs (the `serde` feature).
#[cfg(feature = "serde")]
#[doc(hidden)]
pub use serde;

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
///
/// An indexed network becomes loops and matrix products over arrays (0-based in Rust, 1-based in
/// the file), with the same functions and a batch API over flat row-major rows:
///
/// ```
/// symdiff::network! {
///     #[float = f32]
///     network layer {
///         input x[3]
///         target t[2]
///         param w[2, 3] = 0.5, b[2] = 0
///         output y[j] = sigmoid(sum(i, w[j, i] * x[i]) + b[j])
///         loss E = 1/2 * sum(j, (t[j] - y[j])^2)
///     }
/// }
/// let p = layer::Params::init(0);
/// assert_eq!(p.w[1][2], 0.5); // the file's w[2, 3]
/// // Two rows: x is 2 × 3, t is 2 × 2; the mean loss and its gradient.
/// let x = [1.0, 0.0, -1.0, 0.5, 0.5, 0.5];
/// let t = [1.0, 0.0, 0.0, 1.0];
/// let (loss, grad) = layer::gradient_batch(&p, &x, &t);
/// let (l0, g0) = layer::gradient(&p, &layer::Input { x: vec![1.0, 0.0, -1.0] },
///                                &layer::Target { t: vec![1.0, 0.0] });
/// let (l1, g1) = layer::gradient(&p, &layer::Input { x: vec![0.5, 0.5, 0.5] },
///                                &layer::Target { t: vec![0.0, 1.0] });
/// assert!((loss - (l0 + l1) / 2.0).abs() < 1e-6);
/// assert!((grad.w[0][0] - (g0.w[0][0] + g1.w[0][0]) / 2.0).abs() < 1e-6);
/// assert_eq!(grad.to_vec().len(), 8);
/// ```
pub use symdiff_macros::network;
