//! Semantic checks on the syntax tree, each reported at the offending token.
//!
//! The checks run in three layers, all iterative over the arena or the statements:
//!
//! 1. Index suffixes (`x[2]`): indexed layers are not supported yet. When a file uses them,
//!    only those diagnostics are reported; the rest of the file would produce noise.
//! 2. Tokens, one at a time ([`tokens`]): literals that overflow, `nan`/`inf`,
//!    keywords, functions and constants where a vertex name belongs, unknown functions, arity.
//! 3. Each model as a whole ([`scope`], with [`table`] and [`cycles`]): declarations outside a
//!    network, redefinitions, undefined names, `output`/`loss` counts, cycles, and params the
//!    loss does not depend on (a warning).
//!
//! The result is every diagnostic found, errors and warnings, in source order.

mod cycles;
mod scope;
mod table;
pub(crate) mod tokens;
mod uses;

use crate::ast::{Ast, ExprKind, StatementKind};
use crate::diagnostic::{Diagnostic, Lines};

/// Every problem of the file, in source order.
pub(crate) fn check(ast: &Ast, text: &str) -> Vec<Diagnostic> {
    let mut out = match ast.has_index {
        true => indexed_layers(ast),
        false => Vec::new(),
    };
    if out.is_empty() {
        tokens::check(ast, &mut out);
        scope::check(ast, &Lines::new(text), &mut out);
    }
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}

/// One diagnostic per statement that uses an index suffix, at its first one.
fn indexed_layers(ast: &Ast) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (_, statement) in ast.statements() {
        let mut spans = Vec::new();
        match &statement.kind {
            StatementKind::Declare { items, .. } => {
                spans.extend(items.iter().filter_map(|d| d.target.index.as_deref()))
            }
            StatementKind::MarkOutput { target } => spans.extend(target.index.as_deref()),
            StatementKind::Define { target, rhs, .. } => {
                spans.extend(target.index.as_deref());
                ast.for_each_in_subtree(*rhs, |id| {
                    if let ExprKind::Name {
                        index: Some(index), ..
                    } = &ast.expr(id).kind
                    {
                        spans.push(&**index);
                    }
                });
            }
        }
        if let Some(first) = spans.into_iter().map(|i| i.span).min_by_key(|s| s.start) {
            out.push(
                Diagnostic::error(first.range(), "indexed layers are not supported yet").with_help(
                    "note: write one scalar vertex per element for now (`x1`, `x2`, ...)",
                ),
            );
        }
    }
    out
}
