//! The geometry of a picture `symdiff graph --format svg` drew, read back from the SVG: each
//! vertex's box, each edge's path as sampled points, each edge label's box. The reading relies
//! only on what any version of the printer writes (an edge is a `<path>` with an arrow, a
//! vertex a stroked `<rect>` or a filled `<ellipse>`, a label a white `<rect>` with
//! `fill-opacity`), skipping the legend, so that it judges old and new pictures alike.

/// An axis-aligned box `(left, top, right, bottom)`.
pub type Rect = (f64, f64, f64, f64);

/// What was drawn.
#[derive(Debug, Default)]
pub struct Picture {
    pub width: f64,
    pub height: f64,
    /// Each vertex's name and box.
    pub nodes: Vec<(String, Rect)>,
    /// Each edge's points, from its start to its arrow's tip.
    pub edges: Vec<Vec<(f64, f64)>>,
    /// Each edge label's box.
    pub labels: Vec<Rect>,
}

/// An attribute's value in one element.
fn attr(element: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = element.find(&key)? + key.len();
    let len = element[start..].find('"')?;
    Some(element[start..start + len].to_string())
}

fn num(element: &str, name: &str) -> f64 {
    attr(element, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number {name} in {element}"))
}

/// The SVG's elements, one string each from after `<` to the next `<` (the tag, `>`, and the
/// text that follows it).
fn elements(svg: &str) -> Vec<&str> {
    svg.split('<').skip(1).collect()
}

/// Reads a picture.
pub fn read(svg: &str) -> Picture {
    let mut p = Picture::default();
    let all = elements(svg);
    for (i, e) in all.iter().enumerate() {
        if e.contains("class=\"legend\"") || e.contains("class=\"shadow\"") {
            continue;
        }
        if e.starts_with("svg ") {
            p.width = num(e, "width");
            p.height = num(e, "height");
        } else if e.starts_with("path ") && e.contains("marker-end") {
            p.edges.push(sample(&attr(e, "d").unwrap_or_default()));
        } else if e.starts_with("rect ") && e.contains("fill-opacity") {
            let (x, y) = (num(e, "x"), num(e, "y"));
            p.labels
                .push((x, y, x + num(e, "width"), y + num(e, "height")));
        } else if e.starts_with("rect ") && e.contains("stroke=") {
            let (x, y) = (num(e, "x"), num(e, "y"));
            let rect = (x, y, x + num(e, "width"), y + num(e, "height"));
            p.nodes.push((name_after(&all, i), rect));
        } else if e.starts_with("ellipse ") && !e.contains("fill=\"none\"") {
            let (cx, cy, rx, ry) = (num(e, "cx"), num(e, "cy"), num(e, "rx"), num(e, "ry"));
            p.nodes
                .push((name_after(&all, i), (cx - rx, cy - ry, cx + rx, cy + ry)));
        }
    }
    p
}

/// The text of the first `<text>` after element `i`: the vertex's name.
fn name_after(all: &[&str], i: usize) -> String {
    let raw = all[i + 1..]
        .iter()
        .find(|e| e.starts_with("text "))
        .map(|e| e.split_once('>').map_or("", |(_, text)| text.trim_end()))
        .unwrap_or("");
    raw.to_string()
}

/// Points along a path of `M`, `L`, `Q` and `C` commands with absolute coordinates.
fn sample(d: &str) -> Vec<(f64, f64)> {
    let mut points = Vec::new();
    let mut at = (0.0, 0.0);
    for command in d
        .split(|c: char| c.is_ascii_alphabetic())
        .skip(1)
        .zip(d.chars().filter(|c| c.is_ascii_alphabetic()))
    {
        let (args, letter) = command;
        let xy: Vec<(f64, f64)> = args
            .split_whitespace()
            .map(|pair| {
                let (x, y) = pair.split_once(',').expect("x,y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect();
        let mut ctrl = vec![at];
        ctrl.extend(&xy);
        if letter == 'M' {
            points.push(xy[0]);
        } else {
            for k in 1..=40 {
                points.push(bezier(&ctrl, k as f64 / 40.0));
            }
        }
        at = *xy.last().expect("a point");
    }
    points
}

/// The point at `t` of the Bézier curve with these control points (a line for two).
fn bezier(ctrl: &[(f64, f64)], t: f64) -> (f64, f64) {
    let mut pts = ctrl.to_vec();
    while pts.len() > 1 {
        pts = pts
            .windows(2)
            .map(|w| {
                (
                    w[0].0 + t * (w[1].0 - w[0].0),
                    w[0].1 + t * (w[1].1 - w[0].1),
                )
            })
            .collect();
    }
    pts[0]
}

/// Whether `p` lies inside `r`, `inset` in from its border.
pub fn inside(p: (f64, f64), r: &Rect, inset: f64) -> bool {
    p.0 > r.0 + inset && p.0 < r.2 - inset && p.1 > r.1 + inset && p.1 < r.3 - inset
}

/// Whether two boxes overlap.
pub fn overlap(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

impl Picture {
    /// The vertex whose box holds (or nearly holds) `p`, if any.
    fn node_at(&self, p: (f64, f64)) -> Option<usize> {
        self.nodes.iter().position(|(_, r)| inside(p, r, -3.0))
    }

    /// Every way an edge crosses a vertex that is neither of its ends, and every label that
    /// covers a vertex, as sentences.
    pub fn faults(&self) -> Vec<String> {
        let mut faults = Vec::new();
        for points in &self.edges {
            let ends = [points.first(), points.last()].map(|p| p.and_then(|&p| self.node_at(p)));
            let span = points
                .iter()
                .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, p| {
                    (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
                });
            for (k, (name, r)) in self.nodes.iter().enumerate() {
                if ends.contains(&Some(k)) || !overlap(&span, r) {
                    continue;
                }
                if let Some(p) = points.iter().find(|&&p| inside(p, r, 0.5)) {
                    let from = ends[0].map_or("?", |i| &self.nodes[i].0);
                    let to = ends[1].map_or("?", |i| &self.nodes[i].0);
                    faults.push(format!("edge {from} → {to} crosses {name} at {p:?}"));
                }
            }
        }
        for l in &self.labels {
            for (name, r) in &self.nodes {
                if overlap(l, r) {
                    faults.push(format!("label at {l:?} covers {name}"));
                }
            }
        }
        faults
    }
}
