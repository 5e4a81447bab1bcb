//! JSON output: how every subcommand prints its one object, and the values their objects share.

use super::number;
use serde_json::{json, Map, Value};
use symdiff::core::{Model, Point, Symbol};

/// The object pretty-printed, with a final newline.
pub fn pretty(value: &Value) -> String {
    let mut out = serde_json::to_string_pretty(value).expect("JSON values serialize");
    out.push('\n');
    out
}

/// A value, `null` when there is none or it is not finite.
pub fn value(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number::json)
}

/// A count of paths: an integer, or a float past `u64::MAX`.
pub fn count(n: u128) -> Value {
    u64::try_from(n).map_or(json!(n as f64), |n| json!(n))
}

/// The model's leaves by name, with their values at `point` (each `null` without one).
pub fn leaves(model: &Model, point: Option<&Point>) -> Map<String, Value> {
    values(model, point, &model.leaves())
}

/// The given symbols by name, with their values at `point` (each `null` without one).
pub fn values(model: &Model, point: Option<&Point>, symbols: &[Symbol]) -> Map<String, Value> {
    let mut at = Map::new();
    for &s in symbols {
        at.insert(model.name_of(s).to_string(), value(point.map(|p| p.get(s))));
    }
    at
}
