//! `symdiff graph` on an indexed network: one node per array or definition, labelled with its
//! index ranges (`h[j], j = 1..3`), each edge with its local partial in index form; `--unroll`
//! draws the scalar graph of the same network instead (small sizes only).

use crate::cli::graph::{GraphArgs, GraphFormat};
use crate::cli::Failure;
use std::collections::HashMap;
use symdiff::core::emit::{Dot, Svg};
use symdiff::core::explain::IndexedGraph;
use symdiff::core::indexed::{unroll, IndexedAnalysis};
use symdiff::core::{LabelledGraph, LocalPartials, Model, ModelBuilder, NodeId, Role, Symbol};

/// The most scalar vertices `--unroll` draws.
pub const MAX_UNROLLED: usize = 2_000;

/// The template graph as a scalar model whose vertices are the arrays (named with their
/// ranges), and the label of each (user, used) edge: the local partials between them.
struct Template {
    model: Model,
    /// Each array's or definition's vertex name in `model`.
    vertex: HashMap<Symbol, String>,
    /// `(user, used)` vertex names and the edge's label.
    labels: Vec<((String, String), NodeId)>,
}

/// Runs `graph` on an indexed network.
pub fn run(analysis: IndexedAnalysis, args: &GraphArgs) -> Result<String, Failure> {
    if args.unroll {
        return unrolled(&analysis, args);
    }
    let Template {
        model: mut template,
        vertex,
        labels,
    } = template(&analysis)?;
    let model = &analysis.model;
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
            let of = template.dag.find_symbol(&vertex[&analysis.derivation.of]);
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

/// `h[j], j = 1..3`: an array's vertex name with its ranges (the name alone for a scalar).
fn vertex_name(analysis: &IndexedAnalysis, symbol: Symbol) -> String {
    let model = &analysis.model;
    let indices = analysis.derivation.indices_of(symbol);
    let name = model.dag.name(symbol);
    if indices.is_empty() {
        return name.to_string();
    }
    let element: Vec<&str> = indices.iter().map(|&i| model.dag.name(i)).collect();
    let ranges: Vec<String> = indices
        .iter()
        .map(|&i| format!("{} = 1..{}", model.dag.name(i), model.extent(i)))
        .collect();
    format!("{name}[{}], {}", element.join(","), ranges.join(", "))
}

/// Builds the template graph. It shares the indexed model's DAG, so its labels are the local
/// partials themselves.
fn template(analysis: &IndexedAnalysis) -> Result<Template, Failure> {
    let model = &analysis.model;
    let fail = |e: symdiff::core::ModelError| Failure(format!("error: {e}"));
    let mut b = ModelBuilder::network(model.name());
    b.dag = model.dag.clone();
    let mut vertex = HashMap::new();
    for array in model.arrays() {
        let name = vertex_name(analysis, array.symbol);
        b.declare(&name, array.role, None).map_err(fail)?;
        vertex.insert(array.symbol, name);
    }
    for d in model.definitions() {
        vertex.insert(d.symbol, vertex_name(analysis, d.symbol));
    }
    let mut labels: Vec<((String, String), NodeId)> = Vec::new();
    for d in model.definitions() {
        let mut used: Vec<NodeId> = Vec::new();
        for local in analysis.derivation.locals_of(d.symbol) {
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
        // The right-hand side only gives the graph its edges; the labels carry the formulas.
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
        b.define(&vertex[&d.symbol], role, rhs).map_err(fail)?;
    }
    Ok(Template {
        model: b.finish().map_err(fail)?,
        vertex,
        labels,
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

/// The template graph for `explain --format html`: scripted SVG, and for each param the
/// names of the vertices on its paths from the loss (which the page highlights).
pub fn page_graph(analysis: &IndexedAnalysis) -> Result<IndexedGraph, Failure> {
    let Template {
        model: mut template,
        vertex,
        labels,
    } = template(analysis)?;
    let label = |m: &mut Model, user: Symbol, used: Symbol| {
        let key = (m.name_of(user).to_string(), m.name_of(used).to_string());
        labels
            .iter()
            .find(|(k, _)| *k == key)
            .map_or_else(|| m.dag.integer(0), |(_, label)| *label)
    };
    let of = template.dag.find_symbol(&vertex[&analysis.derivation.of]);
    let mut on_paths = Vec::new();
    for param in analysis.params() {
        let wrt = template.dag.find_symbol(&vertex[&param]);
        let graph = LabelledGraph::new(&mut template, of.zip(wrt), label);
        let mut on: Vec<String> = Vec::new();
        for e in graph.edges.iter().filter(|e| e.highlighted) {
            for s in [e.from, e.to] {
                let name = template.dag.name(s).to_string();
                if !on.contains(&name) {
                    on.push(name);
                }
            }
        }
        on_paths.push((param, on));
    }
    let graph = LabelledGraph::new(&mut template, None, label);
    let svg = Svg::new(&template.dag, &graph)
        .interactive(true)
        .to_string();
    let svg = svg.replacen(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"",
        "<svg role=\"img\" aria-labelledby=\"graph-caption\"",
        1,
    );
    Ok(IndexedGraph { svg, on_paths })
}
