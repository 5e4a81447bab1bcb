//! The public functions of an indexed network's module, each a call of a kernel: per example
//! (`forward`, `loss`, `gradient`, `sgd_step`, `batch_gradient`, one row each) and per batch
//! (`forward_batch`, `loss_batch`, `gradient_batch`: rows as flat row-major slices, the loss
//! and gradient their mean).

use super::super::batch_api::write_rows;
use super::super::source::write_doc;
use super::super::vector::RUNTIME;
use super::structs::Field;
use crate::indexed::batch::BatchPlan;
use std::fmt::Write;

/// The number of values of one row of `x` and of `t`.
pub(super) struct Widths {
    pub inputs: usize,
    pub targets: usize,
}

/// `fn input_flat(&Input) -> Vec<F>` and `fn target_flat(&Target) -> Vec<F>`: one example as a
/// row.
pub(super) fn write_row_flatteners(
    out: &mut String,
    inputs: &[Field],
    targets: &[Field],
    ty: &str,
) {
    for (name, ty_name, arg, fields) in [
        ("input_flat", "Input", "input", inputs),
        ("target_flat", "Target", "target", targets),
    ] {
        let width: usize = fields.iter().map(Field::len).sum();
        let _ = writeln!(
            out,
            "fn {name}({arg}: &{ty_name}) -> Vec<{ty}> {{\nlet mut row = Vec::with_capacity({width});"
        );
        for f in fields {
            let _ = writeln!(out, "row.extend_from_slice({});", f.slice(arg, false));
        }
        out.push_str("row\n}\n\n");
    }
}

/// The public functions, `docs` (the index formulas) in `gradient`'s and `gradient_batch`'s
/// rustdoc.
pub(super) fn write_api(
    out: &mut String,
    plan: &BatchPlan,
    ty: &str,
    widths: &Widths,
    output_shape: &[usize],
    docs: &[String],
) {
    let model = &plan.model;
    let output = model.output().map_or("", |o| model.dag.name(o));
    let loss = model.dag.name(plan.loss);
    let (ret, pick) = if output_shape.is_empty() {
        (ty.to_string(), "[0]")
    } else {
        (format!("Vec<{ty}>"), "")
    };
    write_doc(
        out,
        format_args!("The output `{output}` of one sample (row-major)."),
    );
    let _ = write!(
        out,
        "pub fn forward(params: &Params, input: &Input) -> {ret} {{\n\
         forward_rows(params, &input_flat(input), 1){pick}\n}}\n\n"
    );
    write_doc(out, format_args!("The loss `{loss}` of one sample."));
    let _ = write!(
        out,
        "pub fn loss(params: &Params, input: &Input, target: &Target) -> {ty} {{\n\
         loss_rows(params, &input_flat(input), &target_flat(target), 1, None)\n}}\n\n"
    );
    let heading = format!("The loss `{loss}` of one sample and its gradient, in index form (indices 1-based, as in the file):");
    write_formulas(out, &heading, docs);
    let _ = write!(
        out,
        "pub fn gradient(params: &Params, input: &Input, target: &Target) -> ({ty}, Params) {{\n\
         let mut grad = Params::default();\n\
         let loss = loss_rows(params, &input_flat(input), &target_flat(target), 1, Some((&mut grad, 1.0)));\n\
         defined(loss, grad)\n}}\n\n"
    );
    write_doc(out, format_args!("One gradient-descent step `w ← w - eta·∂{loss}/∂w` on every param; returns the loss before the step."));
    let _ = write!(
        out,
        "pub fn sgd_step(params: &mut Params, input: &Input, target: &Target, eta: {ty}) -> {ty} {{\n\
         let (loss, grad) = gradient(params, input, target);\n\
         {RUNTIME}::ParamVector::zip_apply(params, &grad, |w, d| w - eta * d);\nloss\n}}\n\n"
    );
    write_doc(
        out,
        "The loss and its gradient summed over samples (the sum of the per-example derivatives).",
    );
    let _ = write!(
        out,
        "pub fn batch_gradient(params: &Params, samples: &[(Input, Target)]) -> ({ty}, Params) {{\n\
         let mut x = Vec::with_capacity(samples.len() * {xi});\n\
         let mut t = Vec::with_capacity(samples.len() * {ti});\n\
         for (input, target) in samples {{\nx.extend(input_flat(input));\nt.extend(target_flat(target));\n}}\n\
         let mut grad = Params::default();\n\
         let loss = loss_rows(params, &x, &t, samples.len(), Some((&mut grad, 1.0)));\n\
         defined(loss, grad)\n}}\n\n",
        xi = widths.inputs,
        ti = widths.targets
    );
    write_batch_functions(out, loss, ty, widths, output_shape, docs);
}

/// `forward_batch`, `loss_batch`, `gradient_batch` (rows as flat row-major slices, the mean
/// loss), `defined` and `rows`.
fn write_batch_functions(
    out: &mut String,
    loss: &str,
    ty: &str,
    widths: &Widths,
    output_shape: &[usize],
    docs: &[String],
) {
    let _ = write!(
        out,
        "#[doc = r\" The output of each row of `x` ({xi} inputs per row: every input in declaration\"]\n\
         #[doc = r\" order, arrays row-major), {o} values per row.\"]\n\
         pub fn forward_batch(params: &Params, x: &[{ty}]) -> Vec<{ty}> {{\n\
         let n = rows(x, None);\nforward_rows(params, x, n)\n}}\n\n\
         #[doc = r\" The mean loss over the rows of `x` and `t` ({ti} targets per row).\"]\n\
         pub fn loss_batch(params: &Params, x: &[{ty}], t: &[{ty}]) -> {ty} {{\n\
         let n = rows(x, Some(t));\nloss_rows(params, x, t, n, None) / n as {ty}\n}}\n\n",
        xi = widths.inputs,
        ti = widths.targets,
        o = output_shape.iter().product::<usize>()
    );
    let heading = format!("The mean loss `{loss}` over the rows of `x` and `t`, and its gradient (the mean of each row's, in index form, indices 1-based as in the file). Panics when `x` and `t` do not hold the same whole number of rows, or hold none.");
    write_formulas(out, &heading, docs);
    let _ = write!(
        out,
        "\
         pub fn gradient_batch(params: &Params, x: &[{ty}], t: &[{ty}]) -> ({ty}, Params) {{\n\
         let n = rows(x, Some(t));\n\
         let mut grad = Params::default();\n\
         let scale = 1.0 / n as {ty};\n\
         let total = loss_rows(params, x, t, n, Some((&mut grad, scale)));\n\
         defined(total * scale, grad)\n}}\n\n\
         #[doc = r\" The gradient, or every param NaN where the loss has no value.\"]\n\
         fn defined(loss: {ty}, grad: Params) -> ({ty}, Params) {{\n\
         if !loss.is_nan() {{\nreturn (loss, grad);\n}}\n\
         let mut undefined = grad;\n\
         for values in {RUNTIME}::ParamVector::slices_mut(&mut undefined) {{\nvalues.fill({ty}::NAN);\n}}\n\
         (loss, undefined)\n}}\n\n"
    );
    write_rows(out, widths.inputs, widths.targets);
}

/// A gradient's rustdoc: `heading`, then the derivatives' index formulas.
fn write_formulas(out: &mut String, heading: &str, docs: &[String]) {
    write_doc(out, heading);
    write_doc(out, "");
    write_doc(out, "```text");
    for line in docs {
        write_doc(out, line);
    }
    write_doc(out, "```");
}
