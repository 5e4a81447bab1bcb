//! The numbers and names the page's script reads, written as one JSON object into a
//! `<script type="application/json">` element: the vertices, each step's values and adjoints as
//! the text they are shown as, each variable's paths and the vertices on them, and the lines
//! whose numbers change with the step. The script computes nothing; it only shows these.

use std::fmt::Write;

/// A JSON value, just what the page needs.
pub(super) enum Json {
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Json>),
    Object(Vec<(&'static str, Json)>),
}

impl Json {
    /// A list of strings.
    pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Json {
        Json::List(
            items
                .into_iter()
                .map(|s| Json::Str(s.as_ref().to_string()))
                .collect(),
        )
    }

    /// The text of the value, safe to put inside a `<script>` element (`</` is written `<\/`).
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Str(s) => string(out, s),
            Json::Num(x) if x.is_finite() => {
                let _ = write!(out, "{x}");
            }
            Json::Num(_) => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string; `<`, `>` and `&` as `\u` escapes, so that no `</script>` can end the element
/// early and nothing reads as markup.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::Json;

    #[test]
    fn markup_cannot_end_the_script_element() {
        let mut out = String::new();
        Json::Object(vec![("m", Json::Str("<mi>x</mi>\"\u{1}".into()))]).write(&mut out);
        assert_eq!(out, r#"{"m":"\u003cmi\u003ex\u003c/mi\u003e\"\u0001"}"#);
    }
}
