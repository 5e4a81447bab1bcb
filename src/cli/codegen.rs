//! `symdiff codegen`: the Rust module `network!` expands to, formatted with prettyplease, so it
//! can be read or vendored. The macro and this command call the same emitter
//! ([`symdiff::core::codegen`]).

use super::Failure;
use clap::Args;
use std::path::PathBuf;
use symdiff::core::codegen::{self as emit, Float, RustOptions};
use symdiff::core::DEFAULT_MAX_PATHS;

/// Arguments of `codegen`.
#[derive(Args, Debug)]
pub struct CodegenArgs {
    /// The `.sd` file.
    file: PathBuf,
    /// Only this network (default: every network of the file).
    #[arg(long, value_name = "NAME")]
    network: Option<String>,
    /// Emit `f32` code instead of `f64`.
    #[arg(long)]
    f32: bool,
}

/// Runs `codegen`.
pub fn run(args: &CodegenArgs) -> Result<String, Failure> {
    let origin = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure(format!("error: cannot read {origin}: {e}")))?;
    let float = if args.f32 { Float::F32 } else { Float::F64 };
    module_source(&origin, &text, args.network.as_deref(), float)
}

/// The formatted modules of the networks of one source text.
pub fn module_source(
    origin: &str,
    text: &str,
    network: Option<&str>,
    float: Float,
) -> Result<String, Failure> {
    let parsed =
        symdiff::grammar::parse(origin, text).map_err(|d| Failure(d.render(origin, text)))?;
    let (mut models, mut indexed) = (parsed.models, parsed.indexed);
    if let Some(name) = network {
        let names: Vec<String> = models
            .iter()
            .filter_map(|m| m.name())
            .chain(indexed.iter().map(|m| m.name()))
            .map(String::from)
            .collect();
        models.retain(|m| m.name() == Some(name));
        indexed.retain(|m| m.name() == name);
        if models.is_empty() && indexed.is_empty() {
            return Err(Failure(format!(
                "error: --network names `{name}`, but {origin} defines: {}",
                names.join(", ")
            )));
        }
    }
    if models.is_empty() && indexed.is_empty() {
        return Err(Failure(format!("error: {origin} defines no network")));
    }
    let tokens = emit::all_network_modules(
        models,
        indexed,
        &RustOptions {
            float,
            ..RustOptions::default()
        },
        DEFAULT_MAX_PATHS,
    )
    .map_err(|e| Failure(format!("error: {origin}: {e}")))?;
    formatted(syn::parse2(tokens))
}

/// Generated code, parsed back (`syn::parse2`), formatted with prettyplease.
pub fn formatted(parsed: syn::Result<syn::File>) -> Result<String, Failure> {
    let file = parsed.map_err(|e| Failure(format!("error: generated code does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}
