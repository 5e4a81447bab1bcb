//! Assembles `pub mod NAME { Params, Input, Target, forward, loss, gradient, sgd_step,
//! batch_gradient }` from an analysis of a network's loss.

use super::body::{bindings, Bindings};
use super::expr::write_f64_unsuffixed;
use super::names::{Names, Var};
use super::split::{split, Body, Function, Sink};
use super::{lex, push_all, write_doc, write_doc_parts, Helpers, RustError, RustOptions};
use crate::analysis::Analysis;
use crate::dag::{NodeId, Symbol};
use crate::diff::{partial_symbol, Notation};
use crate::emit::Text;
use crate::hash::FxHashSet;
use crate::model::{Model, Role};
use proc_macro2::TokenStream;
use std::fmt::Write;

/// Structs with more fields than this get a `PartialEq` written one statement per field
/// rather than derived (a derived one is a single expression as deep as the struct is wide).
const MAX_DERIVED_EQ_FIELDS: usize = 256;

/// `gradient`'s rustdoc lists at most this many formulas of each kind (gradients, adjoints):
/// beyond that a page of bullet points helps nobody, and `symdiff grad` prints every one.
pub(super) const MAX_DOC_FORMULAS: usize = 256;

/// The module `network!` expands to for one network, from an analysis of its loss with respect
/// to its params (see [`Analysis::for_network`]): [`network_source`], lexed. Free-standing
/// definitions are an error.
pub fn network_module(
    analysis: &Analysis,
    options: &RustOptions,
) -> Result<TokenStream, RustError> {
    lex(&network_source(analysis, options)?)
}

/// The source text of [`network_module`]: what the emitter writes. It is written as text and
/// lexed once (in `network!`, by rustc itself), not assembled token by token: a network of
/// 8,000 weights is megabytes of code, and text is an order of magnitude cheaper to build.
/// (The example of [`super`] shows both.)
pub fn network_source(analysis: &Analysis, options: &RustOptions) -> Result<String, RustError> {
    let model = &analysis.model;
    let Some(name) = model.name() else {
        return Err(RustError::NotANetwork);
    };
    // Re-check what `Analysis::for_network` guarantees, for analyses built another way.
    let params = model.with_role(Role::Param);
    let loss = analysis.of();
    if model.vertex(loss).map(|v| v.role) != Some(Role::Loss) {
        return Err(match model.with_role(Role::Loss).is_empty() {
            true => RustError::NoLoss(name.to_string()),
            false => RustError::NotTheLossGradient(name.to_string()),
        });
    }
    let wrt: FxHashSet<Symbol> = analysis.wrt().iter().copied().collect();
    if params.iter().any(|p| !wrt.contains(p)) {
        return Err(RustError::NotTheLossGradient(name.to_string()));
    }
    let Some(&output) = model.with_role(Role::Output).first() else {
        return Err(RustError::NoOutput(name.to_string()));
    };
    // The module's own identifier, checked and made raw like a user's name (its own table).
    let module = Names::new([(Symbol(0), name)])?;
    let module = module.ident(Symbol(0)).to_string();
    let float = options.float;
    let ty = float.ty();

    let mut names = Names::new(
        model
            .vertices()
            .map(|v| (v.symbol, model.name_of(v.symbol))),
    )?;
    for a in &analysis.derivation.adjoints.entries {
        names.bind(a.symbol, &["d_", model.name_of(a.vertex)].concat());
    }
    let mut helpers = Helpers::default();
    // The functions' arguments, spelled so that no user name shadows them: a definition named
    // `params` is bound by a `let` in the body, and a load after it must still read the
    // argument.
    let args = Arguments {
        params: names.fresh("params"),
        input: names.fresh("input"),
        target: names.fresh("target"),
    };

    // forward: only the definitions the output needs. Each later body takes over the `let`s
    // of an earlier one that it begins with, where they would print the same.
    let evaluated = Evaluated::new(analysis);
    let (mut forward_body, forward_bindings) = body(
        &evaluated,
        &[output],
        &[],
        &args,
        &mut names,
        options,
        &mut helpers,
        &[],
    );
    let (mut loss_body, loss_bindings) = body(
        &evaluated,
        &[loss],
        &[],
        &args,
        &mut names,
        options,
        &mut helpers,
        &[&forward_bindings],
    );
    // Only the adjoints the params' gradients need (one inlined into all its users is gone).
    let adjoints: Vec<(Var, NodeId)> = analysis
        .derivation
        .adjoints
        .live(&params, &model.dag)
        .into_iter()
        .map(|a| (Var::Symbol(a.symbol), a.formula))
        .collect();
    let (mut gradient_body, gradient_bindings) = body(
        &evaluated,
        &[loss],
        &adjoints,
        &args,
        &mut names,
        options,
        &mut helpers,
        &[&loss_bindings, &forward_bindings],
    );
    // The bodies take their statements once no later body needs to take them over.
    forward_body.statements = forward_bindings.statements;
    loss_body.statements = loss_bindings.statements;
    gradient_body.statements = gradient_bindings.statements;
    let gradient_vars: Vec<Option<Var>> = params
        .iter()
        .map(|&p| {
            analysis
                .derivation
                .adjoints
                .get(p)
                .map(|a| Var::Symbol(a.symbol))
        })
        .collect();

    // Long bodies become bounded parts (see `split`); short ones are emitted as they are.
    let max = options.max_statements;
    let state_arg = names.fresh("state");
    let grad_arg = names.fresh("grad");
    let param_idents: Vec<&str> = params.iter().map(|&s| names.ident(s)).collect();
    let Arguments {
        params: params_arg,
        input: input_arg,
        target: target_arg,
    } = &args;
    let (forward_parts, forward_body) = split(
        forward_body,
        Function {
            name: "forward",
            state: "ForwardState",
            args: format!("{params_arg}: &Params, {input_arg}: &Input"),
            arg_names: format!("{params_arg}, {input_arg}"),
            results: vec![Var::Symbol(output)],
            state_arg: &state_arg,
            sink: None,
        },
        max,
        &names,
        float,
    );
    let all_args = format!("{params_arg}: &Params, {input_arg}: &Input, {target_arg}: &Target");
    let all_arg_names = format!("{params_arg}, {input_arg}, {target_arg}");
    let (loss_parts, loss_body) = split(
        loss_body,
        Function {
            name: "loss",
            state: "LossState",
            args: all_args.clone(),
            arg_names: all_arg_names.clone(),
            results: vec![Var::Symbol(loss)],
            state_arg: &state_arg,
            sink: None,
        },
        max,
        &names,
        float,
    );
    // Split, the parts write the gradient into `grad` themselves (thousands of loads from the
    // state into one `Params` literal cost rustc as much as the parts).
    let sink = Sink {
        arg: &grad_arg,
        ty: "Params",
        fields: param_idents
            .iter()
            .zip(&gradient_vars)
            .filter_map(|(&p, d)| Some((p, (*d)?)))
            .collect(),
    };
    let (gradient_parts, gradient_body) = split(
        gradient_body,
        Function {
            name: "gradient",
            state: "GradientState",
            args: all_args.clone(),
            arg_names: all_arg_names,
            results: vec![Var::Symbol(loss)],
            state_arg: &state_arg,
            sink: Some(sink),
        },
        max,
        &names,
        float,
    );

    let inputs = model.with_role(Role::Input);
    let targets = model.with_role(Role::Target);
    // The bodies, their parts, and per param a field in each struct, its initial value, about
    // a line of docs, of updates and of sums: room up front, so the module is not copied each
    // time it outgrows its buffer.
    let bodies = [
        &forward_body,
        &loss_body,
        &gradient_body,
        &forward_parts,
        &loss_parts,
    ];
    let mut out = String::with_capacity(
        bodies.iter().map(|b| b.len()).sum::<usize>()
            + gradient_parts.len()
            + 384 * param_idents.len()
            + 4096,
    );
    write_doc(
        &mut out,
        format_args!("The network `{name}`: its derivatives, generated by symdiff."),
    );
    let _ = writeln!(
        out,
        "pub mod {module} {{\n#![allow(non_snake_case, unused_variables, clippy::all)]\n"
    );
    for (struct_name, fields, what) in [
        ("Params", &params, "The trainable parameters"),
        ("Input", &inputs, "One input sample"),
        ("Target", &targets, "The target values of one sample"),
    ] {
        let idents: Vec<&str> = fields.iter().map(|&s| names.ident(s)).collect();
        write_struct(
            &mut out,
            model,
            struct_name,
            fields,
            &idents,
            what,
            name,
            ty,
            options,
        );
    }
    out.push_str(
        "impl Params {\n#[doc = r\" The initial values given in the source (0 where none is given).\"]\npub const INITIAL: Params = Params {",
    );
    for (&p, ident) in params.iter().zip(&param_idents) {
        let init = model
            .vertex(p)
            .and_then(|v| v.init)
            .filter(|v| v.is_finite())
            .unwrap_or(0.0);
        push_all(&mut out, &[" ", ident, ": "]);
        if float.holds(init) {
            write_f64_unsuffixed(&mut out, init);
        } else {
            // Beyond `f32::MAX`: what `init as f32` is.
            let infinity = if init > 0.0 {
                "INFINITY"
            } else {
                "NEG_INFINITY"
            };
            let _ = write!(out, "{ty}::{infinity}");
        }
        out.push(',');
    }
    out.push_str(" };\n}\n\n");

    let output_ident = names.ident(output);
    let loss_ident = names.ident(loss);
    let loss_name = model.name_of(loss);
    write_doc(
        &mut out,
        format_args!("The output `{}`.", model.name_of(output)),
    );
    let _ = writeln!(
        out,
        "pub fn forward({params_arg}: &Params, {input_arg}: &Input) -> {ty} {{\n{forward_body}{output_ident}\n}}\n"
    );
    write_doc(
        &mut out,
        format_args!("The loss `{loss_name}` of one sample."),
    );
    let _ = writeln!(
        out,
        "pub fn loss({all_args}) -> {ty} {{\n{loss_body}{loss_ident}\n}}\n"
    );
    write_gradient_docs(&mut out, analysis);
    let _ = write!(
        out,
        "pub fn gradient({all_args}) -> ({ty}, Params) {{\n{gradient_body}({loss_ident}, "
    );
    if gradient_parts.is_empty() {
        out.push_str("Params {");
        for (ident, d) in param_idents.iter().zip(&gradient_vars) {
            let value = d.map_or("0.0", |d| names.var(d));
            push_all(&mut out, &[" ", ident, ": ", value, ","]);
        }
        out.push_str(" }");
    } else {
        out.push_str(&grad_arg);
    }
    out.push_str(")\n}\n\n");

    // `params -= eta * grad` and `sum += grad`, field by field; over `max_statements` params,
    // in `#[inline(never)]` parts of at most that many fields.
    let groups = field_groups(&param_idents, options.max_statements);
    let mut sgd_updates = String::new();
    let mut batch_updates = String::new();
    let mut update_parts = String::new();
    let sgd_update = |out: &mut String, field: &str| {
        push_all(out, &["params.", field, " -= eta * grad.", field, ";\n"]);
    };
    let sum_update = |out: &mut String, field: &str| {
        push_all(out, &["sum.", field, " += grad.", field, ";\n"]);
    };
    if groups.len() > 1 {
        for (k, g) in groups.iter().enumerate() {
            let _ = writeln!(
                update_parts,
                "#[inline(never)]\nfn sgd_step_part_{k}(params: &mut Params, grad: &Params, eta: {ty}) {{"
            );
            for field in g.iter() {
                sgd_update(&mut update_parts, field);
            }
            let _ = writeln!(
                update_parts,
                "}}\n#[inline(never)]\nfn batch_gradient_part_{k}(sum: &mut Params, grad: &Params) {{"
            );
            for field in g.iter() {
                sum_update(&mut update_parts, field);
            }
            update_parts.push_str("}\n");
            let _ = writeln!(sgd_updates, "sgd_step_part_{k}(params, &grad, eta);");
            let _ = writeln!(batch_updates, "batch_gradient_part_{k}(&mut sum, &grad);");
        }
    } else {
        for field in &param_idents {
            sgd_update(&mut sgd_updates, field);
            sum_update(&mut batch_updates, field);
        }
    }
    write_doc(
        &mut out,
        format_args!(
            "One gradient-descent step `w ← w - eta·∂{loss_name}/∂w` on every param; returns the loss before the step."
        ),
    );
    let _ = writeln!(
        out,
        "pub fn sgd_step(params: &mut Params, input: &Input, target: &Target, eta: {ty}) -> {ty} {{\n\
         let (loss, grad) = gradient(params, input, target);\n{sgd_updates}loss\n}}\n"
    );
    write_doc(
        &mut out,
        "The loss and its gradient summed over samples (the sum of the per-example derivatives).",
    );
    let _ = writeln!(
        out,
        "pub fn batch_gradient(params: &Params, samples: &[(Input, Target)]) -> ({ty}, Params) {{\n\
         let mut total: {ty} = 0.0;\n\
         let mut sum = Params::default();\n\
         for (input, target) in samples {{\n\
         let (loss, grad) = gradient(params, input, target);\n\
         total += loss;\n{batch_updates}}}\n\
         (total, sum)\n}}\n"
    );
    out.push_str(&update_parts);
    out.push_str(&forward_parts);
    out.push_str(&loss_parts);
    out.push_str(&gradient_parts);
    helpers.write_definitions(&mut out, float);
    out.push_str("}\n");
    Ok(out)
}

/// `pub struct Params { ... }` (or `Input`, `Target`), with a `PartialEq` that stays shallow
/// for wide structs.
#[allow(clippy::too_many_arguments)]
fn write_struct(
    out: &mut String,
    model: &Model,
    struct_name: &str,
    fields: &[Symbol],
    idents: &[&str],
    what: &str,
    network: &str,
    ty: &str,
    options: &RustOptions,
) {
    write_doc(out, format_args!("{what} of `{network}`."));
    let derived = idents.len() <= MAX_DERIVED_EQ_FIELDS;
    let _ = writeln!(
        out,
        "#[derive(Clone, Copy, Debug, Default{})]\npub struct {struct_name} {{",
        if derived { ", PartialEq" } else { "" }
    );
    for (&s, ident) in fields.iter().zip(idents) {
        write_doc_parts(out, &["`", model.name_of(s), "`"]);
        push_all(out, &["pub ", ident, ": ", ty, ",\n"]);
    }
    out.push_str("}\n\n");
    if derived {
        return;
    }
    // `derive(PartialEq)` writes one `a == b && c == d && ...` chain, which overflows rustc's
    // stack at some thousands of fields: compare one field per statement instead, in parts of
    // at most `max_statements` fields (LLVM is superlinear in one long body).
    let compare = |fields: &[&str], out: &mut String, k: usize| {
        push_all(out, &["self.", fields[k], " == other.", fields[k]]);
    };
    let groups = field_groups(idents, options.max_statements);
    if groups.len() > 1 {
        let _ = writeln!(out, "impl {struct_name} {{");
        for (k, g) in groups.iter().enumerate() {
            let signature =
                format!("#[inline(never)]\nfn eq_part_{k}(&self, other: &Self) -> bool");
            write_all_of(out, &signature, g.len(), |out, i| compare(g, out, i));
        }
        out.push_str("}\n\n");
    }
    let _ = writeln!(out, "impl PartialEq for {struct_name} {{");
    let signature = "fn eq(&self, other: &Self) -> bool";
    if groups.len() > 1 {
        write_all_of(out, signature, groups.len(), |out, k| {
            let _ = write!(out, "self.eq_part_{k}(other)");
        });
    } else {
        write_all_of(out, signature, idents.len(), |out, i| {
            compare(idents, out, i)
        });
    }
    out.push_str("}\n\n");
}

/// `SIGNATURE { let mut equal = true; equal &= C1; equal &= C2; ... equal }`: a conjunction
/// one statement per term, not one deep `&&` expression.
fn write_all_of(
    out: &mut String,
    signature: &str,
    count: usize,
    mut conjunct: impl FnMut(&mut String, usize),
) {
    push_all(out, &[signature, " {\nlet mut equal = true;\n"]);
    for k in 0..count {
        out.push_str("equal &= ");
        conjunct(out, k);
        out.push_str(";\n");
    }
    out.push_str("equal\n}\n");
}

/// The fields in groups of at most `max` (balanced), or one group when `max` is 0 or not
/// exceeded.
fn field_groups<'a, 'b>(fields: &'b [&'a str], max: usize) -> Vec<&'b [&'a str]> {
    if max == 0 || fields.len() <= max {
        return vec![fields];
    }
    let size = fields.len().div_ceil(fields.len().div_ceil(max));
    fields.chunks(size).collect()
}

/// The model and its evaluated definitions, each with the symbols its right-hand side reads
/// (found once for the three bodies).
struct Evaluated<'a> {
    model: &'a Model,
    definitions: &'a [(Symbol, NodeId)],
    /// `reads[k]`: the symbols in `definitions[k]`'s right-hand side.
    reads: Vec<Vec<Symbol>>,
    /// The inputs, targets and params ([`Model::leaves`]).
    leaves: Vec<Symbol>,
}

impl<'a> Evaluated<'a> {
    fn new(analysis: &'a Analysis) -> Evaluated<'a> {
        let model = &analysis.model;
        let definitions = analysis.evaluated_definitions();
        let reads = definitions
            .iter()
            .map(|&(_, rhs)| model.dag.symbols_in(rhs))
            .collect();
        Evaluated {
            model,
            definitions,
            reads,
            leaves: model.leaves(),
        }
    }
}

/// `let` bindings for the leaves, then the definitions the `roots` need, then `extra`: the
/// leaves' loads, and the bindings of the rest (the caller takes their statements).
#[allow(clippy::too_many_arguments)]
fn body(
    evaluated: &Evaluated,
    roots: &[Symbol],
    extra: &[(Var, NodeId)],
    args: &Arguments,
    names: &mut Names,
    options: &RustOptions,
    helpers: &mut Helpers,
    earlier: &[&Bindings],
) -> (Body, Bindings) {
    let model = evaluated.model;
    let dag = &model.dag;
    let definitions = evaluated.definitions;
    let mut needed: FxHashSet<Symbol> =
        FxHashSet::with_capacity_and_hasher(2 * definitions.len(), Default::default());
    needed.extend(roots);
    for &(_, formula) in extra {
        dag.for_each_symbol_in(formula, |s| {
            needed.insert(s);
        });
    }
    for (&(s, _), reads) in definitions.iter().zip(&evaluated.reads).rev() {
        if needed.contains(&s) {
            needed.extend(reads);
        }
    }
    let mut out = Body::default();
    out.leaves.reserve(evaluated.leaves.len());
    for &leaf in &evaluated.leaves {
        if needed.contains(&leaf) {
            let ident = names.ident(leaf);
            let source = args.source_of(model, leaf);
            // `let w = params.w;`, without the formatting machinery (one per leaf per body).
            let mut load = String::with_capacity(2 * ident.len() + source.len() + 10);
            for part in ["let ", ident, " = ", source, ".", ident, ";\n"] {
                load.push_str(part);
            }
            out.leaves.push((Var::Symbol(leaf), load));
        }
    }
    let mut statements: Vec<(Var, NodeId)> = Vec::with_capacity(definitions.len() + extra.len());
    statements.extend(
        definitions
            .iter()
            .filter(|(s, _)| needed.contains(s))
            .map(|&(s, rhs)| (Var::Symbol(s), rhs)),
    );
    statements.extend_from_slice(extra);
    let bindings = bindings(dag, &statements, names, options.float, helpers, earlier);
    (out, bindings)
}

/// The identifiers of `forward`'s, `loss`'s and `gradient`'s arguments (and their parts').
struct Arguments {
    params: String,
    input: String,
    target: String,
}

impl Arguments {
    /// The argument a leaf is read from: `params.w`, `input.x`, `target.t`.
    fn source_of(&self, model: &Model, leaf: Symbol) -> &str {
        match model.vertex(leaf).map(|v| v.role) {
            Some(Role::Param) => &self.params,
            Some(Role::Target) => &self.target,
            _ => &self.input,
        }
    }
}

/// The rustdoc of `gradient`: every param's derived formula in the lecture's notation (the first
/// [`MAX_DOC_FORMULAS`] of a larger network, with a count of the rest).
fn write_gradient_docs(out: &mut String, analysis: &Analysis) {
    let model = &analysis.model;
    let dag = &model.dag;
    let of = model.name_of(analysis.of());
    write_doc(
        out,
        format_args!(
            "The loss `{of}` of one sample and its gradient, `∂{of}/∂w` for every param `w`:"
        ),
    );
    write_doc(out, "");
    let gradients = &analysis.derivation.gradients;
    let factored = gradients.iter().any(|g| g.path_sum.is_none());
    for g in gradients.iter().take(MAX_DOC_FORMULAS) {
        let symbol = partial_symbol(of, model.name_of(g.wrt), Notation::Unicode);
        let formula = Text::new(dag, g.formula());
        if g.path_sum.is_some() {
            write_doc(out, format_args!("- `{symbol} = {formula}`"));
        } else {
            write_doc(
                out,
                format_args!(
                    "- `{symbol} = {formula}` (factored form of {} paths)",
                    g.path_count
                ),
            );
        }
    }
    more(out, gradients.len(), "gradients");
    if factored {
        write_doc(out, "");
        write_doc(out, "where, accumulated backwards:");
        write_doc(out, "");
        let adjoints = &analysis.derivation.adjoints.entries;
        for a in adjoints.iter().take(MAX_DOC_FORMULAS) {
            write_doc(
                out,
                format_args!(
                    "- `{} = {}`",
                    model.name_of(a.symbol),
                    Text::new(dag, a.formula)
                ),
            );
        }
        more(out, adjoints.len(), "adjoints");
    }
    write_doc(out, "");
    write_doc(
        out,
        "The body is the factored form: one `let` per vertex forward, one `d_` adjoint per vertex backward.",
    );
}

/// `- ... and N more gradients (symdiff grad prints them all)` past [`MAX_DOC_FORMULAS`].
fn more(out: &mut String, total: usize, what: &str) {
    if total > MAX_DOC_FORMULAS {
        write_doc(
            out,
            format_args!(
                "- ... and {} more {what} (`symdiff grad` prints every formula)",
                total - MAX_DOC_FORMULAS
            ),
        );
    }
}
