//! Checks of single tokens: literals, names and calls, each on its own.

use crate::ast::{is_reduction, Ast, ExprKind, Ident, Span, StatementKind, REDUCTIONS};
use crate::diagnostic::Diagnostic;
use crate::suggest;
use symdiff_core::{Constant, Function};

/// The reserved words of the language.
pub(crate) const KEYWORDS: [&str; 6] = ["network", "input", "target", "param", "output", "loss"];

/// Checks every literal, name and call in the file.
pub(super) fn check(ast: &Ast, out: &mut Vec<Diagnostic>) {
    for expr in &ast.exprs {
        match &expr.kind {
            ExprKind::Number(text) => out.extend(literal(text, expr.span)),
            ExprKind::Name { name, .. } => out.extend(value_name(name, expr.span)),
            ExprKind::Call { func, args } => out.extend(call(func, args.len(), expr.span)),
            ExprKind::Constant(_)
            | ExprKind::Index(_)
            | ExprKind::Neg(_)
            | ExprKind::Pow(..)
            | ExprKind::Sum(_)
            | ExprKind::Product(_) => {}
        }
    }
    for (_, statement) in ast.statements() {
        match &statement.kind {
            StatementKind::Declare { items, .. } => {
                for item in items {
                    out.extend(vertex_name(&item.target.name));
                    if let Some(init) = &item.init {
                        init.for_each_number(&mut |number, span| out.extend(literal(number, span)));
                    }
                }
            }
            StatementKind::Define { target, .. } | StatementKind::MarkOutput { target } => {
                out.extend(vertex_name(&target.name))
            }
            StatementKind::Dims(dims) => {
                for dim in dims {
                    out.extend(vertex_name(&dim.name));
                    dim.value
                        .for_each_number(&mut |number, span| out.extend(literal(number, span)));
                }
            }
        }
    }
}

/// A literal's value: exact when it fits a rational, else the nearest finite `f64`.
pub(crate) fn literal_value(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn literal(text: &str, span: Span) -> Option<Diagnostic> {
    match literal_value(text) {
        Some(v) if v != 0.0 || !underflows(text) => None,
        Some(_) => Some(
            Diagnostic::error(span.range(), format!("number `{text}` is too small")).with_help(
                "note: it underflows a 64-bit float to 0 (the smallest is about 4.9e-324)",
            ),
        ),
        None => Some(
            Diagnostic::error(span.range(), format!("number `{text}` is too large"))
                .with_help("note: it overflows a 64-bit float (the largest is about 1.8e308)"),
        ),
    }
}

/// Whether a literal whose value is 0 was not written as 0 (`1e-400`): a nonzero digit before
/// its exponent. Like overflow, that is an error rather than a silent 0.
fn underflows(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

fn is_nan_or_inf(name: &str) -> bool {
    ["nan", "inf", "infinity"]
        .iter()
        .any(|word| name.eq_ignore_ascii_case(word))
}

/// Whether a name is a well-formed vertex name (no diagnostic from [`value_name`] or
/// [`vertex_name`]); only such names take part in the scope checks.
pub(crate) fn is_plain_name(name: &str) -> bool {
    !is_nan_or_inf(name)
        && !KEYWORDS.contains(&name)
        && Function::from_name(name).is_none()
        && Constant::from_name(name).is_none()
}

/// A name used as a value.
fn value_name(name: &str, span: Span) -> Option<Diagnostic> {
    let range = span.range();
    if is_nan_or_inf(name) {
        return Some(Diagnostic::error(
            range,
            format!("`{name}` is not a number literal: symdiff has no nan/inf"),
        ));
    }
    if KEYWORDS.contains(&name) {
        return Some(Diagnostic::error(
            range,
            format!("`{name}` is a keyword, not a value"),
        ));
    }
    if Function::from_name(name).is_some() {
        return Some(
            Diagnostic::error(range, format!("`{name}` is a function, not a value"))
                .with_help(format!("help: call it: `{name}(...)`")),
        );
    }
    None
}

/// A name being declared or defined.
fn vertex_name(ident: &Ident) -> Option<Diagnostic> {
    let Ident { name, span } = ident;
    let what = if KEYWORDS.contains(name) {
        "a keyword"
    } else if Function::from_name(name).is_some() {
        "a function"
    } else if Constant::from_name(name).is_some() {
        "a constant"
    } else if is_nan_or_inf(name) {
        return Some(Diagnostic::error(
            span.range(),
            format!(
                "`{name}` cannot name a vertex: it reads as a number, and symdiff has no nan/inf"
            ),
        ));
    } else {
        return None;
    };
    Some(Diagnostic::error(
        span.range(),
        format!("`{name}` is {what} and cannot name a vertex"),
    ))
}

fn call(func: &Ident, got: usize, span: Span) -> Option<Diagnostic> {
    let takes = match Function::from_name(func.name) {
        Some(known) => known.arity(),
        // `sum(i, body)`: the index, then the body.
        None if is_reduction(func.name) => 2,
        None => {
            let names = Function::names();
            let mut d = Diagnostic::error(
                func.span.range(),
                format!("unknown function `{}`", func.name),
            );
            let candidates = names.iter().chain(&REDUCTIONS).copied();
            if let Some(close) = suggest::closest(func.name, candidates) {
                d = d.with_help(format!("help: did you mean `{close}`?"));
            }
            return Some(d.with_help(format!(
                "note: the functions are {}; over an index, sum(i, ...) and logsumexp(i, ...)",
                names.join(", ")
            )));
        }
    };
    (got != takes).then(|| {
        let plural = if takes == 1 { "" } else { "s" };
        Diagnostic::error(
            span.range(),
            format!("`{}` takes {takes} argument{plural}, got {got}", func.name),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_overflow_only_past_f64() {
        assert_eq!(literal_value("1e308"), Some(1e308));
        assert_eq!(literal_value("1e400"), None);
        assert_eq!(literal_value("1e-400"), Some(0.0));
    }

    #[test]
    fn literals_that_underflow_to_0_are_errors_like_those_that_overflow() {
        let span = Span::new(0, 6);
        let error = literal("1e-400", span).expect("an error");
        assert_eq!(error.message, "number `1e-400` is too small");
        assert!(literal("1e400", span).is_some());
        for fine in ["0", "0.0e-400", "1e-320", "2.5e-308"] {
            assert!(literal(fine, span).is_none(), "{fine}");
        }
    }

    #[test]
    fn plain_names_exclude_every_reserved_kind() {
        assert!(is_plain_name("w1"));
        for bad in ["loss", "sigmoid", "pi", "π", "e", "NaN", "inf"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
        for letters in ["σ", "δ2", "η", "α1", "größe"] {
            assert!(is_plain_name(letters), "{letters}");
        }
    }
}
