//! The page around the parts: the head with its Content-Security-Policy (no request may leave
//! the page) and the embedded style, the controls the script shows, the graph and the maths in
//! two columns, the data and the script.

use super::data::Json;
use crate::emit::mathml::escape;
use std::fmt::Write;

/// The page's style sheet.
const STYLE: &str = include_str!("page.css");
/// The page's script: highlighting and stepping only; every number comes from the data.
const SCRIPT: &str = include_str!("page.js");
/// Nothing may be fetched: the page's own inline script and style run, images only as data.
pub const CSP: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/// What the page is made of, each already written.
pub(super) struct Parts<'a> {
    pub title: String,
    /// The differentiated vertex's name.
    pub of: String,
    pub source: &'a str,
    pub notes: &'a [String],
    pub svg: &'a str,
    pub collapsed: bool,
    pub definitions: String,
    pub variables: Vec<String>,
    pub derivatives: String,
    pub recursion: String,
    pub training: Option<String>,
    pub eta: f64,
    pub data: Json,
    pub rows: Option<usize>,
}

/// The whole document.
pub(super) fn page(p: &Parts) -> String {
    let mut out = String::with_capacity(16_384 + p.svg.len() + p.derivatives.len());
    let title = escape(&p.title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"symdiff explain --format html\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    let source = if p.source.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"source\">from {}</span>", escape(p.source))
    };
    let _ = writeln!(
        out,
        "<header><h1>{title}</h1><p class=\"lead\">The lecture's chain rule, path by path: each derivative is the sum over the paths of the dependency graph of the products of the local partials along them.{source}</p>"
    );
    controls(&mut out, p);
    out.push_str("</header>\n<main>\n<div class=\"graph-col\">\n");
    let caption = if p.collapsed {
        "The dependency graph, one node per layer (the network is too large to draw vertex by vertex; the paths are listed with each derivative)."
    } else {
        "The dependency graph: values flow left to right; each edge carries its local partial derivative."
    };
    let _ = writeln!(
        out,
        "<figure id=\"graph\"><div class=\"scroll\">{}</div><figcaption id=\"graph-caption\">{caption}</figcaption></figure>",
        p.svg
    );
    out.push_str("<div id=\"vertex-info\" aria-live=\"polite\" hidden><p>Point at a vertex, or focus it with Tab, to see its value and its adjoint.</p></div>\n</div>\n<div class=\"math-col\">\n");
    let rows = p.rows.map_or(String::new(), |n| {
        format!(
            "<p class=\"note\">Values are summed over {n} rows of the data table; a vertex shows the last row's value.</p>"
        )
    });
    let _ = writeln!(
        out,
        "<section id=\"definitions\" aria-labelledby=\"definitions-h\"><h2 id=\"definitions-h\">Definitions</h2>{rows}\n{}</section>",
        p.definitions
    );
    let _ = writeln!(
        out,
        "<section id=\"derivatives\" aria-labelledby=\"derivatives-h\"><h2 id=\"derivatives-h\">Derivatives</h2>\n{}</section>",
        p.derivatives
    );
    if !p.recursion.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"adjoints\" aria-labelledby=\"adjoints-h\"><h2 id=\"adjoints-h\">Adjoints</h2><p class=\"note\">Past the path cap a derivative is written in factored form, through the adjoints of the vertices it uses, each given here from the adjoints of its users.</p>\n{}</section>",
            p.recursion
        );
    }
    if let Some(training) = &p.training {
        let _ = writeln!(
            out,
            "<section id=\"training\" aria-labelledby=\"training-h\"><h2 id=\"training-h\">Gradient descent, η = {}</h2><p class=\"note\">Each step updates every param by w ← w − η·∂E/∂w.</p>\n{training}</section>",
            p.eta
        );
    }
    for note in p.notes {
        let _ = writeln!(out, "<p class=\"note\">note: {}</p>", escape(note));
    }
    out.push_str("</div>\n</main>\n<footer><p>Made by <code>symdiff explain --format html</code>. Keys: Tab moves between controls and vertices; ← → step through the paths; the slider steps through gradient descent.</p></footer>\n<script type=\"application/json\" id=\"symdiff-data\">");
    p.data.write(&mut out);
    let _ = write!(
        out,
        "</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out
}

/// The controls, hidden until the script shows them (without a script they would do nothing).
fn controls(out: &mut String, p: &Parts) {
    out.push_str("<nav id=\"controls\" aria-label=\"Explanation controls\" hidden>\n<div class=\"picker\" role=\"group\" aria-label=\"Derivative\"><span class=\"label\">Derivative:</span>");
    let of = escape(&p.of);
    for name in &p.variables {
        let name = escape(name);
        let _ = write!(
            out,
            "<button type=\"button\" class=\"pick\" data-wrt=\"{name}\" aria-pressed=\"false\">∂{of}/∂{name}</button>"
        );
    }
    out.push_str("</div>\n<div class=\"stepper\" role=\"group\" aria-label=\"Paths\"><button type=\"button\" id=\"path-prev\" aria-label=\"Previous path\">◀</button><button type=\"button\" id=\"path-all\">All paths</button><button type=\"button\" id=\"path-next\" aria-label=\"Next path\">▶</button><span id=\"path-label\" aria-live=\"polite\"></span></div>\n");
    if p.training.is_some() {
        out.push_str("<div class=\"slider\"><label for=\"gd-step\">Gradient-descent step <output id=\"gd-out\" for=\"gd-step\">0</output></label><input type=\"range\" id=\"gd-step\" min=\"0\" value=\"0\" step=\"1\"><span id=\"gd-params\"></span></div>\n");
    }
    out.push_str("</nav>\n");
}
