//! The params as one vector: `impl ParamVector for Params` (symdiff-runtime's trait, which the
//! optimizers step), and the inherent `Params::to_vec` / `Params::from_slice` of the
//! network! contract. A scalar param is a slice of one element; an array param its elements,
//! row-major, borrowed where they lie (the in-place view an optimizer updates).

use std::fmt::Write;

/// The path of symdiff's run-time library in generated code.
pub(super) const RUNTIME: &str = "::symdiff::runtime";

/// One param as the trait sees it: its field and whether it is an array (a `Vec` of rows,
/// flattened) or a scalar.
pub(super) struct VectorField<'a> {
    /// The field's identifier.
    pub ident: &'a str,
    /// `None` for a scalar; the array's rank otherwise (1: `Vec<F>`, 2: `Vec<[F; C]>`, ...).
    pub rank: Option<usize>,
}

/// `impl ParamVector for Params` and `impl Params { to_vec, from_slice }`; `len` is the number
/// of scalars, `zeros` the expression of an all-zero `Params`.
pub(super) fn write_param_vector(
    out: &mut String,
    ty: &str,
    fields: &[VectorField],
    len: usize,
    zeros: &str,
) {
    let _ = writeln!(
        out,
        "impl {RUNTIME}::ParamVector for Params {{\ntype Float = {ty};\nconst LEN: usize = {len};"
    );
    for (name, reference) in [("slices", "&"), ("slices_mut", "&mut ")] {
        let _ = write!(
            out,
            "fn {name}(&{}self) -> impl Iterator<Item = {reference}[{ty}]> {{\n[",
            &reference[1..]
        );
        for f in fields {
            out.push_str(&field_slice(
                &["self.", f.ident].concat(),
                f.rank,
                reference != "&",
            ));
            out.push_str(", ");
        }
        out.push_str("].into_iter()\n}\n");
    }
    let _ = writeln!(out, "fn zeros() -> Self {{\n{zeros}\n}}\n}}\n");
    let _ = writeln!(
        out,
        "impl Params {{\n\
         #[doc = r\" All {len} params as one vector: declaration order, each array row-major.\"]\n\
         pub fn to_vec(&self) -> Vec<{ty}> {{\n{RUNTIME}::ParamVector::flat_vec(self)\n}}\n\
         #[doc = r\" The params from one vector in the order of `to_vec`; panics, naming the\"]\n\
         #[doc = r\" expected length ({len}), on a slice of another length.\"]\n\
         pub fn from_slice(values: &[{ty}]) -> Params {{\n\
         let mut params: Params = {RUNTIME}::ParamVector::zeros();\n\
         {RUNTIME}::ParamVector::set_from_slice(&mut params, values);\nparams\n}}\n}}\n"
    );
}

/// A field's values as a slice: `::core::slice::from_ref(&FIELD)` for a scalar, `FIELD` as a
/// slice for a vector, flattened once per further dimension for an array of rows.
pub(super) fn field_slice(field: &str, rank: Option<usize>, mutable: bool) -> String {
    let (slice, flatten, whole) = if mutable {
        ("from_mut(&mut ", ".as_flattened_mut()", ".as_mut_slice()")
    } else {
        ("from_ref(&", ".as_flattened()", ".as_slice()")
    };
    match rank {
        None | Some(0) => format!("::core::slice::{slice}{field})"),
        Some(rank) => {
            let mut text = field.to_string();
            if rank == 1 {
                text.push_str(whole);
            }
            for _ in 1..rank {
                text.push_str(flatten);
            }
            text
        }
    }
}
