//! Where every vertex goes. Columns come from `layers.rs`; here each column is put on one
//! row grid shared by all columns, so that the half rows between vertices (the lanes) are free
//! in every column and an edge can run along one through a column it skips. A column too tall
//! for a page is wrapped, row by row, into several sub-columns side by side, as many as keep
//! the whole picture near a page's shape. The gap after a column is as wide as the widest
//! label placed in it.

use super::geometry::Point;
use super::layers::{depths, ordered_layers};
use super::scene::Scene;

/// The distance between two rows' centres.
pub(super) const ROW: f64 = 78.0;
/// The height of a vertex's box.
pub(super) const NODE_HEIGHT: f64 = 34.0;
/// The blank border around the drawing.
pub(super) const MARGIN: f64 = 40.0;
/// The width of one character of an edge's label, roughly, and the label's box height.
pub(super) const LABEL_CHAR: f64 = 6.4;
pub(super) const LABEL_HEIGHT: f64 = 16.0;
/// The width of one character of a vertex's name, roughly.
const CHAR: f64 = 7.4;
/// The gap between two sub-columns of a wrapped column.
pub(super) const INNER_GAP: f64 = 30.0;
/// The narrowest gap between two columns, and the room either side of a label in one.
const MIN_GAP: f64 = 90.0;
pub(super) const LABEL_PAD: f64 = 12.0;
/// A column taller than this many rows may be wrapped.
const WRAP_FROM: usize = 14;
/// The shape the wrapping aims at: a page on its side (4:3).
const ASPECT: f64 = 4.0 / 3.0;

/// One vertex's place.
#[derive(Clone, Debug)]
pub(super) struct Place {
    pub centre: Point,
    /// Half the width of its box.
    pub half: f64,
    pub layer: usize,
    pub sub: usize,
    pub row: i64,
}

/// One column: its horizontal extent and that of each of its sub-columns.
#[derive(Clone, Debug)]
pub(super) struct Band {
    pub left: f64,
    pub right: f64,
    pub subs: Vec<(f64, f64)>,
}

/// The whole layout.
#[derive(Clone, Debug)]
pub(super) struct Layout {
    pub places: Vec<Place>,
    pub bands: Vec<Band>,
    /// The height of row 0 and the number of rows.
    pub top: f64,
    pub rows: usize,
    /// Each edge's gap for its label: the middle of the gaps it crosses, the later of two.
    pub label_gap: Vec<usize>,
}

impl Layout {
    /// The height of the lane below row `r` (`r = -1` is above the first row).
    pub fn lane_y(&self, r: i64) -> f64 {
        self.top + (r as f64 + 0.5) * ROW
    }

    /// The extent of the gap after column `g`.
    pub fn gap(&self, g: usize) -> (f64, f64) {
        let left = self.bands.get(g).map_or(0.0, |b| b.right);
        let right = self.bands.get(g + 1).map_or(left, |b| b.left);
        (left, right)
    }

    /// The right end of the drawing and the bottom of its lowest lane.
    pub fn extent(&self) -> Point {
        let right = self.bands.last().map_or(MARGIN, |b| b.right);
        (right, self.lane_y(self.rows as i64 - 1))
    }
}

/// Half the width of a vertex's box for its name.
pub(super) fn half_width(name: &str) -> f64 {
    (name.chars().count() as f64 * CHAR / 2.0 + 14.0).max(24.0)
}

/// The width of an edge label's box.
pub(super) fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * LABEL_CHAR + 8.0
}

/// Lays the scene out, below a title `top` high.
pub(super) fn layout(scene: &Scene, top: f64) -> Layout {
    let depth = depths(scene);
    let layers = ordered_layers(scene, &depth);
    let half: Vec<f64> = scene.vertices.iter().map(|v| half_width(&v.name)).collect();
    let label_gap: Vec<usize> = (scene.links.iter())
        .map(|l| ((depth[l.from] + depth[l.to]) / 2).min(depth[l.to].saturating_sub(1)))
        .collect();
    let mut gaps = vec![MIN_GAP; layers.len()];
    if scene.labels_shown() {
        for (l, &g) in scene.links.iter().zip(&label_gap) {
            gaps[g] = gaps[g].max(label_width(&l.label) + 2.0 * LABEL_PAD);
        }
    }
    let per_sub = rows_per_sub(&layers, &half, &gaps);
    let rows = (layers.iter())
        .map(|l| sub_rows(l.len(), per_sub))
        .max()
        .unwrap_or(1);
    let top = top + ROW / 2.0;
    let mut places = vec![None; scene.vertices.len()];
    let mut bands = Vec::with_capacity(layers.len());
    let mut x = MARGIN;
    let grid = Grid { per_sub, rows, top };
    for (c, layer) in layers.iter().enumerate() {
        let band = place_column(layer, c, x, &half, grid, &mut places);
        x = band.right + gaps[c];
        bands.push(band);
    }
    let fallback = |v: usize| Place {
        centre: (MARGIN, top),
        half: half[v],
        layer: 0,
        sub: 0,
        row: 0,
    };
    let places = (places.into_iter().enumerate())
        .map(|(v, p)| p.unwrap_or_else(|| fallback(v)))
        .collect();
    Layout {
        places,
        bands,
        top,
        rows,
        label_gap,
    }
}

/// How many sub-columns a column of `n` vertices takes at `per_sub` rows each, and how many
/// rows it then fills.
fn subs(n: usize, per_sub: usize) -> usize {
    n.div_ceil(per_sub.max(1)).max(1)
}
fn sub_rows(n: usize, per_sub: usize) -> usize {
    n.div_ceil(subs(n, per_sub))
}

/// The sub-columns' widths of a column wrapped at `per_sub` rows (vertex `i` goes to
/// sub-column `i % subs`, so the order reads row by row).
fn sub_widths(layer: &[usize], half: &[f64], per_sub: usize) -> Vec<f64> {
    let mut widths = vec![0.0f64; subs(layer.len(), per_sub)];
    let m = widths.len();
    for (i, &v) in layer.iter().enumerate() {
        widths[i % m] = widths[i % m].max(2.0 * half[v]);
    }
    widths
}

/// The rows per sub-column: every column whole when the tallest is short; otherwise the
/// number that brings the picture nearest a page's shape.
fn rows_per_sub(layers: &[Vec<usize>], half: &[f64], gaps: &[f64]) -> usize {
    let tallest = layers.iter().map(Vec::len).max().unwrap_or(1).max(1);
    if tallest <= WRAP_FROM {
        return tallest;
    }
    let misfit = |k: usize| {
        let width: f64 = (layers.iter().zip(gaps))
            .map(|(l, g)| {
                let w = sub_widths(l, half, k);
                w.iter().sum::<f64>() + (w.len() - 1) as f64 * INNER_GAP + g
            })
            .sum();
        let height = layers
            .iter()
            .map(|l| sub_rows(l.len(), k))
            .max()
            .unwrap_or(1) as f64
            * ROW;
        (width / height / ASPECT).ln().abs()
    };
    (WRAP_FROM..=tallest)
        .min_by(|&a, &b| misfit(a).total_cmp(&misfit(b)).then(b.cmp(&a)))
        .unwrap_or(tallest)
}

/// The row grid every column is placed on.
#[derive(Clone, Copy, Debug)]
struct Grid {
    /// Rows per sub-column, and rows in all.
    per_sub: usize,
    rows: usize,
    /// The height of row 0.
    top: f64,
}

/// Places one column starting at `x`, centred on the shared row grid, and returns its band.
fn place_column(
    layer: &[usize],
    c: usize,
    x: f64,
    half: &[f64],
    grid: Grid,
    places: &mut [Option<Place>],
) -> Band {
    let Grid { per_sub, rows, top } = grid;
    let widths = sub_widths(layer, half, per_sub);
    let m = widths.len();
    let offset = ((rows - sub_rows(layer.len(), per_sub)) / 2) as i64;
    let mut subs = Vec::with_capacity(m);
    let mut left = x;
    for w in &widths {
        subs.push((left, left + w));
        left += w + INNER_GAP;
    }
    for (i, &v) in layer.iter().enumerate() {
        let (sub, row) = (i % m, (i / m) as i64 + offset);
        let (l, r) = subs[sub];
        let centre = ((l + r) / 2.0, top + row as f64 * ROW);
        let (half, layer) = (half[v], c);
        places[v] = Some(Place {
            centre,
            half,
            layer,
            sub,
            row,
        });
    }
    let right = subs.last().map_or(x, |s| s.1);
    Band {
        left: x,
        right,
        subs,
    }
}
