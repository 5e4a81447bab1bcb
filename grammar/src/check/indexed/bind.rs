//! Index binding in one definition: which binder each index name refers to, and the range of
//! each binder, inferred from the arrays it subscripts.
//!
//! A definition's left-hand side binds its indices (`s[j] = ...`) over the whole right-hand
//! side; a reduction binds its first argument over its body (`sum(i, w[j, i] * x[i])`). An
//! index used anywhere else is unbound: there is no implicit reduction. A binder may not
//! shadow another binder in scope, nor take the name of an array, a definition or a size.
//! Every binder must subscript some array, which gives its range; every other subscript it
//! appears in must have the same range.

use super::Resolution;
use super::{reserved, shape_words, Binder, Named};
use crate::ast::{is_reduction, Ast, DefKind, ExprId, ExprKind, Span, Target};
use crate::diagnostic::{Diagnostic, Lines};
use symdiff_core::hash::FxHashMap;

/// The binding of every definition of one network, one after another.
pub(super) struct Binding<'r, 'a> {
    pub(super) ast: &'a Ast<'a>,
    pub(super) src: &'r Lines<'r>,
    pub(super) names: &'r FxHashMap<&'a str, Named>,
    pub(super) resolution: Resolution<'a>,
    pub(super) out: &'r mut Vec<Diagnostic>,
    /// The scopes of the definition being bound: (binder, enclosing scope).
    pub(super) scopes: Vec<(usize, Option<usize>)>,
    /// The unbound index names reported in the definition being bound (each once).
    pub(super) unbound: Vec<&'a str>,
}

impl<'r, 'a> Binding<'r, 'a> {
    pub(super) fn new(
        ast: &'a Ast<'a>,
        src: &'r Lines<'r>,
        names: &'r FxHashMap<&'a str, Named>,
        resolution: Resolution<'a>,
        out: &'r mut Vec<Diagnostic>,
    ) -> Self {
        Binding {
            ast,
            src,
            names,
            resolution,
            out,
            scopes: Vec::new(),
            unbound: Vec::new(),
        }
    }

    pub(super) fn finish(self) -> Resolution<'a> {
        self.resolution
    }

    /// Binds one definition and records its shape when every index of its left-hand side has
    /// a range.
    pub(super) fn definition(&mut self, kind: DefKind, target: &'a Target<'a>, rhs: ExprId) {
        self.scopes.clear();
        self.unbound.clear();
        let first = self.resolution.binders.len();
        let mut scope = None;
        let mut lhs: Vec<usize> = Vec::new();
        let mut shaped = true;
        if let Some(index) = &target.index {
            if kind == DefKind::Loss {
                shaped = false;
                let n = target.name.name;
                self.out.push(
                    Diagnostic::error(
                        index.span.range(),
                        format!("the loss is a single number: `{n}` takes no subscripts"),
                    )
                    .with_help(format!(
                        "help: sum over the indices: `loss {n} = sum(k, ...)`"
                    )),
                );
            }
            if index.items.is_empty() {
                shaped = false;
                self.out.push(Diagnostic::error(
                    index.span.range(),
                    format!("`{}[]` binds no index: write `{0} = ...`", target.name.name),
                ));
            }
            for &item in &index.items {
                let expr = self.ast.expr(item);
                let ExprKind::Index(name) = expr.kind else {
                    shaped = false;
                    let text = &self.src.text()[expr.span.range()];
                    self.out.push(
                        Diagnostic::error(
                            expr.span.range(),
                            format!("a left-hand side binds index names, found `{text}`"),
                        )
                        .with_help(format!(
                            "help: define the whole array with an index (`{}[j] = ...`); one \
                             element cannot be defined on its own",
                            target.name.name
                        )),
                    );
                    continue;
                };
                if let Some(&twice) = lhs
                    .iter()
                    .find(|&&b| self.resolution.binders[b].name == name)
                {
                    shaped = false;
                    let at = self
                        .src
                        .line_col(self.resolution.binders[twice].span.range().start);
                    self.out.push(Diagnostic::error(
                        expr.span.range(),
                        format!(
                            "`{name}` appears twice on the left-hand side (first at {at}): a \
                             repeated index (a diagonal) is not supported yet"
                        ),
                    ));
                    self.resolution.binder_of.insert(item, twice);
                    continue;
                }
                let binder = self.bind(name, expr.span, None, scope);
                self.resolution.binder_of.insert(item, binder);
                scope = Some(self.enter(binder, scope));
                lhs.push(binder);
            }
        }
        self.walk(rhs, scope);
        self.unused(first);
        let shape: Option<Vec<usize>> = lhs
            .iter()
            .map(|&b| self.resolution.binders[b].extent.map(|e| e.size))
            .collect();
        if let (Some(shape), true) = (shape, shaped) {
            self.resolution
                .shapes
                .entry(target.name.name)
                .or_insert(shape);
        }
    }

    /// A new binder of `name` at `span`, reporting a name that clashes or shadows.
    fn bind(
        &mut self,
        name: &'a str,
        span: Span,
        by: Option<&'a str>,
        scope: Option<usize>,
    ) -> usize {
        if let Some(what) = reserved(name) {
            self.out.push(Diagnostic::error(
                span.range(),
                format!("`{name}` is {what} and cannot name an index"),
            ));
        } else if let Some(named) = self.names.get(name) {
            let at = self.src.line_col(named.span.range().start);
            self.out.push(
                Diagnostic::error(
                    span.range(),
                    format!(
                        "the index `{name}` has the name of {} `{name}` (at {at})",
                        named.what
                    ),
                )
                .with_help("help: name the index differently: an index is not an array or a size"),
            );
        } else if let Some(outer) = self.lookup(name, scope) {
            // The outer binder is not reported as unused on top of this.
            self.resolution.binders[outer].used = true;
            let b = &self.resolution.binders[outer];
            let at = self.src.line_col(b.span.range().start);
            let by_what = match b.by {
                None => "the left-hand side".to_string(),
                Some(r) => format!("a `{r}`"),
            };
            self.out.push(
                Diagnostic::error(
                    span.range(),
                    format!("the index `{name}` is already bound here, by {by_what} at {at}"),
                )
                .with_help("help: an inner index cannot shadow an outer one; name it differently"),
            );
        }
        self.resolution.binders.push(Binder {
            name,
            span,
            by,
            extent: None,
            used: false,
            core_name: name.to_string(),
        });
        self.resolution.binders.len() - 1
    }

    fn enter(&mut self, binder: usize, scope: Option<usize>) -> usize {
        self.scopes.push((binder, scope));
        self.scopes.len() - 1
    }

    /// The innermost binder of `name` in `scope`.
    pub(super) fn lookup(&self, name: &str, mut scope: Option<usize>) -> Option<usize> {
        while let Some(s) = scope {
            let (binder, outer) = self.scopes[s];
            if self.resolution.binders[binder].name == name {
                return Some(binder);
            }
            scope = outer;
        }
        None
    }

    /// Walks a right-hand side, each expression with the scope it is in (pre-order, left to
    /// right, with an explicit stack).
    fn walk(&mut self, rhs: ExprId, scope: Option<usize>) {
        let mut stack: Vec<(ExprId, Option<usize>)> = vec![(rhs, scope)];
        while let Some((id, scope)) = stack.pop() {
            let expr = self.ast.expr(id);
            match &expr.kind {
                ExprKind::Call { func, args } if is_reduction(func.name) && args.len() == 2 => {
                    let index = self.ast.expr(args[0]);
                    let inner = match index.kind {
                        ExprKind::Index(name) => {
                            let binder = self.bind(name, index.span, Some(func.name), scope);
                            self.resolution.binder_of.insert(args[0], binder);
                            Some(self.enter(binder, scope))
                        }
                        _ => {
                            let f = func.name;
                            self.out.push(Diagnostic::error(
                                index.span.range(),
                                format!(
                                    "the first argument of `{f}` is the index it runs over, as in `{f}(i, x[i])`"
                                ),
                            ));
                            stack.push((args[0], scope));
                            scope
                        }
                    };
                    stack.push((args[1], inner));
                }
                ExprKind::Name { name, index } => match index {
                    Some(index) => self.reference(name, index, scope),
                    None => self.whole(name, expr.span),
                },
                _ => {
                    let at = stack.len();
                    self.ast.for_each_child(id, |c| stack.push((c, scope)));
                    stack[at..].reverse();
                }
            }
        }
    }

    /// A name without subscripts: a scalar's value.
    fn whole(&mut self, name: &str, span: Span) {
        if self.names.get(name).is_some_and(|n| n.dim) {
            self.out.push(
                Diagnostic::error(span.range(), format!("`{name}` is a size, not a value"))
                    .with_help(format!(
                        "note: sizes are for declarations (`input x[{name}]`)"
                    )),
            );
            return;
        }
        match self.resolution.shapes.get(name) {
            Some(shape) if !shape.is_empty() => {
                let subs = vec!["…"; shape.len()].join(", ");
                self.out.push(
                    Diagnostic::error(
                        span.range(),
                        format!("`{name}` is {}, not a single number", shape_words(shape)),
                    )
                    .with_help(format!(
                        "help: refer to its elements, `{name}[{subs}]`, or sum over them"
                    )),
                )
            }
            _ => {}
        }
    }

    /// Reports each binder from `first` on that no subscript uses (its range is unknown).
    fn unused(&mut self, first: usize) {
        for b in &self.resolution.binders[first..] {
            if b.used {
                continue;
            }
            let name = b.name;
            let d = match b.by {
                None => Diagnostic::error(
                    b.span.range(),
                    format!("the index `{name}` is not used on the right-hand side, so its range is unknown"),
                )
                .with_help(format!(
                    "note: an index of the left-hand side takes its range from the arrays it subscripts on the right (`h[{name}] = sigmoid(s[{name}])`)"
                )),
                Some(r) => Diagnostic::error(
                    b.span.range(),
                    format!("the index `{name}` is not used in the body of this `{r}`, so its range is unknown"),
                )
                .with_help(format!("note: the body subscripts an array with it, as in `{r}({name}, x[{name}])`")),
            };
            self.out.push(d);
        }
    }
}
