//! Semantic checks on the syntax tree, each reported at the offending token.
//!
//! The checks run in three layers, all iterative over the arena or the statements:
//!
//! 1. Tokens, one at a time ([`tokens`]): literals that overflow, `nan`/`inf`,
//!    keywords, functions and constants where a vertex name belongs, unknown functions, arity.
//! 2. Each model as a whole ([`scope`], with [`table`] and [`cycles`]): declarations outside a
//!    network, redefinitions, undefined names, `output`/`loss` counts, cycles, and params the
//!    loss does not depend on (a warning).
//! 3. Indexed layers ([`indexed`]): sizes, subscripts, which index each name is bound to and
//!    the range it takes, initializers against shapes.
//!
//! The result is every diagnostic found, errors and warnings, in source order.

mod cycles;
pub(crate) mod indexed;
mod scope;
mod table;
pub(crate) mod tokens;
mod uses;

use crate::ast::Ast;
use crate::diagnostic::{Diagnostic, Lines};

/// Every problem of the file, in source order.
pub(crate) fn check(ast: &Ast, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let src = Lines::new(text);
    tokens::check(ast, &mut out);
    scope::check(ast, &src, &mut out);
    indexed::check(ast, &src, &mut out);
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}
