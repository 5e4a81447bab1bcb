//! The columns of the layered drawing and the order within each: a vertex sits one column right
//! of the deepest name it uses (a leaf just left of its first user), and a few barycentre sweeps
//! order each column so that edges cross little. Ties keep source order, so the drawing is
//! deterministic.

use super::scene::Scene;
use std::collections::VecDeque;

/// How many barycentre sweeps order the columns (alternately by the column before and after).
const SWEEPS: usize = 4;

/// Each vertex's column: the longest path to it from a vertex that uses nothing, and for a
/// leaf (an input, target or param) one left of its first user (`w2` beside `s2`).
pub(super) fn depths(scene: &Scene) -> Vec<usize> {
    let n = scene.vertices.len();
    let mut indegree = vec![0usize; n];
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in &scene.links {
        indegree[l.to] += 1;
        users[l.from].push(l.to);
    }
    let mut depth = vec![0usize; n];
    let mut ready: VecDeque<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = ready.pop_front() {
        for &u in &users[v] {
            depth[u] = depth[u].max(depth[v] + 1);
            indegree[u] -= 1;
            if indegree[u] == 0 {
                ready.push_back(u);
            }
        }
    }
    for (v, vertex) in scene.vertices.iter().enumerate() {
        let first_use = users[v].iter().map(|&u| depth[u]).min();
        if let (false, Some(d)) = (vertex.role.is_defined(), first_use) {
            depth[v] = d.saturating_sub(1);
        }
    }
    depth
}

/// The vertices of each column, ordered by barycentre sweeps.
pub(super) fn ordered_layers(scene: &Scene, depth: &[usize]) -> Vec<Vec<usize>> {
    let columns = depth.iter().copied().max().map_or(0, |d| d + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for (v, &d) in depth.iter().enumerate() {
        layers[d].push(v);
    }
    let n = scene.vertices.len();
    let (mut uses, mut users) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for l in &scene.links {
        uses[l.to].push(l.from);
        users[l.from].push(l.to);
    }
    let mut position = positions(&layers, n);
    for sweep in 0..SWEEPS {
        let neighbours = if sweep % 2 == 0 { &uses } else { &users };
        for c in 0..layers.len() {
            let mut keyed: Vec<(f64, usize, usize)> = (layers[c].iter().enumerate())
                .map(|(i, &v)| (barycentre(&neighbours[v], v, &position), i, v))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[c] = keyed.into_iter().map(|(_, _, v)| v).collect();
            position = positions(&layers, n);
        }
    }
    layers
}

/// Each vertex's place in its column, centred on 0.
fn positions(layers: &[Vec<usize>], n: usize) -> Vec<f64> {
    let mut position = vec![0.0; n];
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            position[v] = i as f64 - (layer.len() as f64 - 1.0) / 2.0;
        }
    }
    position
}

/// The mean position of `v`'s neighbours (the names it uses, or its users); its own position
/// when it has none.
fn barycentre(neighbours: &[usize], v: usize, position: &[f64]) -> f64 {
    if neighbours.is_empty() {
        position[v]
    } else {
        neighbours.iter().map(|&u| position[u]).sum::<f64>() / neighbours.len() as f64
    }
}
