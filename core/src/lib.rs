//! symdiff-core: the expression DAG, the variable-dependency graph, differentiation in path and
//! factored form, simplification, evaluation and printing.
//!
//! Core does no I/O. Every stage is a plain function with a typed input and output; the grammar,
//! the CLI and the `network!` macro are thin shells around these calls.
#![warn(missing_docs)]

mod analysis;
mod children;
pub mod codegen;
mod dag;
mod depgraph;
mod derived;
mod diff;
pub mod emit;
mod eval;
pub mod explain;
mod fraction;
pub mod hash;
pub mod indexed;
mod marks;
mod model;
mod network;
pub mod numerics;
mod op;
mod rational;
mod simplify;
mod stabilize;
mod symbols;
#[cfg(test)]
mod testing;
mod undefined;

pub use analysis::{Analysis, Evaluation, NameError, NameUse, Point};
pub use children::Children;
pub use dag::{Dag, Node, NodeId, Symbol};
pub use depgraph::{DepGraph, Edge, LabelledGraph};
pub use derived::{Derived, Function};
pub use diff::{
    derivative, derivatives, derive, partial, partial_symbol, path_sum, Adjoint, Adjoints,
    Derivation, Gradient, LocalPartials, Notation, PathSum, DEFAULT_MAX_PATHS,
};
pub use emit::Text;
pub use eval::{evaluate, Program};
pub use model::{Model, ModelBuilder, ModelError, Role, Vertex};
pub use network::NetworkError;
pub use op::{Constant, Func};
pub use rational::Rational;
pub use simplify::{is_canonical, simplify, Simplifier};
pub use stabilize::{stable_definitions, stable_formulas};
pub use undefined::{
    indexed_undefined_reason, undefined_derivative_reason, undefined_gradient_reason,
    undefined_reason,
};
