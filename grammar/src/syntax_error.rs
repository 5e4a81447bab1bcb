//! Pest's syntax errors, translated into sentences.
//!
//! Pest reports the position where parsing got furthest and the literal tokens it would have
//! accepted there. [`expected`] sorts those tokens into what a reader thinks in ("an
//! expression", "an operator", "`)`", "a newline or `;`"), dropping the ones that only continue
//! the previous token (after `b` a letter could extend the name, a `(` could make it a call);
//! [`around`] reads the tokens on either side of the position. This file picks the most useful
//! reading for the message. A missing `)` names where its `(` was opened, a missing `}` names
//! the network; no rule name of the grammar ever reaches the user.

mod around;
mod expected;

use crate::diagnostic::{line_col_of, Diagnostic};
use crate::rules::Rule;
use crate::scan;
use around::{found, prev_keyword, prev_token, Prev};
use expected::Expected;
use std::ops::Range;

/// What a param's initial value may be, for the help line of a missing one.
const INITIAL_VALUES: &str = "help: a param's initial value is a number (`= -0.5`), a list \
                              (`= [0.1, 0.2]`), `uniform(low, high)`, `normal(mean, sd)`, \
                              `glorot` or `he`";

/// Translates a pest error on `text` into one diagnostic.
pub(crate) fn translate(text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let (pos, tokens, rules) = furthest(text, error);
    let (found, found_span) = found(text, pos);
    if let pest::error::ErrorVariant::CustomError { message } = &error.variant {
        // Pest's own backstops (stack or call limit); the depth scan should have caught it.
        return Diagnostic::error(found_span, format!("input too complex to parse: {message}"));
    }
    let prev = prev_token(text, pos);
    let context = scan::context_at(text, pos);
    let mut expected = Expected::new(&tokens, &rules, &prev);
    if !context.open.is_empty() {
        // Inside brackets a newline continues the line: it is never what was missing.
        expected.statement_end = false;
    }
    let at = ErrorAt {
        text,
        pos,
        expected,
        prev,
        context,
        found,
        found_span,
    };
    at.sentence().into_diagnostic(&at)
}

/// Where pest got furthest, with the literal tokens and the rules it expected there.
fn furthest(text: &str, error: &pest::error::Error<Rule>) -> (usize, Vec<String>, Vec<Rule>) {
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
    (pos, tokens, rules)
}

/// Everything known at the error position.
struct ErrorAt<'t> {
    text: &'t str,
    pos: usize,
    prev: Prev,
    expected: Expected,
    context: scan::Context,
    /// What stands at the position, in words (`` `foo` ``, `end of input`), and its span.
    found: String,
    found_span: Range<usize>,
}

/// A diagnostic's sentence and help lines, before `, found ...` and the list of alternatives
/// are added.
struct Sentence {
    message: String,
    help: Vec<String>,
    /// Whether an `expected A, B or C` line goes before the help lines.
    list_alternatives: bool,
    /// Whether the message ends with `, found ...`.
    says_found: bool,
    /// Where the diagnostic points, and what stands there, when not at the error position.
    at: Option<(String, Range<usize>)>,
}

impl Sentence {
    /// A message that the list of alternatives may follow.
    fn new(message: impl Into<String>) -> Sentence {
        Sentence {
            message: message.into(),
            help: Vec::new(),
            list_alternatives: true,
            says_found: true,
            at: None,
        }
    }

    /// A message precise enough that the list of alternatives would only add noise.
    fn alone(message: impl Into<String>) -> Sentence {
        Sentence {
            list_alternatives: false,
            ..Sentence::new(message)
        }
    }

    fn help(mut self, line: impl Into<String>) -> Sentence {
        self.help.push(line.into());
        self
    }

    fn into_diagnostic(mut self, at: &ErrorAt<'_>) -> Diagnostic {
        let words = at.expected.words();
        if self.list_alternatives && words.len() > 1 {
            self.help.insert(0, format!("expected {}", join_or(&words)));
        }
        let (found, span) = self
            .at
            .clone()
            .unwrap_or_else(|| (at.found.clone(), at.found_span.clone()));
        let message = match self.says_found {
            true => format!("{}, found {found}", self.message),
            false => self.message,
        };
        let mut diagnostic = Diagnostic::error(span, message);
        for line in self.help {
            diagnostic = diagnostic.with_help(line);
        }
        diagnostic
    }
}

impl ErrorAt<'_> {
    /// The first reading that fits, most specific first.
    fn sentence(&self) -> Sentence {
        let e = &self.expected;
        if self.at_end() && e.close_brace && self.context.brace.is_some() {
            self.unclosed_brace()
        } else if e.open_brace && !e.assign {
            Sentence::new("expected `{` after the network's name")
        } else if self.prev == Prev::StatementStart {
            self.statement_expected()
        } else if let Some(keyword) =
            prev_keyword(self.text, &self.prev).filter(|_| self.found != "`=`")
        {
            Sentence::alone(format!("expected a name after `{keyword}`"))
        } else if let Some(function) = self.function_without_parentheses() {
            self.call_expected(function)
        } else if self.statement_word() == "param" && self.prev == Prev::Char('=') {
            Sentence::alone("expected an initial value after `=`").help(INITIAL_VALUES)
        } else if e.expression || (e.name && e.number) {
            self.expression_expected()
        } else if e.name {
            Sentence::new("expected a name")
        } else if e.number && self.statement_word() == "dim" {
            Sentence::new("expected a number")
                .help("help: a size is a whole number, as in `dim J = 3`")
        } else if e.number {
            Sentence::new("expected a number")
                .help("help: a param's initial value is a number, as in `param w = -0.5`")
        } else if let Some(&(bracket, at)) = self
            .context
            .open
            .last()
            .filter(|_| e.close_paren || e.close_bracket)
        {
            self.unclosed_bracket(bracket, at)
        } else if self.found == "`)`" || self.found == "`]`" {
            Sentence {
                says_found: false,
                ..Sentence::alone(format!("unmatched {}", self.found))
            }
            .help("note: no bracket is open here")
        } else if e.assign && !e.statement_end {
            match &self.prev {
                Prev::Name { text, .. } => Sentence::new(format!("expected `=` after `{text}`")),
                _ => Sentence::new("expected `=`"),
            }
        } else if e.statement_end {
            self.statement_end_expected()
        } else if e.close_brace {
            Sentence::new("expected `}`")
        } else {
            Sentence::new("unexpected input")
        }
    }

    /// The first word of the statement the error is in (`param`, `dim`, a defined name ...).
    fn statement_word(&self) -> &str {
        let before = &self.text[..self.pos];
        let start = before.rfind(['\n', ';', '{']).map_or(0, |i| i + 1);
        let rest = self.text[start..].trim_start_matches([' ', '\t']);
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The input ends inside a network.
    fn unclosed_brace(&self) -> Sentence {
        let (at, name) = self.context.brace.clone().unwrap_or_default();
        let which = name.map_or("the network".into(), |n| format!("network `{n}`"));
        Sentence::alone(format!(
            "expected `}}` to close the `{{` of {which} opened at {}",
            line_col_of(self.text, at)
        ))
    }

    /// Something that cannot start a statement stands at the start of one.
    fn statement_expected(&self) -> Sentence {
        let mut sentence = Sentence::alone("expected a statement");
        let token = &self.text[self.found_span.clone()];
        if token.starts_with(|c: char| c.is_ascii_digit())
            && token.contains(|c: char| c.is_alphabetic() || c == '_')
        {
            sentence = sentence.help("note: a name cannot start with a digit");
        }
        sentence.help(
            "help: a statement is a definition `name = expression`, a declaration \
             (`input`, `target`, `param`), `output`, `loss` or a `network` block",
        )
    }

    fn expression_expected(&self) -> Sentence {
        let sentence = match &self.prev {
            Prev::Char(c @ ('+' | '-' | '*' | '/' | '^' | '·' | '=' | '(' | ',' | '[')) => {
                Sentence::new(format!("expected an expression after `{c}`"))
            }
            _ => Sentence::new("expected an expression"),
        };
        if self.found == "`*`" && self.prev == Prev::Char('*') {
            sentence.help("help: `**` is not an operator; write powers with `^`, as in `x^2`")
        } else {
            sentence
        }
    }

    /// A `(` or `[` opened at byte `at` is still open.
    fn unclosed_bracket(&self, bracket: u8, at: usize) -> Sentence {
        let (open, close) = if bracket == b'(' {
            ('(', ')')
        } else {
            ('[', ']')
        };
        let sentence = Sentence::new(format!(
            "expected `{close}` to close the `{open}` opened at {}",
            line_col_of(self.text, at)
        ));
        // Where the line broke before the error: the `)` was missing at the end of the line
        // before, since the next line could not continue the statement.
        let Some(last) = self.context.last.clone() else {
            return sentence;
        };
        let between = &self.text[last.end.min(self.pos)..self.pos];
        if !between.contains('\n') {
            return sentence;
        }
        let sentence = Sentence {
            at: Some(("end of line".into(), last.end..last.end)),
            ..sentence
        };
        if self.at_end() {
            return sentence;
        }
        let line = self.text[..self.pos].matches('\n').count() + 1;
        sentence.help(format!(
            "note: a line continues while a `{open}` is open, but line {line} does not continue \
             this one"
        ))
    }

    /// The name of a function written before an operand without parentheses (`sin x`).
    fn function_without_parentheses(&self) -> Option<&str> {
        let Prev::Name { text, .. } = &self.prev else {
            return None;
        };
        let rest = &self.text[self.pos..];
        let operand = rest.starts_with(|c: char| scan::is_name_char(c));
        (operand && symdiff_core::Function::from_name(text).is_some()).then_some(text.as_str())
    }

    /// `sin x`: a function's argument goes in parentheses.
    fn call_expected(&self, function: &str) -> Sentence {
        let argument = &self.text[self.found_span.clone()];
        Sentence::alone(format!("expected `(` after the function `{function}`")).help(format!(
            "help: a function's argument goes in parentheses: `{function}({argument})`"
        ))
    }

    /// The statement is complete, yet more follows on its line.
    fn statement_end_expected(&self) -> Sentence {
        let rest = &self.text[self.pos..];
        let mut sentence = Sentence::new("expected a newline or `;` after the statement");
        if matches!(
            self.prev,
            Prev::Name { .. } | Prev::Number { .. } | Prev::Char(')')
        ) && self.expected.operator
            && !self.at_end()
            && rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '(')
        {
            sentence = sentence.help("help: is an operator missing? write `a * b` for a product");
        }
        let found_is_name = rest.starts_with(|c: char| c.is_alphabetic() || c == '_');
        if self.expected.comma && matches!(self.prev, Prev::Name { .. }) && found_is_name {
            sentence = sentence.help("help: is a `,` missing? separate declared names with commas");
        }
        sentence
    }
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
    fn lists_read_as_english() {
        assert_eq!(join_or(&["a"]), "a");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }
}
