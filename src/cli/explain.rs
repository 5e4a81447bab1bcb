//! `symdiff explain`: every derivative the way the lecture's slides draw it — the chain of
//! partial symbols, the local partials, the simplified result, and at a point the numbers — plus
//! the gradient-descent table. With no FILE it explains the lecture's two-weight network.

use super::{json, load, Assignment, Failure, PointArgs, Selection};
use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use std::io::IsTerminal;
use std::path::PathBuf;
use symdiff::core::explain::{
    html_page, is_direct, Derivative, ExplainLatex, ExplainText, Explanation, Form, HtmlOptions,
    Training,
};
use symdiff::core::{partial_symbol, Analysis, Dag, Model, NodeId, Notation, Point, Symbol, Text};

/// The lecture's two-weight network, explained when no FILE is given.
const TWO_WEIGHTS: &str = include_str!("../../examples/lecture/two_weights.sd");

/// Arguments of `symdiff explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The `.sd` file (default: the lecture's two-weight network at x_t = 1, y_t = 1,
    /// w1 = w2 = 1, with two steps at η = 0.1).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub selection: Selection,
    #[command(flatten)]
    pub point: PointArgs,
    /// Run this many gradient-descent steps and print the table (needs --at or --data).
    #[arg(long, value_name = "N")]
    pub steps: Option<usize>,
    /// The learning rate of --steps (default 0.1, the lecture's).
    #[arg(long, value_name = "ETA")]
    eta: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// Lay a derivative out path by path while it has at most this many paths; past that, in
    /// factored form.
    #[arg(long, value_name = "N", default_value_t = symdiff::core::DEFAULT_MAX_PATHS)]
    pub max_paths: u128,
    /// Plain ASCII (`dE/dw1`, `*`) instead of Unicode, in every format's formulas.
    #[arg(long)]
    ascii: bool,
    /// Print numbers to N significant digits (the slides use 3 or 4); a number within 1e-15 of
    /// an integer prints as that integer. Default: every digit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=17))]
    digits: Option<u32>,
    /// Write the output to FILE instead of stdout (stdout then names the file).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format html: also open the page in the browser (written to the temporary
    /// directory when no -o is given).
    #[arg(long)]
    pub open: bool,
}

/// An output format of `explain`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    /// Aligned text in the lecture's notation.
    Text,
    /// KaTeX-compatible LaTeX (an `aligned` environment).
    Latex,
    /// One JSON object: paths, local factors, formulas, values.
    Json,
    /// One self-contained HTML page: the graph, MathML formulas, paths highlighted one at a
    /// time, the gradient-descent steps on a slider.
    Html,
}

/// Runs `explain`: its output on stdout, or in the file of `-o`.
pub fn run(args: &ExplainArgs) -> Result<String, Failure> {
    if args.open && args.format != ExplainFormat::Html {
        // A usage error, reported and exited on (status 2) as clap reports its own.
        use clap::CommandFactory;
        super::Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--open opens a page: add --format html",
            )
            .exit();
    }
    let text = explain(args)?;
    let stem = args
        .file
        .as_ref()
        .and_then(|f| f.file_stem())
        .map_or("two_weights".into(), |s| s.to_string_lossy().into_owned());
    let name = format!("symdiff-explain-{stem}.html");
    super::output::deliver(text, args.output.as_deref(), args.open, &name)
}

/// The explanation in the format asked.
fn explain(args: &ExplainArgs) -> Result<String, Failure> {
    if let Some(file) = &args.file {
        if let load::Network::Indexed(model) = load::network(file, &args.selection)? {
            let analysis = symdiff::core::indexed::IndexedAnalysis::new(model);
            return super::indexed::explain::run(analysis, args);
        }
    }
    let (model, point, steps) = model_and_point(args)?;
    let selection = distinct_wrt(&args.selection);
    let mut analysis = load::analysis(model, &selection, args.max_paths)?;
    let points = load::points(&analysis, &point)?;
    let rows = point.data.as_ref().and(points.as_ref().map(Vec::len));
    let evaluation = points.as_deref().and_then(|p| analysis.evaluate_sum(p));
    let training = match (steps, &points) {
        (Some(n), Some(p)) => Some(Training::run(&analysis, p, args.eta.unwrap_or(0.1), n)),
        (Some(_), None) => {
            return Err(Failure(
                "error: --steps needs a starting point: pass --at (and the params' values, unless the file gives them) or --data".into(),
            ))
        }
        (None, _) => None,
    };
    // Why the value is undefined, at one point (a sum over rows names no single point).
    let undefined = evaluation
        .as_ref()
        .filter(|_| rows.is_none())
        .map_or(Vec::new(), |e| super::grad::reasons(&analysis, e));
    let mut explanation =
        Explanation::rounded(&mut analysis, evaluation.as_ref(), rows, args.digits);
    if let Some(t) = training {
        explanation = explanation.with_training(t);
    }
    if selection.wrt.is_some() {
        explanation = explanation.only_used_leaves(&analysis.model.dag);
    }
    let points = points.as_deref();
    Ok(render(args, &mut analysis, points, &explanation, undefined))
}

/// The model to explain, the point and the steps: the file's, or with no FILE the lecture's
/// two-weight network at its point (x_t = y_t = 1) with two steps; a partial --at overrides that
/// point name by name.
fn model_and_point(args: &ExplainArgs) -> Result<(Model, PointArgs, Option<usize>), Failure> {
    let mut point = args.point.clone();
    let mut steps = args.steps;
    let model = match &args.file {
        Some(file) => load::model(file, &args.selection, "explain")?,
        None => {
            if point.data.is_none() {
                if point.at.is_none() {
                    steps = steps.or(Some(2));
                }
                let mut at = vec![("x_t".into(), 1.0), ("y_t".into(), 1.0)];
                at.extend(point.at.take().into_iter().flat_map(|a| a.0));
                point.at = Some(Assignment(at));
            }
            load::model_from_text("two_weights.sd (embedded)", TWO_WEIGHTS, &args.selection)?
        }
    };
    Ok((model, point, steps))
}

/// The explanation in the chosen format, with a note for each value that is undefined; the
/// HTML page recomputes the values of each gradient-descent step from `points`.
fn render(
    args: &ExplainArgs,
    analysis: &mut Analysis,
    points: Option<&[Point]>,
    explanation: &Explanation,
    undefined: Vec<String>,
) -> String {
    if args.format == ExplainFormat::Html {
        let options = HtmlOptions {
            source: match &args.file {
                Some(file) => file.display().to_string(),
                None => "two_weights.sd (embedded)".to_string(),
            },
            notes: undefined,
        };
        return html_page(analysis, explanation, points, &options);
    }
    let analysis = &*analysis;
    let dag = &analysis.model.dag;
    let notation = if args.ascii {
        Notation::Ascii
    } else {
        Notation::Unicode
    };
    match args.format {
        ExplainFormat::Text => {
            let mut text = ExplainText::new(dag, explanation)
                .notation(notation)
                .color(use_color())
                .to_string();
            for reason in &undefined {
                text.push_str(&format!("\nnote: {reason}\n"));
            }
            text
        }
        ExplainFormat::Latex => ExplainLatex::new(dag, explanation).to_string(),
        ExplainFormat::Html => String::new(), // written above
        ExplainFormat::Json => {
            let mut object = to_json(analysis, explanation, notation);
            if let (false, Value::Object(map)) = (undefined.is_empty(), &mut object) {
                map.insert("note".into(), json!(undefined.join("\n")));
            }
            json::pretty(&object)
        }
    }
}

/// The selection with each `--wrt` name once, in the order first given (`--wrt w1,w1` explains
/// `∂E/∂w1` once).
pub(super) fn distinct_wrt(selection: &Selection) -> Selection {
    let mut selection = selection.clone();
    if let Some(wrt) = &mut selection.wrt {
        let mut seen = std::collections::HashSet::new();
        wrt.retain(|name| seen.insert(name.clone()));
    }
    selection
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (to anything but "").
fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// How the JSON prints formulas and partial symbols, with the explanation's rounding of values.
#[derive(Clone, Copy)]
struct Printer<'a> {
    dag: &'a Dag,
    notation: Notation,
    explanation: &'a Explanation,
}

impl Printer<'_> {
    fn formula(&self, id: NodeId) -> Value {
        json!(Text::new(self.dag, id).notation(self.notation).to_string())
    }

    fn partial(&self, of: Symbol, wrt: Symbol) -> String {
        partial_symbol(self.dag.name(of), self.dag.name(wrt), self.notation)
    }

    fn value(&self, x: Option<f64>) -> Value {
        json::value(x.map(|x| self.explanation.round(x)))
    }
}

fn derivative_json(p: Printer, d: &Derivative) -> Value {
    let dag = p.dag;
    let terms: Vec<Value> = d
        .terms
        .iter()
        .map(|t| {
            let chain: Vec<String> = t.symbols.iter().map(|&(a, b)| p.partial(a, b)).collect();
            let path: Vec<&str> = match d.form {
                Form::Paths => std::iter::once(t.symbols[0].0)
                    .chain(t.symbols.iter().map(|p| p.1))
                    .map(|s| dag.name(s))
                    .collect(),
                Form::Factored => Vec::new(),
            };
            let mut term = Map::new();
            if d.form == Form::Paths {
                term.insert("path".into(), json!(path));
            }
            term.insert("chain".into(), json!(chain));
            if is_direct(d, t) {
                term.insert("direct".into(), json!(true));
            }
            term.insert(
                "factors".into(),
                Value::Array(t.factors.iter().map(|&f| p.formula(f)).collect()),
            );
            if let Some(n) = &t.numeric {
                term.insert(
                    "numeric".into(),
                    Value::Array(n.iter().map(|&f| p.formula(f)).collect()),
                );
            }
            Value::Object(term)
        })
        .collect();
    json!({
        "of": dag.name(d.of),
        "wrt": dag.name(d.wrt),
        "symbol": p.partial(d.of, d.wrt),
        "form": match d.form { Form::Paths => "paths", Form::Factored => "factored" },
        "paths": json::count(d.path_count),
        "terms": terms,
        "formula": p.formula(d.formula),
        "value": p.value(d.value),
    })
}

/// The explanation as data.
fn to_json(analysis: &Analysis, e: &Explanation, notation: Notation) -> Value {
    let dag = &analysis.model.dag;
    let p = Printer {
        dag,
        notation,
        explanation: e,
    };
    let mut object = Map::new();
    object.insert("network".into(), json!(e.model));
    object.insert("of".into(), json!(dag.name(e.of)));
    let at = e.forward.as_ref().map_or(Value::Null, |f| {
        Value::Object(
            f.leaves
                .iter()
                .map(|&(s, v)| (dag.name(s).to_string(), p.value(Some(v))))
                .collect(),
        )
    });
    object.insert("at".into(), at);
    if let Some(rows) = e.rows {
        object.insert("rows".into(), json!(rows));
    }
    object.insert("definitions".into(), definitions_json(p, e));
    let derivatives =
        |ds: &[Derivative]| Value::Array(ds.iter().map(|d| derivative_json(p, d)).collect());
    object.insert("gradients".into(), derivatives(&e.variables));
    if !e.recursion.is_empty() {
        object.insert("adjoints".into(), derivatives(&e.recursion));
    }
    if let Some(t) = &e.training {
        object.insert("training".into(), training_json(p, t));
    }
    Value::Object(object)
}

/// Per definition: its formula and its value at the point (`null` without one).
fn definitions_json(p: Printer, e: &Explanation) -> Value {
    let dag = p.dag;
    let definitions: Map<String, Value> = e
        .definitions
        .iter()
        .map(|&(s, rhs)| {
            let v = e
                .forward
                .as_ref()
                .and_then(|f| f.vertices.iter().find(|x| x.0 == s).map(|x| x.2));
            (
                dag.name(s).to_string(),
                json!({"formula": p.formula(rhs), "value": p.value(v)}),
            )
        })
        .collect();
    Value::Object(definitions)
}

/// The gradient-descent table: the learning rate, and per step the params and the loss.
fn training_json(p: Printer, t: &Training) -> Value {
    let dag = p.dag;
    let rows: Vec<Value> = t
        .rows
        .iter()
        .map(|r| {
            let params: Map<String, Value> = t
                .params
                .iter()
                .zip(&r.params)
                .map(|(&s, &v)| (dag.name(s).to_string(), p.value(Some(v))))
                .collect();
            json!({"step": r.step, "params": params, "loss": p.value(Some(r.loss))})
        })
        .collect();
    json!({"eta": t.eta, "rows": rows})
}
