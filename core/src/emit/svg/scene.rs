//! What the picture draws, in words rather than DAG ids: each vertex's name, role and how many
//! vertices it stands for (more than one once a layer is collapsed), each edge's label text.
//! The layout, the router and the writer read only this.

use crate::dag::{Dag, Symbol};
use crate::depgraph::LabelledGraph;
use crate::model::Role;
use std::collections::HashMap;

/// Past this many edges the edges' labels are left out: they could no longer be read.
pub(super) const LABEL_LIMIT: usize = 120;

/// One drawn vertex.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Vertex {
    /// The name written in it.
    pub name: String,
    /// Its role, which picks its shape and fill.
    pub role: Role,
    /// How many vertices of the graph it stands for.
    pub members: usize,
}

/// One drawn edge, `from` used by `to`, as indices into the scene's vertices.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Link {
    pub from: usize,
    pub to: usize,
    /// The label: the local partial, or how many edges a collapsed edge stands for.
    pub label: String,
    pub highlighted: bool,
}

/// The drawable graph.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Scene {
    pub title: String,
    /// The highlighted derivative `∂E/∂w1`, if any.
    pub highlight: Option<String>,
    pub vertices: Vec<Vertex>,
    pub links: Vec<Link>,
    /// Whether layers were collapsed.
    pub collapsed: bool,
}

impl Scene {
    /// The scene of a labelled graph.
    pub fn new(dag: &Dag, graph: &LabelledGraph) -> Scene {
        let index: HashMap<Symbol, usize> = (graph.nodes.iter().enumerate())
            .map(|(i, &(s, _))| (s, i))
            .collect();
        let vertices = (graph.nodes.iter())
            .map(|&(s, role)| Vertex {
                name: dag.name(s).to_string(),
                role,
                members: 1,
            })
            .collect();
        let links = (graph.edges.iter())
            .filter_map(|e| {
                Some(Link {
                    from: *index.get(&e.from)?,
                    to: *index.get(&e.to)?,
                    label: crate::emit::Text::new(dag, e.label).to_string(),
                    highlighted: e.highlighted,
                })
            })
            .collect();
        let highlight = graph.highlight.map(|(of, wrt)| {
            let notation = crate::diff::Notation::Unicode;
            crate::diff::partial_symbol(dag.name(of), dag.name(wrt), notation)
        });
        Scene {
            title: graph.name.clone(),
            highlight,
            vertices,
            links,
            collapsed: false,
        }
    }

    /// Whether the edges' labels are drawn: not past [`LABEL_LIMIT`] edges.
    pub fn labels_shown(&self) -> bool {
        self.links.len() <= LABEL_LIMIT
    }

    /// The roles present, in the legend's order.
    pub fn roles(&self) -> Vec<Role> {
        let order = [
            Role::Param,
            Role::Input,
            Role::Target,
            Role::Intermediate,
            Role::Output,
            Role::Loss,
        ];
        (order.into_iter())
            .filter(|r| self.vertices.iter().any(|v| v.role == *r))
            .collect()
    }
}
