//! How numbers are shown: the shortest text that reads back as the same `f64`, so the CLI prints
//! exact values where the slides round; `NaN` (a value that could not be computed because an
//! input is unknown) is shown as `?` in text and `null` in JSON. A point's leaves are shown as
//! `name = value` pairs.

use symdiff::core::{Model, Point, Symbol};

/// A value for text output.
pub fn text(x: f64) -> String {
    if x.is_nan() {
        "?".to_string()
    } else if x == 0.0 {
        "0".to_string()
    } else {
        format!("{x}")
    }
}

/// A value for JSON output.
pub fn json(x: f64) -> serde_json::Value {
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// The model's leaves at `point`, as `name = value, name = value`.
pub fn leaf_values(model: &Model, point: &Point) -> String {
    values(model, point, &model.leaves())
}

/// `name = value, ...` for the given symbols at a point.
pub fn values(model: &Model, point: &Point, symbols: &[Symbol]) -> String {
    let shown: Vec<String> = symbols
        .iter()
        .map(|&s| format!("{} = {}", model.name_of(s), text(point.get(s))))
        .collect();
    shown.join(", ")
}
