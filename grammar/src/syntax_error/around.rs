//! The text around a syntax error: the token before its position ([`Prev`]) and what stands at
//! it ([`found`]), each read from the raw text in whole tokens.

use crate::scan;
use std::ops::Range;

/// The token before the error position.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(super) enum Prev {
    /// Nothing but a statement end (or the start of input) precedes.
    StatementStart,
    /// A name starting at byte `start`; `adjacent` when no space separates it from the error
    /// position.
    Name {
        text: String,
        start: usize,
        adjacent: bool,
    },
    /// A number literal.
    Number { adjacent: bool },
    /// Any other character: an operator, `=`, `(`, `,`, `)` ...
    Char(char),
}

/// The token just before `pos`, skipping spaces and comments.
pub(super) fn prev_token(text: &str, pos: usize) -> Prev {
    let Some(last) = scan::context_at(text, pos).last else {
        return Prev::StatementStart;
    };
    let adjacent = last.end == pos;
    let word = &text[last.clone()];
    match word.chars().next() {
        None | Some('\n' | ';' | '{' | '}') => Prev::StatementStart,
        Some(c) if c.is_ascii_digit() => Prev::Number { adjacent },
        Some(c) if is_name_char(c) => Prev::Name {
            text: word.to_string(),
            start: last.start,
            adjacent,
        },
        Some(c) => Prev::Char(c),
    }
}

/// The keyword that starts the statement, when the error is right after it (where a name
/// should be).
pub(super) fn prev_keyword<'p>(text: &str, prev: &'p Prev) -> Option<&'p str> {
    match prev {
        Prev::Name {
            text: word, start, ..
        } if crate::check::tokens::KEYWORDS.contains(&word.as_str())
            && prev_token(text, *start) == Prev::StatementStart =>
        {
            Some(word)
        }
        _ => None,
    }
}

fn is_name_char(c: char) -> bool {
    scan::is_name_char(c)
}

/// What stands at `pos`, in words, and its span.
pub(super) fn found(text: &str, pos: usize) -> (String, Range<usize>) {
    let rest = &text[pos..];
    let Some(c) = rest.chars().next() else {
        return ("end of input".into(), pos..pos);
    };
    if c == '\n' || c == '\r' {
        return ("end of line".into(), pos..pos);
    }
    let len = if c.is_ascii_digit() {
        number_len(rest)
    } else if is_name_char(c) {
        rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len())
    } else {
        c.len_utf8()
    };
    (format!("`{}`", &rest[..len]), pos..pos + len)
}

/// The length of the number (and any letters glued to it, as in `2w`) at the start of `rest`.
fn number_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = digits(0);
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        if bytes.get(i + 1 + sign).is_some_and(u8::is_ascii_digit) {
            i = digits(i + 1 + sign);
        }
    }
    i + rest[i..]
        .find(|c: char| !is_name_char(c))
        .unwrap_or(rest.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_token_is_classified() {
        assert_eq!(prev_token("y = ", 4), Prev::Char('='));
        assert_eq!(prev_token("\n  ", 3), Prev::StatementStart);
        assert_eq!(
            prev_token("y = ab ", 7),
            Prev::Name {
                text: "ab".into(),
                start: 4,
                adjacent: false
            }
        );
        assert_eq!(prev_token("y = 2.5", 7), Prev::Number { adjacent: true });
    }

    #[test]
    fn found_names_whole_tokens() {
        assert_eq!(found("y = foo + 1", 4), ("`foo`".into(), 4..7));
        assert_eq!(found("y = 1.5e3", 4), ("`1.5e3`".into(), 4..9));
        assert_eq!(found("1e-32network", 0), ("`1e-32network`".into(), 0..12));
        assert_eq!(found("2w = 1", 0), ("`2w`".into(), 0..2));
        assert_eq!(found("2.x", 0), ("`2`".into(), 0..1));
        assert_eq!(found("y\r\n", 1), ("end of line".into(), 1..1));
        assert_eq!(found("y", 1), ("end of input".into(), 1..1));
    }
}
