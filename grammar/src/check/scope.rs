//! Checks of each model as a whole: what is declared and defined, and what uses what.
//!
//! The free-standing definitions form one model, each network another. In both, a name may be
//! declared or defined once, and definitions may not form a cycle. In a network, every name
//! used must be declared or defined, there is exactly one `loss` and at most one `output`, and
//! a param the loss does not depend on draws a warning (its gradient is exactly 0).

use super::cycles;
use super::table::{Kind, Table};
use super::tokens::is_plain_name;
use super::uses::{for_each_name, Uses};
use crate::ast::{
    Ast, DeclKind, DefKind, ExprId, ExprKind, Ident, Network, Span, Statement, StatementKind,
};
use crate::diagnostic::{Diagnostic, Lines};
use crate::suggest;
use symdiff_core::hash::FxHashMap;

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
    let table = Table::collect(&free, src, out);
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

/// Checks one network: its names, its `loss` and `output`, its cycles, and (when nothing else
/// is wrong) the params its loss does not depend on.
fn check_network(ast: &Ast, network: &Network, src: &Lines<'_>, out: &mut Vec<Diagnostic>) {
    let statements: Vec<&Statement> = network.statements.iter().collect();
    let table = Table::collect(&statements, src, out);
    let errors_before = error_count(out);
    let net = NetworkCheck {
        ast,
        src,
        name: network.name.name,
        statements,
        table,
    };
    let uses = net.uses_reporting_undefined(out);
    let loss = net.loss_and_output(out);
    if loss.is_none() {
        out.push(
            Diagnostic::error(
                network.name.span.range(),
                format!("network `{}` has no loss", net.name),
            )
            .with_help("help: add a line `loss E = ...` saying what to differentiate"),
        );
    }

    cycles::check(&net.table, &uses, src, out);

    if let (Some(loss), true) = (loss, error_count(out) == errors_before) {
        unused_params(&net.table, &uses, &src.text()[loss.range()], out);
    }
}

fn error_count(out: &[Diagnostic]) -> usize {
    out.iter().filter(|d| d.is_error()).count()
}

/// One network under check: its statements and its names.
struct NetworkCheck<'n> {
    ast: &'n Ast<'n>,
    src: &'n Lines<'n>,
    name: &'n str,
    statements: Vec<&'n Statement<'n>>,
    table: Table<'n>,
}

impl NetworkCheck<'_> {
    /// What each entry uses; reports every name used that is neither declared nor defined,
    /// first while finding what each entry uses, then in the definitions that are not an
    /// entry (a name defined twice, or not plain).
    fn uses_reporting_undefined(&self, out: &mut Vec<Diagnostic>) -> Uses {
        let known = || self.table.entries.iter().map(|e| e.name);
        let mut report_undefined = |id: ExprId| {
            let expr = self.ast.expr(id);
            if let ExprKind::Name { name, .. } = &expr.kind {
                if is_plain_name(name) {
                    out.push(undefined(name, expr.span, self.name, known()));
                }
            }
        };
        let uses = Uses::new(self.ast, &self.table, &mut report_undefined);
        for statement in &self.statements {
            if let StatementKind::Define { rhs, target, .. } = &statement.kind {
                if self.table.get(target.name.name).and_then(|e| e.rhs) == Some(*rhs) {
                    continue;
                }
                // A name in the table is plain: the lookup goes first.
                for_each_name(self.ast, *rhs, |id, name| {
                    if self.table.get(name).is_none() {
                        report_undefined(id);
                    }
                });
            }
        }
        uses
    }

    /// Reports a second `loss` or `output`, and each `output NAME` that does not mark a plain
    /// definition; returns where the loss is named.
    fn loss_and_output(&self, out: &mut Vec<Diagnostic>) -> Option<Span> {
        let mut loss: Option<Span> = None;
        let mut output: Option<Span> = None;
        for statement in &self.statements {
            let (kind, target) = match &statement.kind {
                StatementKind::Define { kind, target, .. } => (Some(*kind), target),
                StatementKind::MarkOutput { target } => (None, target),
                StatementKind::Declare { .. } | StatementKind::Dims(_) => continue,
            };
            let name = &target.name;
            let (slot, what) = match kind {
                Some(DefKind::Loss) => (&mut loss, "loss"),
                Some(DefKind::Output) | None => (&mut output, "output"),
                Some(DefKind::Plain) => continue,
            };
            match slot {
                Some(first) => out.push(self.second(what, name.span, *first)),
                None => *slot = Some(name.span),
            }
            if kind.is_none() && is_plain_name(name.name) {
                out.extend(self.output_mark(name));
            }
        }
        loss
    }

    /// A second `what` (`loss` or `output`) at `span`, after the one at `first`.
    fn second(&self, what: &str, span: Span, first: Span) -> Diagnostic {
        let net = self.name;
        Diagnostic::error(
            span.range(),
            format!("network `{net}` has more than one {what}"),
        )
        .with_help(format!(
            "note: the first {what} is `{}` at {}",
            &self.src.text()[first.range()],
            self.src.line_col(first.range().start)
        ))
    }

    /// What is wrong with `output NAME`, if anything: `output` marks a plain definition.
    fn output_mark(&self, name: &Ident) -> Option<Diagnostic> {
        match self.table.get(name.name) {
            None => Some(self.output_undefined(name)),
            Some(entry) if entry.kind != Kind::Defined(DefKind::Plain) => Some(Diagnostic::error(
                name.span.range(),
                format!(
                    "`output` must mark a plain definition, but `{}` is {}",
                    name.name,
                    entry.kind.described()
                ),
            )),
            Some(_) => None,
        }
    }

    /// `output NAME` marks a name the network does not define.
    fn output_undefined(&self, name: &Ident) -> Diagnostic {
        let (n, net) = (name.name, self.name);
        let d = Diagnostic::error(
            name.span.range(),
            format!("`{n}` is not defined in network `{net}`"),
        );
        let definitions = self
            .table
            .entries
            .iter()
            .filter(|e| e.kind == Kind::Defined(DefKind::Plain))
            .map(|e| e.name);
        match suggest::closest(n, definitions) {
            Some(close) => d.with_help(format!("help: did you mean `{close}`?")),
            None => d.with_help(format!(
                "help: `output {n}` marks a definition made elsewhere; \
                 to define it here, write `output {n} = ...`"
            )),
        }
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
