//! The emitter on the lecture's two-weight network, built through core alone.

use super::{network_modules, RustOptions};
use crate::analysis::Analysis;
use crate::model::{Model, ModelBuilder, Role};
use crate::op::Func;
use crate::testing::two_weights;

#[test]
fn two_weights_reads_like_backprop() {
    let code = network_modules(vec![two_weights()], &RustOptions::default(), 16)
        .unwrap()
        .to_string();
    eprintln!("{code}");
    assert!(code.contains("let h = sigmoid (s1) ;"), "{code}");
    // `1 - h` is evaluated as `sigmoid(-s1)`, which keeps its tail: the gradient binds it
    // with `h`, from one `exp` and one branch, as hand-written backprop would.
    assert!(
        code.contains("let (h , t0) = sigmoid_pair (s1) ;"),
        "{code}"
    );
    assert!(code.contains("d_h * h * t0"), "{code}");
    assert!(code.contains("let d_h ="), "{code}");
}

#[test]
fn free_definitions_are_not_a_network() {
    let mut b = ModelBuilder::free();
    let w = b.dag.node_named("w");
    let rhs = b.dag.call(Func::Exp, vec![w]);
    b.define("v", Role::Intermediate, rhs).unwrap();
    let err = network_modules(vec![b.finish().unwrap()], &RustOptions::default(), 16).unwrap_err();
    assert!(err.to_string().contains("not a network"));
}

/// `y = Σ w_k·x`, `E = (t - y)^2` with `params` weights.
fn wide(params: usize) -> Model {
    let mut b = ModelBuilder::network("wide");
    b.declare("x", Role::Input, None).unwrap();
    b.declare("t", Role::Target, None).unwrap();
    let mut terms = Vec::new();
    for k in 0..params {
        let name = format!("w{k}");
        b.declare(&name, Role::Param, None).unwrap();
        let (w, x) = (b.dag.node_named(&name), b.dag.node_named("x"));
        terms.push(b.dag.mul(vec![w, x]));
    }
    let y_rhs = b.dag.add(terms);
    b.define("y", Role::Output, y_rhs).unwrap();
    let (t, y) = (b.dag.node_named("t"), b.dag.node_named("y"));
    let err = b.dag.sub(t, y);
    let e_rhs = b.dag.powi(err, 2);
    b.define("E", Role::Loss, e_rhs).unwrap();
    b.finish().unwrap()
}

#[test]
fn wide_structs_compare_field_by_field_instead_of_one_deep_expression() {
    let emit = |n| {
        network_modules(vec![wide(n)], &RustOptions::default(), 0)
            .unwrap()
            .to_string()
    };
    let small = emit(3);
    assert!(small.contains("PartialEq"), "{small}");
    assert!(!small.contains("impl PartialEq"), "{small}");
    let large = emit(300);
    assert!(large.contains("impl PartialEq for Params"));
    assert!(large.contains("equal &= self . w299 == other . w299 ;"));
    // Input and Target (one field each) still derive it.
    assert_eq!(large.matches("impl PartialEq").count(), 1);
}

#[test]
fn gradient_docs_list_the_first_formulas_of_a_large_network_and_count_the_rest() {
    let emit = |n| {
        network_modules(vec![wide(n)], &RustOptions::default(), 0)
            .unwrap()
            .to_string()
    };
    // Factored (max_paths 0): n gradients, and n + 1 adjoints (`∂E/∂y` and one per weight).
    let bullets = |code: &str| code.matches("[doc = \" - `∂E/∂").count();
    let small = emit(100);
    assert_eq!(bullets(&small), 100 + 101);
    assert!(!small.contains(" more "), "{small}");
    let large = emit(300);
    assert_eq!(bullets(&large), 2 * super::docs::MAX_DOC_FORMULAS);
    assert!(
        large.contains("- ... and 44 more gradients (`symdiff grad` prints every formula)"),
        "{large}"
    );
    assert!(large.contains("- ... and 45 more adjoints"), "{large}");
}

/// `network dense` as `tests/common` writes it, built through core: `width` inputs, `depth`
/// sigmoid layers of `width` units fully connected to the previous layer, one linear output,
/// squared loss.
fn dense(width: usize, depth: usize) -> Model {
    let mut b = ModelBuilder::network("dense");
    let mut previous: Vec<String> = (1..=width).map(|i| format!("x{i}")).collect();
    for x in &previous {
        b.declare(x, Role::Input, None).unwrap();
    }
    b.declare("t", Role::Target, None).unwrap();
    let weighted = |b: &mut ModelBuilder, name: String, inputs: &[String]| {
        let terms = inputs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let w = format!("{name}_{}", i + 1);
                b.declare(&w, Role::Param, Some(0.1)).unwrap();
                let (w, p) = (b.dag.node_named(&w), b.dag.node_named(p));
                b.dag.mul(vec![w, p])
            })
            .collect();
        b.dag.add(terms)
    };
    for layer in 1..=depth {
        let mut current = Vec::new();
        for j in 1..=width {
            let rhs = weighted(&mut b, format!("w{layer}_{j}"), &previous);
            let (s, h) = (format!("s{layer}_{j}"), format!("h{layer}_{j}"));
            b.define(&s, Role::Intermediate, rhs).unwrap();
            let s = b.dag.node_named(&s);
            let rhs = b.dag.call(Func::Sigmoid, vec![s]);
            b.define(&h, Role::Intermediate, rhs).unwrap();
            current.push(h);
        }
        previous = current;
    }
    let rhs = weighted(&mut b, "v".to_string(), &previous);
    b.define("y", Role::Output, rhs).unwrap();
    let (t, y) = (b.dag.node_named("t"), b.dag.node_named("y"));
    let err = b.dag.sub(t, y);
    let sq = b.dag.powi(err, 2);
    let (one, two) = (b.dag.integer(1), b.dag.integer(2));
    let half = b.dag.div(one, two);
    let e_rhs = b.dag.mul(vec![half, sq]);
    b.define("E", Role::Loss, e_rhs).unwrap();
    b.finish().unwrap()
}

/// The items of emitted code, one per `fn`: the function's name and its definitions (`let`
/// statements other than the re-reads of params, inputs, targets and the state).
fn definitions_per_fn(code: &str) -> Vec<(String, usize)> {
    code.split(" fn ")
        .skip(1)
        .map(|item| {
            let name = item.split([' ', '(']).next().unwrap().to_string();
            let lets = item.matches("let ").count();
            let loads = ["params .", "input .", "target .", "state ."]
                .iter()
                .map(|from| item.matches(&format!("= {from}")).count())
                .sum::<usize>();
            (name, lets - loads)
        })
        .collect()
}

#[test]
fn large_bodies_are_split_into_parts_no_longer_than_the_bound() {
    // 20 inputs, 8 layers of 20: 3,220 weights.
    let model = dense(20, 8);
    let options = RustOptions::default();
    let bound = options.max_statements;
    let code = network_modules(vec![model], &options, 0)
        .unwrap()
        .to_string();
    let fns = definitions_per_fn(&code);
    let parts: Vec<&(String, usize)> = fns.iter().filter(|(n, _)| n.contains("_part_")).collect();
    for prefix in ["forward_part_", "loss_part_", "gradient_part_"] {
        assert!(
            parts.iter().filter(|(n, _)| n.starts_with(prefix)).count() >= 2,
            "no {prefix}N"
        );
    }
    // The gradient has at least one `let` per weight: over 3,220 statements in parts.
    let in_parts: usize = parts.iter().map(|(_, n)| n).sum();
    assert!(in_parts > 3_220, "{in_parts}");
    for (name, definitions) in &fns {
        assert!(*definitions <= bound, "{name}: {definitions} > {bound}");
    }
    assert!(code.contains("# [inline (never)] fn gradient_part_0 (params : & Params , input : & Input , target : & Target , grad : & mut Params , state : & mut GradientState)"));
    assert!(code.contains("struct GradientState"));
    // The field-by-field functions over every param are split too.
    for part in [
        "fn sgd_step_part_1",
        "fn batch_gradient_part_1",
        "fn eq_part_1",
    ] {
        assert!(code.contains(part), "no {part}");
    }
}

#[test]
fn bodies_within_the_bound_are_not_split() {
    let emit = |max_statements| {
        let options = RustOptions {
            max_statements,
            ..RustOptions::default()
        };
        network_modules(vec![dense(3, 2)], &options, 0)
            .unwrap()
            .to_string()
    };
    let whole = emit(0);
    assert!(!whole.contains("_part_"), "{whole}");
    assert_eq!(emit(RustOptions::MAX_STATEMENTS), whole);
    // A low bound splits even this small net, and every part stays within it.
    let split = emit(5);
    assert!(split.contains("fn gradient_part_1"), "{split}");
    for (name, definitions) in definitions_per_fn(&split) {
        assert!(definitions <= 5, "{name}: {definitions}");
    }
}

#[test]
fn numbers_beyond_f32_are_its_infinities_in_f32_code() {
    // `y = w·exp(1e39)·x` with `w = 1e39`: fine in f64, infinite in f32.
    let mut b = ModelBuilder::network("big");
    b.declare("x", Role::Input, None).unwrap();
    b.declare("t", Role::Target, None).unwrap();
    b.declare("w", Role::Param, Some(1e39)).unwrap();
    let (x, w, t) = (
        b.dag.node_named("x"),
        b.dag.node_named("w"),
        b.dag.node_named("t"),
    );
    let big = b.dag.float(1e39);
    let e = b.dag.call(Func::Exp, vec![big]);
    let y = b.dag.mul(vec![w, e, x]);
    b.define("y", Role::Output, y).unwrap();
    let y = b.dag.node_named("y");
    let err = b.dag.sub(t, y);
    let loss = b.dag.powi(err, 2);
    b.define("E", Role::Loss, loss).unwrap();
    let model = b.finish().unwrap();
    let f32_options = RustOptions {
        float: super::Float::F32,
        ..RustOptions::default()
    };
    let f32_code = network_modules(vec![model.clone()], &f32_options, 16)
        .unwrap()
        .to_string();
    assert!(f32_code.contains("f32 :: INFINITY . exp ()"), "{f32_code}");
    assert!(f32_code.contains("w : f32 :: INFINITY"), "{f32_code}");
    assert!(
        !f32_code.contains("1000000000000000000000000000000000000000"),
        "{f32_code}"
    );
    let f64_code = network_modules(vec![model], &RustOptions::default(), 16)
        .unwrap()
        .to_string();
    assert!(
        f64_code.contains("1000000000000000000000000000000000000000f64 . exp ()"),
        "{f64_code}"
    );
    assert!(!f64_code.contains("INFINITY"), "{f64_code}");
}

#[test]
fn doc_lines_escape_exactly_what_a_string_literal_needs() {
    let mut out = String::new();
    super::source::write_doc_parts(
        &mut out,
        &["`w1`, ", "a\"b\\c", "\0'", "∂E/∂w·x\u{301}\n", "·∂"],
    );
    assert_eq!(
        out,
        "#[doc = \" `w1`, a\\\"b\\\\c\\x00'∂E/∂w·x\\u{301}\\n·∂\"]\n"
    );
    // Every escape is one a string literal accepts.
    out.parse::<proc_macro2::TokenStream>().expect("lexes");
}

/// `h_k = sigmoid(w_k·x)` for two hidden units, `y = v1·h1 + v2·h2`, `E = (t - y)^2/2`: the
/// backward pass shares a product prefix (`d_y * v_k`) and the loss shares `t - y`.
fn two_hidden() -> Model {
    let mut b = ModelBuilder::network("two_hidden");
    b.declare("x", Role::Input, None).unwrap();
    b.declare("t", Role::Target, None).unwrap();
    let mut terms = Vec::new();
    for k in 1..=2 {
        let (w, v, h) = (format!("w{k}"), format!("v{k}"), format!("h{k}"));
        b.declare(&w, Role::Param, None).unwrap();
        b.declare(&v, Role::Param, None).unwrap();
        let (w, x) = (b.dag.node_named(&w), b.dag.node_named("x"));
        let s = b.dag.mul(vec![w, x]);
        let h_rhs = b.dag.call(Func::Sigmoid, vec![s]);
        b.define(&h, Role::Intermediate, h_rhs).unwrap();
        let (v, h) = (b.dag.node_named(&v), b.dag.node_named(&h));
        terms.push(b.dag.mul(vec![v, h]));
    }
    let y_rhs = b.dag.add(terms);
    b.define("y", Role::Output, y_rhs).unwrap();
    let (t, y) = (b.dag.node_named("t"), b.dag.node_named("y"));
    let err = b.dag.sub(t, y);
    let square = b.dag.powi(err, 2);
    let half = b.dag.number(crate::rational::Rational::new(1, 2).unwrap());
    let e_rhs = b.dag.mul(vec![half, square]);
    b.define("E", Role::Loss, e_rhs).unwrap();
    b.finish().unwrap()
}

#[test]
fn bodies_that_take_over_earlier_statements_print_as_if_printed_afresh() {
    // The loss body takes over the forward body's statements; the gradient body shares
    // `t - y` with the loss, so it cannot take over the loss body's, only the forward's. In
    // `two_hidden` the hidden units' logits `w_k·x` are not named, and the gradient evaluates
    // `1 - h_k` as `sigmoid(-(w_k·x))`: it binds `w_k·x`, read twice, before `h_k`, so its
    // forward statements print differently and it takes over none. In `two_weights` the
    // gradient binds `h` with its complement (`let (h, t0) = sigmoid_pair(s1);`), which the
    // forward body binds alone, so only the loss body takes over.
    let split = RustOptions {
        max_statements: 2,
        ..RustOptions::default()
    };
    for (model, options, expected) in [
        (two_weights as fn() -> Model, RustOptions::default(), 1),
        (|| wide(3), RustOptions::default(), 2),
        (two_hidden, RustOptions::default(), 1),
        (two_hidden, split, 1),
    ] {
        let code = |allowed| {
            let analysis = Analysis::for_network(model(), 16).unwrap();
            super::module::emit(&analysis, &options, allowed).unwrap()
        };
        let ((with, taken), (without, none)) = (code(true), code(false));
        assert_eq!(with, without);
        assert_eq!(taken, expected, "{with}");
        assert_eq!(none, 0);
    }
}

#[test]
fn initial_params_exist_only_when_the_source_gives_every_param_a_value() {
    let with_all = network_modules(vec![two_weights()], &RustOptions::default(), 16)
        .unwrap()
        .to_string();
    assert!(with_all.contains("pub const INITIAL : Params = Params { w1 : 1.0 , w2 : 1.0 , }"));
    // w2 without an initial value: it has none until given one, so no INITIAL is made up.
    let mut b = ModelBuilder::network("partial");
    b.declare("x", Role::Input, None).unwrap();
    b.declare("t", Role::Target, None).unwrap();
    b.declare("w1", Role::Param, Some(0.5)).unwrap();
    b.declare("w2", Role::Param, None).unwrap();
    let (x, w1, w2, t) = (
        b.dag.node_named("x"),
        b.dag.node_named("w1"),
        b.dag.node_named("w2"),
        b.dag.node_named("t"),
    );
    let y = b.dag.mul(vec![x, w1, w2]);
    b.define("y", Role::Output, y).unwrap();
    let y = b.dag.node_named("y");
    let e = b.dag.sub(t, y);
    b.define("E", Role::Loss, e).unwrap();
    let code = network_modules(vec![b.finish().unwrap()], &RustOptions::default(), 16)
        .unwrap()
        .to_string();
    assert!(!code.contains("INITIAL"), "{code}");
    assert!(code.contains("pub fn gradient"), "{code}");
}
