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
//! let (x, w, t) = (b.dag.symbol("x"), b.dag.symbol("w"), b.dag.symbol("t"));
//! let s = b.dag.mul(vec![x, w]);
//! let y = b.dag.call(Func::Sigmoid, vec![s]);
//! b.define("y", Role::Output, y).unwrap();
//! let y = b.dag.symbol("y");
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

mod body;
mod expr;
mod module;
mod names;
mod split;
#[cfg(test)]
mod tests;

use crate::analysis::Analysis;
use crate::model::Model;
use crate::network::NetworkError;
use crate::op::Func;
use proc_macro2::TokenStream;
use std::fmt::{self, Write};

pub use module::{network_module, network_source};

/// The floating-point type of the emitted code.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Float {
    /// `f32`
    F32,
    /// `f64`
    #[default]
    F64,
}

impl Float {
    /// The type's name (`f64`).
    ///
    /// ```
    /// assert_eq!(symdiff_core::codegen::Float::F32.ty(), "f32");
    /// ```
    pub fn ty(self) -> &'static str {
        match self {
            Float::F32 => "f32",
            Float::F64 => "f64",
        }
    }

    /// Whether `v` is finite in this type (`1e39` is not an `f32`): only such a value may be
    /// written as a literal of the type.
    fn holds(self, v: f64) -> bool {
        match self {
            Float::F32 => (v as f32).is_finite(),
            Float::F64 => v.is_finite(),
        }
    }

    /// A literal of this type with its suffix (`2f64`), for method receivers; `v` is finite in
    /// the type ([`Float::holds`]).
    fn write_suffixed(self, out: &mut String, v: f64) {
        let _ = match self {
            Float::F32 => write!(out, "{}f32", v as f32),
            Float::F64 => write!(out, "{v}f64"),
        };
    }
}

/// Options of the Rust emitter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RustOptions {
    /// The float type of every field, value and function.
    pub float: Float,
    /// A function body (`forward`, `loss`, `gradient`) with more `let` statements than this
    /// is split into private `#[inline(never)]` parts of at most this many statements each,
    /// which keeps rustc's time roughly linear in the network's size; 0 never splits.
    /// Defaults to [`RustOptions::MAX_STATEMENTS`].
    pub max_statements: usize,
}

impl RustOptions {
    /// The default bound on the statements of one generated function: small networks (the
    /// lecture's, up to some hundred weights) stay one function each, and parts are small
    /// enough that LLVM's time per part stays flat.
    pub const MAX_STATEMENTS: usize = 200;
}

impl Default for RustOptions {
    fn default() -> RustOptions {
        RustOptions {
            float: Float::default(),
            max_statements: RustOptions::MAX_STATEMENTS,
        }
    }
}

/// Why a model cannot be emitted as a network module.
#[derive(Clone, PartialEq, Debug)]
pub enum RustError {
    /// Free-standing definitions: there is no network name, no params and no loss.
    NotANetwork,
    /// The network declares no `loss`.
    NoLoss(String),
    /// The network declares no `output`.
    NoOutput(String),
    /// The analysis differentiates something other than the network's loss with respect to
    /// its params.
    NotTheLossGradient(String),
    /// A name that is not a Rust identifier.
    InvalidName(String),
    /// The emitted source does not lex as Rust: a bug in symdiff, reported rather than a panic.
    InvalidSource(String),
}

impl fmt::Display for RustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustError::NotANetwork => write!(
                f,
                "free-standing definitions are not a network: write `network NAME {{ ... }}` with \
                 `input`, `param`, `output` and `loss` to generate code"
            ),
            RustError::NoLoss(n) => write!(
                f,
                "network `{n}` has no `loss`: generated code needs one to differentiate (`loss E = ...`)"
            ),
            RustError::NoOutput(n) => write!(
                f,
                "network `{n}` has no `output`: `forward` needs one (`output y = ...`)"
            ),
            RustError::NotTheLossGradient(n) => write!(
                f,
                "network `{n}`: generated code differentiates the loss with respect to every param"
            ),
            RustError::InvalidName(n) => write!(f, "`{n}` is not a valid Rust identifier"),
            RustError::InvalidSource(e) => write!(
                f,
                "symdiff emitted Rust that does not lex ({e}): this is a bug in symdiff, please report it"
            ),
        }
    }
}

impl std::error::Error for RustError {}

impl From<NetworkError> for RustError {
    fn from(e: NetworkError) -> RustError {
        match e {
            NetworkError::NotANetwork => RustError::NotANetwork,
            NetworkError::NoLoss(name) => RustError::NoLoss(name),
            NetworkError::NoOutput(name) => RustError::NoOutput(name),
        }
    }
}

/// The modules of several models, one per network, each differentiated (loss with respect to
/// every param) with paths enumerated up to `max_paths` for the formulas in the docs.
pub fn network_modules(
    models: Vec<Model>,
    options: &RustOptions,
    max_paths: u128,
) -> Result<TokenStream, RustError> {
    let mut source = String::new();
    for model in models {
        source += &network_source(&Analysis::for_network(model, max_paths)?, options)?;
    }
    lex(&source)
}

/// Emitted source as tokens: in a procedural macro, lexed by rustc itself.
fn lex(source: &str) -> Result<TokenStream, RustError> {
    source
        .parse()
        .map_err(|e: proc_macro2::LexError| RustError::InvalidSource(e.to_string()))
}

/// The helper functions emitted code calls; only those used are emitted.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Helpers {
    sigmoid: bool,
    softplus: bool,
    step: bool,
    sign: bool,
}

impl Helpers {
    /// Marks a helper as used and returns its name.
    fn use_(&mut self, func: Func) -> &'static str {
        match func {
            Func::Sigmoid => self.sigmoid = true,
            Func::Softplus => self.softplus = true,
            Func::Step => self.step = true,
            Func::Sign => self.sign = true,
            Func::Exp
            | Func::Log
            | Func::Sqrt
            | Func::Sin
            | Func::Cos
            | Func::Tan
            | Func::Tanh
            | Func::Relu
            | Func::Abs => {}
        }
        func.name()
    }

    /// Writes the definitions of the helpers used, in `float`.
    fn write_definitions(self, out: &mut String, float: Float) {
        let used = [
            (self.sigmoid, SIGMOID),
            (self.softplus, SOFTPLUS),
            (self.step, STEP),
            (self.sign, SIGN),
        ];
        for (_, definition) in used.iter().filter(|(used, _)| *used) {
            out.push_str(&definition.replace("FLOAT", float.ty()));
        }
    }
}

const SIGMOID: &str = r#"
    #[doc = r" `1/(1 + e^-x)`, without overflow for large negative `x`."]
    #[inline]
    fn sigmoid(x: FLOAT) -> FLOAT {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            let z = x.exp();
            z / (1.0 + z)
        }
    }
"#;

const SOFTPLUS: &str = r#"
    #[doc = r" `log(1 + e^x)` as `max(x, 0) + log1p(e^-|x|)`, without overflow."]
    #[inline]
    fn softplus(x: FLOAT) -> FLOAT {
        x.max(0.0) + (-x.abs()).exp().ln_1p()
    }
"#;

const STEP: &str = r#"
    #[doc = r" 1 for `x > 0`, else 0 (the derivative of `relu`)."]
    #[inline]
    fn step(x: FLOAT) -> FLOAT {
        if x > 0.0 {
            1.0
        } else if x.is_nan() {
            x
        } else {
            0.0
        }
    }
"#;

const SIGN: &str = r#"
    #[doc = r" -1, 0 or 1 (the derivative of `abs`, with `abs'(0) = 0`)."]
    #[inline]
    fn sign(x: FLOAT) -> FLOAT {
        if x > 0.0 {
            1.0
        } else if x < 0.0 {
            -1.0
        } else {
            x
        }
    }
"#;

/// `#[doc = " line"]`, the line escaped as a string literal.
fn write_doc(out: &mut String, line: impl fmt::Display) {
    write_doc_parts(out, &[&line.to_string()]);
}

/// [`write_doc`] of the parts' concatenation, without building it (once per field of large
/// networks).
fn write_doc_parts(out: &mut String, parts: &[&str]) {
    out.push_str("#[doc = \" ");
    // Printable ASCII other than `"` and `\` needs no escape (the common case: names).
    let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
    // Whether a non-ASCII character is printed as it is (`escape_debug` looks it up in Unicode
    // tables; formulas repeat a handful of them, `∂` and `·` above all).
    let mut known: Vec<(char, bool)> = Vec::new();
    for part in parts {
        if part.bytes().all(plain) {
            out.push_str(part);
            continue;
        }
        for ch in part.chars() {
            match ch {
                '\'' => out.push(ch),
                '\0' => out.push_str("\\x00"),
                _ if ch.is_ascii() && plain(ch as u8) => out.push(ch),
                _ if ch.is_ascii() => out.extend(ch.escape_debug()),
                _ => {
                    let raw = match known.iter().find(|&&(c, _)| c == ch) {
                        Some(&(_, raw)) => raw,
                        None => {
                            let raw = ch.escape_debug().len() == 1;
                            known.push((ch, raw));
                            raw
                        }
                    };
                    if raw {
                        out.push(ch);
                    } else {
                        out.extend(ch.escape_debug());
                    }
                }
            }
        }
    }
    out.push_str("\"]\n");
}

/// Appends the parts in order: what `write!` does with plain strings, without its formatting
/// machinery (which costs more than the copying, once per field and statement).
fn push_all(out: &mut String, parts: &[&str]) {
    for part in parts {
        out.push_str(part);
    }
}
