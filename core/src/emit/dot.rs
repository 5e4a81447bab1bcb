//! The labelled dependency graph as Graphviz DOT: values flow left to right (`w → v → x → y`, as
//! on the slides), every edge carries its local partial, and the edges of a highlighted
//! derivative are drawn bold and red.

use crate::dag::Dag;
use crate::depgraph::LabelledGraph;
use crate::model::Role;
use std::fmt;

/// A labelled graph printed as DOT, borrowed from it and its DAG.
#[derive(Clone, Copy, Debug)]
pub struct Dot<'a> {
    dag: &'a Dag,
    graph: &'a LabelledGraph,
}

impl<'a> Dot<'a> {
    /// The graph as DOT.
    pub fn new(dag: &'a Dag, graph: &'a LabelledGraph) -> Dot<'a> {
        Dot { dag, graph }
    }
}

/// A DOT string literal.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The node shape and fill of each role.
pub(crate) fn role_style(role: Role) -> (&'static str, &'static str) {
    match role {
        Role::Input => ("ellipse", "#e8f0fe"),
        Role::Target => ("ellipse", "#fde8e8"),
        Role::Param => ("box", "#fff4d6"),
        Role::Intermediate => ("ellipse", "#ffffff"),
        Role::Output => ("ellipse", "#e6f4ea"),
        Role::Loss => ("doublecircle", "#f1e6f8"),
    }
}

impl fmt::Display for Dot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = self.graph;
        writeln!(f, "digraph {} {{", quoted(&g.name))?;
        writeln!(f, "  rankdir=LR;")?;
        writeln!(f, "  node [fontname=\"Helvetica\", style=filled];")?;
        writeln!(f, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
        if let Some((of, wrt)) = g.highlight {
            let label = crate::diff::partial_symbol(
                self.dag.name(of),
                self.dag.name(wrt),
                crate::diff::Notation::Unicode,
            );
            writeln!(
                f,
                "  label={}; labelloc=t;",
                quoted(&format!("paths of {label}"))
            )?;
        }
        for &(s, role) in &g.nodes {
            let (shape, fill) = role_style(role);
            let name = quoted(self.dag.name(s));
            writeln!(f, "  {name} [shape={shape}, fillcolor=\"{fill}\"];")?;
        }
        for e in &g.edges {
            let label = quoted(&crate::emit::Text::new(self.dag, e.label).to_string());
            let (from, to) = (quoted(self.dag.name(e.from)), quoted(self.dag.name(e.to)));
            if e.highlighted {
                writeln!(f, "  {from} -> {to} [label={label}, color=\"#d93025\", fontcolor=\"#d93025\", penwidth=2.5];")?;
            } else if g.highlight.is_some() {
                writeln!(
                    f,
                    "  {from} -> {to} [label={label}, color=\"#9aa0a6\", fontcolor=\"#9aa0a6\"];"
                )?;
            } else {
                writeln!(f, "  {from} -> {to} [label={label}];")?;
            }
        }
        writeln!(f, "}}")
    }
}
