//! Source text to syntax tree: the depth scan, pest, then pest's pairs into the [`Ast`] arena.
//!
//! Operator precedence is the one [`PrattParser`] table in [`precedence`]. The Pratt parser
//! recurses once per right-associative `^`, unary minus and parenthesis level; the depth scan
//! ([`scan::check_depth`]) has bounded all three before pest runs, so the recursion here is
//! bounded too. A flat chain such as `a + a + ... + a` is a loop, and is flattened into one
//! [`ExprKind::Sum`] node.

use crate::ast::{
    is_reduction, Ast, DeclKind, Declared, DefKind, Dim, Expr, ExprId, ExprKind, Ident, Index,
    Init, InitKind, MulOp, Network, Sign, Span, Statement, StatementKind, Target, MAX_TEXT_LEN,
};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rules::{Rule, SymdiffParser};
use crate::{characters, scan, syntax_error};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;
use std::cell::{Cell, RefCell};
use std::sync::Mutex;
use symdiff_core::Constant;

/// The language's operator precedence, loosest first: `+ -`, then `* · × /`, then unary minus,
/// then `^` (right-associative), then the superscripts `²` `³`. So `-x^2` is `-(x^2)`, `x^-1`
/// is `x^(-1)` and `e^x²` is `e^(x^2)`.
pub(crate) fn precedence() -> PrattParser<Rule> {
    PrattParser::new()
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
        .op(Op::prefix(Rule::neg))
        .op(Op::infix(Rule::pow, Assoc::Right))
        .op(Op::postfix(Rule::square) | Op::postfix(Rule::cube))
}

/// Parses a whole file into its syntax tree, or the characters the language does not know,
/// or the first syntax error.
pub(crate) fn parse_ast(text: &str) -> Result<Ast<'_>, Diagnostics> {
    check_length(text.len())?;
    characters::check(text)?;
    scan::check_depth(text)?;
    let file = run_pest(text)
        .map_err(|e| syntax_error::translate(text, &e))?
        .next();
    let builder = Builder {
        pratt: precedence(),
        exprs: RefCell::new(Vec::new()),
        has_index: Cell::new(false),
    };
    let mut ast = Ast::default();
    for item in file.into_iter().flat_map(Pair::into_inner) {
        match item.as_rule() {
            Rule::network => ast.networks.push(builder.network(item)),
            Rule::EOI => {}
            _ => ast.free.push(builder.statement(item)),
        }
    }
    ast.exprs = builder.exprs.into_inner();
    ast.has_index = builder.has_index.get();
    Ok(ast)
}

/// A text longer than [`MAX_TEXT_LEN`] bytes is an error: its offsets would not fit a [`Span`].
fn check_length(len: usize) -> Result<(), Diagnostic> {
    if len <= MAX_TEXT_LEN {
        return Ok(());
    }
    Err(Diagnostic::error(
        0..0,
        format!("the text is {len} bytes long; symdiff reads at most {MAX_TEXT_LEN} bytes (4 GiB)"),
    )
    .with_help("help: split the definitions over several files"))
}

/// Serializes the parses that collect pest's detailed error information (a global switch).
static DETAIL: Mutex<()> = Mutex::new(());

/// Runs pest. The fast path runs without error details; a failed parse is repeated with them,
/// on the text with its comments blanked (see [`scan::blank_comments`]), so that the message
/// can say which tokens were expected where the comment does not stand in the way. The repeat
/// happens even when the first error already carries details (another thread had the global
/// switch on during the first parse): those were found on the text with its comments.
fn run_pest(text: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    match SymdiffParser::parse(Rule::file, text) {
        Err(e) if !matches!(e.variant, pest::error::ErrorVariant::CustomError { .. }) => {
            let blanked = scan::blank_comments(text);
            let _guard = DETAIL
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            pest::set_error_detail(true);
            let again = SymdiffParser::parse(Rule::file, &blanked);
            pest::set_error_detail(false);
            // Blanking a comment never mends an error (a comment stands only where spaces
            // could); should it, the first error still stands.
            Err(again.err().unwrap_or(e))
        }
        result => result,
    }
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn ident(pair: Pair<'_, Rule>) -> Ident<'_> {
    Ident {
        name: pair.as_str(),
        span: span_of(&pair),
    }
}

/// Builds the arena while walking pest's pairs.
struct Builder<'a> {
    pratt: PrattParser<Rule>,
    exprs: RefCell<Vec<Expr<'a>>>,
    /// Set by the first index suffix.
    has_index: Cell<bool>,
}

impl<'a> Builder<'a> {
    fn push(&self, kind: ExprKind<'a>, span: Span) -> ExprId {
        let mut exprs = self.exprs.borrow_mut();
        let id = ExprId(exprs.len() as u32);
        exprs.push(Expr {
            kind,
            span,
            grouped: false,
        });
        id
    }

    fn span(&self, id: ExprId) -> Span {
        self.exprs.borrow()[id.index()].span
    }

    fn network(&self, pair: Pair<'a, Rule>) -> Network<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        inner.next(); // `network`
        let name = inner
            .next()
            .map(ident)
            .unwrap_or_else(|| Ident { name: "", span });
        let first_expr = self.exprs.borrow().len();
        let statements = inner.map(|s| self.statement(s)).collect();
        Network {
            name,
            span,
            statements,
            expr_count: self.exprs.borrow().len() - first_expr,
        }
    }

    fn statement(&self, pair: Pair<'a, Rule>) -> Statement<'a> {
        let span = span_of(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner().peekable();
        let keyword = match inner.peek().map(Pair::as_rule) {
            Some(Rule::declared) | None => None,
            Some(_) => inner.next().map(|k| span_of(&k)),
        };
        // The declared items are what is left of the pairs: collected with their exact count.
        let mut decl = |kind| StatementKind::Declare {
            kind,
            items: inner.by_ref().map(|item| self.declared(item)).collect(),
        };
        let kind = match rule {
            Rule::input_decl => decl(DeclKind::Input),
            Rule::target_decl => decl(DeclKind::Target),
            Rule::param_decl => decl(DeclKind::Param),
            Rule::dim_decl => {
                self.has_index.set(true);
                StatementKind::Dims(inner.map(|item| self.dim(item)).collect())
            }
            Rule::output_stmt | Rule::loss_stmt | Rule::definition => {
                let target = self.target(inner.next());
                let def = match rule {
                    Rule::output_stmt => DefKind::Output,
                    Rule::loss_stmt => DefKind::Loss,
                    _ => DefKind::Plain,
                };
                match inner.next() {
                    Some(rhs) => StatementKind::Define {
                        kind: def,
                        target,
                        rhs: self.expr(rhs),
                    },
                    None => StatementKind::MarkOutput { target },
                }
            }
            _ => unreachable_rule(rule),
        };
        Statement {
            kind,
            span,
            keyword,
        }
    }

    /// A `declared` pair (input/target) or a `param_item` pair.
    fn declared(&self, pair: Pair<'a, Rule>) -> Declared<'a> {
        if pair.as_rule() == Rule::declared {
            return Declared {
                target: self.target(Some(pair)),
                init: None,
            };
        }
        let mut inner = pair.into_inner();
        let target = self.target(inner.next());
        let init = inner
            .next()
            .and_then(|init| init.into_inner().next())
            .map(init);
        Declared { target, init }
    }

    /// A `dim_item` pair: `J = 4`.
    fn dim(&self, pair: Pair<'a, Rule>) -> Dim<'a> {
        let span = span_of(&pair);
        let mut inner = pair.into_inner();
        let name = inner
            .next()
            .map(ident)
            .unwrap_or_else(|| Ident { name: "", span });
        let value = inner.next().map(init).unwrap_or(Init {
            kind: InitKind::Number {
                negative: false,
                number: "",
            },
            span,
        });
        Dim { name, value }
    }

    /// A `declared` pair: a name with an optional index suffix.
    fn target(&self, pair: Option<Pair<'a, Rule>>) -> Target<'a> {
        let mut inner = pair.into_iter().flat_map(Pair::into_inner);
        let name = inner.next().map(ident).unwrap_or_else(|| Ident {
            name: "",
            span: Span::default(),
        });
        let index = inner.next().map(|i| self.index(i));
        Target { name, index }
    }

    fn index(&self, pair: Pair<'a, Rule>) -> Box<Index> {
        self.has_index.set(true);
        let span = span_of(&pair);
        let items: Vec<ExprId> = pair.into_inner().map(|e| self.expr(e)).collect();
        // A bare name in brackets is an index or a size, never a vertex: inside `x[i + 1]`
        // too, so that `i` is reported as an unsupported subscript, not an undefined vertex.
        let mut exprs = self.exprs.borrow_mut();
        for &item in &items {
            let mut stack = vec![item];
            while let Some(id) = stack.pop() {
                let expr = &mut exprs[id.index()];
                match &expr.kind {
                    ExprKind::Name { name, index: None } => expr.kind = ExprKind::Index(name),
                    ExprKind::Sum(terms) => stack.extend(terms.iter().map(|&(_, t)| t)),
                    ExprKind::Product(factors) => stack.extend(factors.iter().map(|&(_, f)| f)),
                    ExprKind::Neg(x) => stack.push(*x),
                    ExprKind::Pow(a, b) => stack.extend([*a, *b]),
                    // Nested subscripts and calls keep their names: the checker reports them
                    // as a whole.
                    ExprKind::Name { .. }
                    | ExprKind::Call { .. }
                    | ExprKind::Number(_)
                    | ExprKind::Constant(_)
                    | ExprKind::Index(_) => {}
                }
            }
        }
        Box::new(Index { span, items })
    }

    /// An `expr` or `inner_expr` pair, through the precedence table.
    fn expr(&self, pair: Pair<'a, Rule>) -> ExprId {
        self.pratt
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, operand| {
                let span = span_of(&op).to(self.span(operand));
                self.push(ExprKind::Neg(operand), span)
            })
            .map_postfix(|operand, op| {
                // `x²` is `x^2`: the exponent is a literal spanning the superscript.
                let span = span_of(&op);
                let exponent = if op.as_rule() == Rule::square {
                    "2"
                } else {
                    "3"
                };
                let exponent = self.push(ExprKind::Number(exponent), span);
                self.push(
                    ExprKind::Pow(operand, exponent),
                    self.span(operand).to(span),
                )
            })
            .map_infix(|lhs, op, rhs| self.infix(lhs, op.as_rule(), rhs))
            .parse(pair.into_inner())
    }

    fn primary(&self, pair: Pair<'a, Rule>) -> ExprId {
        let span = span_of(&pair);
        match pair.as_rule() {
            Rule::number => self.push(ExprKind::Number(pair.as_str()), span),
            Rule::paren => {
                let inner = pair.into_inner().next();
                match inner {
                    Some(e) => {
                        let id = self.expr(e);
                        self.exprs.borrow_mut()[id.index()].grouped = true;
                        id
                    }
                    None => unreachable_rule(Rule::paren),
                }
            }
            Rule::call => {
                let mut inner = pair.into_inner();
                let func = inner
                    .next()
                    .map(ident)
                    .unwrap_or_else(|| Ident { name: "", span });
                let args: Vec<ExprId> = inner.map(|a| self.expr(a)).collect();
                if is_reduction(func.name) {
                    // `sum(i, body)`: the first argument is the index it binds.
                    self.has_index.set(true);
                    if let Some(&first) = args.first() {
                        let mut exprs = self.exprs.borrow_mut();
                        let expr = &mut exprs[first.index()];
                        if let ExprKind::Name { name, index: None } = &expr.kind {
                            if !expr.grouped {
                                expr.kind = ExprKind::Index(name);
                            }
                        }
                    }
                }
                self.push(ExprKind::Call { func, args }, span)
            }
            Rule::reference => {
                // The pair's own span may end in the spaces skipped while looking for `[`.
                let mut inner = pair.into_inner();
                let Some(name) = inner.next().map(ident) else {
                    unreachable_rule(Rule::reference)
                };
                let index = inner.next().map(|i| self.index(i));
                let span = index.as_ref().map_or(name.span, |i| name.span.to(i.span));
                let name = name.name;
                match (Constant::from_name(name), index) {
                    (Some(c), None) => self.push(ExprKind::Constant(c), span),
                    (_, index) => self.push(ExprKind::Name { name, index }, span),
                }
            }
            rule => unreachable_rule(rule),
        }
    }

    /// `lhs op rhs`, appending to `lhs` when it is an unparenthesized chain of the same kind.
    fn infix(&self, lhs: ExprId, op: Rule, rhs: ExprId) -> ExprId {
        let span = self.span(lhs).to(self.span(rhs));
        let mut exprs = self.exprs.borrow_mut();
        let left = &mut exprs[lhs.index()];
        let appended = match (&mut left.kind, op) {
            (ExprKind::Sum(terms), Rule::add | Rule::sub) if !left.grouped => {
                terms.push((
                    if op == Rule::add {
                        Sign::Plus
                    } else {
                        Sign::Minus
                    },
                    rhs,
                ));
                true
            }
            (ExprKind::Product(factors), Rule::mul | Rule::div) if !left.grouped => {
                factors.push((
                    if op == Rule::mul {
                        MulOp::Mul
                    } else {
                        MulOp::Div
                    },
                    rhs,
                ));
                true
            }
            _ => false,
        };
        if appended {
            left.span = span;
            return lhs;
        }
        drop(exprs);
        let kind = match op {
            Rule::add => ExprKind::Sum(vec![(Sign::Plus, lhs), (Sign::Plus, rhs)]),
            Rule::sub => ExprKind::Sum(vec![(Sign::Plus, lhs), (Sign::Minus, rhs)]),
            Rule::mul => ExprKind::Product(vec![(MulOp::Mul, lhs), (MulOp::Mul, rhs)]),
            Rule::div => ExprKind::Product(vec![(MulOp::Mul, lhs), (MulOp::Div, rhs)]),
            _ => ExprKind::Pow(lhs, rhs),
        };
        self.push(kind, span)
    }
}

/// An `init_number`, `init_list` or `init_call` pair.
fn init(pair: Pair<'_, Rule>) -> Init<'_> {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::init_list => InitKind::List(pair.into_inner().map(init).collect()),
        Rule::init_call => {
            let mut inner = pair.into_inner();
            let func = inner
                .next()
                .map(ident)
                .unwrap_or_else(|| Ident { name: "", span });
            InitKind::Call {
                func,
                args: inner.map(init).collect(),
            }
        }
        _ => {
            let mut negative = false;
            let mut number = "";
            for part in pair.into_inner() {
                match part.as_rule() {
                    Rule::sign => negative = part.as_str() != "+",
                    _ => number = part.as_str(),
                }
            }
            InitKind::Number { negative, number }
        }
    };
    Init { kind, span }
}

/// The grammar guarantees the shape of every pair; a rule out of place is a bug in this file.
fn unreachable_rule(rule: Rule) -> ! {
    unreachable!("the grammar does not produce {rule:?} here")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_next_to_a_comment_does_not_depend_on_the_detail_switch() {
        // Another thread's repeated parse turns pest's global detail switch on; a first parse
        // made meanwhile fails with details found on the text with its comment.
        pest::set_error_detail(true);
        let error = parse_ast("y = a + # note\n")
            .map(|_| ())
            .unwrap_err()
            .0
            .remove(0);
        pest::set_error_detail(false);
        assert_eq!(
            error.message,
            "expected an expression after `+`, found end of line"
        );
        assert_eq!(
            error.span,
            14..14,
            "at the end of the line, past the comment"
        );
    }

    /// The expression of `y = <text>` printed fully parenthesized.
    fn shape(text: &str) -> String {
        let source = format!("y = {text}");
        let ast = parse_ast(&source).unwrap();
        let StatementKind::Define { rhs, .. } = &ast.free[0].kind else {
            panic!("not a definition")
        };
        show(&ast, *rhs)
    }

    fn show(ast: &Ast, id: ExprId) -> String {
        match &ast.expr(id).kind {
            ExprKind::Number(n) => n.to_string(),
            ExprKind::Constant(c) => format!("{c:?}"),
            ExprKind::Name { name, .. } | ExprKind::Index(name) => name.to_string(),
            ExprKind::Call { func, args } => {
                let args: Vec<String> = args.iter().map(|&a| show(ast, a)).collect();
                format!("{}({})", func.name, args.join(", "))
            }
            ExprKind::Neg(x) => format!("(-{})", show(ast, *x)),
            ExprKind::Pow(a, b) => format!("({}^{})", show(ast, *a), show(ast, *b)),
            ExprKind::Sum(terms) => {
                let mut s = String::from("(");
                for (i, &(sign, t)) in terms.iter().enumerate() {
                    if i > 0 {
                        s.push_str(if sign == Sign::Plus { " + " } else { " - " });
                    }
                    s.push_str(&show(ast, t));
                }
                s + ")"
            }
            ExprKind::Product(factors) => {
                let mut s = String::from("(");
                for (i, &(op, f)) in factors.iter().enumerate() {
                    if i > 0 {
                        s.push_str(if op == MulOp::Mul { " * " } else { " / " });
                    }
                    s.push_str(&show(ast, f));
                }
                s + ")"
            }
        }
    }

    #[test]
    fn power_binds_tighter_than_unary_minus_and_is_right_associative() {
        assert_eq!(shape("-x^2"), "(-(x^2))");
        assert_eq!(shape("x^-1"), "(x^(-1))");
        assert_eq!(shape("2^3^2"), "(2^(3^2))");
        assert_eq!(shape("2^-x^2"), "(2^(-(x^2)))");
        assert_eq!(shape("-a*b"), "((-a) * b)");
        assert_eq!(shape("a^-b*c"), "((a^(-b)) * c)");
        assert_eq!(shape("--a"), "(-(-a))");
    }

    #[test]
    fn slide_notation_reads_as_the_ascii_operators() {
        assert_eq!(shape("a × b − c"), "((a * b) - c)");
        assert_eq!(shape("−x²"), "(-(x^2))");
        assert_eq!(shape("e^x² + y³"), "((E^(x^2)) + (y^3))");
        assert_eq!(shape("(a + b)²"), "((a + b)^2)");
        assert_eq!(shape("σ·(1 − σ)·δ"), "(σ * (1 - σ) * δ)");
        assert_eq!(shape("(x^2 +\n z)"), "((x^2) + z)");
        assert_eq!(shape("f(a, # first\n\n  b\n)"), "f(a, b)");
    }

    #[test]
    fn a_newline_outside_brackets_still_ends_the_statement() {
        let ast = parse_ast("y = (a +\n b)\nz = y\n").unwrap();
        assert_eq!(ast.free.len(), 2);
        let bom = parse_ast("\u{FEFF}y = 1\n").unwrap();
        assert_eq!(bom.free.len(), 1);
        assert!(
            parse_ast("y = 1 \u{FEFF}\n").is_err(),
            "a BOM counts only at the start"
        );
    }

    #[test]
    fn chains_are_left_associative_and_flattened() {
        assert_eq!(shape("a - b - c"), "(a - b - c)");
        assert_eq!(shape("a / b / c"), "(a / b / c)");
        assert_eq!(shape("a - (b - c)"), "(a - (b - c))");
        assert_eq!(shape("(a - b) - c"), "((a - b) - c)");
        assert_eq!(shape("a + b * c - d"), "(a + (b * c) - d)");
        assert_eq!(shape("a·b/c"), "(a * b / c)");
        assert_eq!(shape("1/2 * (y_t - y)^2"), "(1 / 2 * ((y_t - y)^2))");
    }

    #[test]
    fn calls_constants_and_numbers() {
        assert_eq!(shape("sin((w + v) * pi)"), "sin(((w + v) * Pi))");
        assert_eq!(shape("e^w + π"), "((E^w) + Pi)");
        assert_eq!(shape("1e-3 + 2.5E+2 + 0.5"), "(1e-3 + 2.5E+2 + 0.5)");
        assert_eq!(shape("f()"), "f()");
        assert_eq!(shape("max2(a, b)"), "max2(a, b)");
    }

    #[test]
    fn subtrees_list_children_before_parents_left_to_right() {
        let ast = parse_ast("y = a + b * c - d").unwrap();
        let StatementKind::Define { rhs, .. } = &ast.free[0].kind else {
            panic!("not a definition")
        };
        let order: Vec<String> = ast.subtree(*rhs).iter().map(|&id| show(&ast, id)).collect();
        assert_eq!(order, ["a", "b", "c", "(b * c)", "d", "(a + (b * c) - d)"]);
    }

    #[test]
    fn a_text_over_4_gib_is_an_error_not_a_wrapped_span() {
        assert!(check_length(MAX_TEXT_LEN).is_ok());
        let error = check_length(MAX_TEXT_LEN + 1).unwrap_err();
        assert_eq!(
            error.message,
            "the text is 4294967296 bytes long; symdiff reads at most 4294967295 bytes (4 GiB)"
        );
        assert_eq!(error.span, 0..0);
    }

    #[test]
    fn statements_and_networks_keep_their_parts() {
        let text = "a = 1; b = a\nnetwork n {\n  input x, y\n  param w = -0.5, v\n  output o\n}\n";
        let ast = parse_ast(text).unwrap();
        assert_eq!(ast.free.len(), 2);
        let net = &ast.networks[0];
        assert_eq!(net.name.name, "n");
        assert_eq!(net.statements.len(), 3);
        let StatementKind::Declare { kind, items } = &net.statements[1].kind else {
            panic!("not a declaration")
        };
        assert_eq!(*kind, DeclKind::Param);
        let init = items[0].init.as_ref().unwrap();
        assert_eq!(
            init.kind,
            InitKind::Number {
                negative: true,
                number: "0.5"
            }
        );
        assert_eq!(&text[init.span.range()], "-0.5");
        assert!(items[1].init.is_none());
        assert!(matches!(
            net.statements[2].kind,
            StatementKind::MarkOutput { .. }
        ));
    }
}
