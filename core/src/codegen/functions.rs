//! The module's functions: `forward`, `loss` and `gradient` around their bodies (split into
//! bounded parts where long), and `sgd_step` and `batch_gradient`, which update or sum a
//! `Params` field by field.

use super::bodies::Bodies;
use super::docs::write_gradient_docs;
use super::names::Var;
use super::plan::Plan;
use super::source::{push_all, write_doc};
use super::split::{split, Function, Sink};
use super::structs::field_groups;
use super::RustOptions;
use std::fmt::Write;

/// A function's body, ready to write: the module items it needs (the state struct and the
/// parts of a split body; empty otherwise), and its statements up to the final expression.
pub(super) struct Written {
    /// The state struct and parts, written after the functions.
    pub parts: String,
    /// The function's body.
    pub body: String,
}

/// The three functions' bodies, split where long.
pub(super) struct Functions {
    /// `forward`'s.
    pub forward: Written,
    /// `loss`'s.
    pub loss: Written,
    /// `gradient`'s; its parts write the gradient into the `grad` argument.
    pub gradient: Written,
}

/// Splits each body of more than `options.max_statements` statements into bounded parts (see
/// [`super::split`]); short ones are written as they are.
pub(super) fn split_bodies(plan: &Plan, bodies: Bodies, options: &RustOptions) -> Functions {
    let (max, names, float, args) = (
        options.max_statements,
        &plan.names,
        options.float,
        &plan.args,
    );
    let function = |name, state, all: bool, result: Var, sink| Function {
        name,
        state,
        args: if all { args.all() } else { args.forward() },
        arg_names: if all {
            args.all_names()
        } else {
            args.forward_names()
        },
        results: vec![result],
        state_arg: &args.state,
        sink,
    };
    let written = |(parts, body)| Written { parts, body };
    let forward = function(
        "forward",
        "ForwardState",
        false,
        Var::Symbol(plan.output),
        None,
    );
    let loss = function("loss", "LossState", true, Var::Symbol(plan.loss), None);
    // Split, the parts write the gradient into `grad` themselves (thousands of loads from the
    // state into one `Params` literal cost rustc as much as the parts).
    let sink = Sink {
        arg: &args.grad,
        ty: "Params",
        fields: plan
            .param_idents()
            .into_iter()
            .zip(&plan.gradient_vars)
            .filter_map(|(p, d)| Some((p, (*d)?)))
            .collect(),
    };
    let gradient = function(
        "gradient",
        "GradientState",
        true,
        Var::Symbol(plan.loss),
        Some(sink),
    );
    Functions {
        forward: written(split(bodies.forward, forward, max, names, float)),
        loss: written(split(bodies.loss, loss, max, names, float)),
        gradient: written(split(bodies.gradient, gradient, max, names, float)),
    }
}

/// `forward`, `loss` and `gradient`, with their docs.
pub(super) fn write_functions(out: &mut String, plan: &Plan, options: &RustOptions, f: &Functions) {
    let (ty, names) = (options.float.ty(), &plan.names);
    let (output, loss) = (names.ident(plan.output), names.ident(plan.loss));
    let (forward_args, all_args) = (plan.args.forward(), plan.args.all());
    let loss_name = plan.model.name_of(plan.loss);
    write_doc(
        out,
        format_args!("The output `{}`.", plan.model.name_of(plan.output)),
    );
    let _ = writeln!(
        out,
        "pub fn forward({forward_args}) -> {ty} {{\n{}{output}\n}}\n",
        f.forward.body
    );
    write_doc(out, format_args!("The loss `{loss_name}` of one sample."));
    let _ = writeln!(
        out,
        "pub fn loss({all_args}) -> {ty} {{\n{}{loss}\n}}\n",
        f.loss.body
    );
    let tested = !super::nan_check::loss_nan_reaches_every_gradient(plan);
    if tested {
        write_undefined(out, plan, ty);
    }
    write_gradient_docs(out, plan.analysis);
    // Where the loss has no value, neither has its gradient, whatever numbers the adjoints
    // give (as `Analysis::evaluate`): `x/x·y` at x = 0 has the formula 1 for ∂/∂y. The test
    // is left out where the formulas themselves make every gradient NaN with the loss.
    let _ = write!(
        out,
        "pub fn gradient({all_args}) -> ({ty}, Params) {{\n{}",
        f.gradient.body
    );
    if tested {
        let _ = write!(
            out,
            "if {loss}.is_nan() {{\nreturn ({loss}, Params::UNDEFINED);\n}}\n"
        );
    }
    let _ = write!(out, "({loss}, ");
    if f.gradient.parts.is_empty() {
        out.push_str("Params {");
        for (ident, d) in plan.param_idents().iter().zip(&plan.gradient_vars) {
            let value = d.map_or("0.0", |d| names.var(d));
            push_all(out, &[" ", ident, ": ", value, ","]);
        }
        out.push_str(" }");
    } else {
        out.push_str(&plan.args.grad);
    }
    out.push_str(")\n}\n\n");
}

/// `Params::UNDEFINED`, every field NaN: the gradient where the loss has no value.
fn write_undefined(out: &mut String, plan: &Plan, ty: &str) {
    out.push_str(
        "impl Params {\n#[doc = r\" Every param NaN: the gradient where the loss is undefined.\"]\nconst UNDEFINED: Params = Params {",
    );
    for ident in plan.param_idents() {
        push_all(out, &[" ", ident, ": ", ty, "::NAN,"]);
    }
    out.push_str(" };\n}\n\n");
}

/// The items of the split bodies: each function's state struct and parts.
pub(super) fn write_parts(out: &mut String, f: &Functions) {
    out.push_str(&f.forward.parts);
    out.push_str(&f.loss.parts);
    out.push_str(&f.gradient.parts);
}

/// `sgd_step` (`params -= eta * grad`) and `batch_gradient` (`sum += grad`), field by field;
/// over `max_statements` params, in `#[inline(never)]` parts of at most that many fields.
pub(super) fn write_updates(out: &mut String, plan: &Plan, options: &RustOptions) {
    let ty = options.float.ty();
    let param_idents = plan.param_idents();
    let updates = Updates::new(&param_idents, options);
    let loss_name = plan.model.name_of(plan.loss);
    write_doc(
        out,
        format_args!(
            "One gradient-descent step `w ← w - eta·∂{loss_name}/∂w` on every param; returns the loss before the step."
        ),
    );
    let _ = writeln!(
        out,
        "pub fn sgd_step(params: &mut Params, input: &Input, target: &Target, eta: {ty}) -> {ty} {{\n\
         let (loss, grad) = gradient(params, input, target);\n{}loss\n}}\n",
        updates.sgd
    );
    write_doc(
        out,
        "The loss and its gradient summed over samples (the sum of the per-example derivatives).",
    );
    let _ = writeln!(
        out,
        "pub fn batch_gradient(params: &Params, samples: &[(Input, Target)]) -> ({ty}, Params) {{\n\
         let mut total: {ty} = 0.0;\n\
         let mut sum = Params::default();\n\
         for (input, target) in samples {{\n\
         let (loss, grad) = gradient(params, input, target);\n\
         total += loss;\n{}}}\n\
         (total, sum)\n}}\n",
        updates.sum
    );
    out.push_str(&updates.parts);
}

/// The field-by-field updates of `sgd_step` and `batch_gradient`.
struct Updates {
    /// `sgd_step`'s statements: the updates, or calls of their parts.
    sgd: String,
    /// `batch_gradient`'s loop statements, likewise.
    sum: String,
    /// The parts, when the params are split into groups.
    parts: String,
}

impl Updates {
    fn new(params: &[&str], options: &RustOptions) -> Updates {
        let ty = options.float.ty();
        let groups = field_groups(params, options.max_statements);
        let mut u = Updates {
            sgd: String::new(),
            sum: String::new(),
            parts: String::new(),
        };
        if groups.len() == 1 {
            for field in params {
                sgd_update(&mut u.sgd, field);
                sum_update(&mut u.sum, field);
            }
            return u;
        }
        for (k, g) in groups.iter().enumerate() {
            let _ = writeln!(
                u.parts,
                "#[inline(never)]\nfn sgd_step_part_{k}(params: &mut Params, grad: &Params, eta: {ty}) {{"
            );
            g.iter().for_each(|field| sgd_update(&mut u.parts, field));
            let _ = writeln!(
                u.parts,
                "}}\n#[inline(never)]\nfn batch_gradient_part_{k}(sum: &mut Params, grad: &Params) {{"
            );
            g.iter().for_each(|field| sum_update(&mut u.parts, field));
            u.parts.push_str("}\n");
            let _ = writeln!(u.sgd, "sgd_step_part_{k}(params, &grad, eta);");
            let _ = writeln!(u.sum, "batch_gradient_part_{k}(&mut sum, &grad);");
        }
        u
    }
}

/// `params.w -= eta * grad.w;`
fn sgd_update(out: &mut String, field: &str) {
    push_all(out, &["params.", field, " -= eta * grad.", field, ";\n"]);
}

/// `sum.w += grad.w;`
fn sum_update(out: &mut String, field: &str) {
    push_all(out, &["sum.", field, " += grad.", field, ";\n"]);
}
