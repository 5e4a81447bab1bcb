//! `symdiff grad` on an indexed network: each param's derivative in index form, and its values
//! (a nested list per param) at the given values or summed over `--data`.

use super::values::{self, Values};
use super::{array_json, array_text, formula_lines, ranges};
use crate::cli::grad::GradFormat;
use crate::cli::{json, number, Failure, PointArgs, Selection};
use serde_json::{json, Map, Value};
use symdiff::core::indexed::{IndexedAnalysis, IndexedEvaluation, IndexedFormula};
use symdiff::core::{indexed_undefined_reason, Symbol, Text};

/// Runs `grad` on an indexed network.
pub fn run(
    mut analysis: IndexedAnalysis,
    selection: &Selection,
    point: &PointArgs,
    format: GradFormat,
    max_paths: u128,
) -> Result<String, Failure> {
    if format == GradFormat::Rust {
        // The module `network!` expands to (the loss's gradient with respect to every param).
        use symdiff::core::codegen::{indexed_network_source, lex, RustOptions};
        let source = indexed_network_source(&mut analysis, &RustOptions::default(), max_paths)
            .and_then(|s| lex(&s))
            .map_err(|e| Failure(format!("error: --format rust: {e}")))?;
        return crate::cli::codegen::formatted(syn::parse2(source));
    }
    check_of(&analysis, selection)?;
    let params = wrt(&analysis, selection)?;
    let values = values::read(&analysis, point)?;
    let (evaluation, note) = evaluate(&analysis, &values, point)?;
    let mut formulas = Vec::new();
    for &p in &params {
        formulas.push(analysis.formula(p, max_paths));
    }
    let rows = (!values.rows.is_empty()).then_some(values.rows.len());
    let result = Derivatives {
        params: &params,
        formulas: &formulas,
        evaluation: evaluation.as_ref(),
        values: &values,
        rows,
        note: note.as_deref(),
    };
    Ok(match format {
        GradFormat::Json => json::pretty(&result.to_json(&analysis)),
        _ => result.text(&analysis),
    })
}

/// What `grad` prints: each param's formula and values, with where the values came from.
struct Derivatives<'a> {
    params: &'a [Symbol],
    formulas: &'a [Option<IndexedFormula>],
    evaluation: Option<&'a IndexedEvaluation>,
    values: &'a Values,
    rows: Option<usize>,
    note: Option<&'a str>,
}

impl Derivatives<'_> {
    /// One JSON object, as the CLI contract's `grad --format json`, values as nested lists.
    fn to_json(&self, analysis: &IndexedAnalysis) -> Value {
        let model = &analysis.model;
        let mut gradient = Map::new();
        for (&p, formula) in self.params.iter().zip(self.formulas) {
            gradient.insert(
                model.dag.name(p).to_string(),
                self.param_json(analysis, p, formula.as_ref()),
            );
        }
        let mut object = json!({
            "of": model.dag.name(analysis.derivation.of),
            "wrt": self.params.iter().map(|&p| model.dag.name(p)).collect::<Vec<_>>(),
            "value": json::value(self.evaluation.map(|e| e.loss)),
            "gradient": gradient,
            "at": self.values.sources,
        });
        if let Some(rows) = self.rows {
            object["rows"] = json!(rows);
        }
        if let Some(note) = self.note {
            object["note"] = json!(note);
        }
        object
    }

    /// One param's entry: formula, indices, paths (or adjoints past the cap), value.
    fn param_json(
        &self,
        analysis: &IndexedAnalysis,
        p: Symbol,
        formula: Option<&IndexedFormula>,
    ) -> Value {
        let model = &analysis.model;
        let shape = model.shape(p);
        let mut entry = Map::new();
        let text = formula.map_or("0".to_string(), |f| {
            Text::new(&model.dag, f.node()).to_string()
        });
        entry.insert("formula".into(), json!(text));
        let indices: Vec<&str> = analysis
            .derivation
            .indices_of(p)
            .iter()
            .map(|&i| model.dag.name(i))
            .collect();
        entry.insert("indices".into(), json!(indices));
        if let Some(paths) = formula.and_then(IndexedFormula::paths) {
            entry.insert("paths".into(), json::count(paths));
        }
        if let Some(IndexedFormula::Factored { adjoints, .. }) = formula {
            let mut a = Map::new();
            for &(s, n) in adjoints {
                a.insert(
                    model.dag.name(s).to_string(),
                    json!(Text::new(&model.dag, n).to_string()),
                );
            }
            entry.insert("adjoints".into(), Value::Object(a));
        }
        let value = self
            .evaluation
            .and_then(|e| e.gradient.get(p))
            .map_or(Value::Null, |g| array_json(g, &shape));
        entry.insert("value".into(), value);
        Value::Object(entry)
    }

    /// The lecture's notation: the loss, then each param's formula with its ranges and values.
    fn text(&self, analysis: &IndexedAnalysis) -> String {
        let model = &analysis.model;
        let mut out = String::new();
        if let Some(rows) = self.rows {
            out.push_str(&format!("summed over {rows} rows of --data\n"));
        }
        if self.evaluation.is_some() && !self.values.sources.is_empty() {
            out.push_str(&format!("at: {}\n", self.values.sources.join("; ")));
        }
        if let Some(e) = self.evaluation {
            let of = model.dag.name(analysis.derivation.of);
            out.push_str(&format!("{of} = {}\n", number::text(e.loss)));
        }
        for (&p, formula) in self.params.iter().zip(self.formulas) {
            match formula {
                Some(f) => {
                    let range = ranges(analysis, p);
                    for (n, line) in formula_lines(analysis, p, f).iter().enumerate() {
                        out.push_str(line);
                        if n == 0 && !range.is_empty() {
                            out.push_str(&format!("    ({range})"));
                        }
                        out.push('\n');
                    }
                }
                None => out.push_str(&format!(
                    "{} = 0    (the loss does not depend on it)\n",
                    super::partial_text(analysis, p)
                )),
            }
            if let Some(g) = self.evaluation.and_then(|e| e.gradient.get(p)) {
                out.push_str(&format!("  = {}\n", array_text(g, &model.shape(p))));
            }
        }
        if let Some(note) = self.note {
            out.push_str(&format!("note: {note}\n"));
        }
        out
    }
}

/// `--of` must name the loss: other vertices of an indexed network are arrays.
pub fn check_of(analysis: &IndexedAnalysis, selection: &Selection) -> Result<(), Failure> {
    let model = &analysis.model;
    match &selection.of {
        Some(of) if of != model.dag.name(analysis.derivation.of) => Err(Failure(format!(
            "error: --of {of}: an indexed network is differentiated by its loss `{}` (the \
             derivative of an array vertex is not a single number)",
            model.dag.name(analysis.derivation.of)
        ))),
        _ => Ok(()),
    }
}

/// The params `--wrt` names (every param by default).
pub fn wrt(analysis: &IndexedAnalysis, selection: &Selection) -> Result<Vec<Symbol>, Failure> {
    let model = &analysis.model;
    let params = analysis.params();
    match &selection.wrt {
        None => Ok(params),
        Some(names) => names
            .iter()
            .map(|name| {
                model
                    .dag
                    .find_symbol(name)
                    .filter(|s| params.contains(s))
                    .ok_or_else(|| {
                        let known: Vec<&str> = params.iter().map(|&p| model.dag.name(p)).collect();
                        Failure(format!(
                            "error: --wrt names `{name}`, which is not a param of {} (its params: {})",
                            model.name(),
                            known.join(", ")
                        ))
                    })
            })
            .collect(),
    }
}

/// The evaluation at the given values (summed over `--data` rows), or why there is none: a
/// note when nothing was given (formulas only), an error when something given is incomplete.
/// The note also says why a value that was computed is not a number.
pub fn evaluate(
    analysis: &IndexedAnalysis,
    values: &Values,
    point: &PointArgs,
) -> Result<(Option<IndexedEvaluation>, Option<String>), Failure> {
    let missing = values.missing(analysis);
    let incomplete = incomplete_elements(analysis, values);
    if !incomplete.is_empty() {
        return Err(Failure(format!(
            "error: no value for {}: give every element of an array (--at 'x=[1,2,3]', --params, or --data columns)",
            incomplete.join(", ")
        )));
    }
    if !missing.is_empty() {
        let model = &analysis.model;
        let names: Vec<String> = missing
            .iter()
            .map(|&s| format!("`{}`", values::shown_shape(analysis, s)))
            .collect();
        let message = format!(
            "no values for {}, which {} depends on: give them with --at, --params FILE.json or --data FILE.csv",
            names.join(", "),
            model.dag.name(analysis.derivation.of)
        );
        let given = point.at.is_some() || point.params.is_some() || point.data.is_some();
        if given {
            return Err(Failure(format!("error: {message}")));
        }
        return Ok((None, Some(message)));
    }
    let evaluation = if values.rows.is_empty() {
        Some(analysis.evaluate(&values.shared))
    } else {
        analysis.evaluate_rows(&values.shared, &values.rows)
    };
    // A value that is not a number comes with the reason (the first element that has none).
    let undefined = evaluation
        .as_ref()
        .and_then(|e| indexed_undefined_reason(analysis, e, !values.rows.is_empty()));
    Ok((evaluation, undefined))
}

/// Elements of given arrays that were left without a value (`--at x[1]=1` for an `x[3]`).
fn incomplete_elements(analysis: &IndexedAnalysis, values: &Values) -> Vec<String> {
    let model = &analysis.model;
    let mut out = Vec::new();
    for array in model.arrays() {
        if let Some(v) = values.shared.get(array.symbol) {
            for (k, at) in symdiff::core::indexed::positions(&array.shape)
                .iter()
                .enumerate()
            {
                if v[k].is_nan() {
                    out.push(format!(
                        "`{}`",
                        symdiff::core::indexed::element_name(model.dag.name(array.symbol), at)
                    ));
                }
            }
        }
    }
    out.truncate(8);
    out
}
