//! One diagnostic type for every stage (syntax, checks, lowering) and its rustc-style rendering.
//!
//! A [`Diagnostic`] holds an exact byte span into the source text, so the `network!` macro can
//! map it back to a token; [`Diagnostic::render`] turns it into the familiar
//!
//! ```text
//! error: unknown function `sigmoidd`
//!  --> tiny.sd:5:9
//!   |
//! 5 |     h = sigmoidd(s1)
//!   |         ^^^^^^^^
//!   = help: did you mean `sigmoid`?
//! ```
//!
//! Lines and columns are 1-based; a column counts characters, not bytes. A tab counts as one
//! column but is shown as four spaces, with the caret lined up under it; a `\r` is never shown.

use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;

/// How bad a diagnostic is.
///
/// ```
/// use symdiff_grammar::{Diagnostic, Severity};
/// assert_eq!(Diagnostic::warning(0..1, "w").severity, Severity::Warning);
/// assert_eq!(Severity::Error.to_string(), "error");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    /// The input is rejected.
    Error,
    /// The input is accepted, but probably not what was meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A message about one place in the source.
///
/// ```
/// use symdiff_grammar::{Diagnostic, Severity};
/// let text = "y = 1 +\n";
/// let d = Diagnostic::error(7..7, "expected an expression after `+`, found end of line");
/// assert_eq!(d.severity, Severity::Error);
/// assert_eq!(d.line_col(text), (1, 8));
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The offending text, as byte offsets into the source. An empty span points between two
    /// characters (a missing token).
    pub span: Range<usize>,
    /// What is wrong, in one line.
    pub message: String,
    /// Further lines, each shown after `= `: `help: did you mean ...`, `note: ...`,
    /// `expected ...`. Several lines are separated by `\n`.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    /// Adds one line of help (`help: ...`, `note: ...`) after any already there.
    ///
    /// ```
    /// use symdiff_grammar::Diagnostic;
    /// let d = Diagnostic::error(0..1, "oops").with_help("help: one").with_help("note: two");
    /// assert_eq!(d.help.as_deref(), Some("help: one\nnote: two"));
    /// ```
    pub fn with_help(mut self, line: impl Into<String>) -> Diagnostic {
        let line = line.into();
        self.help = Some(match self.help.take() {
            Some(help) => format!("{help}\n{line}"),
            None => line,
        });
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The 1-based line and character column where the span starts, as rendered. A span at the
    /// very end of the input points just past the last character that is not whitespace.
    ///
    /// ```
    /// use symdiff_grammar::Diagnostic;
    /// let text = "a = 1\r\n\tb = é + c\r\n";
    /// let c = text.find('c').unwrap();
    /// assert_eq!(Diagnostic::error(c..c + 1, "").line_col(text), (2, 10));
    /// let end = text.len();
    /// assert_eq!(Diagnostic::error(end..end, "").line_col(text), (2, 11));
    /// ```
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let place = Lines::new(text).locate(self.span.start);
        (place.line, place.column)
    }

    /// The diagnostic as rustc would print it, naming the source `origin` (a file name).
    /// Every line ends with `\n`.
    ///
    /// ```
    /// use symdiff_grammar::Diagnostic;
    /// let text = "network tiny {\n    h = sigmoidd(s1)\n}\n";
    /// let at = text.find("sigmoidd").unwrap();
    /// let d = Diagnostic::error(at..at + 8, "unknown function `sigmoidd`")
    ///     .with_help("help: did you mean `sigmoid`?");
    /// let expected = [
    ///     "error: unknown function `sigmoidd`",
    ///     " --> tiny.sd:2:9",
    ///     "  |",
    ///     "2 |     h = sigmoidd(s1)",
    ///     "  |         ^^^^^^^^",
    ///     "  = help: did you mean `sigmoid`?",
    /// ];
    /// assert_eq!(d.render("tiny.sd", text), expected.join("\n") + "\n");
    /// ```
    pub fn render(&self, origin: &str, text: &str) -> String {
        self.render_with(origin, text, &Lines::new(text))
    }

    fn render_with(&self, origin: &str, text: &str, lines: &Lines) -> String {
        let place = lines.locate(self.span.start);
        let end = self.span.end.clamp(place.offset, place.line_end);
        let (shown, pad_width, carets) = excerpt(
            &text[place.line_start..place.line_end],
            place.offset - place.line_start,
            end - place.line_start,
        );
        let number = place.line.to_string();
        let pad = " ".repeat(number.len());
        let mut out = Vec::new();
        out.push(format!("{}: {}", self.severity, self.message));
        out.push(format!("{pad}--> {origin}:{}:{}", place.line, place.column));
        out.push(format!("{pad} |"));
        out.push(format!("{number} | {shown}"));
        out.push(format!(
            "{pad} | {}{}",
            " ".repeat(pad_width),
            "^".repeat(carets)
        ));
        for line in self.help.iter().flat_map(|h| h.lines()) {
            out.push(format!("{pad} = {line}"));
        }
        let mut rendered = String::new();
        for line in out {
            rendered.push_str(line.trim_end());
            rendered.push('\n');
        }
        rendered
    }
}

impl fmt::Display for Diagnostic {
    /// `error: message` and the help lines, without the source excerpt (which needs the text:
    /// see [`Diagnostic::render`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity, self.message)?;
        for line in self.help.iter().flat_map(|h| h.lines()) {
            write!(f, "\n  = {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Several diagnostics, in source order: everything wrong with one input that could be found at
/// once.
///
/// ```
/// use symdiff_grammar::parse;
/// let text = "network n {\n  input x\n  y = sinn(x)\n  loss E = z\n}\n";
/// let errors = parse("n.sd", text).unwrap_err();
/// assert_eq!(errors.0.len(), 2);
/// assert!(errors.render("n.sd", text).contains("n.sd:4:12"));
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Every diagnostic rendered as by [`Diagnostic::render`], separated by blank lines.
    pub fn render(&self, origin: &str, text: &str) -> String {
        let lines = Lines::new(text);
        self.0
            .iter()
            .map(|d| d.render_with(origin, text, &lines))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The number of errors among them.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

/// `line:column` of a byte offset, for messages that mention another place ("opened at 3:7").
pub(crate) fn line_col_of(text: &str, offset: usize) -> String {
    Lines::new(text).line_col(offset)
}

/// Where a byte offset falls: its line, column and the bounds of the line to show.
struct Place {
    line: usize,
    column: usize,
    offset: usize,
    line_start: usize,
    line_end: usize,
}

/// The line starts of a text, to locate many offsets by binary search. They are found on the
/// first lookup: a file without a problem to report never needs them.
pub(crate) struct Lines<'t> {
    text: &'t str,
    starts: OnceCell<Vec<usize>>,
}

impl<'t> Lines<'t> {
    pub(crate) fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            starts: OnceCell::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// The text itself.
    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// `line:column` of a byte offset, for messages that mention another place.
    pub(crate) fn line_col(&self, offset: usize) -> String {
        let place = self.locate(offset);
        format!("{}:{}", place.line, place.column)
    }

    fn locate(&self, offset: usize) -> Place {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset == text.len() {
            // End of input: point just past the last character that is not whitespace.
            offset = text.trim_end().len();
        }
        let starts = self.starts();
        let index = starts.partition_point(|&s| s <= offset) - 1;
        // A byte-order mark at the start of the file is not a column, and is not shown.
        let bom = if index == 0 && text.starts_with('\u{FEFF}') {
            3
        } else {
            0
        };
        let line_start = starts[index] + bom;
        let offset = offset.max(line_start);
        let mut line_end = starts.get(index + 1).map_or(text.len(), |&next| next - 1);
        if text[line_start..line_end].ends_with('\r') {
            line_end -= 1;
        }
        let offset = offset.min(line_end);
        Place {
            line: index + 1,
            column: text[line_start..offset].chars().count() + 1,
            offset,
            line_start,
            line_end,
        }
    }
}

const TAB_WIDTH: usize = 4;

/// How many characters of a long line are shown around the caret.
const MAX_SHOWN: usize = 100;

/// The part of `line` to show, with tabs expanded and `...` where it is cut; the caret's
/// indent and the number of carets under the bytes `from..to` of the line.
fn excerpt(line: &str, from: usize, to: usize) -> (String, usize, usize) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let column = chars.partition_point(|&(i, _)| i < from);
    let column_end = chars.partition_point(|&(i, _)| i < to);
    let (mut start, mut end) = (0, chars.len());
    if chars.len() > MAX_SHOWN {
        start = column.saturating_sub(MAX_SHOWN / 2);
        end = (start + MAX_SHOWN).min(chars.len());
        start = end.saturating_sub(MAX_SHOWN);
    }
    let text_of = |a: usize, b: usize| -> String { chars[a..b].iter().map(|&(_, c)| c).collect() };
    let prefix = if start > 0 { "..." } else { "" };
    let suffix = if end < chars.len() { "..." } else { "" };
    let shown = format!("{prefix}{}{suffix}", expand_tabs(&text_of(start, end)));
    let pad = prefix.len() + display_width(&text_of(start, column));
    let carets = display_width(&text_of(column, column_end.min(end).max(column))).max(1);
    (shown, pad, carets)
}

fn expand_tabs(line: &str) -> String {
    line.replace('\t', &" ".repeat(TAB_WIDTH))
}

fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| if c == '\t' { TAB_WIDTH } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_are_expanded_and_the_caret_follows() {
        let text = "\tx = @\n";
        let d = Diagnostic::error(5..6, "bad");
        assert_eq!(d.line_col(text), (1, 6));
        assert_eq!(
            d.render("t.sd", text),
            "error: bad\n --> t.sd:1:6\n  |\n1 |     x = @\n  |         ^\n"
        );
    }

    #[test]
    fn carriage_returns_are_never_shown() {
        let text = "a = 1\r\nb = (\r\n";
        let d = Diagnostic::error(12..12, "expected an expression");
        assert_eq!(d.line_col(text), (2, 6));
        let rendered = d.render("c.sd", text);
        assert!(!rendered.contains('\r'));
        assert!(rendered.contains("2 | b = (\n  |      ^\n"));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{FEFF}y = @\n";
        let d = Diagnostic::error(7..8, "bad");
        assert_eq!(d.line_col(text), (1, 5));
        assert_eq!(
            d.render("b.sd", text),
            "error: bad\n --> b.sd:1:5\n  |\n1 | y = @\n  |     ^\n"
        );
    }

    #[test]
    fn end_of_input_points_past_the_last_character() {
        let text = "network n {\n  loss E = 1\n\n";
        let d = Diagnostic::error(text.len()..text.len(), "expected `}`");
        assert_eq!(d.line_col(text), (2, 13));
        assert_eq!(Diagnostic::error(0..0, "empty").line_col(""), (1, 1));
    }

    #[test]
    fn gutter_widens_with_the_line_number() {
        let text = "\n".repeat(11) + "x = 1 +";
        let d = Diagnostic::warning(text.len() - 1..text.len(), "w").with_help("note: n");
        assert_eq!(
            d.render("f", &text),
            "warning: w\n  --> f:12:7\n   |\n12 | x = 1 +\n   |       ^\n   = note: n\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let text = format!("y = {}x{}", "(".repeat(300), ")".repeat(300));
        let d = Diagnostic::error(204..205, "deep");
        let rendered = d.render("f", &text);
        let shown = rendered.lines().nth(3).unwrap();
        let caret = rendered.lines().nth(4).unwrap();
        assert_eq!(shown, format!("1 | ...{}...", "(".repeat(100)));
        assert_eq!(caret.find('^'), shown.find('(').map(|i| i + 50));
    }

    #[test]
    fn multi_line_spans_underline_to_the_end_of_the_first_line() {
        let text = "ab\ncd\n";
        let d = Diagnostic::error(1..5, "m");
        assert!(d.render("f", text).contains("1 | ab\n  |  ^\n"));
    }
}
