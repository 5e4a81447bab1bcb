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
    "dim_decl",
    "dim_item",
    "kw_dim",
    "init_number",
    "init_list",
    "init_call",
    "init_element",
];

/// Whole statements of indexed networks, most of them valid together.
const INDEXED_LINES: &[&str] = &[
    "dim J = 2",
    "input x[3]",
    "param w[J, 3] = glorot",
    "param b[J] = [1, 2]",
    "s[j] = sum(i, w[j, i] * x[i]) + b[j]",
    "h[j] = sigmoid(s[j])",
    "h[k] = max(s[k], 0)",
    "output o[j] = min(h[j], 1)",
    "loss E = sum(j, h[j]^2)",
    "loss E = logsumexp(j, s[j]) - s[1]",
    "loss E = sum(k, sum(j, h[j] * h[k]))",
];

/// Pieces of indexed networks: declarations with sizes, subscripts, reductions, initializers.
const INDEXED_FRAGMENTS: &[&str] = &[
    "input x[3]",
    "input x[J]",
    "target t[2]",
    "dim J = 3",
    "dim J = 0",
    "param w[J, 3]",
    "param w[2, 2]",
    "param b[3]",
    " = ",
    "[[1, 2], [3, 4]]",
    "[1, 2, 3]",
    "[",
    "]",
    "glorot",
    "he",
    "uniform(-1, 1)",
    "normal(0, -1)",
    "s[j]",
    "s[i]",
    "h[j] = ",
    "loss E = ",
    "output o[k] = ",
    "sum(i, ",
    "sum(j, ",
    "logsumexp(k, ",
    "sum(2, ",
    "w[j, i]",
    "w[i, i]",
    "w[j]",
    "x[i]",
    "x[i+1]",
    "x[2]",
    "x[0]",
    "x",
    "b[j]",
    "t[k]",
    "J",
    ")",
    " * ",
    " + ",
    "max(",
    ", ",
    "sigmoid(",
    "1",
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

#[test]
fn random_indexed_networks_never_panic_and_spans_are_valid() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut accepted = 0;
    for _ in 0..20000 {
        let mut text = String::from("network n {\n");
        for _ in 0..rng.next() % 10 {
            if rng.next().is_multiple_of(5) {
                for _ in 0..1 + rng.next() % 6 {
                    text.push_str(INDEXED_FRAGMENTS[rng.next() % INDEXED_FRAGMENTS.len()]);
                }
            } else {
                text.push_str(INDEXED_LINES[rng.next() % INDEXED_LINES.len()]);
            }
            text.push('\n');
        }
        text.push_str("}\n");
        let diagnostics = match parse("soup.sd", &text) {
            Ok(parsed) => {
                accepted += 1;
                parsed.warnings
            }
            Err(errors) => errors.0,
        };
        for d in &diagnostics {
            // Lowering's own errors would mean the checks let something through.
            assert!(!d.message.starts_with("internal"), "{text:?}: {d:?}");
            // Core's own objections are reported at the network's name (`n`, bytes 8..9),
            // where otherwise only a missing loss is.
            let at_name = d.span == (8..9);
            assert!(
                !at_name || d.message.ends_with("has no loss"),
                "{text:?}: {d:?}"
            );
            assert!(
                d.span.end <= text.len() && d.span.start <= d.span.end,
                "{text:?}: {d:?}"
            );
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            let rendered = d.render("soup.sd", &text);
            assert!(rendered.contains("soup.sd:"), "{rendered}");
            let words = d
                .message
                .split(|c: char| !(c.is_alphanumeric() || c == '_'));
            for word in words {
                // `declared` is also an English word ("`b` is declared more than once").
                let rule = RULE_NAMES.contains(&word) && word != "declared";
                assert!(!rule, "rule name in {:?}", d.message);
            }
        }
    }
    assert!(accepted > 0 && accepted < 20000, "{accepted} accepted");
}
