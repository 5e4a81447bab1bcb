//! Checked syntax tree to core models, one [`ModelBuilder`] per model.
//!
//! Lowering keeps what the user wrote: every name stays a vertex, nothing is simplified, and
//! each operation maps onto the core constructor of the same meaning: `a - b` is
//! [`Dag::sub`]'s `a + (-1)·b`, `a / b` is [`Dag::div`]'s `a · b^-1`, `-a` is [`Dag::neg`].
//! A flattened chain `a - b + c` becomes one sum `a + (-1)·b + c`, which is exactly what those
//! constructors build for two operands. Literals are exact rationals when they fit
//! ([`Rational::parse_decimal`]), else floats.
//!
//! Expressions are lowered in post-order ([`Ast::try_for_each_in_subtree`]), children before
//! parents, so there is no recursion however deep the expression.
//!
//! A network that uses a size, a subscript, a `dim` or a reduction is lowered by
//! `lower_indexed.rs` into an [`IndexedModel`] instead; every other model stays a [`Model`].

use crate::ast::{
    Ast, DeclKind, DefKind, Expr, ExprId, ExprKind, InitKind, MulOp, Sign, Span, Statement,
    StatementKind,
};
use crate::check::indexed::first_indexed;
use crate::check::tokens::literal_value;
use crate::diagnostic::{Diagnostic, Lines};
use crate::lower_indexed;
use symdiff_core::indexed::IndexedModel;
use symdiff_core::{Dag, Function, Model, ModelBuilder, NodeId, Rational, Role};

/// The models of a checked file.
pub(crate) struct Lowered {
    /// The scalar ones: the free-standing definitions (if any) first, then each scalar network
    /// in source order.
    pub models: Vec<Model>,
    /// The indexed networks in source order, each with where it first uses an index.
    pub indexed: Vec<(IndexedModel, Span)>,
}

/// The models of a checked file: the free-standing definitions (if any) first, then each
/// network in source order, scalar and indexed ones apart.
pub(crate) fn lower(ast: &Ast, text: &str) -> Result<Lowered, Diagnostic> {
    let mut nodes: Vec<Option<NodeId>> = vec![None; ast.exprs.len()];
    let mut models = Vec::new();
    let mut indexed = Vec::new();
    let src = Lines::new(text);
    if !ast.free.is_empty() {
        let statements: Vec<&Statement> = ast.free.iter().collect();
        let span = ast.free[0].span.to(ast.free[ast.free.len() - 1].span);
        let mut builder = ModelBuilder::free();
        let in_networks: usize = ast.networks.iter().map(|n| n.expr_count).sum();
        let free_exprs = ast.exprs.len().saturating_sub(in_networks);
        builder.reserve(statements.len(), free_exprs + statements.len());
        models.push(model(ast, builder, &statements, &mut nodes, span.range())?);
    }
    for network in &ast.networks {
        if let Some(first) = first_indexed(ast, &network.statements) {
            let model = lower_indexed::network(ast, network, &src, &mut nodes)?;
            indexed.push((model, first));
            continue;
        }
        let statements: Vec<&Statement> = network.statements.iter().collect();
        let mut builder = ModelBuilder::network(network.name.name);
        // About a node per expression and a vertex per statement (a declaration of several
        // names is rare), room made once rather than by doubling.
        builder.reserve(statements.len(), network.expr_count + statements.len());
        models.push(model(
            ast,
            builder,
            &statements,
            &mut nodes,
            network.name.span.range(),
        )?);
    }
    Ok(Lowered { models, indexed })
}

fn model(
    ast: &Ast,
    mut b: ModelBuilder,
    statements: &[&Statement],
    nodes: &mut [Option<NodeId>],
    span: std::ops::Range<usize>,
) -> Result<Model, Diagnostic> {
    // Core checks again what the checker has already reported with spans; should it still
    // object, say so at the model rather than panic.
    let fail = |e: symdiff_core::ModelError| Diagnostic::error(span.clone(), e.to_string());
    for statement in statements {
        match &statement.kind {
            StatementKind::Declare { kind, items } => {
                let role = declared_role(*kind);
                for item in items {
                    let init = item.init.as_ref().and_then(|init| number_value(&init.kind));
                    b.declare(item.target.name.name, role, init).map_err(fail)?;
                }
            }
            StatementKind::Define { kind, target, rhs } => {
                let role = defined_role(*kind);
                let node = expression(ast, &mut b.dag, *rhs, nodes)?;
                b.define(target.name.name, role, node).map_err(fail)?;
            }
            StatementKind::MarkOutput { target } => b.mark_output(target.name.name),
            // Sizes make a network indexed: a scalar model has none.
            StatementKind::Dims(_) => {}
        }
    }
    b.finish().map_err(fail)
}

/// Lowers the expression at `root` into `dag`, children first.
fn expression(
    ast: &Ast,
    dag: &mut Dag,
    root: ExprId,
    nodes: &mut [Option<NodeId>],
) -> Result<NodeId, Diagnostic> {
    ast.try_for_each_in_subtree(root, |id| {
        let node = operation(dag, ast.expr(id), nodes)?;
        nodes[id.index()] = Some(node);
        Ok(())
    })?;
    Ok(nodes[root.index()].expect("the root was lowered"))
}

/// The value of a signed number as written (`-0.5`); `None` for a list or a named initializer.
/// The role of a declared name (`input`, `target`, `param`).
pub(crate) fn declared_role(kind: DeclKind) -> Role {
    match kind {
        DeclKind::Input => Role::Input,
        DeclKind::Target => Role::Target,
        DeclKind::Param => Role::Param,
    }
}

/// The role of a defined name (a plain definition, `output`, `loss`).
pub(crate) fn defined_role(kind: DefKind) -> Role {
    match kind {
        DefKind::Plain => Role::Intermediate,
        DefKind::Output => Role::Output,
        DefKind::Loss => Role::Loss,
    }
}

pub(crate) fn number_value(kind: &InitKind) -> Option<f64> {
    match kind {
        InitKind::Number { negative, number } => {
            literal_value(number).map(|v| if *negative { -v } else { v })
        }
        InitKind::List(_) | InitKind::Call { .. } => None,
    }
}

/// Lowers one expression whose children are lowered already (their nodes are in `nodes`).
/// Indices and reductions are `lower_indexed.rs`'s: here they are an error at the token, which
/// the checks make unreachable.
pub(crate) fn operation(
    dag: &mut Dag,
    expr: &Expr,
    nodes: &[Option<NodeId>],
) -> Result<NodeId, Diagnostic> {
    let get = |child: ExprId| nodes[child.index()].expect("children are lowered first");
    Ok(match &expr.kind {
        ExprKind::Number(text) => number(dag, text, expr.span)?,
        ExprKind::Constant(c) => dag.constant(*c),
        ExprKind::Name { name, .. } => dag.node_named(name),
        ExprKind::Index(name) => {
            return Err(Diagnostic::error(
                expr.span.range(),
                format!("the index `{name}` stands outside a subscript"),
            ))
        }
        ExprKind::Call { func, args } => {
            let Some(f) = Function::from_name(func.name) else {
                return Err(Diagnostic::error(
                    func.span.range(),
                    format!("unknown function `{}`", func.name),
                ));
            };
            let args = args.iter().map(|&a| get(a)).collect();
            f.apply(dag, args)
        }
        ExprKind::Neg(x) => dag.neg(get(*x)),
        ExprKind::Pow(base, exponent) => dag.pow(get(*base), get(*exponent)),
        ExprKind::Sum(terms) => {
            let terms = terms
                .iter()
                .map(|&(sign, t)| match sign {
                    Sign::Plus => get(t),
                    Sign::Minus => dag.neg(get(t)),
                })
                .collect();
            dag.add(terms)
        }
        ExprKind::Product(factors) => {
            let factors = factors
                .iter()
                .map(|&(op, f)| match op {
                    MulOp::Mul => get(f),
                    MulOp::Div => dag.powi(get(f), -1),
                })
                .collect();
            dag.mul(factors)
        }
    })
}

/// A number literal: an exact rational when it fits, else the nearest float.
fn number(dag: &mut Dag, text: &str, span: Span) -> Result<NodeId, Diagnostic> {
    match Rational::parse_decimal(text) {
        Some(exact) => Ok(dag.number(exact)),
        None => match literal_value(text) {
            Some(v) => Ok(dag.float(v)),
            None => Err(Diagnostic::error(
                span.range(),
                format!("number `{text}` is too large"),
            )),
        },
    }
}
