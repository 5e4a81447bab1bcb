//! symdiff-core: the expression DAG, the variable-dependency graph, differentiation in path and
//! factored form, simplification, evaluation and printing.
//!
//! Core does no I/O. Every stage is a plain function with a typed input and output; the grammar,
//! the CLI and the `network!` macro are thin shells around these calls.
#![warn(missing_docs)]

mod dag;
mod model;
mod op;
mod rational;

pub use dag::{Dag, Node, NodeId, Symbol};
pub use model::{Model, ModelBuilder, ModelError, Role, Vertex};
pub use op::{Constant, Func};
pub use rational::Rational;
