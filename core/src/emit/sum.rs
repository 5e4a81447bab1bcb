//! What the text and LaTeX printers write alike: a term in brackets where it binds looser than
//! its place, and a sum in the lecture's notation, the first term as it is, each later negative
//! term after ` - ` without its own sign (`a + b - c`, not `a + b + -c`).

use super::precedence::{precedence, Prec};
use crate::dag::{Dag, NodeId};
use crate::fraction::is_negative;
use std::fmt::{self, Write};

/// A printer of the lecture's notation: it says how to write a node and a negative term without
/// its sign; brackets and sums are written the same way by every such printer.
pub(super) trait SumPrinter {
    /// The DAG the terms are in.
    fn dag(&self) -> &Dag;

    /// A node, at a nesting depth (printers stop at a fixed depth).
    fn node(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result;

    /// A term, bracketed when it binds looser than `min`.
    fn wrapped(&self, out: &mut dyn Write, id: NodeId, min: Prec, depth: usize) -> fmt::Result {
        if precedence(self.dag(), id) < min {
            out.write_char('(')?;
            self.node(out, id, depth + 1)?;
            out.write_char(')')
        } else {
            self.node(out, id, depth + 1)
        }
    }

    /// A negative term without its minus sign (the sum printed ` - ` already).
    fn unsigned(&self, out: &mut dyn Write, id: NodeId, depth: usize) -> fmt::Result;

    /// `a + b - c`.
    fn sum(&self, out: &mut dyn Write, terms: &[NodeId], depth: usize) -> fmt::Result {
        for (i, &t) in terms.iter().enumerate() {
            if i == 0 {
                self.wrapped(out, t, Prec::Neg, depth)?;
            } else if is_negative(self.dag(), t) {
                out.write_str(" - ")?;
                self.unsigned(out, t, depth)?;
            } else {
                out.write_str(" + ")?;
                self.wrapped(out, t, Prec::Neg, depth)?;
            }
        }
        Ok(())
    }
}
