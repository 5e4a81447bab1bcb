//! The expansion: read the invocation, parse and check the `.sd` source with the grammar,
//! derive and emit each network with core. The CLI's `codegen` calls the same emitter.

use crate::fallback::Errors;
use crate::input::{self, Input};
use crate::source::SourceText;
use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use std::path::{Path, PathBuf};
use symdiff_core::codegen::{self as emit, Float, RustOptions};
use symdiff_core::indexed::IndexedModel;
use symdiff_core::{Analysis, Model, DEFAULT_MAX_PATHS};

/// Expands one invocation; `caller` is the invoking source file, when the compiler knows it.
pub fn expand(input: TokenStream, caller: Option<&Path>) -> Result<TokenStream, Errors> {
    match input::parse(input)? {
        Input::Inline { tokens, floats } => {
            let source = SourceText::new(tokens);
            let parsed = symdiff_grammar::parse("network!", &source.text).map_err(|d| {
                Errors(
                    d.0.iter()
                        .filter(|d| d.is_error())
                        .map(|d| (source.span_of(d.span.clone()), message(d)))
                        .collect(),
                )
            })?;
            let float_of = |name: &str| {
                floats
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or(Float::F64, |&(_, f)| f)
            };
            let span_of = |name: &str| {
                source
                    .network_span(name)
                    .unwrap_or_else(|| source.span_of(0..0))
            };
            emit_all((parsed.models, parsed.indexed), float_of, span_of, |e| {
                e.to_string()
            })
        }
        Input::File { path, span, float } => {
            let full = resolve(&path, caller);
            let text = std::fs::read_to_string(&full)
                .map_err(|e| Errors::one(span, format!("cannot read `{}`: {e}", full.display())))?;
            let origin = full.display().to_string();
            let parsed = symdiff_grammar::parse(&origin, &text)
                .map_err(|d| Errors::one(span, d.render(&origin, &text).trim_end().to_string()))?;
            let mut out = emit_all(
                (parsed.models, parsed.indexed),
                |_| float,
                |_| span,
                |e| format!("{origin}: {e}"),
            )?;
            // Rebuild the crate when the file changes.
            let absolute = full.to_string_lossy().into_owned();
            out.extend(quote_spanned!(span=> const _: &str = ::core::include_str!(#absolute);));
            Ok(out)
        }
    }
}

/// A diagnostic's message as the CLI gives it, with its help and note lines (which carry their
/// own `help:` / `note:` labels).
fn message(d: &symdiff_grammar::Diagnostic) -> String {
    let mut out = d.message.clone();
    for line in d.help.iter().flat_map(|h| h.lines()) {
        out.push_str("\n= ");
        out.push_str(line);
    }
    out
}

/// The module of every network, scalar and indexed; free-standing definitions and networks
/// without a loss are errors at the span `span_of` gives (by the network's name).
fn emit_all(
    (models, indexed): (Vec<Model>, Vec<IndexedModel>),
    float_of: impl Fn(&str) -> Float,
    span_of: impl Fn(&str) -> Span,
    describe: impl Fn(&emit::RustError) -> String,
) -> Result<TokenStream, Errors> {
    let mut out = TokenStream::new();
    let mut errors = Errors::default();
    if models.is_empty() && indexed.is_empty() {
        return Err(Errors::one(
            Span::call_site(),
            "network! needs at least one `network NAME { ... }`",
        ));
    }
    let options = |name: &str| RustOptions {
        float: float_of(name),
        serde: cfg!(feature = "serde"),
        ..RustOptions::default()
    };
    for model in models {
        let name = model.name().unwrap_or_default().to_string();
        let analysis =
            Analysis::for_network(model, DEFAULT_MAX_PATHS).map_err(emit::RustError::from);
        match analysis.and_then(|a| emit::network_module(&a, &options(&name))) {
            Ok(tokens) => out.extend(tokens),
            Err(e) => errors.0.push((span_of(&name), describe(&e))),
        }
    }
    for model in indexed {
        let name = model.name().to_string();
        let options = options(&name);
        match emit::indexed_network_sources(vec![model], &options, DEFAULT_MAX_PATHS)
            .and_then(|source| emit::lex(&source))
        {
            Ok(tokens) => out.extend(tokens),
            Err(e) => errors.0.push((span_of(&name), describe(&e))),
        }
    }
    if errors.0.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A path relative to the invoking file's directory (as `include_str!` resolves it), or to
/// `CARGO_MANIFEST_DIR` when the compiler does not say which file invokes the macro.
fn resolve(path: &str, caller: Option<&Path>) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    let base = caller
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
        .unwrap_or_default();
    let joined = base.join(path);
    std::fs::canonicalize(&joined).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(&joined))
            .unwrap_or(joined)
    })
}
