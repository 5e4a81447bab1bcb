//! The labelled dependency graph as a standalone SVG, laid out in-process.
//!
//! The drawing is a small layered (Sugiyama-style) layout rather than a layout crate: a
//! dependency graph is already a DAG with an obvious rank, so columns by depth (`layers.rs`), a
//! shared row grid that wraps a too-tall column (`layout.rs`), edges routed through the gaps and
//! along the free lanes between rows (`route.rs`), and labels placed in the gaps (`labels.rs`)
//! give a readable picture with no dependency and deterministic output. Values flow left to
//! right, as on the slides' `w → v → x → y`; a legend (`legend.rs`) says what the shapes, the
//! labels and the highlight mean. [`Svg::collapsed`] draws one vertex per layer of a scalar
//! network (`collapse.rs`).

mod collapse;
mod geometry;
mod labels;
mod layers;
mod layout;
mod legend;
mod route;
mod scene;

use super::dot::role_style;
use crate::dag::Dag;
use crate::depgraph::LabelledGraph;
use crate::model::Role;
use geometry::{bend_controls, Piece, Rect};
use layout::{Layout, Place, MARGIN, NODE_HEIGHT};
use route::{Route, SHADOW};
use scene::{Scene, Vertex};
use std::fmt::{self, Write};

/// A labelled graph drawn as SVG, borrowed from it and its DAG.
///
/// ```
/// use symdiff_core::emit::Svg;
/// use symdiff_core::{LabelledGraph, LocalPartials, ModelBuilder, Role};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.node_named("w");
/// let two = b.dag.integer(2);
/// let v = b.dag.mul(vec![two, w]);
/// b.define("v", Role::Intermediate, v).unwrap();
/// let mut model = b.finish().unwrap();
/// let mut locals = LocalPartials::new(&mut model);
/// let graph = LabelledGraph::new(&mut model, None, |m, user, used| locals.get(m, user, used));
/// let svg = Svg::new(&model.dag, &graph).collapsed(true).to_string();
/// assert!(svg.starts_with("<svg") && svg.contains(">2</text>"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Svg<'a> {
    dag: &'a Dag,
    graph: &'a LabelledGraph,
    collapse: bool,
    interactive: bool,
}

/// The colour of the highlighted paths.
const HIGHLIGHT: &str = "#d93025";
/// The height taken by the title.
const TITLE: f64 = 40.0;

impl<'a> Svg<'a> {
    /// The graph as SVG.
    pub fn new(dag: &'a Dag, graph: &'a LabelledGraph) -> Svg<'a> {
        Svg {
            dag,
            graph,
            collapse: false,
            interactive: false,
        }
    }

    /// With `interactive`, for a page that scripts the picture (`explain --format html`): each
    /// vertex is a focusable `<g class="vertex" data-name="h">` with an empty
    /// `<text class="value">` under it for the page to fill, and each edge's label carries the
    /// edge's `data-from` and `data-to`, as the edge's path always does.
    ///
    /// ```
    /// use symdiff_core::emit::Svg;
    /// use symdiff_core::{LabelledGraph, LocalPartials, ModelBuilder, Role};
    /// let mut b = ModelBuilder::free();
    /// let w = b.dag.node_named("w");
    /// let v = b.dag.call(symdiff_core::Func::Exp, vec![w]);
    /// b.define("v", Role::Intermediate, v).unwrap();
    /// let mut model = b.finish().unwrap();
    /// let mut locals = LocalPartials::new(&mut model);
    /// let graph = LabelledGraph::new(&mut model, None, |m, user, used| locals.get(m, user, used));
    /// let svg = Svg::new(&model.dag, &graph).interactive(true).to_string();
    /// assert!(svg.contains("<g class=\"vertex\" data-name=\"w\" tabindex=\"0\""));
    /// assert!(svg.contains("class=\"edge\" data-from=\"w\" data-to=\"v\""));
    /// ```
    pub fn interactive(self, interactive: bool) -> Svg<'a> {
        Svg {
            interactive,
            ..self
        }
    }

    /// With `collapse`, like-named vertices of one layer (`x1`…`x10`, `w1_1_1`…`w1_10_10`)
    /// are drawn as one, and the edges between two such layers as one.
    pub fn collapsed(self, collapse: bool) -> Svg<'a> {
        Svg { collapse, ..self }
    }
}

/// Text or an attribute value with XML's special characters escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The opening tag sized to the drawing, the arrow heads, the white background, the title.
fn open(f: &mut fmt::Formatter<'_>, scene: &Scene, (width, height): (f64, f64)) -> fmt::Result {
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
    let title = match &scene.highlight {
        Some(of) => format!("{}: paths of {of}", scene.title),
        None => format!("{}: variable dependency graph", scene.title),
    };
    writeln!(
        f,
        "<text x=\"{MARGIN}\" y=\"26\" font-size=\"15\" font-weight=\"bold\">{}</text>",
        escape(&title)
    )
}

/// One edge's path, drawn in the highlight colour, dimmed, or plain.
fn edge(f: &mut fmt::Formatter<'_>, scene: &Scene, i: usize, route: &Route) -> fmt::Result {
    let link = &scene.links[i];
    let (colour, marker, stroke) = match (link.highlighted, scene.highlight.is_some()) {
        (true, _) => (HIGHLIGHT, "arrow-hl", 2.6),
        (false, true) => ("#c4c7c5", "arrow-dim", 1.2),
        (false, false) => ("#5f6368", "arrow", 1.3),
    };
    let mut d = format!("M{:.1},{:.1}", route.start.0, route.start.1);
    let mut at = route.start;
    for piece in &route.pieces {
        match *piece {
            Piece::Line(p) => write!(d, " L{:.1},{:.1}", p.0, p.1)?,
            Piece::Bend(p) => {
                let (c1, c2) = bend_controls(at, p);
                write!(
                    d,
                    " C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    c1.0, c1.1, c2.0, c2.1, p.0, p.1
                )?;
            }
        }
        at = match *piece {
            Piece::Line(p) | Piece::Bend(p) => p,
        };
    }
    let (from, to) = (
        &scene.vertices[link.from].name,
        &scene.vertices[link.to].name,
    );
    writeln!(
        f,
        "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{stroke}\" marker-end=\"url(#{marker})\"/>",
        escape(from),
        escape(to)
    )
}

/// An edge's local partial on a white box.
fn label(
    f: &mut fmt::Formatter<'_>,
    scene: &Scene,
    i: usize,
    rect: &Rect,
    interactive: bool,
) -> fmt::Result {
    let link = &scene.links[i];
    if interactive {
        write!(
            f,
            "<g class=\"edge-label\" data-from=\"{}\" data-to=\"{}\">",
            escape(&scene.vertices[link.from].name),
            escape(&scene.vertices[link.to].name)
        )?;
    }
    let (x, y) = (
        (rect.left + rect.right) / 2.0,
        (rect.top + rect.bottom) / 2.0,
    );
    writeln!(
        f,
        "<rect class=\"label\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"white\" fill-opacity=\"0.9\"/><text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
        rect.left,
        rect.top,
        rect.right - rect.left,
        rect.bottom - rect.top,
        y + 4.0,
        if link.highlighted { HIGHLIGHT } else { "#3c4043" },
        escape(&link.label)
    )?;
    if interactive {
        writeln!(f, "</g>")?;
    }
    Ok(())
}

/// One vertex: a box for a param, an ellipse otherwise (doubled for the loss), a shadow behind
/// it when it stands for a layer, and its name.
fn node(
    f: &mut fmt::Formatter<'_>,
    vertex: &Vertex,
    place: &Place,
    interactive: bool,
) -> fmt::Result {
    let (x, y) = place.centre;
    if interactive {
        let name = escape(&vertex.name);
        writeln!(
            f,
            "<g class=\"vertex\" data-name=\"{name}\" tabindex=\"0\" role=\"button\" aria-label=\"{name}\">"
        )?;
    }
    if vertex.members > 1 {
        shape(
            f,
            vertex.role,
            (x + SHADOW, y - SHADOW),
            place.half,
            "shadow",
        )?;
    }
    shape(f, vertex.role, (x, y), place.half, "node")?;
    if role_style(vertex.role).0 == "doublecircle" {
        let rx = place.half - 4.0;
        writeln!(f, "<ellipse class=\"ring\" cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"{rx:.1}\" ry=\"13\" fill=\"none\" stroke=\"#202124\"/>")?;
    }
    writeln!(
        f,
        "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        y + 4.5,
        escape(&vertex.name)
    )?;
    if interactive {
        writeln!(
            f,
            "<text class=\"value\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\"></text></g>",
            y + NODE_HEIGHT / 2.0 + 12.0
        )?;
    }
    Ok(())
}

/// A vertex's outline of its role at `(x, y)`, `a` half wide.
fn shape(
    f: &mut fmt::Formatter<'_>,
    role: Role,
    (x, y): (f64, f64),
    a: f64,
    class: &str,
) -> fmt::Result {
    let fill = role_style(role).1;
    let b = NODE_HEIGHT / 2.0;
    match role {
        Role::Param => writeln!(
            f,
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{NODE_HEIGHT}\" rx=\"4\" fill=\"{fill}\" stroke=\"#202124\"/>",
            x - a,
            y - b,
            2.0 * a
        ),
        Role::Input | Role::Target | Role::Intermediate | Role::Output | Role::Loss => writeln!(
            f,
            "<ellipse class=\"{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"{a:.1}\" ry=\"{b}\" fill=\"{fill}\" stroke=\"#202124\"/>"
        ),
    }
}

/// Everything that is drawn, computed before the first byte is written.
struct Picture {
    scene: Scene,
    layout: Layout,
    routes: Vec<Route>,
    labels: Vec<Option<Rect>>,
    legend: String,
    size: (f64, f64),
}

impl Svg<'_> {
    /// Lays out, routes and labels the scene, and sizes the picture around it and the legend.
    fn picture(&self) -> Picture {
        let mut scene = Scene::new(self.dag, self.graph);
        if self.collapse {
            scene = collapse::collapse(&scene);
        }
        let layout = layout::layout(&scene, TITLE);
        let routes = route::routes(&scene, &layout);
        let labels = labels::place(&scene, &layout, &routes);
        let (right, bottom) = layout.extent();
        let room = (right - MARGIN).max(640.0);
        let (legend, lw, lh) = legend::legend(&scene, (MARGIN, bottom + 30.0), room);
        let width = right.max(MARGIN + lw) + MARGIN;
        let height = bottom + 30.0 + lh + MARGIN / 2.0;
        Picture {
            scene,
            layout,
            routes,
            labels,
            legend,
            size: (width, height),
        }
    }
}

impl fmt::Display for Svg<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.picture();
        open(f, &p.scene, p.size)?;
        // Highlighted edges last, so they are drawn on top; labels after every edge and vertex.
        let mut order: Vec<usize> = (0..p.scene.links.len()).collect();
        order.sort_by_key(|&i| p.scene.links[i].highlighted);
        for i in order {
            edge(f, &p.scene, i, &p.routes[i])?;
        }
        for (vertex, place) in p.scene.vertices.iter().zip(&p.layout.places) {
            node(f, vertex, place, self.interactive)?;
        }
        for (i, rect) in p.labels.iter().enumerate() {
            if let Some(rect) = rect {
                label(f, &p.scene, i, rect, self.interactive)?;
            }
        }
        f.write_str(&p.legend)?;
        writeln!(f, "</svg>")
    }
}
