//! The variable-dependency graph with a local partial on every edge, optionally with the edges
//! on the paths of one derivative highlighted: what the DOT and SVG printers draw.

use crate::dag::{NodeId, Symbol};
use crate::depgraph::DepGraph;
use crate::diff::LocalPartials;
use crate::model::{Model, Role};
use std::collections::HashSet;

/// One edge, drawn in the direction values flow (`w → v`): `to` uses `from`.
#[derive(Clone, Debug)]
pub struct Edge {
    /// The name used.
    pub from: Symbol,
    /// The defined vertex that uses it.
    pub to: Symbol,
    /// The local partial `∂to/∂from`.
    pub label: NodeId,
    /// Whether the edge lies on a path of the highlighted derivative.
    pub highlighted: bool,
}

/// The labelled dependency graph of a model.
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
    /// The graph of a model; with `highlight = (of, wrt)`, the edges on the paths from `of` down
    /// to `wrt` are marked.
    pub fn new(model: &mut Model, highlight: Option<(Symbol, Symbol)>) -> LabelledGraph {
        let graph = DepGraph::new(model);
        let mut locals = LocalPartials::new(model);
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
                label: locals.get(model, user, used),
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
