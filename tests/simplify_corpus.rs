//! The simplifier on a corpus of more than 200 derivatives (every local partial and gradient of
//! the lecture examples, textbook derivatives, and seeded random expressions over every function):
//! the simplified formula has the value of the unsimplified one at random points, simplifying
//! twice changes nothing, the printed form is the same on every run, and it is smaller; where cancellation applies, it
//! never prints longer than the derivative it started from.

mod common;

use common::{random_expr, Rng};
use symdiff::core::{derivative, evaluate, simplify, Dag, Node, NodeId, Symbol, Text};

/// Textbook derivatives: (definition of `f` over `x` and `t`, variable).
const TEXTBOOK: &[&str] = &[
    "sin(x)^2",
    "x*exp(x)",
    "log(x^2 + 1)",
    "sqrt(x^2 + 1)",
    "tanh(x)",
    "1/(1 + exp(-x))",
    "exp(sin(x))",
    "sigmoid(x)*(1 - sigmoid(x))",
    "x^3 - 3*x^2 + 2*x - 7",
    "(x + 1)^2",
    "cos(x)/(2 + sin(x))",
    "x*log(1 + x^2)",
    "e^(2*x)",
    "2^x",
    "abs(x)*x",
    "relu(x)^2",
    "softplus(x)",
    "log_sigmoid(x)",
    "bce(t, sigmoid(x))",
    "mse(t, x)",
    "tan(x/3)",
    "x/(1 + x^2)",
    "exp(-x^2/2)",
    "log(exp(x) + exp(t))",
    "x^(1/2) * x^(3/2)",
    "(x*t)^3",
    "sin(x)*cos(x)",
    "1/x + 1/x^2",
    "(1 - tanh(x)^2)*x",
    "pi*x^2",
    "sigmoid(t*x)",
    "x - x + 0*t",
    "2*x*x/x",
    "(x^2)^3",
    "exp(log(1 + x^2))",
    "log(sigmoid(x)) + log(1 - sigmoid(x))",
    "step(x) * x + sign(x)",
    "softplus(-x) - softplus(x)",
    "-x^2 + x^-1",
    "(t - x)^2/2",
    // A sigmoid hidden unit under cross-entropy: cancellation must divide `1 - sigmoid(x)`
    // back out rather than print the expanded sum.
    "-(t*log(sigmoid(2*sigmoid(x))) + (1 - t)*log(1 - sigmoid(2*sigmoid(x))))",
    "bce(t, sigmoid(t*sigmoid(x)))",
];

/// One derivative of the corpus: where it came from, its raw and simplified forms.
struct Case {
    origin: String,
    raw: NodeId,
    simplified: NodeId,
}

/// Builds the whole corpus in one DAG (so shared subexpressions are counted once).
fn corpus() -> (Dag, Vec<Case>, Vec<Symbol>) {
    let mut sources: Vec<(String, String)> = Vec::new();
    for name in common::lecture_examples() {
        sources.push((name.clone(), common::lecture_source(&name)));
    }
    for (i, f) in TEXTBOOK.iter().enumerate() {
        sources.push((format!("textbook {i}: {f}"), format!("f = {f}\n")));
    }
    let mut rng = Rng::new(5);
    let names: Vec<String> = ["x", "t"].iter().map(|s| s.to_string()).collect();
    for i in 0..160 {
        let f = random_expr(&mut rng, &names, 4);
        sources.push((format!("random {i}: {f}"), format!("f = x*t + {f}\n")));
    }
    // Every model's every definition differentiated by every name it uses, in one DAG.
    let mut dag = Dag::new();
    let mut cases = Vec::new();
    for (origin, text) in sources {
        let parsed = symdiff::grammar::parse(&origin, &text)
            .unwrap_or_else(|d| panic!("{}", d.render(&origin, &text)));
        for model in parsed.models {
            for (vertex, rhs) in model.definitions() {
                let rhs = copy_into(&model.dag, rhs, &mut dag);
                for used in model
                    .dag
                    .symbols_in(model.vertex(vertex).unwrap().definition.unwrap())
                {
                    let used = dag.symbol_of(model.name_of(used));
                    let raw = derivative(&mut dag, rhs, used);
                    let simplified = simplify(&mut dag, raw);
                    cases.push(Case {
                        origin: format!("{origin}: ∂{}/∂{}", model.name_of(vertex), dag.name(used)),
                        raw,
                        simplified,
                    });
                }
            }
        }
    }
    let symbols = (0..dag.symbol_count() as u32).map(Symbol).collect();
    (dag, cases, symbols)
}

/// Copies an expression from one DAG into another, symbols matched by name. Iterative.
fn copy_into(from: &Dag, root: NodeId, to: &mut Dag) -> NodeId {
    let mut copied = std::collections::HashMap::new();
    for id in from.reachable(&[root]) {
        let node = from.node(id).clone();
        let new = match node {
            symdiff::core::Node::Symbol(s) => to.node_named(from.name(s)),
            other => {
                let children = other.children().iter().map(|c| copied[c]).collect();
                to.intern(other.with_children(children))
            }
        };
        copied.insert(id, new);
    }
    copied[&root]
}

#[test]
fn simplified_derivatives_keep_their_value_are_stable_and_smaller() {
    let (mut dag, cases, symbols) = corpus();
    assert!(cases.len() >= 200, "only {} derivatives", cases.len());
    let mut rng = Rng::new(99);
    let mut compared = 0;
    for case in &cases {
        for _ in 0..5 {
            let values: Vec<f64> = symbols.iter().map(|_| rng.uniform(0.1, 1.5)).collect();
            let raw = evaluate(&dag, case.raw, &values);
            let simplified = evaluate(&dag, case.simplified, &values);
            if !raw.is_finite() {
                continue; // the unsimplified form overflowed; the value is not comparable
            }
            let scale = raw.abs().max(simplified.abs()).max(1.0);
            assert!(
                (raw - simplified).abs() <= 1e-12 * scale,
                "{}: raw {raw} vs simplified {simplified} ({})",
                case.origin,
                Text::new(&dag, case.simplified)
            );
            compared += 1;
        }
        assert_eq!(
            simplify(&mut dag, case.simplified),
            case.simplified,
            "{}: not idempotent",
            case.origin
        );
    }
    assert!(
        compared >= 5 * cases.len() * 9 / 10,
        "too few finite comparisons: {compared}"
    );
}

#[test]
fn printed_forms_are_identical_across_runs() {
    let print = || {
        let (dag, cases, _) = corpus();
        cases
            .iter()
            .map(|c| format!("{} = {}", c.origin, Text::new(&dag, c.simplified)))
            .collect::<Vec<_>>()
    };
    assert_eq!(print(), print());
}

#[test]
fn simplification_shrinks_the_corpus() {
    let (dag, cases, _) = corpus();
    let raw: Vec<NodeId> = cases.iter().map(|c| c.raw).collect();
    let simplified: Vec<NodeId> = cases.iter().map(|c| c.simplified).collect();
    let (raw_ops, simplified_ops) = (dag.reachable(&raw).len(), dag.reachable(&simplified).len());
    println!(
        "corpus: {} derivatives, {raw_ops} distinct nodes unsimplified, {simplified_ops} simplified",
        cases.len()
    );
    assert!(simplified_ops < raw_ops);
}

/// Whether `id` is a negative power, or a product with one: a fraction.
fn is_fraction(dag: &Dag, id: NodeId) -> bool {
    let negative_power = |f: NodeId| match dag.node(f) {
        Node::Pow([_, e]) => matches!(dag.node(*e), Node::Number(r) if r.is_negative()),
        _ => false,
    };
    match dag.node(id) {
        Node::Mul(factors) => factors.iter().any(|&f| negative_power(f)),
        _ => negative_power(id),
    }
}

/// Whether the expression holds a product with a sum of fractions among its factors: what the
/// cancellation pass expands and re-factors.
fn cancellation_applies(dag: &Dag, id: NodeId) -> bool {
    dag.reachable(&[id]).into_iter().any(|n| match dag.node(n) {
        Node::Mul(factors) => factors.iter().any(|&f| match dag.node(f) {
            Node::Add(terms) => terms.iter().any(|&t| is_fraction(dag, t)),
            _ => false,
        }),
        _ => false,
    })
}

#[test]
fn cancellation_never_prints_longer_than_the_product_it_started_from() {
    let (dag, cases, _) = corpus();
    let (mut longer, mut checked) = (Vec::new(), 0);
    for case in cases.iter().filter(|c| cancellation_applies(&dag, c.raw)) {
        checked += 1;
        let raw = Text::new(&dag, case.raw).to_string();
        let simplified = Text::new(&dag, case.simplified).to_string();
        if simplified.chars().count() > raw.chars().count() {
            longer.push(format!("{}:\n  {raw}\n  {simplified}", case.origin));
        }
    }
    assert!(
        checked >= 5,
        "only {checked} derivatives hold a sum of fractions"
    );
    assert!(longer.is_empty(), "printed longer:\n{}", longer.join("\n"));
}
