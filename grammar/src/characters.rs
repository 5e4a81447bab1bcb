//! Characters the language does not know, found before parsing.
//!
//! Outside comments a file holds ASCII, the letters and digits of names in any script (`σ`,
//! `η`, `α1`), and the operators of slide notation (`·`, `×`, `−`, `²`, `³`); a byte-order mark
//! may stand at its very start. Any other character (a no-break space pasted from a slide,
//! `÷`, a prime `′`, a superscript `⁴`, an invisible joiner) is an error at that character,
//! with a hint where one helps. Each distinct character is reported once, at its first
//! occurrence, and its note says where else it stands: a symbol pasted twenty times gives one
//! diagnostic, not twenty.
//!
//! ASCII characters the language does not use (`$`, `?`) are left to the parser, whose message
//! says what was expected there.

use crate::diagnostic::{Diagnostic, Diagnostics, Lines};
use crate::scan::is_name_char;

/// How many distinct characters are reported; the rest are counted in a note.
const MAX_REPORTED: usize = 10;

/// How many further places of one character its note lists.
const MAX_PLACES: usize = 3;

/// One character the language does not know, and where it stands.
struct Unknown {
    c: char,
    first: usize,
    /// Further places, up to [`MAX_PLACES`].
    more: Vec<usize>,
    /// How many further places there are in all.
    count: usize,
}

/// Every character outside comments that the language does not know, one diagnostic per
/// distinct character, in order of first occurrence.
pub(crate) fn check(text: &str) -> Result<(), Diagnostics> {
    if text.is_ascii() {
        return Ok(());
    }
    let mut found: Vec<Unknown> = Vec::new();
    let mut unreported = 0usize;
    let mut in_comment = false;
    let mut prev = '\n';
    for (at, c) in text.char_indices() {
        match c {
            '\n' => in_comment = false,
            '#' => in_comment = true,
            '/' if prev == '/' => in_comment = true,
            _ if in_comment || known(c, at) => {}
            _ => match found.iter().position(|u| u.c == c) {
                Some(k) => {
                    let u = &mut found[k];
                    if u.more.len() < MAX_PLACES {
                        u.more.push(at);
                    }
                    u.count += 1;
                }
                None if found.len() < MAX_REPORTED => found.push(Unknown {
                    c,
                    first: at,
                    more: Vec::new(),
                    count: 0,
                }),
                None => unreported += 1,
            },
        }
        prev = c;
    }
    if found.is_empty() {
        return Ok(());
    }
    let lines = Lines::new(text);
    let mut diagnostics: Vec<Diagnostic> =
        found.iter().map(|u| diagnostic(u, &lines, text)).collect();
    if unreported > 0 {
        if let Some(last) = diagnostics.pop() {
            diagnostics.push(last.with_help(format!(
                "note: {unreported} more occurrences of other such characters are not shown"
            )));
        }
    }
    Err(Diagnostics(diagnostics))
}

/// Whether the language knows `c` (outside comments) at byte offset `at`.
fn known(c: char, at: usize) -> bool {
    match c {
        // Invisible, though Unicode lets them continue an identifier.
        '\u{200C}' | '\u{200D}' => false,
        '\u{FEFF}' => at == 0,
        '·' | '×' | '−' | '²' | '³' => true,
        _ => c.is_ascii() || is_name_char(c),
    }
}

/// Whether `c` shows nothing when printed between backticks.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

fn diagnostic(u: &Unknown, lines: &Lines, text: &str) -> Diagnostic {
    let c = u.c;
    let code = format!("U+{:04X}", u32::from(c));
    let message = match invisible(c) {
        true => format!("unexpected character {code}"),
        false => format!("unexpected character `{c}` ({code})"),
    };
    let mut d = Diagnostic::error(u.first..u.first + c.len_utf8(), message);
    let before = &text[..u.first];
    let name = &before[before.rfind(|c: char| !is_name_char(c)).map_or(0, |at| {
        at + before[at..].chars().next().map_or(1, char::len_utf8)
    })..];
    if let Some(hint) = hint(c, name) {
        d = d.with_help(hint);
    }
    d = d.with_help(
        "note: outside comments a file holds ASCII, letters and digits in names (`σ`, `α1`), \
         and the operators `·` `×` `−` `²` `³`",
    );
    if u.count > 0 {
        let shown = match invisible(c) {
            true => code,
            false => format!("`{c}`"),
        };
        let places: Vec<String> = u.more.iter().map(|&at| lines.line_col(at)).collect();
        let rest = u.count - u.more.len();
        let places = match rest {
            0 => join_and(&places),
            _ => format!("{} and {rest} more places", places.join(", ")),
        };
        d = d.with_help(format!("note: {shown} also stands at {places}"));
    }
    d
}

/// What to write instead of `c`, for the characters slides and word processors produce; `name`
/// is the name right before it, if any.
fn hint(c: char, name: &str) -> Option<String> {
    let superscript = "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c);
    let hint = match c {
        _ if c.is_whitespace() => {
            "help: this is a special space (often pasted from slides): type a plain space".into()
        }
        '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' => {
            "help: this is an invisible character: delete it".into()
        }
        _ if superscript.is_some() => format!(
            "help: write powers with `^`: `^{}` for `{c}` (only `²` and `³` are read as powers)",
            superscript.unwrap_or(0)
        ),
        '⁻' | '⁺' | '⁽' | '⁾' => {
            "help: write powers with `^`, as in `x^-1` (only `²` and `³` are read as powers)".into()
        }
        '÷' | '∕' | '⁄' => "help: write `/` for a quotient".into(),
        '⋅' | '∙' | '•' | '∗' => {
            "help: write `*` for a product (`·` and `×` also work)".into()
        }
        '–' | '—' | '‐' | '‑' | '‒' | '－' | '﹣' => {
            "help: write `-` for a minus (`−` also works)".into()
        }
        '′' | '″' | '‴' | '’' | '‘' => {
            let name = if name.is_empty() { "y" } else { name };
            format!("help: a name cannot hold a prime: write `{name}_prime` or `d{name}`, say")
        }
        '√' => "help: write `sqrt(x)` for a square root".into(),
        '∂' => "help: symdiff derives for you: define the function, then ask \
                `symdiff grad FILE --of E --wrt w`"
            .into(),
        _ => return None,
    };
    Some(hint)
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        check(text)
            .err()
            .map(|d| d.0.into_iter().map(|d| d.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn slide_notation_and_letters_are_known() {
        assert!(check("\u{FEFF}y = −σ × x² + η·α1³ # ÷ in a comment\n").is_ok());
        assert!(check("y = a // ′ too\n").is_ok());
    }

    #[test]
    fn each_distinct_character_is_reported_once_with_its_places() {
        let got = messages("f′ = 1\ny = f′ + f′\nz = a ÷ b\n");
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("error: unexpected character `′` (U+2032)"));
        assert!(
            got[0].contains("note: `′` also stands at 2:6 and 2:11"),
            "{got:?}"
        );
        assert!(got[1].contains("write `/`"));
    }

    #[test]
    fn invisible_characters_are_named_by_code_point() {
        let got = messages("y = a\u{A0}+ b\u{200D}\n");
        assert!(
            got[0].starts_with("error: unexpected character U+00A0\n"),
            "{got:?}"
        );
        assert!(got[1].contains("invisible"), "{got:?}");
        let bom_later = messages("y = 1\n\u{FEFF}z = 2\n");
        assert_eq!(bom_later.len(), 1);
    }

    #[test]
    fn the_report_is_bounded() {
        let text: String = ('\u{2190}'..'\u{21FF}').collect();
        let got = messages(&text);
        assert_eq!(got.len(), MAX_REPORTED);
        assert!(got[MAX_REPORTED - 1].contains("more occurrences"));
    }
}
