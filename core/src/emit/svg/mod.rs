//! The labelled dependency graph as a standalone SVG, laid out in-process.
//!
//! The layout (`layout.rs`) is a small layered (Sugiyama-style) drawing rather than a layout
//! crate: a dependency graph is already a DAG with an obvious rank (a vertex sits one column right
//! of the deepest name it uses), so columns by depth plus a few barycentre sweeps to order each
//! column give a readable picture with no dependency and deterministic output. Values flow left
//! to right, as on the slides' `w → v → x → y`.

mod layout;

use super::dot::role_style;
use crate::dag::{Dag, Symbol};
use crate::depgraph::{Edge, LabelledGraph};
use crate::model::Role;
use layout::{layout, COLUMN, MARGIN, ROW};
use std::collections::HashMap;
use std::fmt::{self, Write};

/// A labelled graph drawn as SVG, borrowed from it and its DAG.
#[derive(Clone, Copy, Debug)]
pub struct Svg<'a> {
    dag: &'a Dag,
    graph: &'a LabelledGraph,
}

/// The width of one character of a node's name, roughly.
const CHAR: f64 = 7.4;
const HIGHLIGHT: &str = "#d93025";

/// Each node's centre.
type Centres = HashMap<Symbol, (f64, f64)>;

/// An edge's curve: a quadratic Bézier from the boundary of one node to the other's.
struct Curve {
    start: (f64, f64),
    control: (f64, f64),
    end: (f64, f64),
}

impl Curve {
    /// The curve's midpoint.
    fn midpoint(&self) -> (f64, f64) {
        let (s, c, e) = (self.start, self.control, self.end);
        (
            0.25 * s.0 + 0.5 * c.0 + 0.25 * e.0,
            0.25 * s.1 + 0.5 * c.1 + 0.25 * e.1,
        )
    }
}

impl<'a> Svg<'a> {
    /// The graph as SVG.
    pub fn new(dag: &'a Dag, graph: &'a LabelledGraph) -> Svg<'a> {
        Svg { dag, graph }
    }

    fn half_width(&self, s: Symbol) -> f64 {
        (self.dag.name(s).chars().count() as f64 * CHAR / 2.0 + 14.0).max(24.0)
    }

    /// The opening tag sized to the drawing, the arrow heads, the white background.
    fn open(&self, f: &mut fmt::Formatter<'_>, centres: &Centres) -> fmt::Result {
        let width = centres.values().map(|p| p.0).fold(0.0, f64::max) + MARGIN + 80.0;
        let height = centres.values().map(|p| p.1).fold(0.0, f64::max) + MARGIN + 30.0;
        writeln!(
            f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">"
        )?;
        writeln!(f, "<defs>")?;
        for (id, colour) in [
            ("arrow", "#5f6368"),
            ("arrow-hl", HIGHLIGHT),
            ("arrow-dim", "#c4c7c5"),
        ] {
            writeln!(f, "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>")?;
        }
        writeln!(f, "</defs>")?;
        writeln!(f, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")
    }

    /// The title: the graph's name and the highlighted derivative, if any.
    fn title(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.graph;
        let title = match g.highlight {
            Some((of, wrt)) => format!(
                "{}: paths of {}",
                g.name,
                crate::diff::partial_symbol(
                    self.dag.name(of),
                    self.dag.name(wrt),
                    crate::diff::Notation::Unicode
                )
            ),
            None => format!("{}: variable dependency graph", g.name),
        };
        writeln!(
            f,
            "<text x=\"{MARGIN}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{}</text>",
            escape(&title)
        )
    }

    /// Where an edge runs. An edge that skips a column bends around the column between, so it
    /// never runs through a node there: its control point sits most of a row off.
    fn curve(&self, e: &Edge, centres: &Centres) -> Curve {
        let (from, to) = (centres[&e.from], centres[&e.to]);
        let skips = (to.0 - from.0).abs() > COLUMN * 1.5;
        let control = if skips {
            let bend = if to.1 > from.1 { ROW * 0.9 } else { -ROW * 0.9 };
            ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0 + bend)
        } else {
            ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0)
        };
        Curve {
            start: boundary(from, control, self.half_width(e.from), 17.0),
            control,
            end: boundary(to, control, self.half_width(e.to), 17.0),
        }
    }

    /// One edge's arrow; its label goes to `labels`, drawn after the nodes.
    fn edge(
        &self,
        f: &mut fmt::Formatter<'_>,
        labels: &mut String,
        e: &Edge,
        centres: &Centres,
    ) -> fmt::Result {
        let curve = self.curve(e, centres);
        let (start, control, end) = (curve.start, curve.control, curve.end);
        let (colour, marker, stroke) = match (e.highlighted, self.graph.highlight.is_some()) {
            (true, _) => (HIGHLIGHT, "arrow-hl", 2.6),
            (false, true) => ("#c4c7c5", "arrow-dim", 1.2),
            (false, false) => ("#5f6368", "arrow", 1.3),
        };
        writeln!(
            f,
            "<path d=\"M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{stroke}\" marker-end=\"url(#{marker})\"/>",
            start.0, start.1, control.0, control.1, end.0, end.1
        )?;
        self.edge_label(labels, e, &curve)
    }

    /// An edge's local partial on a white box at the curve's midpoint.
    fn edge_label(&self, labels: &mut String, e: &Edge, curve: &Curve) -> fmt::Result {
        let text = crate::emit::Text::new(self.dag, e.label).to_string();
        let (lx, ly) = curve.midpoint();
        let w = text.chars().count() as f64 * 6.4 + 8.0;
        writeln!(
            labels,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16\" rx=\"3\" fill=\"white\" fill-opacity=\"0.9\"/><text x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
            lx - w / 2.0,
            ly - 8.0,
            ly + 4.0,
            if e.highlighted { HIGHLIGHT } else { "#3c4043" },
            escape(&text)
        )
    }

    /// One node: a box for a param, an ellipse otherwise (doubled for the loss), and its name.
    fn node(
        &self,
        f: &mut fmt::Formatter<'_>,
        s: Symbol,
        role: Role,
        centre: (f64, f64),
    ) -> fmt::Result {
        let (x, y) = centre;
        let (shape, fill) = role_style(role);
        let a = self.half_width(s);
        match role {
            Role::Param => writeln!(
                f,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"34\" rx=\"4\" fill=\"{fill}\" stroke=\"#202124\"/>",
                x - a,
                y - 17.0,
                2.0 * a
            )?,
            Role::Input | Role::Target | Role::Intermediate | Role::Output | Role::Loss => {
                writeln!(f, "<ellipse cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"{a:.1}\" ry=\"17\" fill=\"{fill}\" stroke=\"#202124\"/>")?;
                if shape == "doublecircle" {
                    writeln!(f, "<ellipse cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"{:.1}\" ry=\"13\" fill=\"none\" stroke=\"#202124\"/>", a - 4.0)?;
                }
            }
        }
        writeln!(
            f,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y + 4.5,
            escape(self.dag.name(s))
        )
    }
}

/// Text or an attribute value with XML's special characters escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Where the segment from the centre `(x, y)` towards `(tx, ty)` leaves an ellipse of half
/// axes `(a, b)`.
fn boundary((x, y): (f64, f64), (tx, ty): (f64, f64), a: f64, b: f64) -> (f64, f64) {
    let (dx, dy) = (tx - x, ty - y);
    let t = 1.0 / ((dx / a).powi(2) + (dy / b).powi(2)).sqrt();
    (x + dx * t, y + dy * t)
}

impl fmt::Display for Svg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let centres = layout(self.graph);
        self.open(f, &centres)?;
        self.title(f)?;
        // The edges' labels are drawn last, over every edge and node.
        let mut labels = String::new();
        // Highlighted edges last, so they are drawn on top.
        let mut order: Vec<&Edge> = self.graph.edges.iter().collect();
        order.sort_by_key(|e| e.highlighted);
        for e in order {
            self.edge(f, &mut labels, e, &centres)?;
        }
        for &(s, role) in &self.graph.nodes {
            self.node(f, s, role, centres[&s])?;
        }
        f.write_str(&labels)?;
        writeln!(f, "</svg>")
    }
}
