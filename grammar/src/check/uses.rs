//! What each declared or defined name of a model uses: the name graph the cycle check and the
//! unused-param warning walk, found in one pass over the right-hand sides.
//!
//! Each name in a right-hand side is looked up once, here; the checks after it follow entry
//! indices and never hash a name again.

use super::table::Table;
use crate::ast::{Ast, ExprId, ExprKind};

/// For each entry of a [`Table`], the entries its right-hand side uses, each once, in order of
/// first use (empty for declarations).
pub(super) struct Uses {
    /// Where each entry's list starts in `used`; entry `i` ends where `i + 1` starts.
    starts: Vec<u32>,
    used: Vec<u32>,
}

impl Uses {
    /// Walks every right-hand side of `table`, in entry order. `unknown` sees each name that
    /// is not in the table, every time it occurs, with its expression.
    pub(super) fn new(ast: &Ast, table: &Table<'_>, mut unknown: impl FnMut(ExprId)) -> Uses {
        let n = table.entries.len();
        let mut starts = Vec::with_capacity(n + 1);
        let mut used = Vec::new();
        // seen_by[j] = i + 1 once entry i's list holds j: a repeated name costs no search.
        let mut seen_by = vec![0u32; n];
        for (i, entry) in table.entries.iter().enumerate() {
            starts.push(used.len() as u32);
            let Some(rhs) = entry.rhs else {
                continue;
            };
            let owner = i as u32 + 1;
            for_each_name(ast, rhs, |id, name| match table.first.get(name) {
                Some(&j) if seen_by[j] != owner => {
                    seen_by[j] = owner;
                    used.push(j as u32);
                }
                Some(_) => {}
                None => unknown(id),
            });
        }
        starts.push(used.len() as u32);
        Uses { starts, used }
    }

    /// The entries entry `i` uses, in order of first use.
    pub(super) fn of(&self, i: usize) -> &[u32] {
        &self.used[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// Each name in the expression at `rhs`, with its expression.
pub(super) fn for_each_name<'a>(ast: &Ast<'a>, rhs: ExprId, mut f: impl FnMut(ExprId, &'a str)) {
    ast.for_each_in_subtree(rhs, |id| {
        if let ExprKind::Name { name, .. } = &ast.expr(id).kind {
            f(id, name);
        }
    });
}
