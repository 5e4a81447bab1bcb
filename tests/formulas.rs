//! insta snapshots of the derived formula of every variable of every lecture example, in the
//! lecture's notation (path form while the paths are few, as `grad` prints them).

mod common;

use symdiff::core::{partial_symbol, Notation, Text};

#[test]
fn lecture_formulas() {
    for name in common::lecture_examples() {
        let a = common::analyse(&format!("{name}.sd"), &common::lecture_source(&name), 16);
        let of = a.model.name_of(a.of());
        let mut out = String::new();
        for g in &a.derivation.gradients {
            let symbol = partial_symbol(of, a.model.name_of(g.wrt), Notation::Unicode);
            out += &format!("{symbol} = {}\n", Text::new(&a.model.dag, g.formula()));
        }
        insta::assert_snapshot!(name, out);
    }
}
