//! Why an indexed network's value is undefined: the first definition, in dependency order,
//! with an element that is not a finite number, that element, and the values its definition
//! reads there, so that a `?` in `grad`, `eval`, `explain` or `check` always comes with its
//! reason.

use crate::emit::Text;
use crate::indexed::{element_name, IndexedAnalysis, IndexedEvaluation, Sub};

/// Why `evaluation` has a loss or a gradient that is not a finite number, or `None` when every
/// value is finite. `rows` says the values came from `--data` rows: the arrays then hold the
/// last row's values, which may all be finite while an earlier row's were not.
pub fn indexed_undefined_reason(
    analysis: &IndexedAnalysis,
    evaluation: &IndexedEvaluation,
    rows: bool,
) -> Option<String> {
    let model = &analysis.model;
    let gradient_finite = analysis.params().iter().all(|&p| {
        evaluation
            .gradient
            .get(p)
            .is_none_or(|g| g.iter().all(|v| v.is_finite()))
    });
    if evaluation.loss.is_finite() && gradient_finite {
        return None;
    }
    let of = model.dag.name(analysis.derivation.of);
    for d in model.definitions() {
        let Some(values) = evaluation.values.get(d.symbol) else {
            continue;
        };
        let Some(k) = values.iter().position(|v| !v.is_finite()) else {
            continue;
        };
        let shape = model.shape(d.symbol);
        let at = unravel(k, &shape);
        let element = element_name(model.dag.name(d.symbol), &at);
        let read = values_read(analysis, evaluation, d.body, &d.indices, &at);
        let row = if rows {
            " (in the last row of --data)"
        } else {
            ""
        };
        let read = if read.is_empty() {
            String::new()
        } else {
            format!(", where {}", read.join(", "))
        };
        return Some(format!(
            "`{element}` is {}{row}: `{} = {}` has no finite value there{read}; {of} depends on it",
            shown(values[k]),
            model.dag.name(d.element),
            Text::new(&model.dag, d.body),
        ));
    }
    if !evaluation.loss.is_finite() {
        return Some(match rows {
            true => format!(
                "{of} is {} summed over the rows of --data, but every value of the last row is \
                 finite: an earlier row gives none (evaluate rows one by one with --at to find it)",
                shown(evaluation.loss)
            ),
            false => format!("{of} is {}", shown(evaluation.loss)),
        });
    }
    Some(format!(
        "{of} is finite but a derivative is not: a function is at a point where it has a value \
         but no finite slope (sqrt at 0, for one)"
    ))
}

/// The 0-based position of row-major offset `k` in an array of `shape`.
fn unravel(mut k: usize, shape: &[usize]) -> Vec<usize> {
    let mut at = vec![0; shape.len()];
    for (d, &extent) in shape.iter().enumerate().rev() {
        at[d] = k % extent;
        k /= extent;
    }
    at
}

/// `s[2] = -1`: the elements a body reads at one element of its definition (those whose
/// subscripts its left-hand side fixes; a Σ's own index is not), at most four.
fn values_read(
    analysis: &IndexedAnalysis,
    evaluation: &IndexedEvaluation,
    body: crate::dag::NodeId,
    indices: &[crate::dag::Symbol],
    at: &[usize],
) -> Vec<String> {
    let model = &analysis.model;
    let mut out = Vec::new();
    for symbol in model.dag.symbols_in(body) {
        let (array, subs) = match model.element(symbol) {
            Some(e) => (e.array, e.subs.clone()),
            None if model.is_index(symbol) => continue,
            None => (symbol, Vec::new()),
        };
        let position: Option<Vec<usize>> = subs
            .iter()
            .map(|sub| match *sub {
                Sub::Index(i) => indices.iter().position(|&j| j == i).map(|n| at[n]),
                Sub::Fixed(p) => Some(p - 1),
            })
            .collect();
        let (Some(position), Some(values)) = (position, evaluation.values.get(array)) else {
            continue;
        };
        let shape = model.shape(array);
        let offset = position.iter().zip(&shape).fold(0, |o, (&p, &e)| o * e + p);
        let shown_value = values.get(offset).map_or("?".to_string(), |&v| shown(v));
        out.push(format!(
            "{} = {shown_value}",
            element_name(model.dag.name(array), &position)
        ));
        if out.len() == 4 {
            break;
        }
    }
    out
}

fn shown(x: f64) -> String {
    if x.is_nan() {
        "NaN (no value)".to_string()
    } else {
        crate::emit::float::FloatText::new(x).to_string()
    }
}
