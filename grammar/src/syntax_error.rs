//! Pest's syntax errors, translated into sentences.
//!
//! Pest reports the position where parsing got furthest and the literal tokens it would have
//! accepted there. This file sorts those tokens into what a reader thinks in ("an expression",
//! "an operator", "`)`", "a newline or `;`"), drops the ones that only continue the previous
//! token (after `b` a letter could extend the name, a `(` could make it a call), and picks the
//! most useful one for the message. A missing `)` names where its `(` was opened, a missing `}`
//! names the network; no rule name of the grammar ever reaches the user.

use crate::diagnostic::{line_col_of, Diagnostic};
use crate::rules::Rule;
use crate::scan;
use std::ops::Range;

/// What the parser would have accepted at the error position, in words.
#[derive(Default, Debug)]
struct Expected {
    expression: bool,
    name: bool,
    number: bool,
    operator: bool,
    comma: bool,
    assign: bool,
    close_paren: bool,
    close_bracket: bool,
    open_brace: bool,
    close_brace: bool,
    statement_end: bool,
}

impl Expected {
    /// Every alternative, in a fixed order, for the `expected ...` help line.
    fn words(&self) -> Vec<&'static str> {
        let all = [
            (self.expression, "an expression"),
            (self.name && !self.expression, "a name"),
            (self.number && !self.expression, "a number"),
            (self.operator && !self.expression, "an operator"),
            (self.comma, "`,`"),
            (self.assign, "`=`"),
            (self.close_paren, "`)`"),
            (self.close_bracket, "`]`"),
            (self.open_brace, "`{`"),
            (self.close_brace, "`}`"),
            (self.statement_end, "a newline"),
            (self.statement_end, "`;`"),
        ];
        all.into_iter()
            .filter(|&(on, _)| on)
            .map(|(_, w)| w)
            .collect()
    }
}

/// The token before the error position.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Prev {
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

/// Translates a pest error on `text` into one diagnostic.
pub(crate) fn translate(text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let attempts = error.parse_attempts();
    let location = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    // Pest's own position counts rules only; the detailed attempts also count literal tokens
    // and so usually get further. Inside atomic rules nothing is recorded, so sometimes the
    // rules get further: then the expected rules are all there is to go by.
    let (pos, tokens): (usize, Vec<String>) = match &attempts {
        Some(a) if !a.expected_tokens().is_empty() && a.max_position >= location => (
            a.max_position,
            a.expected_tokens().iter().map(|t| t.to_string()).collect(),
        ),
        _ => (location, Vec::new()),
    };
    let pos = pos.min(text.len());
    let rules = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } if pos == location => {
            positives.clone()
        }
        _ => Vec::new(),
    };
    let (found, found_span) = found(text, pos);
    if let pest::error::ErrorVariant::CustomError { message } = &error.variant {
        // Pest's own backstops (stack or call limit); the depth scan should have caught it.
        return Diagnostic::error(found_span, format!("input too complex to parse: {message}"));
    }
    let prev = prev_token(text, pos);
    let mut expected = classify(&tokens, &prev);
    classify_rules(&rules, &mut expected);
    let context = scan::context_at(text, pos);
    let at_end = pos >= text.len();
    let found_is_name = text[pos..].starts_with(|c: char| c.is_alphabetic() || c == '_');

    let mut help = Vec::new();
    let mut list_alternatives = true;
    let message = if at_end && expected.close_brace && context.brace.is_some() {
        list_alternatives = false;
        let (at, name) = context.brace.clone().unwrap_or_default();
        let which = name.map_or("the network".into(), |n| format!("network `{n}`"));
        format!(
            "expected `}}` to close the `{{` of {which} opened at {}",
            line_col_of(text, at)
        )
    } else if expected.open_brace && !expected.assign {
        "expected `{` after the network's name".to_string()
    } else if prev == Prev::StatementStart {
        list_alternatives = false;
        let token = &text[found_span.clone()];
        if token.starts_with(|c: char| c.is_ascii_digit())
            && token.contains(|c: char| c.is_alphabetic() || c == '_')
        {
            help.push("note: a name cannot start with a digit".into());
        }
        help.push(
            "help: a statement is a definition `name = expression`, a declaration \
             (`input`, `target`, `param`), `output`, `loss` or a `network` block"
                .into(),
        );
        "expected a statement".to_string()
    } else if let Some(keyword) = prev_keyword(text, &prev).filter(|_| found != "`=`") {
        list_alternatives = false;
        format!("expected a name after `{keyword}`")
    } else if expected.expression || (expected.name && expected.number) {
        if found == "`*`" && prev == Prev::Char('*') {
            help.push("help: `**` is not an operator; write powers with `^`, as in `x^2`".into());
        }
        match &prev {
            Prev::Char(c @ ('+' | '-' | '*' | '/' | '^' | '·' | '=' | '(' | ',' | '[')) => {
                format!("expected an expression after `{c}`")
            }
            _ => "expected an expression".to_string(),
        }
    } else if expected.name {
        "expected a name".to_string()
    } else if expected.number {
        help.push("help: a param's initial value is a number, as in `param w = -0.5`".into());
        "expected a number".to_string()
    } else if let Some(&(bracket, at)) = context
        .open
        .last()
        .filter(|_| expected.close_paren || expected.close_bracket)
    {
        let (open, close) = if bracket == b'(' {
            ('(', ')')
        } else {
            ('[', ']')
        };
        format!(
            "expected `{close}` to close the `{open}` opened at {}",
            line_col_of(text, at)
        )
    } else if found == "`)`" || found == "`]`" {
        return Diagnostic::error(found_span, format!("unmatched {found}"))
            .with_help("note: no bracket is open here");
    } else if expected.assign && !expected.statement_end {
        match &prev {
            Prev::Name { text, .. } => format!("expected `=` after `{text}`"),
            _ => "expected `=`".to_string(),
        }
    } else if expected.statement_end {
        if matches!(
            prev,
            Prev::Name { .. } | Prev::Number { .. } | Prev::Char(')')
        ) && expected.operator
            && !at_end
            && text[pos..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '(')
        {
            help.push("help: is an operator missing? write `a * b` for a product".into());
        }
        if expected.comma && matches!(prev, Prev::Name { .. }) && found_is_name {
            help.push("help: is a `,` missing? separate declared names with commas".into());
        }
        "expected a newline or `;` after the statement".to_string()
    } else if expected.close_brace {
        "expected `}`".to_string()
    } else {
        "unexpected input".to_string()
    };

    let words = expected.words();
    if list_alternatives && words.len() > 1 {
        help.insert(0, format!("expected {}", join_or(&words)));
    }
    let mut diagnostic = Diagnostic::error(found_span, format!("{message}, found {found}"));
    for line in help {
        diagnostic = diagnostic.with_help(line);
    }
    diagnostic
}

/// Sorts pest's expected tokens into the words of [`Expected`].
fn classify(tokens: &[String], prev: &Prev) -> Expected {
    let after_name = matches!(prev, Prev::Name { .. });
    let touching = matches!(
        prev,
        Prev::Name { adjacent: true, .. } | Prev::Number { adjacent: true }
    );
    let mut e = Expected::default();
    for token in tokens {
        match token.as_str() {
            // Whitespace and comments may appear anywhere; `[` starts the hidden index suffix.
            " " | "\t" | "#" | "//" | "[" => {}
            // After a name, `(` would make it a call: not a new expression.
            "(" => e.expression |= !after_name,
            "a..z" | "A..Z" | "_" | "BUILTIN_RULE" => e.name |= !touching,
            "0..9" => e.number |= !touching,
            // A number's fraction or exponent.
            "." | "E" | "e" => {}
            "+" | "-" | "*" | "/" | "^" | "·" => e.operator = true,
            ")" => e.close_paren = true,
            "]" => e.close_bracket = true,
            "," => e.comma = true,
            "=" => e.assign = true,
            "{" => e.open_brace = true,
            "}" => e.close_brace = true,
            "\n" | "\r\n" | "\r" | ";" => e.statement_end = true,
            // Keywords: covered by `name`.
            _ => {}
        }
    }
    if e.number && !e.expression && !e.name {
        // `+`/`-` before a param's initial value are its sign, not operators.
        e.operator = false;
    }
    e
}

/// Adds what pest's expected rules say to the words of [`Expected`].
fn classify_rules(rules: &[Rule], e: &mut Expected) {
    for rule in rules {
        match rule {
            Rule::expr | Rule::neg | Rule::paren | Rule::call | Rule::reference => {
                e.expression = true
            }
            Rule::add | Rule::sub | Rule::mul | Rule::div | Rule::pow => e.operator = true,
            Rule::init | Rule::sign | Rule::number => e.number = true,
            Rule::name
            | Rule::declared
            | Rule::param_item
            | Rule::network
            | Rule::input_decl
            | Rule::target_decl
            | Rule::param_decl
            | Rule::output_stmt
            | Rule::loss_stmt
            | Rule::definition
            | Rule::kw_network
            | Rule::kw_input
            | Rule::kw_target
            | Rule::kw_param
            | Rule::kw_output
            | Rule::kw_loss => e.name = true,
            Rule::EOI => e.statement_end = true,
            Rule::file
            | Rule::index
            | Rule::WHITESPACE
            | Rule::comment
            | Rule::eol
            | Rule::sep
            | Rule::item
            | Rule::statement
            | Rule::infix
            | Rule::prefix
            | Rule::primary
            | Rule::name_start
            | Rule::name_char
            | Rule::non_ascii_name_char => {}
        }
    }
}

/// The token just before `pos`, skipping spaces and comments.
fn prev_token(text: &str, pos: usize) -> Prev {
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
fn prev_keyword<'p>(text: &str, prev: &'p Prev) -> Option<&'p str> {
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
    c.is_alphanumeric() || c == '_'
}

/// What stands at `pos`, in words, and its span.
fn found(text: &str, pos: usize) -> (String, Range<usize>) {
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

fn join_or(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
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

    #[test]
    fn lists_read_as_english() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }
}
