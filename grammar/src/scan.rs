//! A quick lexical pass over the raw text, before and after pest.
//!
//! Before: pest and the Pratt parser recurse once per level of parentheses, per unary minus and
//! per `^` in a right-associative chain. [`check_depth`] finds the first place where that
//! nesting passes [`MAX_DEPTH`] and reports it, so 100,000 nested parentheses give a clear error
//! in linear time instead of a stack overflow.
//!
//! After: when pest reports a syntax error, [`context_at`] tells which brackets are still open
//! at that position and which network brace is unclosed, so the message can say where the `(`
//! was opened; [`blank_comments`] gives the text the failed parse is repeated on.
//!
//! The pass knows just enough of the language: comments (`#`, `//`), statement ends (newline
//! outside brackets, `;`, `{`, `}`), names, numbers (with their exponent sign) and
//! single-character operators, including those of slide notation (`·` `×` `−` `²` `³`).

use crate::diagnostic::Diagnostic;

/// How deeply an expression may nest: parentheses, calls and index brackets, plus unary minus
/// and `^` chains, which the parser also handles by recursion.
///
/// ```
/// use symdiff_grammar::{parse, MAX_DEPTH};
/// let deep = format!("y = {}x{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
/// let errors = parse("deep.sd", &deep).unwrap_err();
/// assert_eq!(errors.0[0].message, "expression nested more than 200 levels deep");
/// ```
pub const MAX_DEPTH: usize = 200;

/// The brackets open at a position, and the network whose `{` is unclosed there.
#[derive(Debug, Default)]
pub(crate) struct Context {
    /// Open `(` and `[`, innermost last: the bracket and its byte offset.
    pub open: Vec<(u8, usize)>,
    /// The unclosed network `{`: its offset and the network's name, if one precedes it.
    pub brace: Option<(usize, Option<String>)>,
    /// The last token before the position, skipping spaces and comments (a newline or `;`
    /// counts as a token).
    pub last: Option<std::ops::Range<usize>>,
}

/// A token class of the scan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A name, a number, `)` or `]`: something an operator may follow.
    Operand,
    /// Anything after which an operand is expected (an operator, `(`, `,`, `=`, a statement start).
    Other,
}

/// Walks the text token by token, tracking open brackets and nesting depth.
struct Scanner<'t> {
    /// The text, as bytes (most tokens are ASCII) and as a string (for the others).
    text: &'t [u8],
    source: &'t str,
    pos: usize,
    /// Open brackets, each with the operator-chain length of its enclosing level.
    open: Vec<(u8, usize, usize)>,
    /// The unary-minus / `^` chain length at the current level.
    chain: usize,
    /// Open brackets plus every level's chain length: the parser's recursion depth, roughly.
    depth: usize,
    last: Token,
    last_name: Option<(usize, usize)>,
    last_token: Option<(usize, usize)>,
    brace: Option<(usize, Option<(usize, usize)>)>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Scanner<'t> {
        Scanner {
            text: text.as_bytes(),
            source: text,
            pos: 0,
            open: Vec::new(),
            chain: 0,
            depth: 0,
            last: Token::Other,
            last_name: None,
            last_token: None,
            brace: None,
        }
    }

    fn end_statement(&mut self) {
        self.open.clear();
        self.chain = 0;
        self.depth = 0;
        self.last = Token::Other;
    }

    /// Consumes one token; returns its start when it deepened the nesting.
    fn step(&mut self) -> Option<usize> {
        let text = self.text;
        let start = self.pos;
        let c = text[start];
        self.pos += 1;
        let comment = c == b'#' || (c == b'/' && text.get(start + 1) == Some(&b'/'));
        // Inside brackets a line break is a space: the line continues.
        let continued = c == b'\n' && !self.open.is_empty();
        if !(comment || continued || matches!(c, b' ' | b'\t' | b'\r')) {
            self.last_token = Some((start, start + 1));
        }
        if c >= 0x80 {
            return self.non_ascii(start);
        }
        match c {
            b'#' => self.skip_line(),
            b'/' if text.get(start + 1) == Some(&b'/') => self.skip_line(),
            b'\n' if continued => {}
            b'\n' | b';' => self.end_statement(),
            b'{' => {
                self.brace = Some((start, self.last_name));
                self.end_statement();
            }
            b'}' => {
                self.brace = None;
                self.end_statement();
            }
            b' ' | b'\t' | b'\r' => {}
            b'(' | b'[' => return self.open_bracket(c, start),
            b')' | b']' => self.close_bracket(),
            b'^' => return self.deepen(start),
            b'-' if self.last == Token::Other => return self.deepen(start),
            b'+' | b'-' | b'*' | b'/' | b',' | b'=' => self.binary_operator(),
            b'0'..=b'9' => {
                self.skip_number();
                self.operand(start);
            }
            _ if c == b'_' || c.is_ascii_alphabetic() => self.name(start),
            _ => self.last = Token::Other,
        }
        None
    }

    /// A token starting with a non-ASCII character: one of the operators of slide notation, a
    /// name, a byte-order mark, or a character the language does not know.
    fn non_ascii(&mut self, start: usize) -> Option<usize> {
        let c = self.source[start..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        self.pos = start + c.len_utf8();
        self.last_token = Some((start, self.pos));
        match c {
            '·' | '×' => self.binary_operator(),
            '−' if self.last == Token::Other => return self.deepen(start),
            '−' => self.binary_operator(),
            // `x²` is `x^2`: the operand stays an operand.
            '²' | '³' => self.last = Token::Operand,
            BOM if start == 0 => self.last_token = None,
            _ if is_name_char(c) => self.name(start),
            _ => self.last = Token::Other,
        }
        None
    }

    /// A name from `start`.
    fn name(&mut self, start: usize) {
        self.skip_name();
        self.last_name = Some((start, self.pos));
        self.operand(start);
    }

    fn open_bracket(&mut self, bracket: u8, start: usize) -> Option<usize> {
        self.open.push((bracket, start, self.chain));
        self.chain = 0;
        self.depth += 1;
        self.last = Token::Other;
        Some(start)
    }

    fn close_bracket(&mut self) {
        if let Some((_, _, outer)) = self.open.pop() {
            self.depth -= 1 + self.chain;
            self.chain = outer;
        }
        self.last = Token::Operand;
    }

    /// An operator that ends the current unary-minus / `^` chain (or `,`, `=`).
    fn binary_operator(&mut self) {
        self.depth -= self.chain;
        self.chain = 0;
        self.last = Token::Other;
    }

    /// A name or number from `start` up to the current position.
    fn operand(&mut self, start: usize) {
        self.last_token = Some((start, self.pos));
        self.last = Token::Operand;
    }

    fn deepen(&mut self, start: usize) -> Option<usize> {
        self.chain += 1;
        self.depth += 1;
        self.last = Token::Other;
        Some(start)
    }

    fn skip_line(&mut self) {
        while self.pos < self.text.len() && self.text[self.pos] != b'\n' {
            self.pos += 1;
        }
    }

    fn skip_name(&mut self) {
        let rest = &self.source[self.pos..];
        let len = rest.find(|c| !is_name_char(c)).unwrap_or(rest.len());
        self.pos += len;
    }

    fn skip_number(&mut self) {
        let text = self.text;
        let digits = |pos: &mut usize| {
            while *pos < text.len() && text[*pos].is_ascii_digit() {
                *pos += 1;
            }
        };
        digits(&mut self.pos);
        if text.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            digits(&mut self.pos);
        }
        if matches!(text.get(self.pos), Some(b'e' | b'E')) {
            let mut p = self.pos + 1;
            if matches!(text.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            if text.get(p).is_some_and(u8::is_ascii_digit) {
                self.pos = p;
                digits(&mut self.pos);
            }
        }
    }
}

/// The byte-order mark, skipped at the start of a file.
const BOM: char = '\u{FEFF}';

/// Whether `c` may continue a name (the grammar's `name_char`): `_`, an ASCII letter or digit,
/// or a character that may continue a Rust identifier other than `·`, which multiplies.
pub(crate) fn is_name_char(c: char) -> bool {
    match c {
        '_' => true,
        '·' => false,
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ => unicode_ident::is_xid_continue(c),
    }
}

/// Reports the first place where an expression nests more than [`MAX_DEPTH`] levels deep.
pub(crate) fn check_depth(text: &str) -> Result<(), Diagnostic> {
    let mut scanner = Scanner::new(text);
    while scanner.pos < text.len() {
        if let Some(at) = scanner.step() {
            if scanner.depth > MAX_DEPTH {
                let len = text[at..].chars().next().map_or(1, char::len_utf8);
                return Err(Diagnostic::error(
                    at..at + len,
                    format!("expression nested more than {MAX_DEPTH} levels deep"),
                )
                .with_help("help: give inner parts names of their own (`t = ...`) to flatten it"));
            }
        }
    }
    Ok(())
}

/// The open brackets and the unclosed network brace at byte offset `pos`.
pub(crate) fn context_at(text: &str, pos: usize) -> Context {
    let mut scanner = Scanner::new(text);
    while scanner.pos < pos.min(text.len()) {
        scanner.step();
    }
    Context {
        open: scanner.open.iter().map(|&(c, at, _)| (c, at)).collect(),
        brace: scanner
            .brace
            .map(|(at, name)| (at, name.map(|(s, e)| text[s..e].to_string()))),
        last: scanner.last_token.map(|(s, e)| s..e),
    }
}

/// The text with every comment turned into spaces, byte for byte, so offsets stay the same.
///
/// The grammar reads a comment only where a line may end; a syntax error right at a comment
/// would then point at the `#` and miss what the line needed. Between tokens a comment reads
/// like spaces, so a failed parse is repeated on this text for its message: the error lands
/// where it would with the comment gone (`y = a + # note` still says "expected an expression
/// after `+`, found end of line").
pub(crate) fn blank_comments(text: &str) -> String {
    let mut blanked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['#', '/']) {
        let (before, from) = rest.split_at(at);
        blanked.push_str(before);
        if from.starts_with('#') || from.starts_with("//") {
            // A comment runs up to a newline (`\n`, `\r\n` or `\r`), as in the grammar.
            let len = from.find(['\n', '\r']).unwrap_or(from.len());
            blanked.extend(std::iter::repeat_n(' ', len));
            rest = &from[len..];
        } else {
            blanked.push('/');
            rest = &from[1..];
        }
    }
    blanked.push_str(rest);
    blanked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error_at(text: &str) -> Option<usize> {
        check_depth(text).err().map(|d| d.span.start)
    }

    #[test]
    fn parentheses_past_the_limit_are_reported_at_the_first_too_deep_one() {
        let text = format!("y = {}x{}", "(".repeat(300), ")".repeat(300));
        assert_eq!(depth_error_at(&text), Some(4 + MAX_DEPTH));
        let ok = format!("y = {}x{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(depth_error_at(&ok), None);
    }

    #[test]
    fn long_flat_chains_are_not_deep_but_power_and_minus_chains_are() {
        let sum = format!("y = a{}", " + a".repeat(10_000));
        assert_eq!(depth_error_at(&sum), None);
        let minus = format!("y = a{}", " - a".repeat(10_000));
        assert_eq!(depth_error_at(&minus), None);
        let pow = format!("y = a{}", "^a".repeat(MAX_DEPTH + 1));
        assert_eq!(depth_error_at(&pow), Some(5 + 2 * MAX_DEPTH));
        let negs = format!("y = {}a", "-".repeat(MAX_DEPTH + 1));
        assert_eq!(depth_error_at(&negs), Some(4 + MAX_DEPTH));
    }

    #[test]
    fn comments_are_blanked_byte_for_byte() {
        let text = "y = a/b # née\r\nz = 1 // c · d\n# whole line";
        let blanked = blank_comments(text);
        // `# née` is 6 bytes, `// c · d` 9, `# whole line` 12.
        let expected = format!(
            "y = a/b {}\r\nz = 1 {}\n{}",
            " ".repeat(6),
            " ".repeat(9),
            " ".repeat(12)
        );
        assert_eq!(blanked, expected);
        assert_eq!(blanked.len(), text.len());
    }

    #[test]
    fn depth_resets_at_statement_ends_and_ignores_comments() {
        let lines = "y = (((a)))\n".repeat(1000);
        assert_eq!(depth_error_at(&lines), None);
        let commented = format!("y = a # {}\n", "(".repeat(1000));
        assert_eq!(depth_error_at(&commented), None);
        let exponent = format!("y = {}", "1e-3 * ".repeat(1000) + "1");
        assert_eq!(depth_error_at(&exponent), None);
    }

    #[test]
    fn the_middle_dot_is_an_operator_not_part_of_a_name() {
        let text = "y = a·b·c {";
        let ctx = context_at(text, text.len());
        assert_eq!(ctx.brace.map(|(_, name)| name), Some(Some("c".to_string())));
        let chain = format!("y = a{}", "·-a".repeat(MAX_DEPTH + 1));
        assert_eq!(depth_error_at(&chain), None);
    }

    #[test]
    fn a_line_continues_while_a_bracket_is_open() {
        let text = "y = (a +\n  b\nz = 1";
        let ctx = context_at(text, text.find('z').unwrap());
        assert_eq!(ctx.open, vec![(b'(', 4)]);
        assert_eq!(ctx.last.map(|r| &text[r]), Some("b"));
        let closed = "y = (a +\n b)\nz";
        assert!(context_at(closed, closed.len()).open.is_empty());
        let deep = format!("y = {}", "(\n".repeat(MAX_DEPTH + 1));
        assert_eq!(depth_error_at(&deep), Some(4 + 2 * MAX_DEPTH));
    }

    #[test]
    fn slide_operators_and_letters_are_tokens() {
        let text = "y = σ × a² − −b {";
        let ctx = context_at(text, text.len());
        assert_eq!(ctx.brace.map(|(_, name)| name), Some(Some("b".to_string())));
        let negs = format!("y = {}a", "−".repeat(MAX_DEPTH + 1));
        assert!(depth_error_at(&negs).is_some());
        assert!(context_at("\u{FEFF}", 3).last.is_none());
    }

    #[test]
    fn context_knows_open_brackets_and_the_network_brace() {
        let text = "network tiny {\n  y = sin((a + b\n}";
        let ctx = context_at(text, text.find("\n}").unwrap());
        assert_eq!(ctx.open, vec![(b'(', 24), (b'(', 25)]);
        assert_eq!(ctx.brace, Some((13, Some("tiny".to_string()))));
        assert_eq!(ctx.last.map(|r| &text[r]), Some("b"));
        let commented = "y = ab # note\n";
        let last = context_at(commented, commented.len() - 1).last;
        assert_eq!(last.map(|r| &commented[r]), Some("ab"));
    }
}
