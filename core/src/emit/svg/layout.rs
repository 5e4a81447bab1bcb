//! The layered layout of a labelled graph: a vertex sits one column right of the deepest name it
//! uses (a leaf just left of its first user), and a few barycentre sweeps order each column so
//! that edges cross little.

use crate::dag::Symbol;
use crate::depgraph::LabelledGraph;
use std::collections::HashMap;

/// The distance between two columns' centres.
pub(super) const COLUMN: f64 = 190.0;
/// The distance between two rows' centres.
pub(super) const ROW: f64 = 78.0;
/// The blank border around the drawing.
pub(super) const MARGIN: f64 = 50.0;

/// How many barycentre sweeps order the columns (alternately by the column before and after).
const SWEEPS: usize = 4;

/// Each node's centre.
pub(super) fn layout(graph: &LabelledGraph) -> HashMap<Symbol, (f64, f64)> {
    let depth = depths(graph);
    let mut layers = layers(graph, &depth);
    order_by_barycentres(graph, &mut layers);
    centres(&layers)
}

/// Each node's column: one right of the deepest name it uses, and for a leaf, just left of its
/// first user (`w2` beside `s2`, `y_t` beside `E`).
fn depths(g: &LabelledGraph) -> HashMap<Symbol, usize> {
    let mut depth: HashMap<Symbol, usize> = g.nodes.iter().map(|&(s, _)| (s, 0)).collect();
    // Edges come with users in evaluation order, so one pass settles every depth.
    for e in &g.edges {
        let d = depth.get(&e.from).copied().unwrap_or(0) + 1;
        let slot = depth.entry(e.to).or_insert(0);
        *slot = (*slot).max(d);
    }
    for &(s, role) in &g.nodes {
        if !role.is_defined() {
            let first_use = g
                .edges
                .iter()
                .filter(|e| e.from == s)
                .map(|e| depth[&e.to])
                .min();
            if let Some(d) = first_use {
                depth.insert(s, d.saturating_sub(1));
            }
        }
    }
    depth
}

/// The nodes of each column, in source order.
fn layers(g: &LabelledGraph, depth: &HashMap<Symbol, usize>) -> Vec<Vec<Symbol>> {
    let columns = depth.values().copied().max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<Symbol>> = vec![Vec::new(); columns];
    for &(s, _) in &g.nodes {
        layers[depth[&s]].push(s);
    }
    layers
}

/// Each node's place in its column, centred on 0.
fn positions(layers: &[Vec<Symbol>]) -> HashMap<Symbol, f64> {
    let mut position = HashMap::new();
    for layer in layers {
        for (i, &s) in layer.iter().enumerate() {
            position.insert(s, i as f64 - (layer.len() as f64 - 1.0) / 2.0);
        }
    }
    position
}

/// Reorders every column by its nodes' barycentres, sweeping left to right by the names each
/// node uses, then right to left by its users, and so on.
fn order_by_barycentres(g: &LabelledGraph, layers: &mut [Vec<Symbol>]) {
    let mut position = positions(layers);
    for sweep in 0..SWEEPS {
        let by_uses = sweep % 2 == 0;
        for c in 0..layers.len() {
            let mut keyed: Vec<(f64, usize, Symbol)> = (layers[c].iter().enumerate())
                .map(|(i, &s)| (barycentre(g, s, &position, by_uses), i, s))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[c] = keyed.into_iter().map(|(_, _, s)| s).collect();
            position = positions(layers);
        }
    }
}

/// The mean position of the names `s` uses (`by_uses`) or of its users; its own position when
/// it has none.
fn barycentre(g: &LabelledGraph, s: Symbol, position: &HashMap<Symbol, f64>, by_uses: bool) -> f64 {
    let neighbours: Vec<f64> = g
        .edges
        .iter()
        .filter_map(|e| match by_uses {
            true if e.to == s => position.get(&e.from).copied(),
            false if e.from == s => position.get(&e.to).copied(),
            _ => None,
        })
        .collect();
    if neighbours.is_empty() {
        position[&s]
    } else {
        neighbours.iter().sum::<f64>() / neighbours.len() as f64
    }
}

/// The centre of each node: columns left to right, each column centred vertically on the
/// tallest.
fn centres(layers: &[Vec<Symbol>]) -> HashMap<Symbol, (f64, f64)> {
    let tallest = layers.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let mut centres = HashMap::new();
    for (c, layer) in layers.iter().enumerate() {
        let offset = (tallest - layer.len() as f64) / 2.0;
        for (i, &s) in layer.iter().enumerate() {
            let x = MARGIN + 40.0 + c as f64 * COLUMN;
            let y = MARGIN + 30.0 + (offset + i as f64) * ROW;
            centres.insert(s, (x, y));
        }
    }
    centres
}
