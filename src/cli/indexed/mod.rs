//! The subcommands on networks with indexed layers: the same contracts as for scalar networks,
//! with formulas in index form (`∂E/∂w1[j,i] = ...`) and values as nested row-major lists.

pub mod check;
pub mod eval;
pub mod explain;
pub mod grad;
pub mod graph;
pub mod values;

use crate::cli::number;
use serde_json::Value;
use symdiff::core::indexed::IndexedAnalysis;
use symdiff::core::Symbol;

/// An array's values as text (core's explain writes them alike).
pub use symdiff::core::explain::indexed::array as array_text;

/// An array's values as a nested JSON list (`null` for a value that is not finite).
pub fn array_json(values: &[f64], shape: &[usize]) -> Value {
    match shape.split_first() {
        None => number::json(values[0]),
        Some((_, rest)) => {
            let inner: usize = rest.iter().product();
            Value::Array(
                values
                    .chunks(inner.max(1))
                    .map(|chunk| array_json(chunk, rest))
                    .collect(),
            )
        }
    }
}

pub use symdiff::core::explain::indexed::ranges;

/// `∂E/∂w1[j,i]`: the partial symbol of the loss by a param's element in its canonical indices.
pub fn partial_text(analysis: &IndexedAnalysis, param: Symbol) -> String {
    symdiff::core::explain::indexed::partial(analysis, param, None)
}

pub use symdiff::core::explain::indexed::formula_lines;
