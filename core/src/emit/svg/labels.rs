//! Where each edge's label goes: on the edge, inside one gap between columns (where there are
//! no vertices, so a label never covers one), in the middle gap of the edge if it can, and
//! clear of the labels already placed where there is room.

use super::geometry::{bend_y_at, Rect};
use super::layout::{label_width, Layout, LABEL_HEIGHT};
use super::route::Route;
use super::scene::Scene;

/// Where along a gap's free width a label is tried, in order.
const TRIES: [f64; 7] = [0.5, 0.3, 0.7, 0.15, 0.85, 0.0, 1.0];

/// Each edge's label box, or `None` when labels are not drawn. Edges on the highlighted paths
/// choose first.
pub(super) fn place(scene: &Scene, layout: &Layout, routes: &[Route]) -> Vec<Option<Rect>> {
    let mut boxes = vec![None; scene.links.len()];
    if !scene.labels_shown() {
        return boxes;
    }
    let mut order: Vec<usize> = (0..scene.links.len()).collect();
    order.sort_by_key(|&i| !scene.links[i].highlighted);
    let mut placed: Vec<Rect> = Vec::new();
    for i in order {
        let w = label_width(&scene.links[i].label);
        let spot = candidates(layout, &routes[i], layout.label_gap[i], w);
        let free = spot
            .iter()
            .find(|r| !placed.iter().any(|p| p.overlaps(r, 2.0)));
        if let Some(&rect) = free.or(spot.first()) {
            placed.push(rect);
            boxes[i] = Some(rect);
        }
    }
    boxes
}

/// The boxes a label `w` wide may take on a route: the preferred gap's first, then the other
/// gaps it crosses, each only where the label fits between the columns.
fn candidates(layout: &Layout, route: &Route, preferred: usize, w: f64) -> Vec<Rect> {
    let mut crossings = route.crossings.clone();
    crossings.sort_by_key(|c| c.0.abs_diff(preferred));
    let mut spots = Vec::new();
    for (g, a, b) in crossings {
        let (left, right) = layout.gap(g);
        let (lo, hi) = (left + w / 2.0 + 6.0, right - w / 2.0 - 6.0);
        if lo > hi {
            continue;
        }
        for f in TRIES {
            let x = lo + f * (hi - lo);
            spots.push(Rect::centred((x, bend_y_at(a, b, x)), w, LABEL_HEIGHT));
        }
    }
    spots
}
