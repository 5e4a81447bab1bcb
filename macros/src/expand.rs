//! The expansion: read the invocation, parse and check the `.sd` source with the grammar,
//! derive and emit each network with core. The CLI's `codegen` calls the same emitter.

use crate::fallback::Errors;
use crate::input::{self, Input};
use crate::source::SourceText;
use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;
use std::path::{Path, PathBuf};
use symdiff_core::codegen::{self as emit, Float, RustOptions};
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
            if !parsed.indexed.is_empty() {
                let at = |range: &std::ops::Range<usize>| source.span_of(range.clone());
                return Err(Errors(
                    parsed
                        .indexed_at
                        .iter()
                        .map(|r| (at(r), INDEXED.to_string()))
                        .collect(),
                ));
            }
            let float_of = |m: &Model| {
                floats
                    .iter()
                    .find(|(n, _)| Some(n.as_str()) == m.name())
                    .map_or(Float::F64, |&(_, f)| f)
            };
            let span_of = |m: &Model| {
                m.name()
                    .and_then(|n| source.network_span(n))
                    .unwrap_or_else(|| source.span_of(0..0))
            };
            emit_all(parsed.models, float_of, span_of, |e| e.to_string())
        }
        Input::File { path, span, float } => {
            let full = resolve(&path, caller);
            let text = std::fs::read_to_string(&full)
                .map_err(|e| Errors::one(span, format!("cannot read `{}`: {e}", full.display())))?;
            let origin = full.display().to_string();
            let parsed = symdiff_grammar::parse(&origin, &text)
                .map_err(|d| Errors::one(span, d.render(&origin, &text).trim_end().to_string()))?;
            if let Some(first) = parsed.indexed_at.first() {
                let d = symdiff_grammar::Diagnostic::error(first.clone(), INDEXED);
                return Err(Errors::one(
                    span,
                    d.render(&origin, &text).trim_end().to_string(),
                ));
            }
            let mut out = emit_all(
                parsed.models,
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

/// The error at the first index of a network with indexed layers, until code generation for
/// them lands.
const INDEXED: &str = "indexed layers are not yet supported by network! (code generation for \
                       them is the next step, \"Indexed layers II\"); use the symdiff CLI for now";

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

/// The module of every model; free-standing definitions and networks without a loss are errors
/// at the span `span_of` gives.
fn emit_all(
    models: Vec<Model>,
    float_of: impl Fn(&Model) -> Float,
    span_of: impl Fn(&Model) -> Span,
    describe: impl Fn(&emit::RustError) -> String,
) -> Result<TokenStream, Errors> {
    let mut out = TokenStream::new();
    let mut errors = Errors::default();
    if models.is_empty() {
        return Err(Errors::one(
            Span::call_site(),
            "network! needs at least one `network NAME { ... }`",
        ));
    }
    for model in models {
        let options = RustOptions {
            float: float_of(&model),
            ..RustOptions::default()
        };
        let span = span_of(&model);
        let analysis =
            Analysis::for_network(model, DEFAULT_MAX_PATHS).map_err(emit::RustError::from);
        match analysis.and_then(|a| emit::network_module(&a, &options)) {
            Ok(tokens) => out.extend(tokens),
            Err(e) => errors.0.push((span, describe(&e))),
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
