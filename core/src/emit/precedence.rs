//! The precedence table of the lecture's notation, shared by the text and LaTeX printers and
//! `explain` (the Rust emitter has its own, for Rust's operators: see `codegen/expr.rs`).
//! Printers never simplify: they only choose how to show what is there.

use crate::dag::{Dag, Node, NodeId};
use crate::fraction::is_negative;

/// How tightly an expression binds, loosest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Prec {
    /// `a + b`, `a - b`
    Sum,
    /// `-a`
    Neg,
    /// `a·b`, `a/b`, and a fraction literal `1/2`
    Product,
    /// `a^b`
    Power,
    /// names, whole numbers, constants, calls, anything in brackets
    Atom,
}

/// How tightly a node binds when printed.
pub fn precedence(dag: &Dag, id: NodeId) -> Prec {
    match dag.node(id) {
        Node::Number(r) if r.is_negative() => Prec::Neg,
        Node::Number(r) if !r.is_integer() => Prec::Product,
        Node::Float(bits) if f64::from_bits(*bits) < 0.0 => Prec::Neg,
        // `Σ_k a·b` reaches to the end of what follows it, so inside a product it is bracketed.
        Node::Call(crate::op::Func::Sum, _) => Prec::Sum,
        Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) | Node::Call(..) => {
            Prec::Atom
        }
        Node::Add(_) => Prec::Sum,
        Node::Mul(_) if is_negative(dag, id) => Prec::Neg,
        Node::Mul(_) => Prec::Product,
        Node::Pow([_, e]) if dag.as_number(*e).is_some_and(|e| e.is_negative()) => Prec::Product,
        Node::Pow(_) => Prec::Power,
    }
}
