//! Where each edge runs. An edge leaves its vertex horizontally to the right and enters its
//! user horizontally from the left; between two columns it bends (a cubic that stays in the
//! gap), and through a column it skips, or past the sub-columns of a wrapped one, it runs
//! along a lane, a half row between vertices that every column leaves free. So no edge ever
//! crosses a vertex's box other than its own two ends'.

use super::geometry::{Piece, Point};
use super::layout::{Layout, Place, INNER_GAP, NODE_HEIGHT, ROW};
use super::scene::Scene;
use crate::model::Role;
use std::collections::HashMap;

/// The offset of the shadow drawn behind a collapsed layer's vertex.
pub(super) const SHADOW: f64 = 4.0;

/// One edge's path, and the bends by which it crosses each gap between columns (for its label).
#[derive(Clone, Debug)]
pub(super) struct Route {
    pub start: Point,
    pub pieces: Vec<Piece>,
    /// `(gap, from, to)`: the bend across the gap after column `gap`.
    pub crossings: Vec<(usize, Point, Point)>,
}

/// Lane offsets, so that edges sharing a lane run side by side rather than on top of each other.
const LANE_SHIFTS: [f64; 5] = [0.0, 6.0, -6.0, 12.0, -12.0];

/// The router's state: the layout and how often each lane has been used.
struct Router<'a> {
    layout: &'a Layout,
    used: HashMap<(usize, i64), usize>,
}

impl Router<'_> {
    /// The height of lane `r` through column `c`, shifted past the edges already on it.
    fn lane(&mut self, c: usize, r: i64) -> f64 {
        let r = r.clamp(-1, self.layout.rows as i64 - 1);
        let k = self.used.entry((c, r)).or_insert(0);
        *k += 1;
        self.layout.lane_y(r) + LANE_SHIFTS[(*k - 1) % LANE_SHIFTS.len()]
    }

    /// The lane through column `c` nearest to the height `y`.
    fn lane_near(&mut self, c: usize, y: f64) -> f64 {
        let r = ((y - self.layout.top) / ROW - 0.5).round() as i64;
        self.lane(c, r)
    }
}

/// Every edge's route, in the scene's order.
pub(super) fn routes(scene: &Scene, layout: &Layout) -> Vec<Route> {
    let (out_dy, in_dy) = ports(scene, layout);
    let mut router = Router {
        layout,
        used: HashMap::new(),
    };
    (scene.links.iter().enumerate())
        .map(|(i, l)| {
            let (pu, pv) = (&layout.places[l.from], &layout.places[l.to]);
            let start = port(scene, l.from, pu, out_dy[i], 1.0);
            let end = port(scene, l.to, pv, in_dy[i], -1.0);
            route(&mut router, (pu, start), (pv, end))
        })
        .collect()
}

/// One edge's route from `start` on `pu` to `end` on `pv`.
fn route(
    router: &mut Router<'_>,
    (pu, start): (&Place, Point),
    (pv, end): (&Place, Point),
) -> Route {
    let layout = router.layout;
    let mut r = Route {
        start,
        pieces: Vec::new(),
        crossings: Vec::new(),
    };
    let band = &layout.bands[pu.layer];
    let sub_right = band.subs[pu.sub].1;
    let mut y = start.1;
    r.pieces.push(Piece::Line((sub_right, y)));
    if pu.sub + 1 < band.subs.len() {
        let row = if end.1 >= pu.centre.1 {
            pu.row
        } else {
            pu.row - 1
        };
        y = router.lane(pu.layer, row);
        r.pieces.push(Piece::Bend((sub_right + INNER_GAP, y)));
        r.pieces.push(Piece::Line((band.right, y)));
    }
    let mut x = band.right;
    for c in pu.layer + 1..pv.layer {
        let remaining = (pv.layer - c + 1) as f64;
        let ny = router.lane_near(c, y + (end.1 - y) / remaining);
        let to = (layout.bands[c].left, ny);
        r.crossings.push((c - 1, (x, y), to));
        r.pieces.push(Piece::Bend(to));
        (x, y) = (layout.bands[c].right, ny);
        r.pieces.push(Piece::Line((x, y)));
    }
    let band = &layout.bands[pv.layer];
    let sub_left = band.subs[pv.sub].0;
    let gap = pv.layer.saturating_sub(1);
    if pv.sub == 0 {
        r.crossings.push((gap, (x, y), (sub_left, end.1)));
    } else {
        let row = if y <= pv.centre.1 { pv.row - 1 } else { pv.row };
        let ny = router.lane(pv.layer, row);
        r.crossings.push((gap, (x, y), (band.left, ny)));
        r.pieces.push(Piece::Bend((band.left, ny)));
        r.pieces.push(Piece::Line((sub_left - INNER_GAP, ny)));
    }
    r.pieces.push(Piece::Bend((sub_left, end.1)));
    r.pieces.push(Piece::Line(end));
    r.pieces = without_empty_lines(start, r.pieces);
    r
}

/// The pieces without the lines that go nowhere (a stub across a vertex as wide as its column).
fn without_empty_lines(start: Point, pieces: Vec<Piece>) -> Vec<Piece> {
    let mut at = start;
    let mut kept = Vec::with_capacity(pieces.len());
    for piece in pieces {
        match piece {
            Piece::Line(p) if (p.0 - at.0).abs() < 0.05 && (p.1 - at.1).abs() < 0.05 => {}
            Piece::Line(p) | Piece::Bend(p) => {
                kept.push(piece);
                at = p;
            }
        }
    }
    kept
}

/// Where an edge leaves (`side = 1`) or enters (`side = -1`) a vertex, `dy` off its centre.
fn port(scene: &Scene, v: usize, place: &Place, dy: f64, side: f64) -> Point {
    let vertex = &scene.vertices[v];
    let b = NODE_HEIGHT / 2.0;
    let mut dx = match vertex.role {
        Role::Param => place.half,
        _ => place.half * (1.0 - (dy / b).powi(2)).max(0.0).sqrt(),
    };
    if vertex.members > 1 && side > 0.0 {
        dx = place.half + SHADOW;
    }
    (place.centre.0 + side * dx, place.centre.1 + dy)
}

/// Each edge's height off its source's centre and off its user's, spread so that edges leave
/// and enter a vertex side by side, in the order of the other end's height.
fn ports(scene: &Scene, layout: &Layout) -> (Vec<f64>, Vec<f64>) {
    let n = scene.links.len();
    let (mut out_dy, mut in_dy) = (vec![0.0; n], vec![0.0; n]);
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); scene.vertices.len()];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); scene.vertices.len()];
    for (i, l) in scene.links.iter().enumerate() {
        outs[l.from].push(i);
        ins[l.to].push(i);
    }
    let y = |v: usize| layout.places[v].centre.1;
    for list in &mut outs {
        list.sort_by(|&a, &b| y(scene.links[a].to).total_cmp(&y(scene.links[b].to)));
        spread(list, &mut out_dy);
    }
    for list in &mut ins {
        list.sort_by(|&a, &b| y(scene.links[a].from).total_cmp(&y(scene.links[b].from)));
        spread(list, &mut in_dy);
    }
    (out_dy, in_dy)
}

/// Spreads the edges of `list` over at most 20 px of a vertex's side, in order.
fn spread(list: &[usize], dy: &mut [f64]) {
    if list.len() < 2 {
        return;
    }
    let step = (20.0 / (list.len() - 1) as f64).min(6.0);
    let middle = (list.len() - 1) as f64 / 2.0;
    for (k, &i) in list.iter().enumerate() {
        dy[i] = (k as f64 - middle) * step;
    }
}
