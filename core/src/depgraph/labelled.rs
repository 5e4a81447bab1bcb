//! The variable-dependency graph with a label on every edge, optionally with the edges on the
//! paths of one derivative highlighted: what the DOT and SVG printers draw.
//!
//! The labels (the local partials, for `symdiff graph`) are computed by the caller and passed
//! in, so that the graph stays below differentiation in the pipeline.

use super::DepGraph;
use crate::dag::{NodeId, Symbol};
use crate::model::{Model, Role};
use std::collections::HashSet;

/// One edge, drawn in the direction values flow (`w → v`): `to` uses `from`.
#[derive(Clone, Debug)]
pub struct Edge {
    /// The name used.
    pub from: Symbol,
    /// The defined vertex that uses it.
    pub to: Symbol,
    /// The edge's label: for `symdiff graph`, the local partial `∂to/∂from`.
    pub label: NodeId,
    /// Whether the edge lies on a path of the highlighted derivative.
    pub highlighted: bool,
}

/// The labelled dependency graph of a model.
///
/// ```
/// use symdiff_core::{LabelledGraph, LocalPartials, ModelBuilder, Role, Text};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.node_named("w");
/// let v = b.dag.node_named("v");
/// let two = b.dag.integer(2);
/// let v_rhs = b.dag.mul(vec![two, w]);
/// b.define("v", Role::Intermediate, v_rhs).unwrap();
/// let y_rhs = b.dag.mul(vec![v, w]);
/// b.define("y", Role::Intermediate, y_rhs).unwrap();
/// let mut model = b.finish().unwrap();
/// let (y, w) = (model.dag.find_symbol("y").unwrap(), model.dag.find_symbol("w").unwrap());
/// let mut locals = LocalPartials::new(&mut model);
/// let graph = LabelledGraph::new(&mut model, Some((y, w)), |model, user, used| {
///     locals.get(model, user, used)
/// });
/// let labels: Vec<String> = graph
///     .edges
///     .iter()
///     .map(|e| Text::new(&model.dag, e.label).to_string())
///     .collect();
/// assert_eq!(labels, ["2", "w", "v"]); // ∂v/∂w, ∂y/∂v, ∂y/∂w
/// assert!(graph.edges.iter().all(|e| e.highlighted));
/// ```
#[derive(Clone, Debug)]
pub struct LabelledGraph {
    /// The graph's name (the network's, or `definitions`).
    pub name: String,
    /// Every vertex that has an edge, with its role, in source order.
    pub nodes: Vec<(Symbol, Role)>,
    /// Every edge, users in evaluation order.
    pub edges: Vec<Edge>,
    /// The highlighted derivative `(of, wrt)`, if any.
    pub highlight: Option<(Symbol, Symbol)>,
}

impl LabelledGraph {
    /// The graph of a model, each edge labelled by `label(model, user, used)`; with
    /// `highlight = (of, wrt)`, the edges on the paths from `of` down to `wrt` are marked.
    pub fn new(
        model: &mut Model,
        highlight: Option<(Symbol, Symbol)>,
        mut label: impl FnMut(&mut Model, Symbol, Symbol) -> NodeId,
    ) -> LabelledGraph {
        let graph = DepGraph::new(model);
        let on_paths: HashSet<Symbol> = highlight
            .map(|(of, wrt)| graph.on_paths(of, &[wrt]).into_iter().collect())
            .unwrap_or_default();
        let pairs: Vec<(Symbol, Symbol)> = graph.edges().collect();
        let mut edges = Vec::with_capacity(pairs.len());
        let mut connected = HashSet::new();
        for (user, used) in pairs {
            connected.insert(user);
            connected.insert(used);
            edges.push(Edge {
                from: used,
                to: user,
                label: label(model, user, used),
                highlighted: on_paths.contains(&user) && on_paths.contains(&used),
            });
        }
        let nodes = model
            .vertices()
            .filter(|v| connected.contains(&v.symbol) || v.role.is_defined())
            .map(|v| (v.symbol, v.role))
            .collect();
        LabelledGraph {
            name: model.name().unwrap_or("definitions").to_string(),
            nodes,
            edges,
            highlight,
        }
    }
}
