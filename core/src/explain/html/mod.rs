//! An explanation as one self-contained HTML page (`symdiff explain --format html`): the
//! definitions with their values, the dependency graph (the in-process SVG), and each
//! derivative as the slides lay it out, typeset in MathML with its LaTeX beside it.
//!
//! Everything a reader sees is in the page without its script: the script (`page.js`, embedded,
//! no dependencies) only highlights what the page already holds (a param's paths in the graph
//! and its chain, one path at a time, a vertex's value and adjoint) and switches between
//! numbers computed here for each gradient-descent step (`steps.rs`), which travel as JSON
//! (`data.rs`). The page loads nothing: a Content-Security-Policy forbids every request, and no
//! font, image or script is referenced from outside.

mod blocks;
mod data;
mod document;
mod formula;
mod graph;
mod indexed;
mod steps;
mod tables;

pub use indexed::{indexed_html_page, IndexedGraph, PICKED_ELEMENTS};

use crate::analysis::{Analysis, Point};
use crate::dag::Symbol;
use crate::explain::{Explanation, Form};
use data::Json;
use formula::Formula;

/// More steps than this, or more lines than [`ALT_LINES`] times steps, and the lines with
/// numbers substituted show step 0 only (the values still follow the slider).
const ALT_STEPS: usize = 100;
/// See [`ALT_STEPS`].
const ALT_LINES: usize = 2_000;

/// What the page says about where it came from, beside the explanation itself.
#[derive(Clone, Debug, Default)]
pub struct HtmlOptions {
    /// The source shown in the heading (a file name, or the embedded example's).
    pub source: String,
    /// Notes printed under the derivatives (why a value is undefined).
    pub notes: Vec<String>,
}

/// The explanation as one HTML page. `points` is where the explanation was evaluated (one point,
/// or one per data row): with the explanation's training table, the page recomputes every
/// step's values and adjoints from there for its slider.
///
/// ```
/// use symdiff_core::explain::{html_page, Explanation, HtmlOptions};
/// use symdiff_core::{Analysis, ModelBuilder, Role, Func};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.node_named("w");
/// let rhs = b.dag.call(Func::Exp, vec![w]);
/// b.define("v", Role::Intermediate, rhs).unwrap();
/// let mut analysis = Analysis::new(b.finish().unwrap(), None, None, 16).unwrap();
/// let mut point = analysis.default_point();
/// analysis.assign(&mut point, "w", 0.0).unwrap();
/// let evaluation = analysis.evaluate(&point);
/// let e = Explanation::new(&mut analysis, Some(&evaluation), None);
/// let page = html_page(&mut analysis, &e, Some(&[point]), &HtmlOptions::default());
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("id=\"d-w\"")); // the derivative block of ∂v/∂w
/// ```
pub fn html_page(
    analysis: &mut Analysis,
    e: &Explanation,
    points: Option<&[Point]>,
    options: &HtmlOptions,
) -> String {
    let picture = graph::picture(analysis);
    let vertices: Vec<Symbol> = analysis.model.vertices().map(|v| v.symbol).collect();
    let (eta, step_count) = match &e.training {
        Some(t) => (t.eta, t.rows.len().saturating_sub(1)),
        None => (0.1, 0),
    };
    let steps = points.map_or(Vec::new(), |p| {
        steps::run(analysis, p, &vertices, eta, step_count)
    });
    let derivatives: Vec<_> = e.variables.iter().chain(&e.recursion).collect();
    // Per-step lines with numbers: the explanation again at each later step.
    let alt_ok = steps.len() > 1
        && steps.len() <= ALT_STEPS + 1
        && derivatives.len() * steps.len() <= ALT_LINES
        && e.rows.is_none();
    let later: Vec<Explanation> = if alt_ok {
        (steps.iter().skip(1))
            .map(|s| Explanation::rounded(analysis, Some(&s.evaluation), e.rows, e.digits))
            .collect()
    } else {
        Vec::new()
    };
    let dag = &analysis.model.dag;
    let mut alts: Vec<Json> = Vec::new();
    let mut sections = Vec::new();
    for (k, d) in derivatives.iter().enumerate() {
        let lines = blocks::lines(dag, e, d);
        let alt_of_group = alt_lines(dag, &later, k, &lines, &mut alts);
        let recursion = k >= e.variables.len();
        let alt = |g: usize| alt_of_group[g];
        sections.push(blocks::block(dag, d, &lines, &alt, recursion));
    }
    let params: Vec<Symbol> = e.training.as_ref().map_or(Vec::new(), |t| t.params.clone());
    let param_index: Vec<usize> = (params.iter())
        .filter_map(|&p| vertices.iter().position(|&v| v == p))
        .collect();
    let data = Json::Object(vec![
        ("of", Json::Str(dag.name(e.of).to_string())),
        (
            "vertices",
            Json::strings(vertices.iter().map(|&s| dag.name(s))),
        ),
        ("steps", Json::List(steps_json(e, &steps))),
        ("eta", Json::Num(eta)),
        ("params", Json::strings(params.iter().map(|&s| dag.name(s)))),
        ("variables", Json::List(variables_json(analysis, e))),
        ("alt", Json::List(alts)),
        ("collapsed", Json::Bool(picture.collapsed)),
    ]);
    let parts = document::Parts {
        title: page_title(analysis, e),
        of: dag.name(e.of).to_string(),
        source: &options.source,
        notes: &options.notes,
        svg: &picture.svg,
        collapsed: picture.collapsed,
        definitions: tables::definitions(&analysis.model, e, &vertices, steps.first()),
        variables: (e.variables.iter())
            .map(|d| dag.name(d.wrt).to_string())
            .collect(),
        derivatives: sections[..e.variables.len()].concat(),
        recursion: sections[e.variables.len()..].concat(),
        training: (steps.len() > 1)
            .then(|| tables::training(dag, e, &params, &steps, &param_index)),
        eta,
        data,
        rows: e.rows,
    };
    document::page(&parts)
}

/// `network two_weights: ∂E/∂w1, ∂E/∂w2`.
fn page_title(analysis: &Analysis, e: &Explanation) -> String {
    let dag = &analysis.model.dag;
    let what = match &e.model {
        Some(name) => format!("network {name}"),
        None => "definitions".to_string(),
    };
    let of = dag.name(e.of);
    let wrt: Vec<String> = (e.variables.iter())
        .map(|d| format!("∂{of}/∂{}", dag.name(d.wrt)))
        .collect();
    format!("{what}: {}", wrt.join(", "))
}

/// The per-step versions of a derivative's lines that hold numbers (the numbers-substituted
/// line and the value), from the explanations at the later steps, appended to `alts`; returns
/// each line group's index into `alts`, if it has one.
fn alt_lines(
    dag: &crate::dag::Dag,
    later: &[Explanation],
    k: usize,
    lines: &blocks::Lines,
    alts: &mut Vec<Json>,
) -> Vec<Option<usize>> {
    let mut alt_of_group = vec![None; lines.groups.len()];
    if later.is_empty() {
        return alt_of_group;
    }
    for (g, (terms, is_value)) in lines.groups.iter().enumerate() {
        let numeric = lines.numeric == Some(g);
        if terms.len() != 1 || !(numeric || *is_value) {
            continue;
        }
        let mut per_step = vec![terms[0].clone()];
        for x in later {
            let dk = x.variables.iter().chain(&x.recursion).nth(k);
            let f = dk.and_then(|dk| match (dk.numeric, dk.value) {
                (_, Some(v)) if *is_value => Some(Formula::number(x.round(v))),
                (Some(n), _) => Some(Formula::expr(dag, n)),
                _ => None,
            });
            per_step.push(f.unwrap_or_else(|| terms[0].clone()));
        }
        alt_of_group[g] = Some(alts.len());
        alts.push(Json::Object(vec![
            ("m", Json::strings(per_step.iter().map(|f| &f.mathml))),
            ("t", Json::strings(per_step.iter().map(|f| &f.latex))),
        ]));
    }
    alt_of_group
}

/// Each variable for the script: its name, its paths (vertex names from the differentiated
/// vertex down, in path form), its path count and the vertices on its paths.
fn variables_json(analysis: &Analysis, e: &Explanation) -> Vec<Json> {
    let dag = &analysis.model.dag;
    let graph = &analysis.derivation.graph;
    (e.variables.iter())
        .map(|d| {
            let paths = match d.form {
                Form::Paths => (d.terms.iter())
                    .map(|t| {
                        let names =
                            std::iter::once(t.symbols[0].0).chain(t.symbols.iter().map(|p| p.1));
                        Json::strings(names.map(|s| dag.name(s)))
                    })
                    .collect(),
                Form::Factored => Vec::new(),
            };
            let on = graph.on_paths(e.of, &[d.wrt]);
            Json::Object(vec![
                ("name", Json::Str(dag.name(d.wrt).to_string())),
                ("paths", Json::List(paths)),
                ("count", Json::Str(d.path_count.to_string())),
                ("on", Json::strings(on.iter().map(|&s| dag.name(s)))),
            ])
        })
        .collect()
}

/// Each step's values, adjoints (`—` where none was derived) and loss, as shown.
fn steps_json(e: &Explanation, steps: &[steps::Step]) -> Vec<Json> {
    let shown = |x: f64| tables::shown_number(e, x);
    let adjoint = |x: f64| {
        if x.is_nan() {
            "—".to_string()
        } else {
            shown(x)
        }
    };
    (steps.iter())
        .map(|s| {
            Json::Object(vec![
                ("v", Json::strings(s.values.iter().map(|&x| shown(x)))),
                ("a", Json::strings(s.adjoints.iter().map(|&x| adjoint(x)))),
                ("loss", Json::Str(shown(s.loss))),
            ])
        })
        .collect()
}
