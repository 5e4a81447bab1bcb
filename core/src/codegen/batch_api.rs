//! The batch API of a scalar network: `forward_batch`, `loss_batch` and `gradient_batch` over
//! rows given as flat slices (`x`: every row's inputs in declaration order, row-major; `t`
//! likewise the targets), each row through the per-example functions, the loss and gradient
//! averaged over the rows (the network! contract).

use super::plan::Plan;
use super::source::push_all;
use super::vector::RUNTIME;
use crate::dag::Symbol;
use std::fmt::Write;

/// `forward_batch`, `loss_batch`, `gradient_batch`, and the private row readers they share.
pub(super) fn write_batch_api(out: &mut String, plan: &Plan, ty: &str) {
    let (inputs, targets) = (plan.inputs.len(), plan.targets.len());
    write_row_reader(out, plan, ty, ("Input", "input_row", "x"), &plan.inputs);
    write_row_reader(out, plan, ty, ("Target", "target_row", "t"), &plan.targets);
    write_rows(out, inputs, targets);
    let _ = write!(
        out,
        "#[doc = r\" The output of each row of `x` ({inputs} inputs per row, declaration order).\"]\n\
         pub fn forward_batch(params: &Params, x: &[{ty}]) -> Vec<{ty}> {{\n\
         let n = rows(x, None);\n\
         (0..n).map(|r| forward(params, &input_row(x, r))).collect()\n}}\n\n\
         #[doc = r\" The mean loss over the rows of `x` and `t` ({targets} targets per row).\"]\n\
         pub fn loss_batch(params: &Params, x: &[{ty}], t: &[{ty}]) -> {ty} {{\n\
         let n = rows(x, Some(t));\n\
         let total: {ty} = (0..n).map(|r| loss(params, &input_row(x, r), &target_row(t, r))).sum();\n\
         total / n as {ty}\n}}\n\n\
         #[doc = r\" The mean loss over the rows of `x` and `t`, and its gradient (the mean of the\"]\n\
         #[doc = r\" rows' gradients). Panics when `x` and `t` do not hold the same whole number\"]\n\
         #[doc = r\" of rows, or hold none.\"]\n\
         pub fn gradient_batch(params: &Params, x: &[{ty}], t: &[{ty}]) -> ({ty}, Params) {{\n\
         let n = rows(x, Some(t));\n\
         let mut total: {ty} = 0.0;\n\
         let mut sum: Params = {RUNTIME}::ParamVector::zeros();\n\
         for r in 0..n {{\n\
         let (loss, grad) = gradient(params, &input_row(x, r), &target_row(t, r));\n\
         total += loss;\n\
         {RUNTIME}::ParamVector::zip_apply(&mut sum, &grad, |s, g| s + g);\n}}\n\
         let scale = 1.0 / n as {ty};\n\
         for values in {RUNTIME}::ParamVector::slices_mut(&mut sum) {{\n\
         for v in values {{\n*v *= scale;\n}}\n}}\n\
         (total * scale, sum)\n}}\n\n"
    );
}

/// `fn input_row(x: &[F], r: usize) -> Input`: row `r` of a flat slice.
fn write_row_reader(
    out: &mut String,
    plan: &Plan,
    float: &str,
    (ty, name, arg): (&str, &str, &str),
    fields: &[Symbol],
) {
    let width = fields.len();
    let _ = write!(
        out,
        "#[inline]\nfn {name}({arg}: &[{float}], r: usize) -> {ty} {{\n{ty} {{"
    );
    for (k, &f) in fields.iter().enumerate() {
        push_all(out, &[" ", plan.names.ident(f), ": "]);
        let _ = write!(out, "{arg}[r * {width} + {k}],");
    }
    out.push_str(" }\n}\n\n");
}

/// `fn rows(x, t) -> usize`: how many rows the slices hold, checked against each other.
pub(super) fn write_rows(out: &mut String, inputs: usize, targets: usize) {
    out.push_str("fn rows<F>(x: &[F], t: Option<&[F]>) -> usize {\n");
    let _ = match (inputs, targets) {
        (0, 0) => writeln!(out, "let n = 1;"),
        (0, _) => writeln!(out, "let n = t.map_or(1, |t| t.len() / {targets});"),
        _ => writeln!(
            out,
            "assert!(x.len() % {inputs} == 0, \"x holds {{}} values, not whole rows of {inputs} inputs\", x.len());\n\
             let n = x.len() / {inputs};"
        ),
    };
    let _ = writeln!(
        out,
        "if let Some(t) = t {{\n\
         assert!(t.len() == n * {targets}, \"t holds {{}} values; {{n}} rows of {targets} targets are {{}}\", t.len(), n * {targets});\n}}\n\
         assert!(n > 0, \"no rows: a batch needs at least one\");\nn\n}}\n"
    );
}
