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

/// Each definition as `name[indices] = body`, in the model's (dependency) order.
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
