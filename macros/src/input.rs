//! The two forms of an invocation: an inline body (`network! { network tiny { ... } }`, with
//! optional `#[float = f32]` before a `network`) or a file (`network!(file = "nets/tiny.sd")`,
//! optionally followed by `, float = f32`).

use crate::fallback::Errors;
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use symdiff_core::codegen::Float;

/// What the invocation asks for.
pub enum Input {
    /// `.sd` source written in the invocation; attributes already removed.
    Inline {
        /// The body's tokens.
        tokens: TokenStream,
        /// `#[float = ...]` attributes, by the name of the network they precede.
        floats: Vec<(String, Float)>,
    },
    /// `file = "path.sd"`.
    File {
        /// The path as written.
        path: String,
        /// The span of the path literal, where file errors point.
        span: Span,
        /// The float type for every network of the file.
        float: Float,
    },
}

/// Reads an invocation.
pub fn parse(input: TokenStream) -> Result<Input, Errors> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(kw), TokenTree::Punct(eq), TokenTree::Literal(lit), rest @ ..]
            if kw == "file" && eq.as_char() == '=' =>
        {
            let path: syn::LitStr = syn::parse2(TokenTree::Literal(lit.clone()).into())
                .map_err(|_| Errors::one(lit.span(), "expected a string: `file = \"path.sd\"`"))?;
            let float = match rest {
                [] => Float::F64,
                [TokenTree::Punct(comma), TokenTree::Ident(key), TokenTree::Punct(eq), TokenTree::Ident(ty)]
                    if comma.as_char() == ',' && key == "float" && eq.as_char() == '=' =>
                {
                    float_type(ty)?
                }
                [first, ..] => {
                    return Err(Errors::one(
                        first.span(),
                        "expected nothing or `, float = f32` after `file = \"...\"`",
                    ))
                }
            };
            Ok(Input::File {
                path: path.value(),
                span: lit.span(),
                float,
            })
        }
        _ => inline(tokens),
    }
}

/// An inline body: removes `#[float = ...]` attributes, remembering which network each precedes.
fn inline(tokens: Vec<TokenTree>) -> Result<Input, Errors> {
    let mut kept = Vec::with_capacity(tokens.len());
    let mut floats = Vec::new();
    let mut pending: Option<Float> = None;
    let mut i = 0;
    while i < tokens.len() {
        match (&tokens[i], tokens.get(i + 1)) {
            (TokenTree::Punct(hash), Some(TokenTree::Group(g)))
                if hash.as_char() == '#' && g.delimiter() == Delimiter::Bracket =>
            {
                pending = Some(attribute(g.stream(), g.span())?);
                i += 2;
                continue;
            }
            (TokenTree::Ident(kw), Some(TokenTree::Ident(name))) if kw == "network" => {
                if let Some(float) = pending.take() {
                    floats.push((name.to_string(), float));
                }
            }
            _ => {}
        }
        kept.push(tokens[i].clone());
        i += 1;
    }
    Ok(Input::Inline {
        tokens: kept.into_iter().collect(),
        floats,
    })
}

/// `float = f32` or `float = f64`.
fn attribute(tokens: TokenStream, span: Span) -> Result<Float, Errors> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    match tokens.as_slice() {
        [TokenTree::Ident(key), TokenTree::Punct(eq), TokenTree::Ident(ty)]
            if key == "float" && eq.as_char() == '=' =>
        {
            float_type(ty)
        }
        _ => Err(Errors::one(
            span,
            "unknown attribute: network! accepts `#[float = f32]` or `#[float = f64]` before `network NAME`",
        )),
    }
}

fn float_type(ty: &proc_macro2::Ident) -> Result<Float, Errors> {
    match ty.to_string().as_str() {
        "f32" => Ok(Float::F32),
        "f64" => Ok(Float::F64),
        _ => Err(Errors::one(ty.span(), "expected `f32` or `f64`")),
    }
}
