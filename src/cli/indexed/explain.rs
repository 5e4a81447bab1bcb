//! `symdiff explain` on an indexed network: each param's path templates, local partials and
//! index formula (core's `explain::indexed`), and with `--wrt 'w1[2,1]'` one element with each
//! Σ written out term by term.

use super::grad::{check_of, evaluate};
use super::values;
use crate::cli::explain::{ExplainArgs, ExplainFormat};
use crate::cli::{json, Failure};
use serde_json::{json, Value};
use symdiff::core::explain::indexed::{explain_indexed, IndexedQuery};
use symdiff::core::explain::{indexed_html_page, HtmlOptions};
use symdiff::core::indexed::IndexedAnalysis;
use symdiff::core::Text;

/// Runs `explain` on an indexed network.
pub fn run(mut analysis: IndexedAnalysis, args: &ExplainArgs) -> Result<String, Failure> {
    if args.steps.is_some() {
        return Err(Failure(
            "error: --steps on a network with indexed layers comes with `symdiff train`; \
             explain prints one gradient here"
                .to_string(),
        ));
    }
    check_of(&analysis, &args.selection)?;
    let queries = queries(&analysis, args.selection.wrt.as_deref())?;
    let values = values::read(&analysis, &args.point)?;
    let (evaluation, note) = evaluate(&analysis, &values, &args.point)?;
    match args.format {
        ExplainFormat::Text => {
            let mut out = String::new();
            if !values.rows.is_empty() {
                out.push_str(&format!(
                    "summed over {} rows of --data (values of the last row; the loss and gradient summed)\n",
                    values.rows.len()
                ));
            }
            if evaluation.is_some() && !values.sources.is_empty() {
                out.push_str(&format!("at: {}\n", values.sources.join("; ")));
            }
            out.push_str(&explain_indexed(
                &mut analysis,
                &queries,
                evaluation.as_ref(),
                args.max_paths,
            ));
            if let Some(note) = note {
                out.push_str(&format!("note: {note}\n"));
            }
            Ok(out)
        }
        ExplainFormat::Json => {
            let mut derivatives = Vec::new();
            for q in &queries {
                let formula = analysis.formula(q.param, args.max_paths);
                let model = &analysis.model;
                let value = evaluation.as_ref().and_then(|e| e.gradient.get(q.param)).map_or(
                    Value::Null,
                    |g| match &q.element {
                        Some(at) => {
                            let shape = model.shape(q.param);
                            let offset = at.iter().zip(&shape).fold(0, |o, (&p, &e)| o * e + p);
                            crate::cli::number::json(g[offset])
                        }
                        None => super::array_json(g, &model.shape(q.param)),
                    },
                );
                derivatives.push(json!({
                    "wrt": model.dag.name(q.param),
                    "element": q.element.as_ref().map(|at| at.iter().map(|p| p + 1).collect::<Vec<_>>()),
                    "formula": formula.as_ref().map(|f| Text::new(&model.dag, f.node()).to_string()),
                    "paths": formula.as_ref().and_then(|f| f.paths()).map(json::count),
                    "value": value,
                }));
            }
            let model = &analysis.model;
            Ok(json::pretty(&json!({
                "of": model.dag.name(analysis.derivation.of),
                "value": json::value(evaluation.as_ref().map(|e| e.loss)),
                "derivatives": derivatives,
                "at": values.sources,
                "note": note,
            })))
        }
        ExplainFormat::Html => {
            let graph = super::graph::page_graph(&analysis)?;
            let mut notes: Vec<String> = note.into_iter().collect();
            if evaluation.is_some() && !values.sources.is_empty() {
                notes.insert(0, format!("at: {}", values.sources.join("; ")));
            }
            let options = HtmlOptions {
                source: args.file.as_ref().map_or(String::new(), |f| f.display().to_string()),
                notes,
            };
            Ok(indexed_html_page(
                &mut analysis,
                &queries,
                evaluation.as_ref(),
                args.max_paths,
                &graph,
                &options,
            ))
        }
        ExplainFormat::Latex => Err(Failure(
            "error: --format latex does not take networks with indexed layers yet: use text or json".to_string(),
        )),
    }
}

/// The params and elements `--wrt` names (`w1`, `w1[2,1]`), every param by default. Clap
/// splits the list at every comma, so an element's subscripts are joined back first.
fn queries(
    analysis: &IndexedAnalysis,
    wrt: Option<&[String]>,
) -> Result<Vec<IndexedQuery>, Failure> {
    let model = &analysis.model;
    let params = analysis.params();
    let Some(parts) = wrt else {
        return Ok(params
            .into_iter()
            .map(|param| IndexedQuery {
                param,
                element: None,
            })
            .collect());
    };
    let mut names: Vec<String> = Vec::new();
    for part in parts {
        match names.last_mut() {
            Some(open) if open.matches('[').count() > open.matches(']').count() => {
                open.push(',');
                open.push_str(part);
            }
            _ => names.push(part.clone()),
        }
    }
    names
        .iter()
        .map(|name| {
            let unknown = || {
                let known: Vec<String> = params
                    .iter()
                    .map(|&p| values::shown_shape(analysis, p))
                    .collect();
                Failure(format!(
                    "error: --wrt names `{name}`, which is not a param or a param's element of {} (its params: {}; elements are 1-based, e.g. `w1[2,1]`)",
                    model.name(),
                    known.join(", ")
                ))
            };
            if !name.contains('[') {
                let param = model
                    .dag
                    .find_symbol(name)
                    .filter(|s| params.contains(s))
                    .ok_or_else(unknown)?;
                return Ok(IndexedQuery {
                    param,
                    element: None,
                });
            }
            let (param, offset) = values::element(analysis, name).ok_or_else(unknown)?;
            if !params.contains(&param) {
                return Err(unknown());
            }
            let shape = model.shape(param);
            let mut at = vec![0; shape.len()];
            let mut rest = offset;
            for (d, &extent) in shape.iter().enumerate().rev() {
                at[d] = rest % extent;
                rest /= extent;
            }
            Ok(IndexedQuery {
                param,
                element: Some(at),
            })
        })
        .collect()
}
