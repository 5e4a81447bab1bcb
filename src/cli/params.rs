//! `--params FILE.json`: param values as one JSON object, each param a nested row-major list of
//! its declared shape (a scalar a plain number), as `train --save` writes them:
//!
//! ```json
//! {
//!   "w1": [
//!     [0.1, -0.2, 0.3],
//!     [0.4, 0.5, -0.6]
//!   ],
//!   "b1": [0.0, 0.0],
//!   "c": 0.5
//! }
//! ```
//!
//! `w1[j, i]` is `"w1"`'s row `j`, number `i` (1-based in every message, as in the language).
//! Reading checks every name and every list against the declared shapes and says what it
//! expected where it differs; writing gives back exactly the numbers it was given.
//!
//! The module is private to the binary, so its examples are not compiled as doctests; the unit
//! tests at the end run each of them.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Reads a params file's `text` (`path` is only for messages) against the network's params and
/// their shapes, in declaration order. Returns the values of the params the file gives, each
/// row-major, in declaration order.
///
/// A param the file leaves out is not an error: the caller decides whether it has a value from
/// elsewhere (an initializer, `--at`). Each error names the file, the param and what was
/// expected, and has no `error: ` prefix (the caller adds it):
///
/// - a JSON syntax error, with its line and column (`p.json:3:14: expected `,` or `]``);
/// - something other than an object at the top;
/// - a name that is not a param, with the closest param's name when one is close;
/// - a name given twice;
/// - a list of the wrong length (`` `w1` row 2 has 4 numbers, expected 3 ``), a number where a
///   list belongs or a list where a number belongs, and anything else where a number belongs.
///
/// ```ignore
/// let shapes = vec![("w1".to_string(), vec![2, 2]), ("c".to_string(), vec![])];
/// let text = r#"{"w1": [[1, 2], [3, 4]], "c": 0.5}"#;
/// let values = read_params(Path::new("p.json"), text, &shapes)?;
/// assert_eq!(values[0], ("w1".to_string(), vec![1.0, 2.0, 3.0, 4.0]));
/// assert_eq!(values[1], ("c".to_string(), vec![0.5]));
/// ```
pub fn read_params(
    path: &Path,
    text: &str,
    shapes: &[(String, Vec<usize>)],
) -> Result<Vec<(String, Vec<f64>)>, String> {
    let shown = path.display();
    let entries: Entries = serde_json::from_str(text).map_err(|e| syntax_error(&shown, &e))?;
    let mut found: Vec<Option<Vec<f64>>> = vec![None; shapes.len()];
    for (name, value) in &entries.0 {
        let Some(k) = shapes.iter().position(|(n, _)| n == name) else {
            return Err(format!("{shown}: {}", unknown(name, shapes)));
        };
        if found[k].is_some() {
            return Err(format!("{shown}: `{name}` is given twice"));
        }
        let shape = &shapes[k].1;
        let mut values = Vec::with_capacity(shape.iter().product());
        flatten(value, name, shape, &mut Vec::new(), &mut values).map_err(|message| {
            let declared = dims(shape);
            format!("{shown}: {message} (`{name}` is declared with shape [{declared}])")
        })?;
        found[k] = Some(values);
    }
    Ok(shapes
        .iter()
        .zip(found)
        .filter_map(|((name, _), values)| Some((name.clone(), values?)))
        .collect())
}

/// Writes params as [`read_params`] reads them: one object, a param per line group, a matrix
/// one row per line, every number the shortest decimal that reads back as the same `f64`.
/// `values` holds each param's name, shape and row-major values (as many as the shape has
/// elements). JSON has no `NaN` or infinity: a non-finite value is written as `null`, which
/// [`read_params`] rejects, so a diverged run's params cannot be read back unnoticed.
///
/// ```ignore
/// let text = write_params(&[
///     ("w1".to_string(), vec![2, 2], vec![0.1, 0.2, 0.3, 0.4]),
///     ("c".to_string(), vec![], vec![0.5]),
/// ]);
/// assert_eq!(text, "{\n  \"w1\": [\n    [0.1, 0.2],\n    [0.3, 0.4]\n  ],\n  \"c\": 0.5\n}\n");
/// ```
pub fn write_params(values: &[(String, Vec<usize>, Vec<f64>)]) -> String {
    let mut out = String::from("{");
    for (n, (name, shape, values)) in values.iter().enumerate() {
        debug_assert_eq!(values.len(), shape.iter().product::<usize>(), "{name}");
        out.push_str(if n == 0 { "\n  " } else { ",\n  " });
        out.push_str(&Value::String(name.clone()).to_string());
        out.push_str(": ");
        write_nested(&mut out, shape, values, 1);
    }
    out.push_str(if values.is_empty() { "}\n" } else { "\n}\n" });
    out
}

/// Replaces `path` with `text` as one step: the text goes to a temporary file beside it, is
/// flushed to disk, and is renamed over `path`, so a reader (or a crash half-way) never sees a
/// half-written file. The temporary file is removed when a step fails.
///
/// ```ignore
/// write_params_atomically(Path::new("trained.json"), &write_params(&values))?;
/// ```
pub fn write_params_atomically(path: &Path, text: &str) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file name", path.display()),
        )
    })?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// The top-level object's entries in file order, duplicates kept (serde_json's own map would
/// sort them and keep only the last of a name given twice).
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entries, D::Error> {
        deserializer.deserialize_map(EntriesVisitor)
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"an object of param values, such as {"w1": [[0.1, 0.2]], "c": 0.5}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(Entries(entries))
    }
}

/// `p.json:3:14: message`, without serde_json's own ` at line 3 column 14`.
fn syntax_error(shown: &impl fmt::Display, e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    if e.line() == 0 {
        format!("{shown}: {message}")
    } else {
        format!("{shown}:{}:{}: {message}", e.line(), e.column())
    }
}

/// "`w3` is not a param of the network; did you mean `w2`? (its params: w1, b1, w2)".
fn unknown(name: &str, shapes: &[(String, Vec<usize>)]) -> String {
    if shapes.is_empty() {
        return format!("`{name}` is not a param: the network has no params");
    }
    let names: Vec<&str> = shapes.iter().map(|(n, _)| n.as_str()).collect();
    let hint = symdiff::grammar::closest(name, names.iter().copied())
        .map_or(String::new(), |c| format!("; did you mean `{c}`?"));
    format!(
        "`{name}` is not a param of the network{hint} (its params: {})",
        names.join(", ")
    )
}

/// Checks `value` against `shape` (the dimensions left below `at`) and appends its numbers.
fn flatten(
    value: &Value,
    name: &str,
    shape: &[usize],
    at: &mut Vec<usize>,
    out: &mut Vec<f64>,
) -> Result<(), String> {
    let place = || place(name, at, at.len() + shape.len());
    let Some((&extent, inner)) = shape.split_first() else {
        return match value {
            Value::Number(x) => {
                out.push(x.as_f64().expect("serde_json reads every number as an f64"));
                Ok(())
            }
            other => Err(format!("{} is {}, expected a number", place(), kind(other))),
        };
    };
    let unit = unit(inner.len(), at.len() + shape.len());
    let Value::Array(items) = value else {
        return Err(format!(
            "{} is {}, expected a list of {}",
            place(),
            kind(value),
            count(extent, unit)
        ));
    };
    if items.len() != extent {
        return Err(format!(
            "{} has {}, expected {extent}",
            place(),
            count(items.len(), unit)
        ));
    }
    for (k, item) in items.iter().enumerate() {
        at.push(k + 1);
        flatten(item, name, inner, at, out)?;
        at.pop();
    }
    Ok(())
}

/// Where in a param a message points: `` `w1` ``, `` `w1` row 2 `` (a matrix's row), or
/// `` `w1[2,3]` `` (an element, or a sub-array of a higher-rank param).
fn place(name: &str, at: &[usize], rank: usize) -> String {
    match at {
        [] => format!("`{name}`"),
        [row] if rank == 2 => format!("`{name}` row {row}"),
        _ => {
            let at: Vec<String> = at.iter().map(usize::to_string).collect();
            format!("`{name}[{}]`", at.join(","))
        }
    }
}

/// What a list at this level holds: numbers at the last level, a matrix's rows, else lists.
fn unit(rank_below: usize, rank: usize) -> &'static str {
    match rank_below {
        0 => "number",
        1 if rank == 2 => "row",
        _ => "list",
    }
}

/// `1 number`, `4 numbers`.
fn count(n: usize, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A JSON value's kind, with the value itself where it is short.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(x) => format!("a number ({x})"),
        Value::String(s) if s.chars().count() <= 20 => format!("a string ({value})"),
        Value::String(_) => "a string".to_string(),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

fn dims(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    dims.join(", ")
}

/// Writes a row-major block of `shape` at nesting `depth`: the innermost lists on one line,
/// every outer list one item per line.
fn write_nested(out: &mut String, shape: &[usize], values: &[f64], depth: usize) {
    match shape {
        [] => out.push_str(&number(values[0])),
        [_] => {
            out.push('[');
            for (k, &x) in values.iter().enumerate() {
                out.push_str(if k == 0 { "" } else { ", " });
                out.push_str(&number(x));
            }
            out.push(']');
        }
        [extent, inner @ ..] => {
            let size: usize = inner.iter().product();
            let indent = "  ".repeat(depth + 1);
            out.push('[');
            for k in 0..*extent {
                out.push_str(if k == 0 { "\n" } else { ",\n" });
                out.push_str(&indent);
                write_nested(out, inner, &values[k * size..(k + 1) * size], depth + 1);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
            out.push(']');
        }
    }
}

/// The shortest decimal that reads back as `x` (serde_json's float formatting), `null` when
/// `x` is not finite.
fn number(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or("null".to_string(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes() -> Vec<(String, Vec<usize>)> {
        [("w1", vec![2, 3]), ("b1", vec![2]), ("c", vec![])]
            .into_iter()
            .map(|(n, s)| (n.to_string(), s))
            .collect()
    }

    fn read(text: &str) -> Result<Vec<(String, Vec<f64>)>, String> {
        read_params(Path::new("p.json"), text, &shapes())
    }

    fn error(text: &str) -> String {
        read(text).unwrap_err()
    }

    #[test]
    fn nested_lists_read_row_major_in_declaration_order() {
        let text = r#"{"c": 0.5, "b1": [1, -2], "w1": [[1, 2, 3], [4, 5, 6e-1]]}"#;
        let values = read(text).unwrap();
        assert_eq!(
            values,
            [
                ("w1".to_string(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 0.6]),
                ("b1".to_string(), vec![1.0, -2.0]),
                ("c".to_string(), vec![0.5]),
            ]
        );
    }

    #[test]
    fn params_the_file_leaves_out_are_left_to_the_caller() {
        assert_eq!(read(r#"{"c": 2}"#).unwrap(), [("c".to_string(), vec![2.0])]);
        assert_eq!(read("{}").unwrap(), []);
    }

    #[test]
    fn a_syntax_error_names_the_line_and_column() {
        let e = error("{\n  \"c\": 0.5,\n  \"b1\": [1 2]\n}");
        assert_eq!(e, "p.json:3:12: expected `,` or `]`");
        let e = error("");
        assert_eq!(e, "p.json:1:0: EOF while parsing a value");
        let e = error(r#"{"c": 1e400}"#);
        assert_eq!(e, "p.json:1:11: number out of range");
    }

    #[test]
    fn the_top_level_must_be_an_object() {
        let e = error("[1, 2]");
        assert_eq!(
            e,
            "p.json:1:0: invalid type: sequence, expected an object of param values, \
             such as {\"w1\": [[0.1, 0.2]], \"c\": 0.5}"
        );
    }

    #[test]
    fn an_unknown_name_suggests_a_close_one() {
        let e = error(r#"{"w2": [[1, 2, 3], [4, 5, 6]]}"#);
        assert_eq!(
            e,
            "p.json: `w2` is not a param of the network; did you mean `w1`? \
             (its params: w1, b1, c)"
        );
        let e = error(r#"{"bias": 1}"#);
        assert_eq!(
            e,
            "p.json: `bias` is not a param of the network (its params: w1, b1, c)"
        );
        let none = read_params(Path::new("p.json"), r#"{"w": 1}"#, &[]).unwrap_err();
        assert_eq!(
            none,
            "p.json: `w` is not a param: the network has no params"
        );
    }

    #[test]
    fn a_name_given_twice_is_an_error() {
        let e = error(r#"{"c": 1, "c": 2}"#);
        assert_eq!(e, "p.json: `c` is given twice");
    }

    #[test]
    fn a_row_of_the_wrong_length_says_which_row() {
        let e = error(r#"{"w1": [[1, 2, 3], [4, 5, 6, 7]]}"#);
        assert_eq!(
            e,
            "p.json: `w1` row 2 has 4 numbers, expected 3 (`w1` is declared with shape [2, 3])"
        );
        let e = error(r#"{"w1": [[1, 2, 3]]}"#);
        assert_eq!(
            e,
            "p.json: `w1` has 1 row, expected 2 (`w1` is declared with shape [2, 3])"
        );
        let e = error(r#"{"b1": [1, 2, 3]}"#);
        assert_eq!(
            e,
            "p.json: `b1` has 3 numbers, expected 2 (`b1` is declared with shape [2])"
        );
    }

    #[test]
    fn wrong_nesting_says_what_was_expected() {
        let e = error(r#"{"w1": [1, 2]}"#);
        assert_eq!(
            e,
            "p.json: `w1` row 1 is a number (1), expected a list of 3 numbers \
             (`w1` is declared with shape [2, 3])"
        );
        let e = error(r#"{"w1": [[1, 2, [3]], [4, 5, 6]]}"#);
        assert_eq!(
            e,
            "p.json: `w1[1,3]` is a list, expected a number \
             (`w1` is declared with shape [2, 3])"
        );
        let e = error(r#"{"c": [0.5]}"#);
        assert_eq!(
            e,
            "p.json: `c` is a list, expected a number (`c` is declared with shape [])"
        );
        let e = error(r#"{"b1": 0}"#);
        assert_eq!(
            e,
            "p.json: `b1` is a number (0), expected a list of 2 numbers \
             (`b1` is declared with shape [2])"
        );
    }

    #[test]
    fn a_non_number_says_what_it_is() {
        let e = error(r#"{"b1": [1, "2"]}"#);
        assert_eq!(
            e,
            "p.json: `b1[2]` is a string (\"2\"), expected a number \
             (`b1` is declared with shape [2])"
        );
        let e = error(r#"{"c": null}"#);
        assert_eq!(
            e,
            "p.json: `c` is null, expected a number (`c` is declared with shape [])"
        );
        let e = error(r#"{"c": true}"#);
        assert!(e.contains("`c` is `true`, expected a number"), "{e}");
    }

    #[test]
    fn a_higher_rank_param_is_pointed_at_by_its_indices() {
        let shapes = vec![("t".to_string(), vec![2, 2, 2])];
        let text = r#"{"t": [[[1, 2], [3, 4]], [[5, 6], [7]]]}"#;
        let e = read_params(Path::new("p.json"), text, &shapes).unwrap_err();
        assert_eq!(
            e,
            "p.json: `t[2,2]` has 1 number, expected 2 (`t` is declared with shape [2, 2, 2])"
        );
        let text = r#"{"t": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]}"#;
        let values = read_params(Path::new("p.json"), text, &shapes).unwrap();
        assert_eq!(values[0].1, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    }

    #[test]
    fn written_params_read_back_exactly() {
        let awkward = [
            0.1,
            1.0 / 3.0,
            -2.0 / 7.0,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            -0.0,
            1e16,
            123456789.0,
        ];
        let values = vec![
            ("w1".to_string(), vec![2, 3], awkward[..6].to_vec()),
            ("b1".to_string(), vec![2], awkward[6..8].to_vec()),
            ("c".to_string(), vec![], vec![awkward[8]]),
        ];
        let text = write_params(&values);
        let back = read(&text).unwrap();
        for ((name, _, written), (read_name, read)) in values.iter().zip(&back) {
            assert_eq!(name, read_name);
            let bits = |xs: &[f64]| xs.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(written), bits(read), "{name}");
        }
        let t = vec![("t".to_string(), vec![2, 1, 2], vec![1.0, 2.0, 3.0, 4.0])];
        let shapes = vec![("t".to_string(), vec![2, 1, 2])];
        let back = read_params(Path::new("t.json"), &write_params(&t), &shapes).unwrap();
        assert_eq!(back[0].1, t[0].2);
    }

    #[test]
    fn written_params_are_one_row_per_line() {
        let text = write_params(&[
            ("w1".to_string(), vec![2, 2], vec![0.1, 0.2, 0.3, 0.4]),
            ("b1".to_string(), vec![2], vec![0.0, -1.5]),
            ("c".to_string(), vec![], vec![0.5]),
        ]);
        assert_eq!(
            text,
            "{\n  \"w1\": [\n    [0.1, 0.2],\n    [0.3, 0.4]\n  ],\n  \"b1\": [0.0, -1.5],\n  \
             \"c\": 0.5\n}\n"
        );
        assert_eq!(write_params(&[]), "{}\n");
        let t = write_params(&[("t".to_string(), vec![2, 1, 1], vec![1.0, 2.0])]);
        assert_eq!(
            t,
            "{\n  \"t\": [\n    [\n      [1.0]\n    ],\n    [\n      [2.0]\n    ]\n  ]\n}\n"
        );
    }

    #[test]
    fn a_non_finite_value_is_written_as_null_and_not_read_back() {
        let text = write_params(&[("c".to_string(), vec![], vec![f64::NAN])]);
        assert_eq!(text, "{\n  \"c\": null\n}\n");
        assert!(read(&text)
            .unwrap_err()
            .contains("`c` is null, expected a number"));
    }

    #[test]
    fn files_are_replaced_in_one_step() {
        let dir = std::env::temp_dir().join(format!("symdiff-params-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.json");
        write_params_atomically(&path, "{\"c\": 1}\n").unwrap();
        write_params_atomically(&path, "{\"c\": 2}\n").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"c\": 2}\n");
        // Nothing but the file is left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        // A directory that does not exist fails and leaves nothing.
        let missing = dir.join("missing").join("p.json");
        assert!(write_params_atomically(&missing, "{}").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
