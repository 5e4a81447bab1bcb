//! The names of one model: each declared or defined name once, in source order, with what it
//! is and where it was first given; a name declared or defined again is reported.

use super::tokens::is_plain_name;
use crate::ast::{DeclKind, DefKind, ExprId, Span, Statement, StatementKind};
use crate::diagnostic::{Diagnostic, Lines};
use symdiff_core::hash::FxHashMap;

/// What a name is in its model.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Declared(DeclKind),
    Defined(DefKind),
    /// `dim J = 4`: a named size.
    Dim,
}

impl Kind {
    pub(super) fn described(self) -> &'static str {
        match self {
            Kind::Declared(DeclKind::Input) => "declared as an input",
            Kind::Declared(DeclKind::Target) => "declared as a target",
            Kind::Declared(DeclKind::Param) => "declared as a param",
            Kind::Defined(DefKind::Plain) => "defined",
            Kind::Defined(DefKind::Output) => "defined as the output",
            Kind::Defined(DefKind::Loss) => "defined as the loss",
            Kind::Dim => "declared as a size (`dim`)",
        }
    }
}

/// One declared or defined name: where, what, and (for definitions) the right-hand side.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry<'a> {
    pub name: &'a str,
    pub span: Span,
    pub kind: Kind,
    pub rhs: Option<ExprId>,
}

/// The names of one model, in source order, with the first entry of each name.
pub(super) struct Table<'a> {
    pub entries: Vec<Entry<'a>>,
    pub first: FxHashMap<&'a str, usize>,
}

impl<'a> Table<'a> {
    /// Collects the declared and defined names of `statements`, reporting redefinitions.
    pub fn collect(
        statements: &[&'a Statement],
        src: &Lines<'_>,
        out: &mut Vec<Diagnostic>,
    ) -> Table<'a> {
        // Most statements name one entry: room for that many without regrowing.
        let mut table = Table {
            entries: Vec::with_capacity(statements.len()),
            first: FxHashMap::with_capacity_and_hasher(statements.len(), Default::default()),
        };
        for statement in statements {
            match &statement.kind {
                StatementKind::Declare { kind, items } => {
                    for item in items {
                        let name = &item.target.name;
                        let entry = Entry {
                            name: name.name,
                            span: name.span,
                            kind: Kind::Declared(*kind),
                            rhs: None,
                        };
                        table.add(entry, src, out);
                    }
                }
                StatementKind::Define { kind, target, rhs } => {
                    let entry = Entry {
                        name: target.name.name,
                        span: target.name.span,
                        kind: Kind::Defined(*kind),
                        rhs: Some(*rhs),
                    };
                    table.add(entry, src, out);
                }
                StatementKind::Dims(dims) => {
                    for dim in dims {
                        let entry = Entry {
                            name: dim.name.name,
                            span: dim.name.span,
                            kind: Kind::Dim,
                            rhs: None,
                        };
                        table.add(entry, src, out);
                    }
                }
                StatementKind::MarkOutput { .. } => {}
            }
        }
        table
    }

    pub fn get(&self, name: &str) -> Option<&Entry<'a>> {
        self.first.get(name).map(|&i| &self.entries[i])
    }

    /// Adds an entry with a plain name, or reports its name when it is already there. A name
    /// that is not plain (a keyword, a function) is left out: the token checks report it.
    fn add(&mut self, entry: Entry<'a>, src: &Lines<'_>, out: &mut Vec<Diagnostic>) {
        if !is_plain_name(entry.name) {
            return;
        }
        match self.first.get(entry.name) {
            Some(&i) => out.push(again(&entry, &self.entries[i], src)),
            None => {
                self.first.insert(entry.name, self.entries.len());
                self.entries.push(entry);
            }
        }
    }
}

/// A name declared or defined a second time, after `first`.
fn again(entry: &Entry<'_>, first: &Entry<'_>, src: &Lines<'_>) -> Diagnostic {
    let Entry {
        name, span, kind, ..
    } = *entry;
    let again = match kind {
        Kind::Declared(_) | Kind::Dim => "declared",
        Kind::Defined(_) => "defined",
    };
    Diagnostic::error(span.range(), format!("`{name}` is {again} more than once")).with_help(
        format!(
            "note: `{name}` was first {} at {}",
            first.kind.described(),
            src.line_col(first.span.range().start)
        ),
    )
}
