//! Checks of each model as a whole: what is declared and defined, and what uses what.
//!
//! The free-standing definitions form one model, each network another. In both, a name may be
//! declared or defined once, and definitions may not form a cycle. In a network, every name
//! used must be declared or defined, there is exactly one `loss` and at most one `output`, and
//! a param the loss does not depend on draws a warning (its gradient is exactly 0).

use super::cycles;
use super::tokens::is_plain_name;
use super::uses::{for_each_name, Uses};
use crate::ast::{
    Ast, DeclKind, DefKind, ExprId, ExprKind, Network, Span, Statement, StatementKind,
};
use crate::diagnostic::{Diagnostic, Lines};
use crate::suggest;
use symdiff_core::hash::FxHashMap;

/// What a name is in its model.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Declared(DeclKind),
    Defined(DefKind),
}

impl Kind {
    fn described(self) -> &'static str {
        match self {
            Kind::Declared(DeclKind::Input) => "declared as an input",
            Kind::Declared(DeclKind::Target) => "declared as a target",
            Kind::Declared(DeclKind::Param) => "declared as a param",
            Kind::Defined(DefKind::Plain) => "defined",
            Kind::Defined(DefKind::Output) => "defined as the output",
            Kind::Defined(DefKind::Loss) => "defined as the loss",
        }
    }
}

/// One declared or defined name: where, what, and (for definitions) the right-hand side.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry<'a> {
    pub name: &'a str,
    pub span: Span,
    pub kind: Kind,
    pub rhs: Option<crate::ast::ExprId>,
}

/// The names of one model, in source order, with the first entry of each name.
pub(super) struct Table<'a> {
    pub entries: Vec<Entry<'a>>,
    pub first: FxHashMap<&'a str, usize>,
}

impl<'a> Table<'a> {
    pub fn get(&self, name: &str) -> Option<&Entry<'a>> {
        self.first.get(name).map(|&i| &self.entries[i])
    }
}

/// Checks the free-standing model and every network.
pub(super) fn check(ast: &Ast, src: &Lines<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &ast.free {
        if let Some(keyword) = statement.keyword {
            let word = &src.text()[keyword.range()];
            out.push(
                Diagnostic::error(
                    keyword.range(),
                    format!("`{word}` is only allowed inside a `network` block"),
                )
                .with_help("help: free-standing definitions are plain `name = expression` lines"),
            );
        }
    }
    let free: Vec<&Statement> = ast.free.iter().filter(|s| s.keyword.is_none()).collect();
    let table = table(&free, src, out);
    // A free-standing name that is not defined is an input: nothing to report.
    let uses = Uses::new(ast, &table, |_| {});
    cycles::check(&table, &uses, src, out);
    let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
    for network in &ast.networks {
        let name = &network.name;
        if let Some(&first) = seen.get(name.name) {
            out.push(
                Diagnostic::error(
                    name.span.range(),
                    format!("network `{}` is defined more than once", name.name),
                )
                .with_help(format!(
                    "note: the first `network {}` is at {}",
                    name.name,
                    src.line_col(first.range().start)
                )),
            );
        } else {
            seen.insert(name.name, name.span);
        }
        check_network(ast, network, src, out);
    }
}

/// Collects the declared and defined names, reporting redefinitions.
fn table<'a>(
    statements: &[&'a Statement],
    src: &Lines<'_>,
    out: &mut Vec<Diagnostic>,
) -> Table<'a> {
    // Most statements name one entry: room for that many without regrowing.
    let mut table = Table {
        entries: Vec::with_capacity(statements.len()),
        first: FxHashMap::with_capacity_and_hasher(statements.len(), Default::default()),
    };
    let mut add = |name: &'a str, span: Span, kind: Kind, rhs| {
        if !is_plain_name(name) {
            return;
        }
        let entry = Entry {
            name,
            span,
            kind,
            rhs,
        };
        match table.first.get(name) {
            Some(&i) => {
                let first = table.entries[i];
                let again = match kind {
                    Kind::Declared(_) => "declared",
                    Kind::Defined(_) => "defined",
                };
                out.push(
                    Diagnostic::error(span.range(), format!("`{name}` is {again} more than once"))
                        .with_help(format!(
                            "note: `{name}` was first {} at {}",
                            first.kind.described(),
                            src.line_col(first.span.range().start)
                        )),
                );
            }
            None => {
                table.first.insert(name, table.entries.len());
                table.entries.push(entry);
            }
        }
    };
    for statement in statements {
        match &statement.kind {
            StatementKind::Declare { kind, items } => {
                for item in items {
                    let name = &item.target.name;
                    add(name.name, name.span, Kind::Declared(*kind), None);
                }
            }
            StatementKind::Define { kind, target, rhs } => {
                let name = &target.name;
                add(name.name, name.span, Kind::Defined(*kind), Some(*rhs));
            }
            StatementKind::MarkOutput { .. } => {}
        }
    }
    table
}

fn check_network(ast: &Ast, network: &Network, src: &Lines<'_>, out: &mut Vec<Diagnostic>) {
    let statements: Vec<&Statement> = network.statements.iter().collect();
    let table = table(&statements, src, out);
    let errors_before = out.iter().filter(|d| d.is_error()).count();
    let net = &network.name.name;
    let known = || table.entries.iter().map(|e| e.name);

    // Every name used is declared or defined: checked while finding what each entry uses,
    // then in the definitions that are not an entry (a name defined twice, or not plain).
    let mut report_undefined = |id: ExprId| {
        let expr = ast.expr(id);
        if let ExprKind::Name { name, .. } = &expr.kind {
            if is_plain_name(name) {
                out.push(undefined(name, expr.span, net, known()));
            }
        }
    };
    let uses = Uses::new(ast, &table, &mut report_undefined);
    for statement in &statements {
        if let StatementKind::Define { rhs, target, .. } = &statement.kind {
            if table.get(target.name.name).and_then(|e| e.rhs) == Some(*rhs) {
                continue;
            }
            // A name in the table is plain: the lookup goes first.
            for_each_name(ast, *rhs, |id, name| {
                if table.get(name).is_none() {
                    report_undefined(id);
                }
            });
        }
    }

    // One loss, at most one output; `output NAME` marks a plain definition.
    let mut loss: Option<Span> = None;
    let mut output: Option<Span> = None;
    for statement in &statements {
        let (kind, target) = match &statement.kind {
            StatementKind::Define { kind, target, .. } => (Some(*kind), target),
            StatementKind::MarkOutput { target } => (None, target),
            StatementKind::Declare { .. } => continue,
        };
        let name = &target.name;
        let slot = match kind {
            Some(DefKind::Loss) => &mut loss,
            Some(DefKind::Output) | None => &mut output,
            Some(DefKind::Plain) => continue,
        };
        let what = if kind == Some(DefKind::Loss) {
            "loss"
        } else {
            "output"
        };
        if let Some(first) = slot {
            out.push(
                Diagnostic::error(
                    name.span.range(),
                    format!("network `{net}` has more than one {what}"),
                )
                .with_help(format!(
                    "note: the first {what} is `{}` at {}",
                    &src.text()[first.range()],
                    src.line_col(first.range().start)
                )),
            );
        } else {
            *slot = Some(name.span);
        }
        if kind.is_none() && is_plain_name(name.name) {
            match table.get(name.name) {
                None => {
                    let n = &name.name;
                    let d = Diagnostic::error(
                        name.span.range(),
                        format!("`{n}` is not defined in network `{net}`"),
                    );
                    let definitions = table
                        .entries
                        .iter()
                        .filter(|e| e.kind == Kind::Defined(DefKind::Plain))
                        .map(|e| e.name);
                    out.push(match suggest::closest(n, definitions) {
                        Some(close) => d.with_help(format!("help: did you mean `{close}`?")),
                        None => d.with_help(format!(
                            "help: `output {n}` marks a definition made elsewhere; \
                             to define it here, write `output {n} = ...`"
                        )),
                    });
                }
                Some(entry) if entry.kind != Kind::Defined(DefKind::Plain) => {
                    out.push(Diagnostic::error(
                        name.span.range(),
                        format!(
                            "`output` must mark a plain definition, but `{}` is {}",
                            name.name,
                            entry.kind.described()
                        ),
                    ))
                }
                Some(_) => {}
            }
        }
    }
    if loss.is_none() {
        out.push(
            Diagnostic::error(
                network.name.span.range(),
                format!("network `{net}` has no loss"),
            )
            .with_help("help: add a line `loss E = ...` saying what to differentiate"),
        );
    }

    cycles::check(&table, &uses, src, out);

    let clean = out.iter().filter(|d| d.is_error()).count() == errors_before;
    if let (Some(loss), true) = (loss, clean) {
        unused_params(&table, &uses, &src.text()[loss.range()], out);
    }
}

fn undefined<'a>(
    name: &str,
    span: Span,
    network: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::error(
        span.range(),
        format!("`{name}` is not defined in network `{network}`"),
    );
    match suggest::closest(name, known) {
        Some(close) => d.with_help(format!("help: did you mean `{close}`?")),
        None => d.with_help(format!(
            "help: declare it (`input {name}`, `target {name}`, `param {name}`) or define it (`{name} = ...`)"
        )),
    }
}

/// Warns about each param that the loss does not depend on, directly or through definitions.
fn unused_params(table: &Table<'_>, uses: &Uses, loss: &str, out: &mut Vec<Diagnostic>) {
    let mut reached = vec![false; table.entries.len()];
    let mut stack: Vec<usize> = table.first.get(loss).copied().into_iter().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut reached[i], true) {
            continue;
        }
        stack.extend(uses.of(i).iter().map(|&j| j as usize));
    }
    for (entry, reached) in table.entries.iter().zip(reached) {
        if entry.kind == Kind::Declared(DeclKind::Param) && !reached {
            let w = entry.name;
            out.push(
                Diagnostic::warning(
                    entry.span.range(),
                    format!("the loss `{loss}` does not depend on param `{w}`"),
                )
                .with_help(format!(
                    "note: the gradient of {loss} with respect to {w} is exactly 0"
                )),
            );
        }
    }
}
