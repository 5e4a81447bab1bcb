//! `symdiff graph` on an indexed network: one node per array or definition, labelled with its
//! index ranges (`h[j], j = 1..3`), each edge with its local partial in index form; `--unroll`
//! draws the scalar graph of the same network instead (small sizes only).

use crate::cli::graph::{GraphArgs, GraphFormat};
use crate::cli::Failure;
use symdiff::core::emit::{Dot, Svg};
use symdiff::core::indexed::{unroll, IndexedAnalysis};
use symdiff::core::{LabelledGraph, LocalPartials, ModelBuilder, NodeId, Role, Symbol};

/// The most scalar vertices `--unroll` draws.
pub const MAX_UNROLLED: usize = 2_000;

/// Runs `graph` on an indexed network.
pub fn run(analysis: IndexedAnalysis, args: &GraphArgs) -> Result<String, Failure> {
    if args.unroll {
        return unrolled(&analysis, args);
    }
    let model = &analysis.model;
    let derivation = &analysis.derivation;
    // The template graph shares the indexed model's DAG, so its labels are the local partials
    // themselves.
    let mut b = ModelBuilder::network(model.name());
    b.dag = model.dag.clone();
    let label_of = |symbol: Symbol| -> String {
        let indices = derivation.indices_of(symbol);
        let element: Vec<&str> = indices.iter().map(|&i| model.dag.name(i)).collect();
        let name = model.dag.name(symbol);
        if indices.is_empty() {
            return name.to_string();
        }
        let ranges: Vec<String> = indices
            .iter()
            .map(|&i| format!("{} = 1..{}", model.dag.name(i), model.extent(i)))
            .collect();
        format!("{name}[{}], {}", element.join(","), ranges.join(", "))
    };
    let mut vertex = std::collections::HashMap::new();
    for array in model.arrays() {
        let name = label_of(array.symbol);
        b.declare(&name, array.role, None)
            .map_err(|e| Failure(format!("error: {e}")))?;
        vertex.insert(array.symbol, name);
    }
    for d in model.definitions() {
        vertex.insert(d.symbol, label_of(d.symbol));
    }
    let mut labels: Vec<((String, String), NodeId)> = Vec::new();
    for d in model.definitions() {
        let mut used: Vec<NodeId> = Vec::new();
        for local in derivation.locals_of(d.symbol) {
            let from = vertex[&local.array].clone();
            let node = b.dag.node_named(&from);
            if !used.contains(&node) {
                used.push(node);
            }
            let key = (vertex[&d.symbol].clone(), from);
            match labels.iter_mut().find(|(k, _)| *k == key) {
                Some((_, label)) => *label = b.dag.add(vec![*label, local.formula]),
                None => labels.push((key, local.formula)),
            }
        }
        let rhs = match used.len() {
            0 => b.dag.integer(0),
            1 => used[0],
            _ => b.dag.add(used),
        };
        let role = if d.role == Role::Output && !d.indices.is_empty() {
            Role::Intermediate
        } else {
            d.role
        };
        b.define(&vertex[&d.symbol], role, rhs)
            .map_err(|e| Failure(format!("error: {e}")))?;
    }
    let mut template = b.finish().map_err(|e| Failure(format!("error: {e}")))?;
    let highlight = match &args.wrt {
        Some(wrt) => {
            let param = model
                .dag
                .find_symbol(wrt)
                .filter(|s| model.array(*s).is_some())
                .ok_or_else(|| {
                    Failure(format!(
                        "error: --wrt names `{wrt}`, which {} does not declare",
                        model.name()
                    ))
                })?;
            let of = template.dag.find_symbol(&vertex[&derivation.of]);
            let wrt = template.dag.find_symbol(&vertex[&param]);
            of.zip(wrt)
        }
        None => None,
    };
    let graph = LabelledGraph::new(&mut template, highlight, |m, user, used| {
        let key = (m.name_of(user).to_string(), m.name_of(used).to_string());
        labels
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(|| m.dag.integer(0), |(_, label)| *label)
    });
    Ok(match args.format {
        GraphFormat::Dot => Dot::new(&template.dag, &graph).to_string(),
        GraphFormat::Svg => Svg::new(&template.dag, &graph)
            .collapsed(args.collapse)
            .to_string(),
    })
}

/// The scalar graph of the unrolled network, each edge with its scalar local partial.
fn unrolled(analysis: &IndexedAnalysis, args: &GraphArgs) -> Result<String, Failure> {
    let model = &analysis.model;
    let scalars: usize = model
        .arrays()
        .iter()
        .map(|a| a.shape.iter().product::<usize>())
        .chain(
            model
                .definitions()
                .iter()
                .map(|d| model.shape(d.symbol).iter().product::<usize>()),
        )
        .sum();
    if scalars > MAX_UNROLLED {
        return Err(Failure(format!(
            "error: --unroll: {} has {scalars} scalar vertices, too many to draw (at most {MAX_UNROLLED}); draw it without --unroll, one node per array",
            model.name()
        )));
    }
    let mut scalar = unroll(model).map_err(|e| Failure(format!("error: {e}")))?;
    let highlight = match &args.wrt {
        Some(wrt) => {
            let of = scalar
                .vertex_named(model.dag.name(analysis.derivation.of))
                .map(|v| v.symbol);
            let wrt = scalar.vertex_named(wrt).map(|v| v.symbol).ok_or_else(|| {
                Failure(format!(
                    "error: --wrt names `{wrt}`, which the unrolled network does not define (elements are 1-based: `w1[2,1]`)"
                ))
            })?;
            of.map(|of| (of, wrt))
        }
        None => None,
    };
    let mut locals = LocalPartials::new(&mut scalar);
    let graph = LabelledGraph::new(&mut scalar, highlight, |m, user, used| {
        locals.get(m, user, used)
    });
    Ok(match args.format {
        GraphFormat::Dot => Dot::new(&scalar.dag, &graph).to_string(),
        GraphFormat::Svg => Svg::new(&scalar.dag, &graph)
            .collapsed(args.collapse)
            .to_string(),
    })
}
