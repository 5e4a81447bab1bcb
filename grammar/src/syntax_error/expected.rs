//! What the parser would have accepted at the error position, sorted into what a reader thinks
//! in: pest's literal tokens and rule names become "an expression", "an operator", "`)`", "a
//! newline or `;`". Tokens that would only continue the previous one (a letter right after a
//! name, a `(` that would make it a call) are dropped.

use super::around::Prev;
use crate::rules::Rule;

/// What the parser would have accepted at the error position, in words.
#[derive(Default, Debug)]
pub(super) struct Expected {
    pub expression: bool,
    pub name: bool,
    pub number: bool,
    pub operator: bool,
    pub comma: bool,
    pub assign: bool,
    pub close_paren: bool,
    pub close_bracket: bool,
    pub open_brace: bool,
    pub close_brace: bool,
    pub statement_end: bool,
}

impl Expected {
    /// Sorts pest's expected tokens and rules into words; `prev` is the token before the error
    /// position.
    pub fn new(tokens: &[String], rules: &[Rule], prev: &Prev) -> Expected {
        let mut expected = classify(tokens, prev);
        classify_rules(rules, &mut expected);
        expected
    }

    /// Every alternative, in a fixed order, for the `expected ...` help line.
    pub fn words(&self) -> Vec<&'static str> {
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
            "+" | "-" | "*" | "/" | "^" | "·" | "×" | "−" | "²" | "³" => e.operator = true,
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
            Rule::expr
            | Rule::inner_expr
            | Rule::neg
            | Rule::paren
            | Rule::call
            | Rule::reference => e.expression = true,
            Rule::add
            | Rule::sub
            | Rule::mul
            | Rule::div
            | Rule::pow
            | Rule::square
            | Rule::cube => e.operator = true,
            Rule::init
            | Rule::init_number
            | Rule::init_list
            | Rule::init_call
            | Rule::sign
            | Rule::number => e.number = true,
            Rule::name
            | Rule::declared
            | Rule::param_item
            | Rule::network
            | Rule::input_decl
            | Rule::target_decl
            | Rule::param_decl
            | Rule::dim_decl
            | Rule::dim_item
            | Rule::kw_dim
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
            | Rule::non_ascii_name_char
            | Rule::bom
            | Rule::gap
            | Rule::init_element
            | Rule::postfix => {}
        }
    }
}
