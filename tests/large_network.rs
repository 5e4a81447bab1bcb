//! A network large enough that `network!` splits `forward`, `loss` and `gradient` into bounded
//! parts (`RustOptions::MAX_STATEMENTS`): the split code still equals core's evaluator to 1e-12.

mod common;

use std::collections::HashMap;
use symdiff::core::{Analysis, Role};

// 310 weights: the gradient has several hundred statements, over the bound.
symdiff::network!(file = "nets/dense_10x3.sd");

fn analysis() -> Analysis {
    let path = common::root().join("tests/nets/dense_10x3.sd");
    let text = std::fs::read_to_string(&path).unwrap();
    common::analyse("dense_10x3.sd", &text, 0)
}

/// Every field of a struct by name, read back from its `Debug` output (which prints each
/// `f64` so that it parses back exactly).
fn fields(debug: &str) -> HashMap<String, f64> {
    let inner = debug
        .split_once('{')
        .and_then(|(_, rest)| rest.rsplit_once('}'))
        .map(|(inner, _)| inner)
        .expect("a braced struct");
    inner
        .split(',')
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            let (name, value) = f.split_once(':').expect("name: value");
            (
                name.trim().to_string(),
                value.trim().parse().expect("a float"),
            )
        })
        .collect()
}

#[test]
fn split_gradient_equals_the_evaluator() {
    let a = analysis();
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * (1.0 + y.abs());
    let mut params = dense_10x3::Params::INITIAL;
    let input = dense_10x3::Input {
        x1: 0.9,
        x2: -0.4,
        x3: 1.3,
        x4: 0.2,
        x5: -1.1,
        x6: 0.7,
        x7: -0.3,
        x8: 1.8,
        x9: -0.6,
        x10: 0.1,
    };
    let target = dense_10x3::Target { t: 0.25 };
    let output = a.model.with_role(Role::Output)[0];
    // At the initial params, then after steps that move every one of them.
    for _ in 0..4 {
        let mut point = a.default_point();
        let values = fields(&format!("{params:?}"));
        assert_eq!(values.len(), 310);
        for (name, &value) in fields(&format!("{params:?}"))
            .iter()
            .chain(fields(&format!("{input:?}")).iter())
            .chain(fields(&format!("{target:?}")).iter())
        {
            a.assign(&mut point, name, value).unwrap();
        }
        let symbolic = a.evaluate(&point);
        let (loss, grad) = dense_10x3::gradient(&params, &input, &target);
        assert!(
            close(loss, symbolic.value),
            "loss {loss} vs {}",
            symbolic.value
        );
        assert_eq!(dense_10x3::loss(&params, &input, &target), loss);
        let y = dense_10x3::forward(&params, &input);
        assert!(close(y, symbolic.point.get(output)), "forward {y}");
        let generated = fields(&format!("{grad:?}"));
        assert_eq!(generated.len(), 310);
        for (k, &w) in a.wrt().iter().enumerate() {
            let name = a.model.name_of(w);
            let g = generated[name];
            assert!(
                close(g, symbolic.gradient[k]),
                "d/d{name}: generated {g} vs evaluator {}",
                symbolic.gradient[k]
            );
        }
        let (total, sum) = dense_10x3::batch_gradient(&params, &[(input, target), (input, target)]);
        assert!(close(total, 2.0 * loss));
        for (name, s) in fields(&format!("{sum:?}")) {
            assert!(close(s, 2.0 * generated[&name]), "batch d/d{name}");
        }
        let before = dense_10x3::sgd_step(&mut params, &input, &target, 0.5);
        assert_eq!(before, loss);
    }
}
