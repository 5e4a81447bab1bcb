//! Splits a long straight-line function body into bounded private functions, so that rustc's
//! time stays roughly linear in the size of the network.
//!
//! LLVM's optimisation of one function grows faster than linearly in its length: a
//! 10,000-weight network's `gradient` of 37,000 lines took rustc 14 minutes in release. A body
//! with more statements than [`super::RustOptions::max_statements`] becomes a sequence of
//! `#[inline(never)] fn gradient_part_N(params, input, target, state: &mut GradientState)`, each
//! with at most that many of the body's statements, in order. Values that one part defines and
//! a later part (or the function's result) reads cross through `state`, a plain struct of
//! floats on the stack: a part reads what it needs (`let h = state.h;`), re-reads the params and
//! inputs it uses from their structs, and stores what later parts need (`state.h = h;`). No
//! allocation, nothing beyond the standard library. Bodies within the bound are emitted as
//! before, token for token.

use super::Float;
use crate::hash::{FxHashMap, FxHashSet};
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// A function body: the loads of the params, inputs and targets it uses, then its statements.
#[derive(Debug, Default)]
pub(super) struct Body {
    /// `let w = params.w;`, by the name bound.
    pub leaves: Vec<(Ident, TokenStream)>,
    /// `let h = sigmoid(s);`, `let t0 = ...;`, by the name bound, in order.
    pub statements: Vec<(Ident, TokenStream)>,
}

/// What a split needs to know about the function whose body it splits.
pub(super) struct Function<'a> {
    /// `gradient`: the parts are `gradient_part_0`, `gradient_part_1`...
    pub name: &'a str,
    /// The state struct's name, `GradientState`.
    pub state: Ident,
    /// The function's arguments as declared (`params: &Params, input: &Input`).
    pub args: TokenStream,
    /// The same arguments as passed on (`params, input`).
    pub arg_names: TokenStream,
    /// The names the function's final expression reads.
    pub results: Vec<Ident>,
    /// The parts' argument of type `&mut State`: `state`, or a spelling no user name takes.
    pub state_arg: Ident,
    /// Where the parts write the function's result fields directly (`grad: &mut Params`, with
    /// `grad.w = d_w;` in the part that defines `d_w`), rather than through the state.
    pub sink: Option<Sink>,
}

/// A struct the parts fill in field by field: the gradient.
pub(super) struct Sink {
    /// The outer function's variable and the parts' argument (`grad`).
    pub arg: Ident,
    /// Its type (`Params`).
    pub ty: TokenStream,
    /// `(field, value)`: the field is set to the value bound by that name.
    pub fields: Vec<(Ident, Ident)>,
}

/// The module items the body needs (state struct and parts; none when it is not split) and
/// the function's body up to its final expression, which reads `function.results` by name.
pub(super) fn split(
    body: Body,
    function: Function,
    max_statements: usize,
    float: Float,
) -> (TokenStream, TokenStream) {
    let n = body.statements.len();
    if max_statements == 0 || n <= max_statements {
        return (TokenStream::new(), loads_at_first_use(body));
    }
    let parts = n.div_ceil(max_statements);
    let size = n.div_ceil(parts);
    let chunks: Vec<&[(Ident, TokenStream)]> = body.statements.chunks(size).collect();
    let leaves: FxHashMap<String, &TokenStream> = body
        .leaves
        .iter()
        .map(|(ident, tokens)| (ident.to_string(), tokens))
        .collect();
    let defined_in: FxHashMap<String, usize> = chunks
        .iter()
        .enumerate()
        .flat_map(|(c, chunk)| chunk.iter().map(move |(ident, _)| (ident.to_string(), c)))
        .collect();

    // What each part reads that it does not define: the params and inputs it re-reads and the
    // values earlier parts define, in order of first use.
    let reads: Vec<Vec<Ident>> = chunks
        .iter()
        .enumerate()
        .map(|(c, chunk)| {
            let mut seen = FxHashSet::default();
            let mut out = Vec::new();
            for (name, tokens) in chunk.iter() {
                seen.insert(name.to_string());
                for ident in idents(tokens) {
                    let key = ident.to_string();
                    let outside =
                        leaves.contains_key(&key) || defined_in.get(&key).is_some_and(|&d| d < c);
                    if outside && seen.insert(key) {
                        out.push(ident);
                    }
                }
            }
            out
        })
        .collect();
    // The values that cross parts: read by a later part or by the final expression.
    let mut crossing: FxHashSet<String> = reads
        .iter()
        .flatten()
        .map(Ident::to_string)
        .filter(|k| defined_in.contains_key(k))
        .collect();
    crossing.extend(
        function
            .results
            .iter()
            .map(Ident::to_string)
            .filter(|k| defined_in.contains_key(k)),
    );

    let state = &function.state_arg;
    let state_ty = &function.state;
    let ty = float.ty();
    let fields: Vec<&Ident> = body
        .statements
        .iter()
        .map(|(ident, _)| ident)
        .filter(|ident| crossing.contains(&ident.to_string()))
        .collect();
    let mut args = function.args.clone();
    let mut arg_names = function.arg_names.clone();
    let mut sunk: FxHashMap<String, Vec<&Ident>> = FxHashMap::default();
    if let Some(sink) = &function.sink {
        let (arg, sink_ty) = (&sink.arg, &sink.ty);
        args.extend(quote!(, #arg: &mut #sink_ty));
        arg_names.extend(quote!(, &mut #arg));
        for (field, value) in &sink.fields {
            sunk.entry(value.to_string()).or_default().push(field);
        }
    }
    let state_doc = format!(
        " The values of `{}` that cross from one of its parts to a later one.",
        function.name
    );
    let mut items = quote! {
        #[doc = #state_doc]
        struct #state_ty {
            #( #fields: #ty, )*
        }
    };
    let mut calls = quote!(let mut #state = #state_ty { #( #fields: 0.0, )* };);
    if let Some(sink) = &function.sink {
        let (arg, sink_ty) = (&sink.arg, &sink.ty);
        calls.extend(quote!(let mut #arg = #sink_ty::default();));
    }
    // Everything the parts need from the borrowed statements, before they are moved into the
    // parts' bodies (moving, not copying: a token stream interpolated by `quote!` is copied).
    let count = chunks.len();
    let ends: Vec<(Vec<Ident>, TokenStream)> = chunks
        .iter()
        .map(|chunk| {
            let stores: Vec<Ident> = chunk
                .iter()
                .map(|(ident, _)| ident)
                .filter(|ident| crossing.contains(&ident.to_string()))
                .cloned()
                .collect();
            let mut sink_stores = TokenStream::new();
            if let Some(sink) = &function.sink {
                let arg = &sink.arg;
                for (ident, _) in chunk.iter() {
                    for field in sunk.get(&ident.to_string()).into_iter().flatten() {
                        sink_stores.extend(quote!(#arg.#field = #ident;));
                    }
                }
            }
            (stores, sink_stores)
        })
        .collect();
    let sizes: Vec<usize> = chunks.iter().map(|chunk| chunk.len()).collect();
    let mut statements = body.statements.into_iter().map(|(_, tokens)| tokens);
    for (c, (size, (stores, sink_stores))) in sizes.into_iter().zip(ends).enumerate() {
        let part = Ident::new(&format!("{}_part_{c}", function.name), Span::call_site());
        let mut part_body = TokenStream::new();
        for ident in &reads[c] {
            match leaves.get(&ident.to_string()) {
                Some(&tokens) => part_body.extend(tokens.clone()),
                None => part_body.extend(quote!(let #ident = #state.#ident;)),
            }
        }
        part_body.extend(statements.by_ref().take(size));
        part_body.extend(quote!(#( #state.#stores = #stores; )*));
        part_body.extend(sink_stores);
        let part_body = Group::new(Delimiter::Brace, part_body);
        let doc = format!(" Part {} of {count} of `{}`.", c + 1, function.name);
        items.extend(quote! {
            #[doc = #doc]
            #[inline(never)]
            fn #part(#args, #state: &mut #state_ty) #part_body
        });
        calls.extend(quote!(#part(#arg_names, &mut #state);));
    }
    let mut loaded = FxHashSet::default();
    for ident in &function.results {
        let key = ident.to_string();
        if !loaded.insert(key.clone()) {
            continue;
        }
        if defined_in.contains_key(&key) {
            calls.extend(quote!(let #ident = #state.#ident;));
        } else if let Some(&tokens) = leaves.get(&key) {
            calls.extend(tokens.clone());
        }
    }
    (items, calls)
}

/// The body in one piece, each load (`let w = params.w;`) just before the first statement that
/// reads it: a param read only late in the body (a weight in `∂E/∂h`) is then not held in a
/// register, or spilled to the stack around every `tanh` call, from the top of the function.
fn loads_at_first_use(body: Body) -> TokenStream {
    let index: FxHashMap<String, usize> = body
        .leaves
        .iter()
        .enumerate()
        .map(|(k, (ident, _))| (ident.to_string(), k))
        .collect();
    let mut pending: Vec<Option<TokenStream>> = body
        .leaves
        .into_iter()
        .map(|(_, tokens)| Some(tokens))
        .collect();
    let mut out = TokenStream::new();
    for (_, tokens) in body.statements {
        for ident in idents(&tokens) {
            let load = index
                .get(&ident.to_string())
                .and_then(|&k| pending[k].take());
            out.extend(load);
        }
        out.extend(tokens);
    }
    // What only the function's final expression reads (an output that is an input).
    out.extend(pending.into_iter().flatten());
    out
}

/// Every identifier in `tokens`, in order, nested groups included.
fn idents(tokens: &TokenStream) -> Vec<Ident> {
    let mut out = Vec::new();
    let mut stack = vec![tokens.clone().into_iter()];
    while let Some(iter) = stack.last_mut() {
        match iter.next() {
            Some(TokenTree::Ident(ident)) => out.push(ident),
            Some(TokenTree::Group(group)) => stack.push(group.stream().into_iter()),
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    out
}
