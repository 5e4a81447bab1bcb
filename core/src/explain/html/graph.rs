//! The dependency graph a page shows: the in-process SVG layout with every edge labelled by its
//! local partial, scripted (`Svg::interactive`); drawn one node per layer past
//! [`COLLAPSE_EDGES`] edges, so a large network's picture stays readable and light.

use crate::analysis::Analysis;
use crate::depgraph::LabelledGraph;
use crate::emit::Svg;

/// Past this many edges the page draws one node per layer (`Svg::collapsed`).
pub(super) const COLLAPSE_EDGES: usize = 400;

/// The picture of a graph: its SVG and whether it was collapsed.
pub(super) struct Picture {
    pub svg: String,
    pub collapsed: bool,
}

/// The labelled graph of `analysis`'s model as a scripted SVG.
pub(super) fn picture(analysis: &mut Analysis) -> Picture {
    let Analysis {
        model, derivation, ..
    } = analysis;
    let graph = LabelledGraph::new(model, None, |model, user, used| {
        derivation.locals.get(model, user, used)
    });
    let collapsed = graph.edges.len() > COLLAPSE_EDGES;
    let svg = Svg::new(&model.dag, &graph)
        .collapsed(collapsed)
        .interactive(true)
        .to_string();
    // The drawing's own size stays in its viewBox; the page's CSS sizes it.
    let svg = svg.replacen(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"",
        "<svg role=\"img\" aria-labelledby=\"graph-caption\"",
        1,
    );
    Picture { svg, collapsed }
}
