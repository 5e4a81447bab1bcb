//! Points, boxes and the one kind of curve the picture draws between columns: a cubic Bézier
//! that leaves and arrives horizontally, so its `x` grows monotonically from one end to the
//! other and it never leaves the gap it crosses.

/// A point `(x, y)`, `y` downwards.
pub(super) type Point = (f64, f64);

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Rect {
    /// The box of the given size centred on `(x, y)`.
    pub fn centred((x, y): Point, width: f64, height: f64) -> Rect {
        Rect {
            left: x - width / 2.0,
            top: y - height / 2.0,
            right: x + width / 2.0,
            bottom: y + height / 2.0,
        }
    }

    /// Whether the two boxes share more than their border, with `margin` kept between them.
    pub fn overlaps(&self, other: &Rect, margin: f64) -> bool {
        self.left < other.right + margin
            && other.left < self.right + margin
            && self.top < other.bottom + margin
            && other.top < self.bottom + margin
    }
}

/// One piece of an edge's path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Piece {
    /// A straight line to the point.
    Line(Point),
    /// A horizontal-tangent cubic from the current point to this one.
    Bend(Point),
}

/// The control points of the bend from `a` to `b`: both halfway across, at each end's height.
pub(super) fn bend_controls(a: Point, b: Point) -> (Point, Point) {
    let mid = (a.0 + b.0) / 2.0;
    ((mid, a.1), (mid, b.1))
}

/// The point of the bend from `a` to `b` at parameter `t`.
fn bend_at(a: Point, b: Point, t: f64) -> Point {
    let (c1, c2) = bend_controls(a, b);
    let u = 1.0 - t;
    let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        w0 * a.0 + w1 * c1.0 + w2 * c2.0 + w3 * b.0,
        w0 * a.1 + w1 * c1.1 + w2 * c2.1 + w3 * b.1,
    )
}

/// The height of the bend from `a` to `b` where it passes `x` (found by bisection: `x` grows
/// with the parameter).
pub(super) fn bend_y_at(a: Point, b: Point, x: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if bend_at(a, b, mid).0 < x {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    bend_at(a, b, (lo + hi) / 2.0).1
}
