//! The index-form derivation on the lecture's two-layer sigmoid network (built with the
//! builder, as the grammar lowers it): the slides' formulas for ∂E/∂w2[k,j] and ∂E/∂w1[j,i].

use symdiff_core::indexed::{IndexedDerivation, IndexedModel, Sub};
use symdiff_core::{Func, Rational, Role, Simplifier, Text};

/// `network two_layer` of DESIGN.md, "Indexed layers" (I = 3, J = 3, K = 4).
fn two_layer() -> IndexedModel {
    let mut b = IndexedModel::builder("two_layer");
    b.declare("x", Role::Input, &[3], None).unwrap();
    b.declare("t", Role::Target, &[4], None).unwrap();
    b.declare("w1", Role::Param, &[3, 3], None).unwrap();
    b.declare("b1", Role::Param, &[3], None).unwrap();
    b.declare("w2", Role::Param, &[4, 3], None).unwrap();
    let (i, j, k) = (b.index("i", 3), b.index("j", 3), b.index("k", 4));
    let w1 = b.element("w1", &[Sub::Index(j), Sub::Index(i)]);
    let x = b.element("x", &[Sub::Index(i)]);
    let wx = b.dag().mul(vec![w1, x]);
    let sum = b.sum(i, wx);
    let b1 = b.element("b1", &[Sub::Index(j)]);
    let s = b.dag().add(vec![sum, b1]);
    b.define("s", Role::Intermediate, &[j], s).unwrap();
    let sj = b.element("s", &[Sub::Index(j)]);
    let h = b.dag().call(Func::Sigmoid, vec![sj]);
    b.define("h", Role::Intermediate, &[j], h).unwrap();
    let w2 = b.element("w2", &[Sub::Index(k), Sub::Index(j)]);
    let hj = b.element("h", &[Sub::Index(j)]);
    let wh = b.dag().mul(vec![w2, hj]);
    let z = b.sum(j, wh);
    b.define("z", Role::Intermediate, &[k], z).unwrap();
    let zk = b.element("z", &[Sub::Index(k)]);
    let o = b.dag().call(Func::Sigmoid, vec![zk]);
    b.define("o", Role::Output, &[k], o).unwrap();
    let tk = b.element("t", &[Sub::Index(k)]);
    let ok = b.element("o", &[Sub::Index(k)]);
    let diff = b.dag().sub(tk, ok);
    let sq = b.dag().powi(diff, 2);
    let total = b.sum(k, sq);
    let half = b.dag().number(Rational::new(1, 2).unwrap());
    let e = b.dag().mul(vec![half, total]);
    b.define("E", Role::Loss, &[], e).unwrap();
    b.finish().unwrap()
}

fn closed_form(model: &mut IndexedModel, d: &IndexedDerivation, name: &str) -> String {
    let vertex = model.dag.find_symbol(name).unwrap();
    let templates = d.path_templates(model, vertex);
    let mut terms = Vec::new();
    for t in &templates {
        let product = model.dag.mul(t.locals.clone());
        terms.push(symdiff_core::indexed::sum_over_public(
            model, &t.sums, product,
        ));
    }
    let sum = model.dag.add(terms);
    let mut simplifier = Simplifier::default();
    let s = symdiff_core::indexed::tidy(model, &mut simplifier, sum);
    let chains: Vec<String> = templates.iter().map(|t| t.chain.join("·")).collect();
    format!("{} = {}", chains.join(" + "), Text::new(&model.dag, s))
}

#[test]
fn two_layer_formulas_are_the_slides() {
    let mut model = two_layer();
    let d = IndexedDerivation::new(&mut model);
    for a in d.adjoints() {
        eprintln!(
            "{} = {}",
            model.dag.name(a.symbol),
            Text::new(&model.dag, a.formula)
        );
    }
    eprintln!("{}", closed_form(&mut model, &d, "w2"));
    eprintln!("{}", closed_form(&mut model, &d, "w1"));
    panic!("look");
}
