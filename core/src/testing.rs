//! Models shared by core's unit tests, built through the core API alone (no grammar).

use crate::model::{Model, ModelBuilder, Role};
use crate::op::Func;

/// The lecture's two-weight network: `s1 = x_t·w1`, `h = sigmoid(s1)`, `s2 = h·w2`, `y = s2`,
/// `E = 1/2·(y_t - y)^2`, with `w1 = w2 = 1`.
pub(crate) fn two_weights() -> Model {
    let mut b = ModelBuilder::network("two_weights");
    b.declare("x_t", Role::Input, None).unwrap();
    b.declare("y_t", Role::Target, None).unwrap();
    b.declare("w1", Role::Param, Some(1.0)).unwrap();
    b.declare("w2", Role::Param, Some(1.0)).unwrap();
    let d = &mut b.dag;
    let (x_t, y_t, w1, w2) = (
        d.node_named("x_t"),
        d.node_named("y_t"),
        d.node_named("w1"),
        d.node_named("w2"),
    );
    let (s1, h, s2, y) = (
        d.node_named("s1"),
        d.node_named("h"),
        d.node_named("s2"),
        d.node_named("y"),
    );
    let s1_rhs = d.mul(vec![x_t, w1]);
    let h_rhs = d.call(Func::Sigmoid, vec![s1]);
    let s2_rhs = d.mul(vec![h, w2]);
    let one = d.integer(1);
    let two = d.integer(2);
    let half = d.div(one, two);
    let err = d.sub(y_t, y);
    let sq = d.powi(err, 2);
    let e_rhs = d.mul(vec![half, sq]);
    b.define("s1", Role::Intermediate, s1_rhs).unwrap();
    b.define("h", Role::Intermediate, h_rhs).unwrap();
    b.define("s2", Role::Intermediate, s2_rhs).unwrap();
    b.define("y", Role::Output, s2).unwrap();
    b.define("E", Role::Loss, e_rhs).unwrap();
    b.finish().unwrap()
}

mod tests {
    use super::two_weights;
    use crate::{derive, Program, Text};

    #[test]
    fn formulas_read_as_on_the_slides() {
        let mut model = two_weights();
        let of = model.default_of().unwrap();
        let wrt = model.default_wrt();
        let d = derive(&mut model, of, &wrt, 16);
        let text: Vec<String> = d
            .gradients
            .iter()
            .map(|g| Text::new(&model.dag, g.formula()).to_string())
            .collect();
        assert_eq!(text, ["-(y_t - y)·w2·h·(1 - h)·x_t", "-(y_t - y)·h"]);
    }

    #[test]
    fn values_match_the_lecture() {
        let mut model = two_weights();
        let of = model.default_of().unwrap();
        let wrt = model.default_wrt();
        let d = derive(&mut model, of, &wrt, 16);
        let mut assignments = model.definitions();
        assignments.extend(d.adjoints.assignments());
        let program = Program::compile(&model.dag, &assignments);
        let mut values = vec![f64::NAN; program.symbols_needed()];
        for (name, v) in [("x_t", 1.0), ("y_t", 1.0), ("w1", 1.0), ("w2", 1.0)] {
            values[model.dag.find_symbol(name).unwrap().index()] = v;
        }
        program.run(&mut values, &mut Vec::new());
        let get = |s: crate::Symbol| values[s.index()];
        let h = get(model.dag.find_symbol("h").unwrap());
        assert!((h - 0.731_058_578_630_004_9).abs() < 1e-15);
        let g: Vec<f64> = d
            .gradients
            .iter()
            .map(|g| get(d.adjoints.get(g.wrt).unwrap().symbol))
            .collect();
        assert!((g[0] - -0.052_877_092_784_266_4).abs() < 1e-12, "{}", g[0]);
        assert!((g[1] - -0.196_611_933_241_481_85).abs() < 1e-12, "{}", g[1]);
    }
}
