//! Indexed layers through the public entry point: the DESIGN.md example lowers into an indexed
//! model with the declared shapes, the bound indices and the Σ bodies the slides write.

use symdiff_core::indexed::{IndexedModel, Initializer};
use symdiff_core::{Role, Text};
use symdiff_grammar::parse;

const TWO_LAYER: &str = "
network two_layer {
    dim I = 3, J = 3, K = 4          # optional named sizes
    input  x[I]
    target t[K]
    param  w1[J, I] = uniform(-0.5, 0.5), b1[J] = 0   # w1[j, i]: input i -> hidden j
    param  w2[K, J] = glorot
    s[j] = sum(i, w1[j, i] * x[i]) + b1[j]
    h[j] = sigmoid(s[j])
    z[k] = sum(j, w2[k, j] * h[j])
    output o[k] = sigmoid(z[k])
    loss E = 1/2 * sum(k, (t[k] - o[k])^2)
}
";

fn only(text: &str) -> IndexedModel {
    let parsed = parse("t.sd", text).unwrap_or_else(|e| panic!("{}", e.render("t.sd", text)));
    assert!(parsed.models.is_empty(), "no scalar model");
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.indexed.len(), 1);
    parsed.indexed.into_iter().next().unwrap()
}

/// Each definition as `name[indices] = body`, in the model's (dependency) order, as core's
/// text printer writes it (lowering never simplifies: `max(a, 0)` is `a + relu(0 - a)`).
fn definitions(model: &IndexedModel) -> Vec<String> {
    model
        .definitions()
        .iter()
        .map(|d| {
            format!(
                "{} = {}",
                model.dag.name(d.element),
                Text::new(&model.dag, d.body)
            )
        })
        .collect()
}

#[test]
fn the_design_example_lowers_into_an_indexed_model() {
    let model = only(TWO_LAYER);
    assert_eq!(model.name(), "two_layer");
    let arrays: Vec<(String, Role, Vec<usize>, Option<Initializer>)> = model
        .arrays()
        .iter()
        .map(|a| {
            (
                model.dag.name(a.symbol).to_string(),
                a.role,
                a.shape.clone(),
                a.init.clone(),
            )
        })
        .collect();
    assert_eq!(
        arrays,
        [
            ("x".into(), Role::Input, vec![3], None),
            ("t".into(), Role::Target, vec![4], None),
            (
                "w1".into(),
                Role::Param,
                vec![3, 3],
                Some(Initializer::Uniform {
                    low: -0.5,
                    high: 0.5
                })
            ),
            (
                "b1".into(),
                Role::Param,
                vec![3],
                Some(Initializer::Constant(0.0))
            ),
            (
                "w2".into(),
                Role::Param,
                vec![4, 3],
                Some(Initializer::Glorot)
            ),
        ]
    );
    assert_eq!(
        definitions(&model),
        [
            "s[j] = (Σ_i w1[j,i]·x[i]) + b1[j]",
            "h[j] = sigmoid(s[j])",
            "z[k] = Σ_j w2[k,j]·h[j]",
            "o[k] = sigmoid(z[k])",
            "E = (Σ_k (t[k] - o[k])^2)/2",
        ]
    );
    assert_eq!(model.loss().role, Role::Loss);
    assert_eq!(model.output().map(|o| model.dag.name(o)), Some("o"));
    assert_eq!(model.param_count(), 9 + 3 + 12);
}

#[test]
fn an_index_bound_again_with_another_range_gets_a_prime() {
    // `k` ranges over 4 in `a` and over 2 in `b`: in the model an index is one variable with
    // one range, so the second is `k′`; a `k` of range 4 is `k` again.
    let model = only(
        "network n {
            input x[4], y[2]
            a[k] = x[k]^2
            b[k] = y[k] * sum(m, a[m])
            loss E = sum(k, b[k]) + sum(k, a[k])
        }",
    );
    assert_eq!(
        definitions(&model),
        [
            "a[k] = x[k]^2",
            "b[k′] = y[k′]·(Σ_m a[m])",
            "E = (Σ_k′ b[k′]) + (Σ_k a[k])",
        ]
    );
    let extent = |name: &str| model.extent(model.dag.find_symbol(name).unwrap());
    assert_eq!((extent("k"), extent("k′"), extent("m")), (4, 2, 4));
}

#[test]
fn fixed_elements_lists_and_random_initializers() {
    let model = only(
        "network n {
            dim H = 2
            input x[3]
            param w[H, 3] = [[0.1, 0.2, 0.3], [-0.4, 0.5, 6e-1]], c = normal(0, 0.1)
            param v[3, H] = he, u[H] = -1
            h[j] = max(sum(i, w[j, i] * x[i]), 0) + min(u[j], c)
            loss E = (h[1] - h[2])^2 + v[3, 2] * x[2]
        }",
    );
    let init = |name: &str| {
        let a = model.array(model.dag.find_symbol(name).unwrap()).unwrap();
        (a.shape.clone(), a.init.clone())
    };
    assert_eq!(
        init("w"),
        (
            vec![2, 3],
            Some(Initializer::Values(vec![0.1, 0.2, 0.3, -0.4, 0.5, 0.6]))
        )
    );
    assert_eq!(
        init("c"),
        (vec![], Some(Initializer::Normal { mean: 0.0, sd: 0.1 }))
    );
    assert_eq!(init("v"), (vec![3, 2], Some(Initializer::He)));
    assert_eq!(init("u"), (vec![2], Some(Initializer::Constant(-1.0))));
    assert_eq!(
        definitions(&model),
        [
            "h[j] = ((Σ_i w[j,i]·x[i]) + relu(0 - (Σ_i w[j,i]·x[i]))) + (u[j] - relu(u[j] - c))",
            "E = (h[1] - h[2])^2 + v[3,2]·x[2]",
        ]
    );
}

#[test]
fn softmax_through_logsumexp() {
    let model = only(
        "network softmax {
            input z[3]
            target t[3]
            p[k] = exp(z[k] - logsumexp(m, z[m]))
            output o[k] = p[k]
            loss E = -sum(k, t[k] * log(p[k]))
        }",
    );
    assert_eq!(
        definitions(&model),
        [
            "p[k] = exp(z[k] - logsumexp_m(z[m]))",
            "o[k] = p[k]",
            "E = -(Σ_k t[k]·log(p[k]))",
        ]
    );
}

#[test]
fn a_scalar_network_beside_an_indexed_one_stays_a_scalar_model() {
    let text = "network s {\n input x\n param w\n loss E = max(w * x, 0)\n}\n\
                network v {\n input x[2]\n param w[2]\n loss E = sum(i, w[i] * x[i])\n}\n";
    let parsed = parse("t.sd", text).unwrap();
    assert_eq!(parsed.models.len(), 1);
    assert_eq!(parsed.models[0].name(), Some("s"));
    assert_eq!(parsed.indexed.len(), 1);
    assert_eq!(parsed.indexed[0].name(), "v");
    // Where a front end without indexed layers points: `v`'s first subscript.
    assert_eq!(&text[parsed.indexed_at[0].clone()], "[2]");
}

#[test]
fn max_and_min_keep_the_tie_on_their_first_argument() {
    use symdiff_core::Analysis;
    let parsed = parse("t.sd", "y = max(a, b) + 10 * min(c, d)\n").unwrap();
    let model = parsed.models.into_iter().next().unwrap();
    let wrt: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let analysis = Analysis::new(model, Some("y"), Some(&wrt), 16).unwrap();
    let mut point = analysis.default_point();
    for name in ["a", "b", "c", "d"] {
        analysis.assign(&mut point, name, 1.5).unwrap();
    }
    let e = analysis.evaluate(&point);
    assert_eq!(e.value, 1.5 + 15.0);
    assert_eq!(e.gradient, [1.0, 0.0, 10.0, 0.0]);
}
