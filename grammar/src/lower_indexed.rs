//! A checked indexed network into an [`IndexedModel`], through its builder.
//!
//! The checks have worked out every shape and which binder each index name refers to
//! ([`Resolution`]); here each binder becomes an index variable of the model under its model
//! name (`k`, or `k′` for a `k` bound elsewhere with another range), each `w[j, i]` an element
//! reference, each `sum(i, body)` a reduction, and every other operation is lowered as in a
//! scalar model (`lower.rs`). Expressions are lowered in post-order, without recursion.

use crate::ast::StatementKind;
use crate::ast::{is_reduction, Ast, ExprId, ExprKind, Init, InitKind, Network};
use crate::check::indexed::{resolve, Resolution};
use crate::diagnostic::{Diagnostic, Lines};
use crate::lower::{declared_role, defined_role, number_value, operation};
use symdiff_core::indexed::{IndexedBuilder, IndexedModel, Initializer, Sub};
use symdiff_core::{NodeId, Symbol};

/// Lowers one indexed network; `nodes` is scratch, one slot per expression of the file.
pub(crate) fn network(
    ast: &Ast,
    network: &Network,
    src: &Lines<'_>,
    nodes: &mut [Option<NodeId>],
) -> Result<IndexedModel, Diagnostic> {
    // The checks ran already and found nothing: their diagnostics are not needed again.
    let resolution = resolve(ast, network, src, &mut Vec::new());
    let at = network.name.span;
    // Core checks again what the checker has already reported with spans; should it still
    // object, say so at the network rather than panic.
    let fail =
        |e: symdiff_core::indexed::IndexedError| Diagnostic::error(at.range(), e.to_string());
    let unknown = |what: &str| Diagnostic::error(at.range(), format!("internal: {what}"));
    let mut b = IndexedModel::builder(network.name.name);
    for statement in &network.statements {
        match &statement.kind {
            StatementKind::Declare { kind, items } => {
                let role = declared_role(*kind);
                for item in items {
                    let name = item.target.name.name;
                    let shape = resolution
                        .shapes
                        .get(name)
                        .ok_or_else(|| unknown(&format!("no shape for `{name}`")))?;
                    let init = item.init.as_ref().map(initializer);
                    b.declare(name, role, shape, init).map_err(fail)?;
                }
            }
            StatementKind::Define { kind, target, rhs } => {
                let role = defined_role(*kind);
                let body = expression(ast, &mut b, &resolution, *rhs, nodes)?;
                let items = target.index.iter().flat_map(|i| &i.items);
                let indices = items
                    .map(|&item| index(&mut b, &resolution, item))
                    .collect::<Option<Vec<Symbol>>>()
                    .ok_or_else(|| unknown("an unbound index"))?;
                b.define(target.name.name, role, &indices, body)
                    .map_err(fail)?;
            }
            StatementKind::MarkOutput { target } => b.mark_output(target.name.name),
            StatementKind::Dims(_) => {}
        }
    }
    b.finish().map_err(fail)
}

/// The model's index variable for the index name at `item`.
fn index(b: &mut IndexedBuilder, resolution: &Resolution, item: ExprId) -> Option<Symbol> {
    let binder = &resolution.binders[*resolution.binder_of.get(&item)?];
    Some(b.index(&binder.core_name, binder.extent?.size))
}

/// Lowers the expression at `root`, children first.
fn expression(
    ast: &Ast,
    b: &mut IndexedBuilder,
    resolution: &Resolution,
    root: ExprId,
    nodes: &mut [Option<NodeId>],
) -> Result<NodeId, Diagnostic> {
    ast.try_for_each_in_subtree(root, |id| {
        let expr = ast.expr(id);
        let unbound = || Diagnostic::error(expr.span.range(), "internal: an unbound index");
        let node = match &expr.kind {
            ExprKind::Index(_) => {
                let symbol = index(b, resolution, id).ok_or_else(unbound)?;
                b.dag().symbol_node(symbol)
            }
            ExprKind::Name { name, index: None } => b.element(name, &[]),
            ExprKind::Name {
                name,
                index: Some(subscripts),
            } => {
                let mut subs = Vec::with_capacity(subscripts.items.len());
                for &item in &subscripts.items {
                    let sub = match &ast.expr(item).kind {
                        ExprKind::Number(n) => n.parse().ok().map(Sub::Fixed),
                        _ => index(b, resolution, item).map(Sub::Index),
                    };
                    subs.push(sub.ok_or_else(unbound)?);
                }
                b.element(name, &subs)
            }
            ExprKind::Call { func, args } if is_reduction(func.name) => {
                let i = args.first().and_then(|&a| index(b, resolution, a));
                let body = args.get(1).and_then(|&a| nodes[a.index()]);
                let (Some(i), Some(body)) = (i, body) else {
                    return Err(unbound());
                };
                match func.name {
                    "sum" => b.sum(i, body),
                    _ => b.logsumexp(i, body),
                }
            }
            _ => operation(b.dag(), expr, nodes)?,
        };
        nodes[id.index()] = Some(node);
        Ok(())
    })?;
    nodes[root.index()].ok_or_else(|| Diagnostic::error(ast.expr(root).span.range(), "internal"))
}

/// A checked initializer as core's.
fn initializer(init: &Init) -> Initializer {
    let number = |i: &Init| number_value(&i.kind).unwrap_or(0.0);
    match &init.kind {
        InitKind::Number { .. } => Initializer::Constant(number(init)),
        InitKind::List(_) => {
            let mut values = Vec::new();
            flatten(init, &mut values);
            Initializer::Values(values)
        }
        InitKind::Call { func, args } => {
            let arg = |k: usize| args.get(k).map_or(0.0, number);
            match func.name {
                "uniform" => Initializer::Uniform {
                    low: arg(0),
                    high: arg(1),
                },
                "normal" => Initializer::Normal {
                    mean: arg(0),
                    sd: arg(1),
                },
                "glorot" => Initializer::Glorot,
                _ => Initializer::He,
            }
        }
    }
}

/// The numbers of a nested list, row-major (lists nest no deeper than the depth scan allows).
fn flatten(init: &Init, values: &mut Vec<f64>) {
    match &init.kind {
        InitKind::List(items) => items.iter().for_each(|i| flatten(i, values)),
        kind => values.push(number_value(kind).unwrap_or(0.0)),
    }
}
