//! Assembles `pub mod NAME { Params, Input, Target, forward, loss, gradient, sgd_step,
//! batch_gradient }` from an analysis of a network's loss.

use super::body::bindings;
use super::names::Names;
use super::split::{split, Body, Function, Sink};
use super::{doc, Helpers, RustError, RustOptions};
use crate::analysis::Analysis;
use crate::dag::{NodeId, Symbol};
use crate::emit::{partial_symbol, Notation, Text};
use crate::hash::FxHashSet;
use crate::model::{Model, Role};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// Structs with more fields than this get a `PartialEq` written one statement per field
/// rather than derived (a derived one is a single expression as deep as the struct is wide).
const MAX_DERIVED_EQ_FIELDS: usize = 256;

/// `gradient`'s rustdoc lists at most this many formulas of each kind (gradients, adjoints):
/// beyond that a page of bullet points helps nobody, and `symdiff grad` prints every one.
pub(super) const MAX_DOC_FORMULAS: usize = 256;

/// The module `network!` expands to for one network, from an analysis of its loss with respect
/// to its params (see [`super::analyze`]). Free-standing definitions are an error.
pub fn network_module(
    analysis: &Analysis,
    options: &RustOptions,
) -> Result<TokenStream, RustError> {
    let model = &analysis.model;
    let Some(name) = model.name() else {
        return Err(RustError::NotANetwork);
    };
    // Re-check what `analyze` guarantees, for analyses built another way.
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
    let module = Names::new([(Symbol(u32::MAX), name)])?;
    let module = module.ident(Symbol(u32::MAX));
    let float = options.float;
    let ty = float.ty();

    let mut names = Names::new(
        model
            .vertices()
            .map(|v| (v.symbol, model.name_of(v.symbol))),
    )?;
    for a in &analysis.derivation.adjoints.entries {
        names.bind(a.symbol, &format!("d_{}", model.name_of(a.vertex)));
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
    let Arguments {
        params: params_arg,
        input: input_arg,
        target: target_arg,
    } = &args;

    let inputs = model.with_role(Role::Input);
    let targets = model.with_role(Role::Target);
    let structs = [
        (quote!(Params), &params, "The trainable parameters"),
        (quote!(Input), &inputs, "One input sample"),
        (quote!(Target), &targets, "The target values of one sample"),
    ]
    .map(|(struct_name, fields, what)| {
        let idents: Vec<Ident> = fields.iter().map(|&s| names.ident(s)).collect();
        let docs = fields
            .iter()
            .map(|&s| doc(format_args!("`{}`", model.name_of(s))));
        let text = format!(" {what} of `{name}`.");
        if idents.len() <= MAX_DERIVED_EQ_FIELDS {
            return quote! {
                #[doc = #text]
                #[derive(Clone, Copy, Debug, Default, PartialEq)]
                pub struct #struct_name {
                    #( #docs pub #idents: #ty, )*
                }
            };
        }
        // `derive(PartialEq)` writes one `a == b && c == d && ...` chain, which overflows
        // rustc's stack at some thousands of fields: compare one field per statement instead,
        // in parts of at most `max_statements` fields (LLVM is superlinear in one long body).
        let groups = field_groups(&idents, options.max_statements);
        if groups.len() > 1 {
            let parts: Vec<Ident> = (0..groups.len())
                .map(|k| Ident::new(&format!("eq_part_{k}"), Span::call_site()))
                .collect();
            let bodies = groups
                .iter()
                .map(|g| quote!(#( equal &= self.#g == other.#g; )*));
            return quote! {
                #[doc = #text]
                #[derive(Clone, Copy, Debug, Default)]
                pub struct #struct_name {
                    #( #docs pub #idents: #ty, )*
                }

                impl #struct_name {
                    #(
                        #[inline(never)]
                        fn #parts(&self, other: &Self) -> bool {
                            let mut equal = true;
                            #bodies
                            equal
                        }
                    )*
                }

                impl PartialEq for #struct_name {
                    fn eq(&self, other: &Self) -> bool {
                        let mut equal = true;
                        #( equal &= self.#parts(other); )*
                        equal
                    }
                }
            };
        }
        quote! {
            #[doc = #text]
            #[derive(Clone, Copy, Debug, Default)]
            pub struct #struct_name {
                #( #docs pub #idents: #ty, )*
            }

            impl PartialEq for #struct_name {
                fn eq(&self, other: &Self) -> bool {
                    let mut equal = true;
                    #( equal &= self.#idents == other.#idents; )*
                    equal
                }
            }
        }
    });
    let param_idents: Vec<Ident> = params.iter().map(|&s| names.ident(s)).collect();
    let initial: Vec<Literal> = params
        .iter()
        .map(|&p| {
            Literal::f64_unsuffixed(
                model
                    .vertex(p)
                    .and_then(|v| v.init)
                    .filter(|v| v.is_finite())
                    .unwrap_or(0.0),
            )
        })
        .collect();

    // forward: only the definitions the output needs.
    let output_ident = names.ident(output);
    let forward_body = body(
        analysis,
        &[output],
        &[],
        &args,
        &mut names,
        options,
        &mut helpers,
    );
    let loss_ident = names.ident(loss);
    let loss_body = body(
        analysis,
        &[loss],
        &[],
        &args,
        &mut names,
        options,
        &mut helpers,
    );
    // Only the adjoints the params' gradients need (one inlined into all its users is gone).
    let adjoints: Vec<(Ident, NodeId)> = analysis
        .derivation
        .adjoints
        .live(&params, &model.dag)
        .into_iter()
        .map(|a| (names.ident(a.symbol), a.formula))
        .collect();
    let gradient_body = body(
        analysis,
        &[loss],
        &adjoints,
        &args,
        &mut names,
        options,
        &mut helpers,
    );
    let gradient_idents: Vec<Option<Ident>> = params
        .iter()
        .map(|&p| {
            analysis
                .derivation
                .adjoints
                .get(p)
                .map(|a| names.ident(a.symbol))
        })
        .collect();
    let gradients: Vec<TokenStream> = gradient_idents
        .iter()
        .map(|d| match d {
            Some(d) => quote!(#d),
            None => quote!(0.0),
        })
        .collect();

    // Long bodies become bounded parts (see `split`); short ones are emitted as they are.
    let max = options.max_statements;
    let state = |name: &str| Ident::new(name, Span::call_site());
    let state_arg = names.fresh("state");
    let (forward_parts, forward_body) = split(
        forward_body,
        Function {
            name: "forward",
            state: state("ForwardState"),
            args: quote!(#params_arg: &Params, #input_arg: &Input),
            arg_names: quote!(#params_arg, #input_arg),
            results: vec![output_ident.clone()],
            state_arg: state_arg.clone(),
            sink: None,
        },
        max,
        float,
    );
    let (loss_parts, loss_body) = split(
        loss_body,
        Function {
            name: "loss",
            state: state("LossState"),
            args: quote!(#params_arg: &Params, #input_arg: &Input, #target_arg: &Target),
            arg_names: quote!(#params_arg, #input_arg, #target_arg),
            results: vec![loss_ident.clone()],
            state_arg: state_arg.clone(),
            sink: None,
        },
        max,
        float,
    );
    // Split, the parts write the gradient into `grad` themselves (thousands of loads from the
    // state into one `Params` literal cost rustc as much as the parts).
    let grad_arg = names.fresh("grad");
    let sink = Sink {
        arg: grad_arg.clone(),
        ty: quote!(Params),
        fields: param_idents
            .iter()
            .zip(&gradient_idents)
            .filter_map(|(p, d)| Some((p.clone(), d.clone()?)))
            .collect(),
    };
    let (gradient_parts, gradient_body) = split(
        gradient_body,
        Function {
            name: "gradient",
            state: state("GradientState"),
            args: quote!(#params_arg: &Params, #input_arg: &Input, #target_arg: &Target),
            arg_names: quote!(#params_arg, #input_arg, #target_arg),
            results: vec![loss_ident.clone()],
            state_arg,
            sink: Some(sink),
        },
        max,
        float,
    );
    let gradient_docs = gradient_docs(analysis);
    let helper_fns = helpers.definitions(float);
    let module_doc = doc(format_args!(
        "The network `{name}`: its derivatives, generated by symdiff."
    ));
    let loss_name = model.name_of(loss);
    let output_doc = doc(format_args!("The output `{}`.", model.name_of(output)));
    let loss_doc = doc(format_args!("The loss `{loss_name}` of one sample."));
    let sgd_doc = doc(format_args!(
        "One gradient-descent step `w ← w - eta·∂{loss_name}/∂w` on every param; returns the loss before the step."
    ));
    let batch_doc = doc(format_args!(
        "The loss and its gradient summed over samples (the sum of the per-example derivatives)."
    ));

    let gradient_result = if gradient_parts.is_empty() {
        quote!((#loss_ident, Params { #( #param_idents: #gradients, )* }))
    } else {
        quote!((#loss_ident, #grad_arg))
    };

    // `params -= eta * grad` and `sum += grad`, field by field; over `max_statements` params,
    // in `#[inline(never)]` parts of at most that many fields.
    let groups = field_groups(&param_idents, options.max_statements);
    let (sgd_updates, batch_updates, update_parts) = if groups.len() > 1 {
        let mut parts = TokenStream::new();
        let mut sgd = TokenStream::new();
        let mut batch = TokenStream::new();
        for (k, g) in groups.iter().enumerate() {
            let sgd_part = Ident::new(&format!("sgd_step_part_{k}"), Span::call_site());
            let batch_part = Ident::new(&format!("batch_gradient_part_{k}"), Span::call_site());
            parts.extend(quote! {
                #[inline(never)]
                fn #sgd_part(params: &mut Params, grad: &Params, eta: #ty) {
                    #( params.#g -= eta * grad.#g; )*
                }
                #[inline(never)]
                fn #batch_part(sum: &mut Params, grad: &Params) {
                    #( sum.#g += grad.#g; )*
                }
            });
            sgd.extend(quote!(#sgd_part(params, &grad, eta);));
            batch.extend(quote!(#batch_part(&mut sum, &grad);));
        }
        (sgd, batch, parts)
    } else {
        (
            quote!(#( params.#param_idents -= eta * grad.#param_idents; )*),
            quote!(#( sum.#param_idents += grad.#param_idents; )*),
            TokenStream::new(),
        )
    };

    Ok(quote! {
        #module_doc
        pub mod #module {
            #![allow(non_snake_case, unused_variables, clippy::all)]

            #(#structs)*

            impl Params {
                /// The initial values given in the source (0 where none is given).
                pub const INITIAL: Params = Params { #( #param_idents: #initial, )* };
            }

            #output_doc
            pub fn forward(#params_arg: &Params, #input_arg: &Input) -> #ty {
                #forward_body
                #output_ident
            }

            #loss_doc
            pub fn loss(#params_arg: &Params, #input_arg: &Input, #target_arg: &Target) -> #ty {
                #loss_body
                #loss_ident
            }

            #gradient_docs
            pub fn gradient(#params_arg: &Params, #input_arg: &Input, #target_arg: &Target) -> (#ty, Params) {
                #gradient_body
                #gradient_result
            }

            #sgd_doc
            pub fn sgd_step(params: &mut Params, input: &Input, target: &Target, eta: #ty) -> #ty {
                let (loss, grad) = gradient(params, input, target);
                #sgd_updates
                loss
            }

            #batch_doc
            pub fn batch_gradient(params: &Params, samples: &[(Input, Target)]) -> (#ty, Params) {
                let mut total: #ty = 0.0;
                let mut sum = Params::default();
                for (input, target) in samples {
                    let (loss, grad) = gradient(params, input, target);
                    total += loss;
                    #batch_updates
                }
                (total, sum)
            }

            #update_parts

            #forward_parts
            #loss_parts
            #gradient_parts

            #helper_fns
        }
    })
}

/// The fields in groups of at most `max` (balanced), or one group when `max` is 0 or not
/// exceeded.
fn field_groups(fields: &[Ident], max: usize) -> Vec<&[Ident]> {
    if max == 0 || fields.len() <= max {
        return vec![fields];
    }
    let size = fields.len().div_ceil(fields.len().div_ceil(max));
    fields.chunks(size).collect()
}

/// `let` bindings for the leaves, then the definitions the `roots` need, then `extra`.
fn body(
    analysis: &Analysis,
    roots: &[Symbol],
    extra: &[(Ident, NodeId)],
    args: &Arguments,
    names: &mut Names,
    options: &RustOptions,
    helpers: &mut Helpers,
) -> Body {
    let model = &analysis.model;
    let dag = &model.dag;
    let mut needed: FxHashSet<Symbol> = roots.iter().copied().collect();
    for &(_, formula) in extra {
        needed.extend(dag.symbols_in(formula));
    }
    let definitions = analysis.evaluated_definitions().to_vec();
    for &(s, rhs) in definitions.iter().rev() {
        if needed.contains(&s) {
            needed.extend(dag.symbols_in(rhs));
        }
    }
    let mut out = Body::default();
    for leaf in model.leaves() {
        if needed.contains(&leaf) {
            let ident = names.ident(leaf);
            let source = args.source_of(model, leaf);
            let tokens = quote!(let #ident = #source.#ident;);
            out.leaves.push((ident, tokens));
        }
    }
    let mut statements: Vec<(Ident, NodeId)> = definitions
        .iter()
        .filter(|(s, _)| needed.contains(s))
        .map(|&(s, rhs)| (names.ident(s), rhs))
        .collect();
    statements.extend(extra.iter().cloned());
    out.statements = bindings(dag, &statements, names, options.float, helpers);
    out
}

/// The identifiers of `forward`'s, `loss`'s and `gradient`'s arguments (and their parts').
struct Arguments {
    params: Ident,
    input: Ident,
    target: Ident,
}

impl Arguments {
    /// The argument a leaf is read from: `params.w`, `input.x`, `target.t`.
    fn source_of(&self, model: &Model, leaf: Symbol) -> &Ident {
        match model.vertex(leaf).map(|v| v.role) {
            Some(Role::Param) => &self.params,
            Some(Role::Target) => &self.target,
            _ => &self.input,
        }
    }
}

/// The rustdoc of `gradient`: every param's derived formula in the lecture's notation (the first
/// [`MAX_DOC_FORMULAS`] of a larger network, with a count of the rest).
fn gradient_docs(analysis: &Analysis) -> TokenStream {
    let model = &analysis.model;
    let dag = &model.dag;
    let of = model.name_of(analysis.of());
    let mut out = doc(format_args!(
        "The loss `{of}` of one sample and its gradient, `∂{of}/∂w` for every param `w`:"
    ));
    out.extend(doc(""));
    let gradients = &analysis.derivation.gradients;
    let factored = gradients.iter().any(|g| g.path_sum.is_none());
    for g in gradients.iter().take(MAX_DOC_FORMULAS) {
        let symbol = partial_symbol(of, model.name_of(g.wrt), Notation::Unicode);
        let formula = Text::new(dag, g.formula());
        if g.path_sum.is_some() {
            out.extend(doc(format_args!("- `{symbol} = {formula}`")));
        } else {
            out.extend(doc(format_args!(
                "- `{symbol} = {formula}` (factored form of {} paths)",
                g.path_count
            )));
        }
    }
    out.extend(more(gradients.len(), "gradients"));
    if factored {
        out.extend(doc(""));
        out.extend(doc("where, accumulated backwards:"));
        out.extend(doc(""));
        let adjoints = &analysis.derivation.adjoints.entries;
        for a in adjoints.iter().take(MAX_DOC_FORMULAS) {
            out.extend(doc(format_args!(
                "- `{} = {}`",
                model.name_of(a.symbol),
                Text::new(dag, a.formula)
            )));
        }
        out.extend(more(adjoints.len(), "adjoints"));
    }
    out.extend(doc(""));
    out.extend(doc(
        "The body is the factored form: one `let` per vertex forward, one `d_` adjoint per vertex backward.",
    ));
    out
}

/// `- ... and N more gradients (symdiff grad prints them all)` past [`MAX_DOC_FORMULAS`].
fn more(total: usize, what: &str) -> TokenStream {
    if total <= MAX_DOC_FORMULAS {
        return TokenStream::new();
    }
    doc(format_args!(
        "- ... and {} more {what} (`symdiff grad` prints every formula)",
        total - MAX_DOC_FORMULAS
    ))
}
