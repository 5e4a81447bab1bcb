//! Sizes: the named ones (`dim J = 4`) and the shape of each declaration (`input x[3]`,
//! `param w[J, I]`).

use super::whole;
use crate::ast::{Ast, ExprKind, Index, InitKind, Span, Statement, StatementKind};
use crate::diagnostic::Diagnostic;
use crate::suggest;

/// The named sizes of a network, in source order of their names; `None` for one whose value is
/// not a whole number of at least 1 (reported here).
pub(super) fn dims<'a>(
    statements: &'a [Statement<'a>],
    out: &mut Vec<Diagnostic>,
) -> Vec<(&'a str, Option<usize>)> {
    let mut dims: Vec<(&'a str, Option<usize>)> = Vec::new();
    for statement in statements {
        let StatementKind::Dims(items) = &statement.kind else {
            continue;
        };
        for dim in items {
            let value = whole(&dim.value.kind);
            if value.is_none() {
                out.push(not_a_size(dim.value.span, &dim_text(&dim.value.kind)));
            }
            if !dims.iter().any(|(n, _)| *n == dim.name.name) {
                dims.push((dim.name.name, value));
            }
        }
    }
    dims
}

/// A dim's value as written (the grammar allows only a signed number there).
fn dim_text(kind: &InitKind) -> String {
    match kind {
        InitKind::Number { negative, number } => {
            format!("{}{number}", if *negative { "-" } else { "" })
        }
        InitKind::List(_) | InitKind::Call { .. } => String::new(),
    }
}

fn not_a_size(span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        span.range(),
        format!("a size is a whole number of at least 1, found `{found}`"),
    )
}

/// The shape `name[sizes]` declares, or `None` when a size is wrong (reported here) or is a
/// named size that is itself wrong (reported by [`dims`]).
pub(super) fn shape(
    ast: &Ast,
    text: &str,
    name: &str,
    index: &Index,
    dims: &[(&str, Option<usize>)],
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<usize>> {
    if index.items.is_empty() {
        out.push(
            Diagnostic::error(index.span.range(), format!("`{name}[]` has no size")).with_help(
                format!("help: write `{name}` for a single number, or its sizes: `{name}[3]`"),
            ),
        );
        return None;
    }
    let mut shape = Some(Vec::with_capacity(index.items.len()));
    for &item in &index.items {
        let expr = ast.expr(item);
        let size = match &expr.kind {
            ExprKind::Number(text) => {
                let size = text.parse::<usize>().ok().filter(|&n| n >= 1);
                if size.is_none() {
                    out.push(not_a_size(expr.span, text));
                }
                size
            }
            ExprKind::Index(size_name) => match dims.iter().find(|(n, _)| n == size_name) {
                Some(&(_, value)) => value,
                None => {
                    out.push(unknown_size(size_name, expr.span, dims));
                    None
                }
            },
            _ => {
                let text = &text[expr.span.range()];
                out.push(
                    Diagnostic::error(
                        expr.span.range(),
                        format!("a size is a whole number or the name of a `dim`, found `{text}`"),
                    )
                    .with_help(format!("help: `{name}[3]`, or `dim N = 3` and `{name}[N]`")),
                );
                None
            }
        };
        match (size, shape.as_mut()) {
            (Some(size), Some(shape)) => shape.push(size),
            _ => shape = None,
        }
    }
    shape
}

fn unknown_size(name: &str, span: Span, dims: &[(&str, Option<usize>)]) -> Diagnostic {
    let d = Diagnostic::error(span.range(), format!("unknown size `{name}`"));
    match suggest::closest(name, dims.iter().map(|(n, _)| *n)) {
        Some(close) => d.with_help(format!("help: did you mean `{close}`?")),
        None => d.with_help(format!(
            "help: name a size with `dim {name} = 3`, or write the number"
        )),
    }
}
