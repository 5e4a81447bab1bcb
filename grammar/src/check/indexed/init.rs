//! A param's initializer against its declared shape: a number fits every shape, a nested list
//! must have the shape exactly, `uniform(low, high)` and `normal(mean, sd)` take two numbers,
//! `glorot` and `he` none (and a matrix, whose fan-in and fan-out they scale by).

use super::{dimension_words, shape_text, shape_words};
use crate::ast::{Init, InitKind};
use crate::check::tokens::literal_value;
use crate::diagnostic::Diagnostic;
use crate::suggest;

/// The named initializers, with the arguments each takes.
pub(crate) const INITIALIZERS: [(&str, &[&str]); 4] = [
    ("uniform", &["low", "high"]),
    ("normal", &["mean", "sd"]),
    ("glorot", &[]),
    ("he", &[]),
];

/// Checks the initializer of param `name`, of this shape; one diagnostic at most.
pub(super) fn check(name: &str, init: &Init, shape: &[usize], out: &mut Vec<Diagnostic>) {
    let found = match &init.kind {
        InitKind::Number { .. } => None,
        InitKind::List(_) if shape.is_empty() => Some(
            Diagnostic::error(
                init.span.range(),
                format!("`{name}` is a single number: its initial value is a number, not a list"),
            )
            .with_help(format!("help: `param {name} = 0.5`")),
        ),
        InitKind::List(_) => list(name, init, shape, 0),
        InitKind::Call { func, args } => call(name, func.name, func.span, args, init, shape),
    };
    out.extend(found);
}

/// A scalar network's param: a number, nothing else.
pub(super) fn check_scalar_network(name: &str, init: &Init, out: &mut Vec<Diagnostic>) {
    if matches!(init.kind, InitKind::Number { .. }) {
        return;
    }
    let mut d = Diagnostic::error(
        init.span.range(),
        format!("`{name}` is a single number: its initial value is a number"),
    );
    if let InitKind::Call { func, .. } = &init.kind {
        if !INITIALIZERS.iter().any(|(n, _)| *n == func.name) {
            d = unknown(func.name, init);
            out.push(d);
            return;
        }
        d = d.with_help(
            "note: lists and random initializers give the elements of an array param \
             (`param w[2, 3] = uniform(-0.5, 0.5)`)",
        );
    }
    out.push(d.with_help(format!("help: `param {name} = 0.5`")));
}

/// The list at `init`, which stands for dimension `dim` of `shape`.
fn list(name: &str, init: &Init, shape: &[usize], dim: usize) -> Option<Diagnostic> {
    let rank = shape.len();
    let InitKind::List(items) = &init.kind else {
        // A number where a list of dimension `dim` belongs.
        let size = shape[dim];
        return Some(
            Diagnostic::error(
                init.span.range(),
                format!(
                    "expected a list of {size} here ({}), found a number",
                    dimension_words(name, rank, dim, size)
                ),
            )
            .with_help(shape_note(name, shape)),
        );
    };
    if dim == rank {
        return Some(
            Diagnostic::error(
                init.span.range(),
                "expected a number here, found a list: the list is nested too deeply",
            )
            .with_help(shape_note(name, shape)),
        );
    }
    let size = shape[dim];
    if items.len() != size {
        return Some(
            Diagnostic::error(
                init.span.range(),
                format!(
                    "this list has {} entr{}, but `{name}` has {}",
                    items.len(),
                    if items.len() == 1 { "y" } else { "ies" },
                    dimension_words(name, rank, dim, size)
                        .trim_start_matches(&format!("{name}'s "))
                ),
            )
            .with_help(shape_note(name, shape)),
        );
    }
    items.iter().find_map(|item| match item.kind {
        InitKind::Number { .. } if dim + 1 == rank => None,
        _ => list(name, item, shape, dim + 1),
    })
}

fn shape_note(name: &str, shape: &[usize]) -> String {
    let value = match shape.len() {
        1 => format!("a list of {} numbers", shape[0]),
        2 => format!(
            "a list of {} rows, each a list of {} numbers",
            shape[0], shape[1]
        ),
        _ => format!(
            "a list of {} lists of shape {}",
            shape[0],
            shape_text(&shape[1..])
        ),
    };
    format!(
        "note: `{name}` is {}: its value is {value}",
        shape_words(shape)
    )
}

fn unknown(func: &str, init: &Init) -> Diagnostic {
    let names = INITIALIZERS.iter().map(|(n, _)| *n);
    let mut d = Diagnostic::error(init.span.range(), format!("unknown initializer `{func}`"));
    if let Some(close) = suggest::closest(func, names) {
        d = d.with_help(format!("help: did you mean `{close}`?"));
    }
    d.with_help(
        "note: an initial value is a number (`= -0.5`), a list (`= [0.1, 0.2]`), \
         `uniform(low, high)`, `normal(mean, sd)`, `glorot` or `he`",
    )
}

fn call(
    name: &str,
    func: &str,
    func_span: crate::ast::Span,
    args: &[Init],
    init: &Init,
    shape: &[usize],
) -> Option<Diagnostic> {
    let Some(&(_, params)) = INITIALIZERS.iter().find(|(n, _)| *n == func) else {
        let mut d = unknown(func, init);
        d.span = func_span.range();
        return Some(d);
    };
    if args.len() != params.len() {
        let takes = match params {
            [] => "no arguments".to_string(),
            _ => format!("{} arguments ({})", params.len(), params.join(", ")),
        };
        return Some(Diagnostic::error(
            init.span.range(),
            format!("`{func}` takes {takes}, got {}", args.len()),
        ));
    }
    let value = |i: usize| match &args[i].kind {
        InitKind::Number { negative, number } => {
            literal_value(number).map(|v| if *negative { -v } else { v })
        }
        _ => None,
    };
    match func {
        "uniform" => match (value(0), value(1)) {
            (Some(low), Some(high)) if low > high => Some(Diagnostic::error(
                init.span.range(),
                format!("`uniform(low, high)` needs low ≤ high, but {low} > {high}"),
            )),
            _ => None,
        },
        "normal" => match value(1) {
            Some(sd) if sd < 0.0 => Some(Diagnostic::error(
                args[1].span.range(),
                format!("a standard deviation is at least 0, found {sd}"),
            )),
            _ => None,
        },
        _ if shape.len() != 2 => Some(
            Diagnostic::error(
                init.span.range(),
                format!(
                    "`{func}` initializes a matrix, but `{name}` is {}",
                    shape_words(shape)
                ),
            )
            .with_help(format!(
                "note: `{func}` scales by a layer's fan-in and fan-out, the columns and rows of \
                 `w[out, in]`; use a number or `uniform(low, high)` here"
            )),
        ),
        _ => None,
    }
}
