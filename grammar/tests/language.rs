//! The language construct by construct, through the public entry point: what each piece of
//! syntax lowers to in the core DAG, and how statements, networks, comments and line endings
//! combine.

use symdiff_core::{Constant, Dag, Model, Node, NodeId, Rational, Role};
use symdiff_grammar::{parse, Severity};

/// The core node as a fully parenthesized string: `Add`, `Mul`, `Pow` and calls spelled out,
/// so that a test sees exactly what lowering built (constructors never simplify).
fn show(dag: &Dag, id: NodeId) -> String {
    let list = |ids: &[NodeId]| {
        ids.iter()
            .map(|&c| show(dag, c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match dag.node(id) {
        Node::Number(r) => r.to_string(),
        Node::Float(bits) => format!("{:e}f", f64::from_bits(*bits)),
        Node::Constant(Constant::Pi) => "pi".into(),
        Node::Constant(Constant::E) => "e".into(),
        Node::Symbol(s) => dag.name(*s).to_string(),
        Node::Add(terms) => format!("Add({})", list(terms)),
        Node::Mul(factors) => format!("Mul({})", list(factors)),
        Node::Pow([a, b]) => format!("Pow({}, {})", show(dag, *a), show(dag, *b)),
        Node::Call(f, args) => format!("{}({})", f.name(), list(args)),
    }
}

/// The lowered right-hand side of `result = <expr>`.
fn lowered(expr: &str) -> String {
    let parsed = parse("t.sd", &format!("result = {expr}\n")).unwrap();
    let model = &parsed.models[0];
    let rhs = model.vertex_named("result").unwrap().definition.unwrap();
    show(&model.dag, rhs)
}

#[test]
fn power_binds_tighter_than_unary_minus() {
    assert_eq!(lowered("-x^2"), "Mul(-1, Pow(x, 2))");
    assert_eq!(lowered("x^-1"), "Pow(x, Mul(-1, 1))");
    assert_eq!(lowered("2^-x^2"), "Pow(2, Mul(-1, Pow(x, 2)))");
}

#[test]
fn power_is_right_associative() {
    assert_eq!(lowered("2^3^2"), "Pow(2, Pow(3, 2))");
    assert_eq!(lowered("(2^3)^2"), "Pow(Pow(2, 3), 2)");
}

#[test]
fn subtraction_and_division_chain_to_the_left() {
    assert_eq!(lowered("a - b - c"), "Add(a, Mul(-1, b), Mul(-1, c))");
    assert_eq!(lowered("a / b / c"), "Mul(a, Pow(b, -1), Pow(c, -1))");
    assert_eq!(
        lowered("a - (b - c)"),
        "Add(a, Mul(-1, Add(b, Mul(-1, c))))"
    );
    assert_eq!(
        lowered("a / (b / c)"),
        "Mul(a, Pow(Mul(b, Pow(c, -1)), -1))"
    );
}

#[test]
fn two_operands_lower_exactly_as_the_core_constructors() {
    let parsed = parse("t.sd", "d = a - b\nq = a / b\nn = -a\n").unwrap();
    let model = &parsed.models[0];
    let mut dag = model.dag.clone();
    let (a, b) = (dag.node_named("a"), dag.node_named("b"));
    let rhs = |name: &str| model.vertex_named(name).unwrap().definition.unwrap();
    assert_eq!(rhs("d"), dag.sub(a, b));
    assert_eq!(rhs("q"), dag.div(a, b));
    assert_eq!(rhs("n"), dag.neg(a));
}

#[test]
fn products_bind_tighter_than_sums_and_the_middle_dot_multiplies() {
    assert_eq!(lowered("a + b * c"), "Add(a, Mul(b, c))");
    assert_eq!(lowered("a·b + c"), "Add(Mul(a, b), c)");
    assert_eq!(
        lowered("1/2 * (y_t - y)^2"),
        "Mul(1, Pow(2, -1), Pow(Add(y_t, Mul(-1, y)), 2))"
    );
    assert_eq!(lowered("-a * b"), "Mul(Mul(-1, a), b)");
}

#[test]
fn numbers_are_exact_when_they_fit_and_floats_otherwise() {
    assert_eq!(lowered("0.5"), "1/2");
    assert_eq!(lowered("1e-3"), "1/1000");
    assert_eq!(lowered("2.5E+2"), "250");
    assert_eq!(lowered("1e300"), "1e300f");
    let parsed = parse("t.sd", "y = 0.1\n").unwrap();
    let model = &parsed.models[0];
    let rhs = model.vertex_named("y").unwrap().definition.unwrap();
    assert_eq!(model.dag.as_number(rhs), Rational::new(1, 10));
}

#[test]
fn constants_and_calls() {
    assert_eq!(lowered("sin((w + v) * pi)"), "sin(Mul(Add(w, v), pi))");
    assert_eq!(lowered("π + e^w"), "Add(pi, Pow(e, w))");
    assert_eq!(lowered("exp(log(sqrt(abs(x))))"), "exp(log(sqrt(abs(x))))");
    assert_eq!(
        lowered("relu(x) + softplus(x) + tanh(x)"),
        "Add(relu(x), softplus(x), tanh(x))"
    );
}

#[test]
fn free_definitions_in_any_order_make_unused_names_inputs() {
    let parsed = parse(
        "c.sd",
        "y = 1 / (x + t)\nx = v^2 + w\nt = sin((w + v) * pi)\nv = exp(w)\n",
    )
    .unwrap();
    assert_eq!(parsed.models.len(), 1);
    let model = &parsed.models[0];
    assert_eq!(model.name(), None);
    let order: Vec<&str> = model
        .definitions()
        .iter()
        .map(|&(s, _)| model.name_of(s))
        .collect();
    assert_eq!(order, ["v", "x", "t", "y"]);
    assert_eq!(
        model.with_role(Role::Input),
        vec![model.dag.find_symbol("w").unwrap()]
    );
}

fn roles(model: &Model) -> Vec<(String, Role, Option<f64>)> {
    model
        .vertices()
        .map(|v| (model.name_of(v.symbol).to_string(), v.role, v.init))
        .collect()
}

#[test]
fn every_network_statement() {
    let text = "\
network all {
    input a, b
    target t
    param w1 = 1, w2 = -0.5, w3 = +2, w4
    s = a * w1 + b * w2 + w3 * w4
    h = sigmoid(s)
    output h
    loss E = (t - h)^2
}
";
    let parsed = parse("all.sd", text).unwrap();
    assert!(parsed.warnings.is_empty());
    let model = &parsed.models[0];
    assert_eq!(model.name(), Some("all"));
    use Role::*;
    let expected = [
        ("a", Input, None),
        ("b", Input, None),
        ("t", Target, None),
        ("w1", Param, Some(1.0)),
        ("w2", Param, Some(-0.5)),
        ("w3", Param, Some(2.0)),
        ("w4", Param, None),
        ("s", Intermediate, None),
        ("h", Output, None),
        ("E", Loss, None),
    ];
    let expected: Vec<(String, Role, Option<f64>)> = expected
        .iter()
        .map(|&(n, r, i)| (n.to_string(), r, i))
        .collect();
    assert_eq!(roles(model), expected);
}

#[test]
fn several_networks_after_the_free_definitions() {
    let text = "\
network first {
    input x
    param w
    loss E = (x * w)^2
}
z = q + 1   # free-standing, listed first whatever its place

network second
{
    input x; param w; loss L = exp(x * w)
}
";
    let parsed = parse("many.sd", text).unwrap();
    let names: Vec<Option<&str>> = parsed.models.iter().map(|m| m.name()).collect();
    assert_eq!(names, [None, Some("first"), Some("second")]);
    // The same name in two networks is two vertices of two models.
    assert!(parsed.models[1].vertex_named("L").is_none());
    assert_eq!(parsed.models[2].vertex_named("L").unwrap().role, Role::Loss);
}

#[test]
fn comments_semicolons_and_blank_lines_anywhere() {
    let text = "
# a comment line
// another
a = 1; b = a + 2 // trailing
;;
c = b * 3   # trailing too

";
    let parsed = parse("c.sd", text).unwrap();
    let model = &parsed.models[0];
    assert_eq!(model.definitions().len(), 3);
    let rhs = model.vertex_named("c").unwrap().definition.unwrap();
    assert_eq!(show(&model.dag, rhs), "Mul(b, 3)");
}

#[test]
fn crlf_and_tabs_are_whitespace() {
    let text = "network n {\r\n\tinput x\r\n\tparam w = 2\r\n\tloss E = (x\t*\tw)^2\r\n}\r\n";
    let parsed = parse("crlf.sd", text).unwrap();
    let model = &parsed.models[0];
    let rhs = model.vertex_named("E").unwrap().definition.unwrap();
    assert_eq!(show(&model.dag, rhs), "Pow(Mul(x, w), 2)");
    assert_eq!(model.vertex_named("w").unwrap().init, Some(2.0));
}

#[test]
fn errors_in_crlf_and_tabbed_files_point_at_the_right_column() {
    let text = "network n {\r\n\tinput x\r\n\tloss E = x +\r\n}\r\n";
    let errors = parse("crlf.sd", text).unwrap_err();
    let rendered = errors.render("crlf.sd", text);
    assert!(!rendered.contains('\r'));
    assert_eq!(
        rendered,
        "error: expected an expression after `+`, found end of line\n \
         --> crlf.sd:3:14\n  |\n3 |     loss E = x +\n  |                 ^\n"
    );
}

#[test]
fn empty_and_comment_only_files_have_no_models_and_a_warning() {
    for text in ["", "\n\n", "# only a comment\n"] {
        let parsed = parse("empty.sd", text).unwrap();
        assert!(parsed.models.is_empty());
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].severity, Severity::Warning);
        assert_eq!(
            parsed.warnings[0].message,
            "no definitions or networks in this file"
        );
    }
}

#[test]
fn several_semantic_errors_are_reported_at_once_in_source_order() {
    let text = "network n {\n  input x\n  h = sigmod(x)\n  s = h * q\n  loss E = s + 1e400\n}\n";
    let errors = parse("n.sd", text).unwrap_err();
    let messages: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown function `sigmod`",
            "`q` is not defined in network `n`",
            "number `1e400` is too large",
        ]
    );
    assert!(errors
        .0
        .windows(2)
        .all(|w| w[0].span.start < w[1].span.start));
}

#[test]
fn spans_are_exact_byte_ranges() {
    let text = "network n {\n  input x_t\n  h = sigmoid(s_1)\n  loss E = h\n}\n";
    let errors = parse("n.sd", text).unwrap_err();
    assert_eq!(&text[errors.0[0].span.clone()], "s_1");
    // A name of several-byte letters: the span is its bytes, the column counts characters.
    let text = "network n {\n  input ä\n  loss E = ä·größe\n}\n";
    let errors = parse("u.sd", text).unwrap_err();
    assert_eq!(&text[errors.0[0].span.clone()], "größe");
    assert_eq!(errors.0[0].line_col(text), (3, 14));
}

#[test]
fn a_network_cycle_through_three_definitions() {
    let text = "network n {\n  input x\n  a = b + x\n  b = c * 2\n  c = a^2\n  loss E = a\n}\n";
    let errors = parse("n.sd", text).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    assert_eq!(
        errors.0[0].message,
        "definitions form a cycle: a -> b -> c -> a"
    );
    assert_eq!(errors.0[0].line_col(text), (3, 3));
}

#[test]
fn a_param_the_loss_does_not_use_is_only_a_warning() {
    let text = "network n {\n  input x\n  param w, unused\n  loss E = x * w\n}\n";
    let parsed = parse("n.sd", text).unwrap();
    assert_eq!(parsed.models.len(), 1);
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(
        parsed.warnings[0].help.as_deref(),
        Some("note: the gradient of E with respect to unused is exactly 0")
    );
}

#[test]
fn display_shows_message_and_help_without_the_source() {
    let errors = parse("f.sd", "y = sigmoidd(x)\n").unwrap_err();
    let shown = errors.to_string();
    assert!(
        shown.starts_with("error: unknown function `sigmoidd`\n  = help: did you mean `sigmoid`?")
    );
    let as_error: &dyn std::error::Error = &errors;
    assert_eq!(as_error.to_string(), shown);
}
