//! Rust source for a network: the `pub mod NAME { ... }` that `network!` expands to and
//! `symdiff codegen` prints.
//!
//! The gradient is the factored (adjoint) form as straight-line `let` bindings named after the
//! user's vertices (`let h = ...; let d_h = ...;`), shared subexpressions bound once, using only
//! the standard library's float methods: no allocation, no call into symdiff at run time.
//! Bodies longer than [`RustOptions::max_statements`] are split into bounded private parts
//! (see `split.rs`), so that rustc's time stays roughly linear in the network's size.
//!
//! ```
//! use symdiff_core::{Analysis, Func, ModelBuilder, Role};
//! use symdiff_core::codegen::{network_module, network_source, RustOptions};
//! let mut b = ModelBuilder::network("tiny");
//! b.declare("x", Role::Input, None).unwrap();
//! b.declare("t", Role::Target, None).unwrap();
//! b.declare("w", Role::Param, Some(1.0)).unwrap();
//! let (x, w, t) = (b.dag.node_named("x"), b.dag.node_named("w"), b.dag.node_named("t"));
//! let s = b.dag.mul(vec![x, w]);
//! let y = b.dag.call(Func::Sigmoid, vec![s]);
//! b.define("y", Role::Output, y).unwrap();
//! let y = b.dag.node_named("y");
//! let err = b.dag.sub(t, y);
//! let e = b.dag.powi(err, 2);
//! b.define("E", Role::Loss, e).unwrap();
//! let analysis = Analysis::new(b.finish().unwrap(), None, None, 16).unwrap();
//! let code = network_module(&analysis, &RustOptions::default()).unwrap().to_string();
//! assert!(code.contains("pub fn gradient"));
//! assert!(code.contains("let d_y"));
//! // The module is its source text, lexed.
//! let source = network_source(&analysis, &RustOptions::default()).unwrap();
//! assert!(source.contains("let d_y = "));
//! let lexed: proc_macro2::TokenStream = source.parse().unwrap();
//! assert_eq!(lexed.to_string(), code);
//! ```

mod batch_api;
mod bodies;
mod body;
mod docs;
mod error;
mod expr;
mod functions;
mod helpers;
mod indexed;
mod module;
mod names;
mod nan_check;
mod options;
mod plan;
mod sharing;
mod source;
mod split;
mod structs;
#[cfg(test)]
mod tests;
mod vector;

use crate::analysis::Analysis;
use crate::model::Model;
use proc_macro2::TokenStream;

pub use error::RustError;
use helpers::Helpers;
pub use indexed::indexed_network_source;
pub use module::{network_module, network_source};
pub use options::{Float, RustOptions};

/// The modules of several models, one per network, each differentiated (loss with respect to
/// every param) with paths enumerated up to `max_paths` for the formulas in the docs.
pub fn network_modules(
    models: Vec<Model>,
    options: &RustOptions,
    max_paths: u128,
) -> Result<TokenStream, RustError> {
    all_network_modules(models, Vec::new(), options, max_paths)
}

/// The modules of several indexed networks, each analysed and emitted by
/// [`indexed_network_source`], as one source text.
pub fn indexed_network_sources(
    models: Vec<crate::indexed::IndexedModel>,
    options: &RustOptions,
    max_paths: u128,
) -> Result<String, RustError> {
    let mut source = String::new();
    for model in models {
        let mut analysis = crate::indexed::IndexedAnalysis::new(model);
        source += &indexed_network_source(&mut analysis, options, max_paths)?;
    }
    Ok(source)
}

/// The modules of a file's scalar and indexed networks, as tokens.
pub fn all_network_modules(
    models: Vec<Model>,
    indexed: Vec<crate::indexed::IndexedModel>,
    options: &RustOptions,
    max_paths: u128,
) -> Result<TokenStream, RustError> {
    let mut source = String::new();
    for model in models {
        source += &network_source(&Analysis::for_network(model, max_paths)?, options)?;
    }
    source += &indexed_network_sources(indexed, options, max_paths)?;
    lex(&source)
}

/// Emitted source as tokens: in a procedural macro, lexed by rustc itself.
pub fn lex(source: &str) -> Result<TokenStream, RustError> {
    source
        .parse()
        .map_err(|e: proc_macro2::LexError| RustError::InvalidSource(e.to_string()))
}
