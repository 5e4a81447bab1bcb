//! The grammar never panics: thousands of random token soups either parse or produce
//! diagnostics whose spans are valid byte ranges of the input, and render.

use symdiff_grammar::parse;

const FRAGMENTS: &[&str] = &[
    "y",
    "x",
    "w1",
    "E",
    " = ",
    "=",
    "(",
    ")",
    "[",
    "]",
    "+",
    "-",
    "*",
    "/",
    "^",
    "·",
    ",",
    " ",
    "sin(",
    "sigmoid(",
    "foo(",
    "1e400",
    "0.5",
    "2",
    "1e-3",
    "\n",
    ";",
    "network n {",
    "{",
    "}",
    "input ",
    "target ",
    "param ",
    "output ",
    "loss ",
    "w = -1",
    "π",
    "ß",
    "# c",
    "// c",
    "\r\n",
    "\t",
    "nan",
    "e",
    "pi",
    "@",
    "**",
];

/// Names of grammar rules that are not English words: they must never reach a message.
const RULE_NAMES: &[&str] = &[
    "expr",
    "EOI",
    "primary",
    "reference",
    "declared",
    "param_item",
    "input_decl",
    "target_decl",
    "param_decl",
    "output_stmt",
    "loss_stmt",
    "kw_network",
    "kw_input",
    "kw_param",
    "kw_output",
    "kw_loss",
    "kw_target",
    "paren",
    "neg",
    "infix",
    "prefix",
    "name_char",
    "WHITESPACE",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

#[test]
fn random_token_soups_never_panic_and_spans_are_valid() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..3000 {
        let len = rng.next() % 40;
        let text: String = (0..len)
            .map(|_| FRAGMENTS[rng.next() % FRAGMENTS.len()])
            .collect();
        let diagnostics = match parse("soup.sd", &text) {
            Ok(parsed) => {
                accepted += 1;
                parsed.warnings
            }
            Err(errors) => {
                rejected += 1;
                assert!(
                    !errors.0.is_empty(),
                    "an Err without diagnostics for {text:?}"
                );
                errors.0
            }
        };
        for d in &diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end <= text.len(),
                "{text:?}: {d:?}"
            );
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            let rendered = d.render("soup.sd", &text);
            assert!(rendered.contains("soup.sd:") && !rendered.contains('\r'));
            let words = d
                .message
                .split(|c: char| !(c.is_alphanumeric() || c == '_'));
            for word in words {
                assert!(!RULE_NAMES.contains(&word), "rule name in {:?}", d.message);
            }
        }
    }
    // The soup is varied enough to exercise both outcomes.
    assert!(
        accepted > 10 && rejected > 1000,
        "{accepted} accepted, {rejected} rejected"
    );
}
