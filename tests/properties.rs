//! Property tests over seeded random models: networks and free-standing definitions built from
//! every operator (`+ - * / ^`, unary minus), every function of the language, numbers, `pi` and
//! `e`, with shared vertices and several paths between vertices. For each case:
//!
//! 1. path form and factored form agree to 1e-12 relative (where the paths were enumerated),
//!    relative to the size of the numbers the path sum adds up (see [`magnitude`]);
//! 2. the factored gradient matches central finite differences (step 1e-6, atol 1e-5, rtol 1e-3)
//!    at points away from kinks and poles (every argument of relu, abs, step, sign, log, sqrt,
//!    a negative or fractional power and tan at least [`MARGIN`] from its bad point);
//! 3. every printed formula (ASCII) re-parses as `g = <formula>` and evaluates to the same value
//!    (1e-12, relative in the same sense);
//! 4. simplification is idempotent on every definition and every derivative.
//!
//! `cargo test` runs [`DEFAULT_CASES`] cases; a longer run is
//! `SYMDIFF_PROPTEST_CASES=100000 cargo test --release --test properties`
//! (`SYMDIFF_PROPTEST_SEED` picks another seed).

mod common;

use common::{assert_gradcheck, Rng};
use std::collections::{BTreeMap, HashMap};
use symdiff::core::{
    evaluate, numerics, simplify, Analysis, Dag, Func, Node, NodeId, Notation, Point, Text,
};

/// Cases `cargo test` runs.
const DEFAULT_CASES: usize = 2000;
/// How far (in the argument) a point must stay from a kink or pole to be finite-differenced.
const MARGIN: f64 = 1e-3;
/// Points with values or gradients larger than this are skipped: central differences lose
/// `f64` precision there (rounding error ≈ 1e-16·|f|/step).
const LARGE: f64 = 1e4;
/// Points tried per case before giving up on finding a smooth one.
const TRIES: usize = 20;

fn cases() -> usize {
    std::env::var("SYMDIFF_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

fn seed() -> u64 {
    std::env::var("SYMDIFF_PROPTEST_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

fn pick(rng: &mut Rng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// What a generated case used, to show that every operation was exercised.
#[derive(Default)]
struct Coverage(BTreeMap<&'static str, usize>);

impl Coverage {
    fn add(&mut self, what: &'static str) {
        *self.0.entry(what).or_default() += 1;
    }
}

/// A random leaf: a name already defined or declared, or a constant.
fn leaf(rng: &mut Rng, names: &[String], used: &mut Coverage) -> String {
    match pick(rng, 10) {
        0 => {
            used.add("integer");
            format!("{}", pick(rng, 5))
        }
        1 => {
            used.add("decimal");
            ["0.5", "1.25", "2.5e-1", "3e0", "0.1"][pick(rng, 5)].to_string()
        }
        2 => {
            used.add("pi/e");
            ["pi", "e"][pick(rng, 2)].to_string()
        }
        _ => names[pick(rng, names.len())].clone(),
    }
}

/// A random expression over `names` of at most `depth` operator levels.
fn expr(rng: &mut Rng, names: &[String], depth: usize, used: &mut Coverage) -> String {
    if depth == 0 || pick(rng, 5) == 0 {
        return leaf(rng, names, used);
    }
    let mut sub = |rng: &mut Rng| expr(rng, names, depth - 1, used);
    match pick(rng, 9) {
        0..=3 => {
            let f = Func::ALL[pick(rng, Func::ALL.len())];
            let a = sub(rng);
            used.add(f.name());
            format!("{}({a})", f.name())
        }
        4 => {
            let (a, b) = (sub(rng), sub(rng));
            used.add("+");
            format!("{a} + {b}")
        }
        5 => {
            let (a, b) = (sub(rng), sub(rng));
            used.add("-");
            format!("({a}) - ({b})")
        }
        6 => {
            let (a, b) = (sub(rng), sub(rng));
            if pick(rng, 2) == 0 {
                used.add("*");
                format!("({a}) * ({b})")
            } else {
                used.add("/");
                format!("({a}) / ({b})")
            }
        }
        7 => {
            let a = sub(rng);
            let exponent = match pick(rng, 7) {
                0 => "2".to_string(),
                1 => "3".to_string(),
                2 => "-1".to_string(),
                3 => "(-2)".to_string(),
                4 => "(1/2)".to_string(),
                5 => "1.5".to_string(),
                _ => format!("({})", sub(rng)),
            };
            used.add("^");
            format!("({a})^{exponent}")
        }
        _ => {
            let a = sub(rng);
            used.add("unary -");
            format!("-({a})")
        }
    }
}

/// A random case: even indices a network with params (a loss over an output), odd ones
/// free-standing definitions differentiated with respect to their inputs. Every definition may
/// use every earlier name, so vertices are shared and several paths lead to most variables.
/// Returns the source and the name to differentiate.
fn model_source(rng: &mut Rng, index: usize, used: &mut Coverage) -> (String, String) {
    let count = 2 + pick(rng, 5);
    if index.is_multiple_of(2) {
        let mut names: Vec<String> = ["x1", "x2", "p1", "p2", "p3"].map(String::from).to_vec();
        let mut src =
            format!("network n{index} {{\n  input x1, x2\n  target t\n  param p1, p2, p3\n");
        for k in 1..=count {
            src += &format!("  v{k} = {}\n", expr(rng, &names, 3, used));
            names.push(format!("v{k}"));
        }
        let last = count;
        let before = count - 1;
        src += &format!("  output y = v{last} + p1*v{before}\n  loss E = 1/2*(t - y)^2\n}}\n");
        (src, "E".into())
    } else {
        let mut names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let mut src = String::new();
        for k in 1..=count {
            src += &format!("v{k} = {}\n", expr(rng, &names, 3, used));
            names.push(format!("v{k}"));
        }
        // Tie every vertex into the last, so all paths end at one place.
        let all: Vec<String> = (1..count).map(|k| format!("v{k}")).collect();
        src += &format!("z = v{count} * ({} + 1)\n", all.join(" + "));
        (src, "z".into())
    }
}

/// Parses a generated source and differentiates `of` with respect to the default variables.
fn analyse(src: &str, of: &str) -> Analysis {
    let parsed = symdiff::grammar::parse("gen.sd", src)
        .unwrap_or_else(|d| panic!("{}", d.render("gen.sd", src)));
    let model = parsed.models.into_iter().next().expect("one model");
    Analysis::new(model, Some(of), None, 64).expect("of and wrt resolve")
}

/// The value of every node under `roots`, in one bottom-up sweep.
fn node_values(dag: &Dag, roots: &[NodeId], values: &[f64]) -> HashMap<NodeId, f64> {
    let mut value: HashMap<NodeId, f64> = HashMap::new();
    for id in dag.reachable(roots) {
        let arg = |k: usize| value[&dag.node(id).children()[k]];
        let v = match dag.node(id) {
            Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => {
                evaluate(dag, id, values)
            }
            Node::Add(terms) => terms.iter().map(|t| value[t]).sum(),
            Node::Mul(factors) => factors.iter().map(|f| value[f]).product(),
            Node::Pow(_) => numerics::power(arg(0), arg(1)),
            Node::Call(func, _) => numerics::apply(*func, arg(0)),
        };
        value.insert(id, v);
    }
    value
}

/// Whether every argument of a non-smooth or singular operation in the model's definitions is at
/// least [`MARGIN`] from its bad point, so that `x ± step` stays on one smooth piece.
fn away_from_kinks(a: &Analysis, values: &[f64]) -> bool {
    let dag = &a.model.dag;
    let roots: Vec<NodeId> = a.model.definitions().iter().map(|&(_, rhs)| rhs).collect();
    let at = node_values(dag, &roots, values);
    dag.reachable(&roots).into_iter().all(|id| {
        let value = |k: usize| at[&dag.node(id).children()[k]];
        match dag.node(id) {
            Node::Call(f, _) => {
                let x = value(0);
                match f {
                    Func::Relu | Func::Abs | Func::Step | Func::Sign => x.abs() > MARGIN,
                    Func::Log | Func::Sqrt => x > MARGIN,
                    Func::Tan => x.cos().abs() > MARGIN,
                    Func::Exp
                    | Func::Sin
                    | Func::Cos
                    | Func::Tanh
                    | Func::Sigmoid
                    | Func::Softplus => true,
                    // Smooth everywhere; scalar models never hold them.
                    Func::Sum | Func::LogSumExp => true,
                }
            }
            Node::Pow([_, exponent]) => {
                let base = value(0);
                match dag.as_number(*exponent) {
                    Some(r) if r.to_f64().fract() == 0.0 && r.to_f64() >= 0.0 => true,
                    Some(r) if r.to_f64().fract() == 0.0 => base.abs() > MARGIN,
                    _ => base > MARGIN,
                }
            }
            Node::Number(_)
            | Node::Float(_)
            | Node::Constant(_)
            | Node::Symbol(_)
            | Node::Add(_)
            | Node::Mul(_) => true,
        }
    })
}

/// Whether a point is usable: finite, moderate, away from kinks, and where finite differences
/// agree with themselves at two step sizes.
fn smooth(a: &Analysis, point: &Point) -> bool {
    let e = a.evaluate(point);
    e.value.is_finite()
        && e.value.abs() < LARGE
        && e.gradient.iter().all(|g| g.is_finite() && g.abs() < LARGE)
        && away_from_kinks(a, e.point.as_slice())
        && common::finite_differences_are_stable(a, point)
}

/// The size of the numbers an evaluation of `root` adds up: sums and products taken over
/// absolute values (`|a| + |b|` for `a + b`), every other node at its absolute value. A result
/// that cancels (`v5·(t - y) - (t - y)·sqrt(log(x2))/p1`, exactly 0) has no relative accuracy
/// in any evaluation order; rounding errors are relative to this size instead.
fn magnitude(dag: &Dag, root: NodeId, values: &[f64]) -> f64 {
    let value = node_values(dag, &[root], values);
    let mut size: HashMap<NodeId, f64> = HashMap::new();
    for id in dag.reachable(&[root]) {
        let m = match dag.node(id) {
            Node::Add(terms) => terms.iter().map(|t| size[t]).sum(),
            Node::Mul(factors) => factors.iter().map(|f| size[f]).product(),
            Node::Number(_)
            | Node::Float(_)
            | Node::Constant(_)
            | Node::Symbol(_)
            | Node::Pow(_)
            | Node::Call(..) => value[&id].abs(),
        };
        size.insert(id, m);
    }
    size[&root]
}

/// Property 1: path form against factored form, 1e-12 relative. Returns how many were compared.
fn paths_agree(a: &Analysis, point: &Point, what: &str) -> usize {
    let e = a.evaluate(point);
    let mut compared = 0;
    for (i, g) in a.derivation.gradients.iter().enumerate() {
        let Some(paths) = &g.path_sum else { continue };
        let path = evaluate(&a.model.dag, paths.formula, e.point.as_slice());
        let factored = e.gradient[i];
        let scale = magnitude(&a.model.dag, paths.formula, e.point.as_slice())
            .max(path.abs())
            .max(factored.abs());
        assert!(
            (path - factored).abs() <= 1e-12 * scale,
            "{what}: d/d{}: path form {path} vs factored form {factored}",
            a.model.name_of(g.wrt)
        );
        compared += 1;
    }
    compared
}

/// Property 3: each enumerated path sum printed in ASCII re-parses and evaluates to the same
/// value. Returns how many formulas were re-parsed.
fn printed_formulas_reparse(a: &Analysis, point: &Point, what: &str) -> usize {
    let e = a.evaluate(point);
    let mut reparsed = 0;
    for g in &a.derivation.gradients {
        let Some(paths) = &g.path_sum else { continue };
        let printed = Text::new(&a.model.dag, paths.formula)
            .notation(Notation::Ascii)
            .to_string();
        let src = format!("g = {printed}\n");
        let parsed = symdiff::grammar::parse("printed.sd", &src).unwrap_or_else(|d| {
            panic!(
                "{what}: printed formula does not parse:\n{}",
                d.render("printed.sd", &src)
            )
        });
        let model = parsed.models.into_iter().next().expect("one model");
        let b = Analysis::new(model, Some("g"), Some(&[]), 0).expect("g is defined");
        let mut p = b.default_point();
        for s in b.model.leaves() {
            let name = b.model.name_of(s);
            let original = a.model.dag.find_symbol(name).unwrap_or_else(|| {
                panic!("{what}: `{name}` in `{printed}` is not a name of the model")
            });
            b.assign(&mut p, name, e.point.get(original))
                .expect("a leaf");
        }
        let again = b.evaluate(&p).value;
        let value = evaluate(&a.model.dag, paths.formula, e.point.as_slice());
        let scale = magnitude(&a.model.dag, paths.formula, e.point.as_slice())
            .max(value.abs())
            .max(again.abs());
        assert!(
            (again - value).abs() <= 1e-12 * scale || (again.is_nan() && value.is_nan()),
            "{what}: d/d{} printed as `{printed}` evaluates to {again}, not {value}",
            a.model.name_of(g.wrt)
        );
        reparsed += 1;
    }
    reparsed
}

/// Property 4: simplify is idempotent on every definition and every derivative.
fn simplify_is_idempotent(a: &mut Analysis, what: &str) {
    let mut roots: Vec<NodeId> = a.model.definitions().iter().map(|&(_, rhs)| rhs).collect();
    for g in &a.derivation.gradients {
        roots.push(g.factored);
        if let Some(p) = &g.path_sum {
            roots.push(p.formula);
        }
    }
    let dag = &mut a.model.dag;
    for root in roots {
        let once = simplify(dag, root);
        let twice = simplify(dag, once);
        assert_eq!(
            once,
            twice,
            "{what}: simplify is not idempotent: `{}` then `{}`",
            Text::new(dag, once),
            Text::new(dag, twice)
        );
    }
}

#[test]
fn generated_models_satisfy_every_property() {
    let started = std::time::Instant::now();
    let mut rng = Rng::new(seed());
    let mut used = Coverage::default();
    let (mut path_checks, mut fd_points, mut reparsed, mut no_smooth_point) = (0, 0, 0, 0);
    let n = cases();
    for index in 0..n {
        let (src, of) = model_source(&mut rng, index, &mut used);
        let mut a = analyse(&src, &of);
        let mut found = false;
        for _ in 0..TRIES {
            let point = common::random_point(&a, &mut rng, -2.0, 2.0);
            if !smooth(&a, &point) {
                continue;
            }
            path_checks += paths_agree(&a, &point, &src);
            assert_gradcheck(&a, &point, &src);
            reparsed += printed_formulas_reparse(&a, &point, &src);
            fd_points += 1;
            found = true;
            break;
        }
        no_smooth_point += usize::from(!found);
        simplify_is_idempotent(&mut a, &src);
    }
    eprintln!(
        "{n} cases in {:.1?}: {fd_points} gradient checks against finite differences, \
         {path_checks} path/factored comparisons, {reparsed} printed formulas re-parsed, \
         {no_smooth_point} cases without a smooth point in {TRIES} tries; operations used: {:?}",
        started.elapsed(),
        used.0
    );
    for f in Func::ALL {
        assert!(
            used.0.get(f.name()).copied().unwrap_or(0) > 0,
            "{} never generated",
            f.name()
        );
    }
    for op in [
        "+", "-", "*", "/", "^", "unary -", "integer", "decimal", "pi/e",
    ] {
        assert!(
            used.0.get(op).copied().unwrap_or(0) > 0,
            "{op} never generated"
        );
    }
    // Most cases must be checked numerically, not skipped.
    assert!(
        fd_points * 10 >= n * 7,
        "only {fd_points} of {n} cases had a smooth point"
    );
    assert!(path_checks >= fd_points, "path form compared too rarely");
}

/// Found by the generator: `sqrt(sigmoid(a)^2)` simplified to `abs(sigmoid(a))`, and only a
/// second pass removed the `abs`.
#[test]
fn simplify_of_a_square_root_of_a_square_is_idempotent() {
    let src = "v1 = sqrt((sigmoid(a))^2)\nz = v1 * b\n";
    let mut a = analyse(src, "z");
    simplify_is_idempotent(&mut a, src);
    let rhs = a.model.vertex_named("v1").unwrap().definition.unwrap();
    let once = simplify(&mut a.model.dag, rhs);
    assert_eq!(Text::new(&a.model.dag, once).to_string(), "sigmoid(a)");
}
