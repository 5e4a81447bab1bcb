//! What the macro expands to when it fails: one `compile_error!` per problem, each at the span
//! of the offending token, and nothing else, so the user sees the real errors rather than a
//! cascade caused by a half-generated module.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;

/// Problems found while expanding, each with the span it concerns.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<(Span, String)>);

impl Errors {
    /// One error at one span.
    pub fn one(span: Span, message: impl Into<String>) -> Errors {
        Errors(vec![(span, message.into())])
    }
}

/// The `compile_error!`s of every problem.
pub fn into_compile_error(errors: Errors) -> TokenStream {
    let mut out = TokenStream::new();
    for (span, message) in errors.0 {
        out.extend(quote_spanned!(span=> ::core::compile_error!{ #message }));
    }
    out
}
