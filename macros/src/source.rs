//! Tokens back to `.sd` text, with a map from byte ranges of that text to the tokens' spans.
//!
//! Rust's lexer has already dropped comments and whitespace, so the text is rebuilt from each
//! token's line and column (`Span::start()`, stable since Rust 1.88): a change of line becomes a
//! newline, which is how the language ends a statement (a `;` is kept as written), and tokens
//! sit at their own columns, so a line:column in a message is the one in the Rust file. A
//! grammar diagnostic's byte range then maps back to the token it covers.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::ops::Range;

/// The rebuilt text and where each token landed in it.
#[derive(Debug, Default)]
pub struct SourceText {
    /// The `.sd` text the grammar parses.
    pub text: String,
    /// Each token's byte range in `text`, its text and its span, in order.
    tokens: Vec<(Range<usize>, String, Span)>,
    /// Where the previous token ended (line, column).
    line: Option<(usize, usize)>,
}

impl SourceText {
    /// Rebuilds the text of a token stream.
    pub fn new(tokens: TokenStream) -> SourceText {
        let mut source = SourceText::default();
        source.push_stream(tokens);
        source
    }

    fn push_stream(&mut self, tokens: TokenStream) {
        for tree in tokens {
            match tree {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("", ""),
                    };
                    self.push(open, g.span_open());
                    self.push_stream(g.stream());
                    self.push(close, g.span_close());
                }
                TokenTree::Ident(ident) => {
                    // `r#type` in Rust is the name `type` in the language.
                    let text = ident.to_string();
                    let name = text.strip_prefix("r#").unwrap_or(&text);
                    self.push(name, ident.span());
                }
                other => {
                    let text = other.to_string();
                    self.push(&text, other.span());
                }
            }
        }
    }

    fn push(&mut self, text: &str, span: Span) {
        if text.is_empty() {
            return;
        }
        let (start, end) = (span.start(), span.end());
        match self.line {
            // Pad to the token's own line and column, so that a position the grammar quotes
            // (`defined at 7:9`) is the position in the Rust source file.
            None => {
                self.text
                    .extend(std::iter::repeat_n('\n', start.line.saturating_sub(1)));
                self.text.extend(std::iter::repeat_n(' ', start.column));
            }
            Some((line, _)) if start.line > line => {
                self.text
                    .extend(std::iter::repeat_n('\n', start.line - line));
                self.text.extend(std::iter::repeat_n(' ', start.column));
            }
            Some((line, column)) if start.line == line && start.column >= column => {
                self.text
                    .extend(std::iter::repeat_n(' ', start.column - column));
            }
            // Spans out of order (tokens from another macro): a space.
            Some(_) => self.text.push(' '),
        }
        self.line = Some((end.line, end.column));
        let at = self.text.len();
        self.text.push_str(text);
        self.tokens
            .push((at..self.text.len(), text.to_string(), span));
    }

    /// The span of the token a byte range of the text starts in; for a range that starts
    /// between tokens (an end of line, the end of the text), the token before it; the call
    /// site when there is none.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let at = range.start;
        let hit = self
            .tokens
            .iter()
            .find(|(r, _, _)| r.start <= at && at < r.end)
            .or_else(|| self.tokens.iter().rev().find(|(r, _, _)| r.end <= at))
            .or_else(|| self.tokens.first());
        hit.map_or_else(Span::call_site, |(_, _, span)| *span)
    }

    /// The span of `NAME` in `network NAME`.
    pub fn network_span(&self, name: &str) -> Option<Span> {
        self.tokens
            .windows(2)
            .find(|w| w[0].1 == "network" && w[1].1 == name)
            .map(|w| w[1].2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_statements_and_ranges_map_back() {
        let tokens: TokenStream = "network tiny {\n input x\n y = x*(2) }".parse().unwrap();
        let source = SourceText::new(tokens);
        assert_eq!(source.text, "network tiny {\n input x\n y = x*(2) }");
        let star = source.text.find('*').unwrap();
        let span = source.span_of(star..star + 1);
        assert_eq!((span.start().line, span.start().column), (3, 6));
    }
}
