//! symdiff-grammar: the symdiff language, from text to checked core models.
//!
//! One syntax serves `.sd` files, the CLI and the `network!` macro. [`parse()`] runs the stages,
//! one file each:
//!
//! | stage | file | |
//! | --- | --- | --- |
//! | grammar | `symdiff.pest`, `rules.rs` | the language's specification, and the pest parser derived from it |
//! | characters | `characters.rs` | rejects characters the language does not know, each distinct one once |
//! | depth scan | `scan.rs` | rejects nesting deeper than [`MAX_DEPTH`] before pest recurses into it |
//! | parse | `parse.rs`, `syntax_error.rs`, `syntax_error/` | pest pairs into the spanned syntax tree (`ast.rs`); syntax errors in words |
//! | check | `check.rs`, `check/` | names, cycles, arity, literals, network structure; sizes, subscripts, index binding and ranges, initializers (`check/indexed/`); every problem with its span |
//! | lower | `lower.rs`, `lower_indexed.rs` | the tree into [`symdiff_core::Model`]s, or for networks with indexed layers [`symdiff_core::indexed::IndexedModel`]s, keeping the user's names |
//!
//! Diagnostics ([`Diagnostic`]) carry byte spans; [`Diagnostic::render`] prints them the way
//! rustc does. The grammar never panics on any input, and no stage recurses deeper than
//! [`MAX_DEPTH`] levels, so 100,000 nested parentheses are an error, not a stack overflow.
//!
//! ```
//! use symdiff_grammar::parse;
//! let text = "
//! network tiny {
//!     input x_t
//!     target y_t
//!     param w1 = 1, w2 = 1      # initial values are optional
//!     s1 = x_t * w1
//!     h  = sigmoid(s1)
//!     s2 = h * w2
//!     output y = s2
//!     loss E = 1/2 * (y_t - y)^2
//! }
//! ";
//! let parsed = parse("tiny.sd", text).unwrap();
//! let tiny = &parsed.models[0];
//! assert_eq!(tiny.name(), Some("tiny"));
//! assert_eq!(tiny.definitions().len(), 5);
//! assert_eq!(tiny.vertex_named("w2").unwrap().init, Some(1.0));
//! assert!(parsed.warnings.is_empty());
//! ```
//!
//! A network with sizes and indices lowers into an indexed model:
//!
//! ```
//! use symdiff_core::Text;
//! let text = "
//! network layer {
//!     input x[3]
//!     param w[2, 3] = glorot, b[2] = 0
//!     s[j] = sum(i, w[j, i] * x[i]) + b[j]
//!     loss E = sum(j, s[j]^2)
//! }
//! ";
//! let parsed = symdiff_grammar::parse("layer.sd", text).unwrap();
//! let layer = &parsed.indexed[0];
//! assert_eq!(layer.name(), "layer");
//! let s = &layer.definitions()[0];
//! assert_eq!(layer.dag.name(s.element), "s[j]");
//! assert_eq!(Text::new(&layer.dag, s.body).to_string(), "(Σ_i w[j,i]·x[i]) + b[j]");
//! ```
#![warn(missing_docs)]

// The parser pest derives refers to `::alloc` (pest is built without `std`, see Cargo.toml).
extern crate alloc;

mod ast;
mod characters;
mod check;
mod diagnostic;
mod lower;
mod lower_indexed;
mod parse;
mod rules;
mod scan;
mod suggest;
mod syntax_error;

pub use ast::MAX_TEXT_LEN;
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use scan::MAX_DEPTH;

/// One parsed file: its models and its warnings.
///
/// Scalar models (free-standing definitions, networks without sizes) are in
/// [`Parsed::models`]; networks with indexed layers (a size, a subscript, a `dim` or a
/// reduction anywhere in them) in [`Parsed::indexed`].
///
/// ```
/// let text = "z = 2 * q\nnetwork n {\n  input x\n  param w, v\n  loss E = (x * w)^2\n}\n";
/// let parsed = symdiff_grammar::parse("f.sd", text).unwrap();
/// let names: Vec<Option<&str>> = parsed.models.iter().map(|m| m.name()).collect();
/// assert_eq!(names, [None, Some("n")]);
/// assert_eq!(parsed.warnings[0].message, "the loss `E` does not depend on param `v`");
/// ```
#[derive(Debug)]
pub struct Parsed {
    /// The free-standing definitions, if any, first as a model with name `None`; then each
    /// scalar network in source order. Empty when the file holds nothing but blank lines and
    /// comments (a warning says so), or only indexed networks.
    pub models: Vec<symdiff_core::Model>,
    /// The networks with indexed layers, in source order.
    pub indexed: Vec<symdiff_core::indexed::IndexedModel>,
    /// For each network of [`Parsed::indexed`], in the same order, the byte range where it first
    /// uses an index (a size, a subscript, a `dim` or a reduction): where a front end that
    /// cannot handle indexed layers yet points.
    pub indexed_at: Vec<std::ops::Range<usize>>,
    /// Warnings, in source order: params the loss does not depend on, an empty file.
    pub warnings: Vec<Diagnostic>,
}

/// Parses, checks and lowers one file of the symdiff language.
///
/// `origin` names the text in messages (a file name, `<stdin>`, `network!`). The diagnostics
/// keep byte spans into `text` rather than the origin, so render them with
/// [`Diagnostics::render`]`(origin, text)`.
///
/// On error, every error that could be found at once is returned: one syntax error (parsing
/// stops there), or all the semantic errors of the file. Warnings are returned only with a
/// successful parse.
///
/// A text longer than [`MAX_TEXT_LEN`] (4 GiB) is an error before anything is parsed.
/// Nesting deeper than [`MAX_DEPTH`] is an error before the parser recurses into it, so the
/// recursion needs no more native stack than an ordinary thread has: at the deepest nesting
/// allowed, 512 KiB suffice (`tests/stress.rs` checks it; Rust's spawned threads get 2 MiB).
///
/// ```
/// use symdiff_grammar::parse;
/// let text = "y = 1 / (x + t)\nx = v^2\nt = exp(v)\n";
/// let parsed = parse("composite2.sd", text).unwrap();
/// let model = &parsed.models[0];
/// assert_eq!(model.name(), None);
/// assert!(model.vertex_named("v").is_some()); // used but never defined: an input
///
/// let errors = parse("bad.sd", "y = (x + 1\n").unwrap_err();
/// assert_eq!(
///     errors.0[0].message,
///     "expected `)` to close the `(` opened at 1:5, found end of line"
/// );
/// ```
pub fn parse(origin: &str, text: &str) -> Result<Parsed, Diagnostics> {
    // The origin only names the text when rendering; spans are all a diagnostic needs.
    let _ = origin;
    let ast = parse::parse_ast(text)?;
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for d in check::check(&ast, text) {
        if d.is_error() {
            errors.push(d);
        } else {
            warnings.push(d);
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let lower::Lowered { models, indexed } = lower::lower(&ast, text)?;
    if models.is_empty() && indexed.is_empty() {
        warnings.push(
            Diagnostic::warning(0..0, "no definitions or networks in this file").with_help(
                "help: write a definition such as `y = x^2`, or a `network NAME { ... }` block",
            ),
        );
    }
    let (indexed, indexed_at) = indexed.into_iter().map(|(m, at)| (m, at.range())).unzip();
    Ok(Parsed {
        models,
        indexed,
        indexed_at,
        warnings,
    })
}
