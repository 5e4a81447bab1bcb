//! Writing Rust source text: doc attributes with their escapes, and strings appended without
//! the formatting machinery.

use std::fmt;

/// `#[doc = " line"]`, the line escaped as a string literal.
pub(super) fn write_doc(out: &mut String, line: impl fmt::Display) {
    write_doc_parts(out, &[&line.to_string()]);
}

/// [`write_doc`] of the parts' concatenation, without building it (once per field of large
/// networks).
pub(super) fn write_doc_parts(out: &mut String, parts: &[&str]) {
    out.push_str("#[doc = \" ");
    // Printable ASCII other than `"` and `\` needs no escape (the common case: names).
    let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
    // Whether a non-ASCII character is printed as it is (`escape_debug` looks it up in Unicode
    // tables; formulas repeat a handful of them, `∂` and `·` above all).
    let mut known: Vec<(char, bool)> = Vec::new();
    for part in parts {
        if part.bytes().all(plain) {
            out.push_str(part);
            continue;
        }
        for ch in part.chars() {
            match ch {
                '\'' => out.push(ch),
                '\0' => out.push_str("\\x00"),
                _ if ch.is_ascii() && plain(ch as u8) => out.push(ch),
                _ if ch.is_ascii() => out.extend(ch.escape_debug()),
                _ => {
                    let raw = match known.iter().find(|&&(c, _)| c == ch) {
                        Some(&(_, raw)) => raw,
                        None => {
                            let raw = ch.escape_debug().len() == 1;
                            known.push((ch, raw));
                            raw
                        }
                    };
                    if raw {
                        out.push(ch);
                    } else {
                        out.extend(ch.escape_debug());
                    }
                }
            }
        }
    }
    out.push_str("\"]\n");
}

/// Appends the parts in order: what `write!` does with plain strings, without its formatting
/// machinery (which costs more than the copying, once per field and statement).
pub(super) fn push_all(out: &mut String, parts: &[&str]) {
    for part in parts {
        out.push_str(part);
    }
}
