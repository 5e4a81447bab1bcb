//! The page of a network with indexed layers: the graph one node per layer (drawn by the
//! caller, as `symdiff graph` draws it), each param's derivative in index form as the last
//! slides write it (the Σ of each path template, the local partials, the formula), its values,
//! and an element picker: for a bounded number of elements, the formula at that element with
//! each Σ written out term by term, computed here (`explain::indexed`'s element explanation).

use super::data::Json;
use super::document;
use super::formula::Formula;
use crate::dag::Symbol;
use crate::emit::mathml::{escape, mathml_name, partial};
use crate::emit::MathMl;
use crate::explain::indexed::{array, partial as partial_text, ranges, IndexedQuery};
use crate::indexed::{IndexedAnalysis, IndexedEvaluation, IndexedFormula};
use std::fmt::Write;

/// At most this many elements of each param are expanded for the element picker.
pub const PICKED_ELEMENTS: usize = 12;

/// The graph a caller drew for the page, and for each param the names of the graph's
/// vertices on its paths (which the script highlights).
pub struct IndexedGraph {
    /// The SVG, drawn with `Svg::interactive`.
    pub svg: String,
    /// `(param, names of the vertices on its paths)`.
    pub on_paths: Vec<(Symbol, Vec<String>)>,
}

/// The page of an indexed network for the params of `queries` (each once, in the order asked);
/// an element a query names (`w1[2,1]`) is the one its picker opens with. `evaluation` gives
/// the numbers.
pub fn indexed_html_page(
    analysis: &mut IndexedAnalysis,
    queries: &[IndexedQuery],
    evaluation: Option<&IndexedEvaluation>,
    max_paths: u128,
    graph: &IndexedGraph,
    options: &super::HtmlOptions,
) -> String {
    let mut params: Vec<Symbol> = Vec::new();
    for q in queries {
        if !params.contains(&q.param) {
            params.push(q.param);
        }
    }
    let mut blocks = String::new();
    let mut variables = Vec::new();
    for &param in &params {
        let formula = analysis.formula(param, max_paths);
        blocks.push_str(&block(analysis, param, formula.as_ref(), evaluation));
        let asked = queries
            .iter()
            .find(|q| q.param == param && q.element.is_some())
            .and_then(|q| q.element.clone());
        let elements = elements(analysis, param, formula.as_ref(), evaluation, asked);
        blocks.push_str(&elements);
        blocks.push_str("</section>\n");
        let note = match formula.as_ref().and_then(|f| f.paths()) {
            Some(n) => format!("{n} paths through the layers, one node per layer: every edge on them is highlighted."),
            None => "Factored form (past --max-paths): every edge on its paths is highlighted.".to_string(),
        };
        let on = (graph.on_paths.iter())
            .find(|(p, _)| *p == param)
            .map_or(Vec::new(), |(_, on)| on.clone());
        variables.push(Json::Object(vec![
            (
                "name",
                Json::Str(analysis.model.dag.name(param).to_string()),
            ),
            ("paths", Json::List(Vec::new())),
            (
                "count",
                Json::Str(
                    formula
                        .as_ref()
                        .and_then(|f| f.paths())
                        .map_or("?".into(), |n| n.to_string()),
                ),
            ),
            ("on", Json::strings(on)),
            ("note", Json::Str(note)),
        ]));
    }
    let model = &analysis.model;
    let dag = &model.dag;
    let of = dag.name(analysis.derivation.of).to_string();
    let data = Json::Object(vec![
        ("of", Json::Str(of.clone())),
        ("vertices", Json::List(Vec::new())),
        ("steps", Json::List(Vec::new())),
        ("eta", Json::Num(0.1)),
        ("params", Json::List(Vec::new())),
        ("variables", Json::List(variables)),
        ("alt", Json::List(Vec::new())),
        ("collapsed", Json::Bool(false)),
    ]);
    let names: Vec<String> = params.iter().map(|&p| dag.name(p).to_string()).collect();
    let title = format!(
        "network {}: {}",
        model.name(),
        (params.iter())
            .map(|&p| partial_text(analysis, p, None))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let parts = document::Parts {
        title,
        of,
        source: &options.source,
        notes: &options.notes,
        svg: &graph.svg,
        collapsed: false,
        definitions: definitions(analysis, evaluation),
        variables: names,
        derivatives: blocks,
        recursion: String::new(),
        training: None,
        eta: 0.1,
        data,
        rows: None,
    };
    document::page(&parts)
}

/// The definitions in index form, each with its values.
fn definitions(analysis: &IndexedAnalysis, evaluation: Option<&IndexedEvaluation>) -> String {
    let model = &analysis.model;
    let dag = &model.dag;
    let mut out = String::from(
        "<table class=\"definitions\"><thead><tr><th scope=\"col\">vertex</th><th scope=\"col\">definition</th><th scope=\"col\">value</th></tr></thead><tbody>\n",
    );
    for d in model.definitions() {
        let value = evaluation.and_then(|e| e.values.get(d.symbol)).map(|v| {
            if d.symbol == analysis.derivation.of {
                crate::explain::pieces::number(evaluation.map_or(v[0], |e| e.loss))
            } else {
                array(v, &model.shape(d.symbol))
            }
        });
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"num\">{}</td></tr>",
            element_of(dag.name(d.element)),
            math(&MathMl::new(dag, d.body).to_string()),
            escape(value.as_deref().unwrap_or("—")),
        );
    }
    out.push_str("</tbody></table>\n");
    out
}

/// A `<math>` element around MathML.
fn math(mathml: &str) -> String {
    format!("<math>{mathml}</math>")
}

/// An element name (`h[j]`) as MathML.
fn element_of(name: &str) -> String {
    math(&mathml_name(name))
}

/// A chain symbol `∂E/∂o[k]` (text) as MathML.
fn chain_symbol(text: &str) -> String {
    match text.strip_prefix('∂').and_then(|r| r.split_once("/∂")) {
        Some((of, wrt)) => partial(&mathml_name(of), &mathml_name(wrt)),
        None => mathml_name(text),
    }
}

/// The block of one param, left open for its element picker.
fn block(
    analysis: &IndexedAnalysis,
    param: Symbol,
    formula: Option<&IndexedFormula>,
    evaluation: Option<&IndexedEvaluation>,
) -> String {
    let model = &analysis.model;
    let dag = &model.dag;
    let name = escape(dag.name(param));
    let head = partial_text(analysis, param, None);
    let ranges = ranges(analysis, param);
    let count = match formula {
        None => "the loss does not depend on it".to_string(),
        Some(IndexedFormula::Paths { .. }) => formula
            .and_then(|f| f.paths())
            .map_or(String::new(), |n| format!("{n} paths")),
        Some(IndexedFormula::Factored { .. }) => "factored form, past --max-paths".to_string(),
    };
    let mut out = format!(
        "<section class=\"derivative\" id=\"d-{name}\" data-wrt=\"{name}\" data-paths=\"0\" aria-labelledby=\"h-{name}\">\n<h3 id=\"h-{name}\">{} <span class=\"count\">{}{count}</span></h3>\n<table class=\"lines\">\n",
        escape(&head),
        if ranges.is_empty() { String::new() } else { format!("{} · ", escape(&ranges)) },
    );
    let lhs = chain_symbol(&head);
    let mut first = true;
    let mut line = |out: &mut String, op: &str, formula: Formula| {
        let lead = if first { math(&lhs) } else { String::new() };
        first = false;
        let _ = writeln!(
            out,
            "<tr class=\"line\"><th scope=\"row\">{lead}</th><td class=\"op\">{op}</td><td class=\"f\">{}</td><td class=\"tex\"><button type=\"button\" class=\"copy\" hidden>Copy LaTeX</button></td></tr>",
            formula.element(false)
        );
    };
    match formula {
        None => line(&mut out, "=", Formula::number(0.0)),
        Some(IndexedFormula::Paths { templates, formula }) => {
            for (n, t) in templates.iter().enumerate() {
                let mut mathml = String::new();
                for &i in &t.sums {
                    let _ = write!(
                        mathml,
                        "<munder><mo>∑</mo>{}</munder>",
                        mathml_name(dag.name(i))
                    );
                }
                let links: Vec<String> = t.chain.iter().map(|l| chain_symbol(l)).collect();
                mathml.push_str(&links.join("<mo>·</mo>"));
                let _ = write!(mathml, "<mtext>  ({} paths)</mtext>", t.paths);
                let latex = t.chain.join(" ");
                line(
                    &mut out,
                    if n == 0 { "=" } else { "+" },
                    Formula { mathml, latex },
                );
            }
            for t in templates {
                for (link, &local) in t.chain.iter().zip(&t.locals) {
                    let f = Formula::expr(dag, local);
                    let mathml = format!("{}<mo>=</mo>{}", chain_symbol(link), f.mathml);
                    line(
                        &mut out,
                        "",
                        Formula {
                            mathml,
                            latex: f.latex,
                        },
                    );
                }
            }
            line(&mut out, "=", Formula::expr(dag, *formula));
        }
        Some(IndexedFormula::Factored {
            formula, adjoints, ..
        }) => {
            line(&mut out, "=", Formula::expr(dag, *formula));
            for &(symbol, node) in adjoints {
                let f = Formula::expr(dag, node);
                let mathml = format!("{}<mo>=</mo>{}", chain_symbol(dag.name(symbol)), f.mathml);
                line(
                    &mut out,
                    "",
                    Formula {
                        mathml,
                        latex: f.latex,
                    },
                );
            }
        }
    }
    out.push_str("</table>\n");
    if let Some(g) = evaluation.and_then(|e| e.gradient.get(param)) {
        let _ = writeln!(
            out,
            "<p class=\"gradient\">{} = <code class=\"num\">{}</code></p>",
            escape(&head),
            escape(&array(g, &model.shape(param)))
        );
    }
    out
}

/// The element picker: the first [`PICKED_ELEMENTS`] elements, each explained with its Σ
/// written out term by term (all shown without the script, one at a time with it).
fn elements(
    analysis: &mut IndexedAnalysis,
    param: Symbol,
    formula: Option<&IndexedFormula>,
    evaluation: Option<&IndexedEvaluation>,
    asked: Option<Vec<usize>>,
) -> String {
    let Some(formula) = formula else {
        return String::new();
    };
    let shape = analysis.model.shape(param);
    if shape.is_empty() {
        return String::new();
    }
    let total: usize = shape.iter().product();
    let name = escape(analysis.model.dag.name(param));
    let mut options = String::new();
    let mut bodies = String::new();
    // The element asked for first (the picker opens with it), then the first ones in order.
    let asked = asked.map(|at| at.iter().zip(&shape).fold(0, |o, (&p, &e)| o * e + p));
    let mut offsets: Vec<usize> = asked.into_iter().collect();
    offsets.extend(
        (0..total)
            .filter(|&o| Some(o) != asked)
            .take(PICKED_ELEMENTS - offsets.len()),
    );
    for offset in offsets {
        let mut at = vec![0; shape.len()];
        let mut rest = offset;
        for (d, &extent) in shape.iter().enumerate().rev() {
            at[d] = rest % extent;
            rest /= extent;
        }
        let label = partial_text(analysis, param, Some(&at));
        let mut text = String::new();
        crate::explain::indexed::element(analysis, param, &at, formula, evaluation, &mut text);
        let _ = write!(
            options,
            "<option value=\"{offset}\">{}</option>",
            escape(&label)
        );
        let _ = writeln!(
            bodies,
            "<pre class=\"element\" data-element=\"{offset}\">{}</pre>",
            escape(&text)
        );
    }
    let more = if total > PICKED_ELEMENTS {
        format!(
            " ({PICKED_ELEMENTS} of its {total} elements; <code>--wrt '{name}[…]'</code> puts any other first)"
        )
    } else {
        String::new()
    };
    format!(
        "<details class=\"elements\" open><summary>One element, each Σ term by term{more}</summary>\n<label class=\"element-pick-label\" hidden>element <select class=\"element-pick\" data-param=\"{name}\">{options}</select></label>\n{bodies}</details>\n"
    )
}
