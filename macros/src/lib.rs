//! The `network!` proc-macro of symdiff: a `network { ... }` body (or a `.sd` file) becomes a
//! module of specialized, allocation-free gradient code at compile time.
//!
//! This crate is a thin shell: [`input`] reads the invocation, [`source`] turns its tokens back
//! into `.sd` text (keeping a map from text positions to token spans), the grammar parses and
//! checks it, core derives and emits the code ([`expand`]), and [`fallback`] turns every error
//! into a `compile_error!` at the offending token. It never panics.
//!
//! Use it through the facade: `symdiff::network!`, documented there.
#![warn(missing_docs)]

mod expand;
mod fallback;
mod input;
#[cfg(test)]
mod parity_tests;
mod source;

/// Generates `pub mod NAME { Params, Input, Target, forward, loss, gradient, sgd_step,
/// batch_gradient }` for each `network NAME { ... }` in the body, or in the file given as
/// `network!(file = "path.sd")` (relative to the invoking source file). `#[float = f32]` before
/// `network NAME` (or `, float = f32` after the file) selects `f32`.
#[proc_macro]
pub fn network(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let caller = proc_macro::Span::call_site().local_file();
    expand::expand(input.into(), caller.as_deref())
        .unwrap_or_else(fallback::into_compile_error)
        .into()
}
