//! Element references and their subscripts (`w[j, i]`, `x[2]`): the rank against the array's
//! shape, each index name looked up in the scopes of [`Binding`], the range it gets from the
//! dimension it subscripts (and the same range at every other use), fixed positions in range,
//! and the subscripts that are not supported yet (repeated, computed, taken from an array).

use super::bind::Binding;
use super::{dimension_words, shape_text, Extent};
use crate::ast::{ExprId, ExprKind, Index, Span};
use crate::diagnostic::Diagnostic;

impl<'a> Binding<'_, 'a> {
    /// `name[subscripts]`.
    pub(super) fn reference(&mut self, name: &'a str, index: &Index, scope: Option<usize>) {
        let shape = self.resolution.shapes.get(name).cloned();
        if self.names.get(name).is_some_and(|n| n.dim) {
            self.out.push(Diagnostic::error(
                index.span.range(),
                format!("`{name}` is a size and has no elements"),
            ));
        }
        let rank_ok = match &shape {
            Some(shape) if shape.len() != index.items.len() => {
                self.out.push(self.rank(name, shape, index));
                false
            }
            Some(_) => true,
            None => false,
        };
        let mut seen: Vec<usize> = Vec::new();
        for (dim, &item) in index.items.iter().enumerate() {
            let size = shape
                .as_ref()
                .filter(|_| rank_ok)
                .map(|s| (s[dim], s.len()));
            self.subscript(name, item, dim, size, scope, &mut seen);
        }
    }

    fn rank(&self, name: &str, shape: &[usize], index: &Index) -> Diagnostic {
        let found = index.items.len();
        if shape.is_empty() {
            return Diagnostic::error(
                index.span.range(),
                format!("`{name}` is a single number and takes no subscripts"),
            );
        }
        let letters = ["i", "j", "k", "l", "m", "n"];
        let example: Vec<&str> = (0..shape.len())
            .map(|d| letters[d % letters.len()])
            .collect();
        Diagnostic::error(
            index.span.range(),
            format!(
                "`{name}` has {} dimension{} ({}) but {found} subscript{} here",
                shape.len(),
                if shape.len() == 1 { "" } else { "s" },
                shape_text(shape),
                if found == 1 { "" } else { "s" },
            ),
        )
        .with_help(format!(
            "help: one subscript per dimension: `{name}[{}]`",
            example.join(", ")
        ))
    }

    /// One subscript of `array`, in dimension `dim`; `size` is the dimension's extent and the
    /// array's rank, when known.
    fn subscript(
        &mut self,
        array: &'a str,
        item: ExprId,
        dim: usize,
        size: Option<(usize, usize)>,
        scope: Option<usize>,
        seen: &mut Vec<usize>,
    ) {
        let expr = self.ast.expr(item);
        let span = expr.span;
        let text = &self.src.text()[span.range()];
        match &expr.kind {
            ExprKind::Index(name) => {
                let Some(binder) = self.lookup(name, scope) else {
                    if !self.unbound.contains(name) {
                        self.unbound.push(name);
                        self.out.push(self.unbound(name, span));
                    }
                    return;
                };
                self.resolution.binder_of.insert(item, binder);
                if seen.contains(&binder) {
                    self.out.push(Diagnostic::error(
                        span.range(),
                        format!(
                            "`{array}[{0}, {0}]`: a repeated index (a diagonal) is not supported yet",
                            name
                        ),
                    ));
                    return;
                }
                seen.push(binder);
                self.use_binder(binder, array, dim, size, span);
            }
            ExprKind::Number(number) => {
                let Ok(position) = number.parse::<usize>() else {
                    self.out.push(Diagnostic::error(
                        span.range(),
                        format!("a fixed subscript is a whole number, as in `{array}[2]`, found `{text}`"),
                    ));
                    return;
                };
                if position == 0 {
                    self.out.push(
                        Diagnostic::error(
                            span.range(),
                            format!("`{array}[0]` does not exist: subscripts start at 1"),
                        )
                        .with_help(format!("note: the first element is `{array}[1]`")),
                    );
                } else if let Some((extent, rank)) = size.filter(|&(e, _)| position > e) {
                    self.out.push(Diagnostic::error(
                        span.range(),
                        format!(
                            "subscript {position} is out of range: {} are numbered 1 to {extent}",
                            dimension_words(array, rank, dim, extent)
                        ),
                    ));
                }
            }
            ExprKind::Name { index: Some(_), .. } => self.out.push(Diagnostic::error(
                span.range(),
                format!("a subscript taken from an array (`{text}`) is not supported yet"),
            )),
            _ => {
                let mut has_index = false;
                self.ast.for_each_in_subtree(item, |id| {
                    has_index |= matches!(self.ast.expr(id).kind, ExprKind::Index(_));
                });
                let d = match has_index {
                    true => Diagnostic::error(
                        span.range(),
                        format!("a computed subscript (`{array}[{text}]`) is not supported yet"),
                    ),
                    false => Diagnostic::error(
                        span.range(),
                        format!("a subscript is an index name or a whole number, found `{text}`"),
                    ),
                };
                self.out.push(d.with_help(format!(
                    "note: a subscript is an index (`{array}[i]`) or a position (`{array}[2]`)"
                )));
            }
        }
    }

    /// Records that `binder` subscripts dimension `dim` of `array`, checking its range.
    fn use_binder(
        &mut self,
        binder: usize,
        array: &'a str,
        dim: usize,
        size: Option<(usize, usize)>,
        span: Span,
    ) {
        let b = &mut self.resolution.binders[binder];
        b.used = true;
        let Some((extent, rank)) = size else {
            return;
        };
        match b.extent {
            None => {
                b.extent = Some(Extent {
                    size: extent,
                    array,
                    rank,
                    dim,
                    span,
                })
            }
            Some(first) if first.size != extent => {
                let name = b.name;
                let at = self.src.line_col(first.span.range().start);
                self.out.push(
                    Diagnostic::error(
                        span.range(),
                        format!(
                            "`{name}` ranges over {} here but over {} at {at}",
                            dimension_words(array, rank, dim, extent),
                            dimension_words(first.array, first.rank, first.dim, first.size),
                        ),
                    )
                    .with_help(
                        "note: an index has one range wherever it is used; use two indices if \
                         the sizes are meant to differ",
                    ),
                );
            }
            Some(_) => {}
        }
    }

    fn unbound(&self, name: &str, span: Span) -> Diagnostic {
        let mut d = Diagnostic::error(
            span.range(),
            format!("the index `{name}` is not bound here"),
        )
        .with_help(format!(
            "help: bind it on the left-hand side (`h[{name}] = ...`) or sum over it \
                 (`sum({name}, ...)`): there is no implicit reduction"
        ));
        if let Some(named) = self.names.get(name) {
            d = d.with_help(format!(
                "note: `{name}` is {}, not an index",
                named.what.trim_start_matches("the ")
            ));
        }
        d
    }
}
