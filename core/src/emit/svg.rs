//! The labelled dependency graph as a standalone SVG, laid out in-process.
//!
//! The layout is a small layered (Sugiyama-style) drawing rather than a layout crate: a
//! dependency graph is already a DAG with an obvious rank (a vertex sits one column right of the
//! deepest name it uses), so columns by depth plus a few barycentre sweeps to order each column
//! give a readable picture with no dependency and deterministic output. Values flow left to
//! right, as on the slides' `w → v → x → y`.

use super::dot::role_style;
use crate::dag::{Dag, Symbol};
use crate::depgraph::LabelledGraph;
use crate::model::Role;
use std::collections::HashMap;
use std::fmt::{self, Write};

/// A labelled graph drawn as SVG, borrowed from it and its DAG.
#[derive(Clone, Copy, Debug)]
pub struct Svg<'a> {
    dag: &'a Dag,
    graph: &'a LabelledGraph,
}

const COLUMN: f64 = 190.0;
const ROW: f64 = 78.0;
const MARGIN: f64 = 50.0;
const CHAR: f64 = 7.4;
const HIGHLIGHT: &str = "#d93025";

impl<'a> Svg<'a> {
    /// The graph as SVG.
    pub fn new(dag: &'a Dag, graph: &'a LabelledGraph) -> Svg<'a> {
        Svg { dag, graph }
    }

    /// Each node's centre, by layered layout.
    fn layout(&self) -> HashMap<Symbol, (f64, f64)> {
        let g = self.graph;
        let mut depth: HashMap<Symbol, usize> = g.nodes.iter().map(|&(s, _)| (s, 0)).collect();
        // Edges come with users in evaluation order, so one pass settles every depth.
        for e in &g.edges {
            let d = depth.get(&e.from).copied().unwrap_or(0) + 1;
            let slot = depth.entry(e.to).or_insert(0);
            *slot = (*slot).max(d);
        }
        // A leaf sits just left of its first consumer (`w2` beside `s2`, `y_t` beside `E`).
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
        let columns = depth.values().copied().max().unwrap_or(0) + 1;
        let mut layers: Vec<Vec<Symbol>> = vec![Vec::new(); columns];
        for &(s, _) in &g.nodes {
            layers[depth[&s]].push(s);
        }
        let mut position: HashMap<Symbol, f64> = HashMap::new();
        let place = |layers: &Vec<Vec<Symbol>>, position: &mut HashMap<Symbol, f64>| {
            for layer in layers {
                for (i, &s) in layer.iter().enumerate() {
                    position.insert(s, i as f64 - (layer.len() as f64 - 1.0) / 2.0);
                }
            }
        };
        place(&layers, &mut position);
        for sweep in 0..4 {
            let forward = sweep % 2 == 0;
            for c in 0..columns {
                let layer = &layers[c];
                let mut keyed: Vec<(f64, usize, Symbol)> = layer
                    .iter()
                    .enumerate()
                    .map(|(i, &s)| {
                        let neighbours: Vec<f64> = g
                            .edges
                            .iter()
                            .filter_map(|e| match forward {
                                true if e.to == s => position.get(&e.from).copied(),
                                false if e.from == s => position.get(&e.to).copied(),
                                _ => None,
                            })
                            .collect();
                        let key = if neighbours.is_empty() {
                            position[&s]
                        } else {
                            neighbours.iter().sum::<f64>() / neighbours.len() as f64
                        };
                        (key, i, s)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                layers[c] = keyed.into_iter().map(|(_, _, s)| s).collect();
                place(&layers, &mut position);
            }
        }
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

    fn half_width(&self, s: Symbol) -> f64 {
        (self.dag.name(s).chars().count() as f64 * CHAR / 2.0 + 14.0).max(24.0)
    }
}

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
        let g = self.graph;
        let centres = self.layout();
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
        writeln!(f, "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>")?;
        let title = match g.highlight {
            Some((of, wrt)) => format!(
                "{}: paths of {}",
                g.name,
                crate::emit::partial_symbol(
                    self.dag.name(of),
                    self.dag.name(wrt),
                    crate::emit::Notation::Unicode
                )
            ),
            None => format!("{}: variable dependency graph", g.name),
        };
        writeln!(
            f,
            "<text x=\"{MARGIN}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{}</text>",
            escape(&title)
        )?;
        let mut labels = String::new();
        // Highlighted edges last, so they are drawn on top.
        let mut order: Vec<&crate::depgraph::Edge> = g.edges.iter().collect();
        order.sort_by_key(|e| e.highlighted);
        for e in order {
            let (from, to) = (centres[&e.from], centres[&e.to]);
            // An edge that skips a column bends around the column between, so it never runs
            // through a node there: a quadratic curve whose control point sits half a row off.
            let skips = (to.0 - from.0).abs() > COLUMN * 1.5;
            let control = if skips {
                let bend = if to.1 > from.1 { ROW * 0.9 } else { -ROW * 0.9 };
                ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0 + bend)
            } else {
                ((from.0 + to.0) / 2.0, (from.1 + to.1) / 2.0)
            };
            let start = boundary(from, control, self.half_width(e.from), 17.0);
            let end = boundary(to, control, self.half_width(e.to), 17.0);
            let (colour, marker, stroke) = match (e.highlighted, g.highlight.is_some()) {
                (true, _) => (HIGHLIGHT, "arrow-hl", 2.6),
                (false, true) => ("#c4c7c5", "arrow-dim", 1.2),
                (false, false) => ("#5f6368", "arrow", 1.3),
            };
            writeln!(
                f,
                "<path d=\"M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{stroke}\" marker-end=\"url(#{marker})\"/>",
                start.0, start.1, control.0, control.1, end.0, end.1
            )?;
            let text = crate::emit::Text::new(self.dag, e.label).to_string();
            // The curve's midpoint.
            let (lx, ly) = (
                0.25 * start.0 + 0.5 * control.0 + 0.25 * end.0,
                0.25 * start.1 + 0.5 * control.1 + 0.25 * end.1,
            );
            let w = text.chars().count() as f64 * 6.4 + 8.0;
            let _ = writeln!(
                labels,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"16\" rx=\"3\" fill=\"white\" fill-opacity=\"0.9\"/><text x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
                lx - w / 2.0,
                ly - 8.0,
                ly + 4.0,
                if e.highlighted { HIGHLIGHT } else { "#3c4043" },
                escape(&text)
            );
        }
        for &(s, role) in &g.nodes {
            let (x, y) = centres[&s];
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
            )?;
        }
        f.write_str(&labels)?;
        writeln!(f, "</svg>")
    }
}
