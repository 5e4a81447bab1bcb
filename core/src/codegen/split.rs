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
//! before, statement for statement.

use super::body::Statement;
use super::names::{Names, Var};
use super::{push_all, Float};
use crate::hash::{FxHashMap, FxHashSet};
use std::fmt::Write;

/// A function body: the loads of the params, inputs and targets it uses, then its statements.
#[derive(Debug, Default)]
pub(super) struct Body {
    /// `let w = params.w;`, by what it binds.
    pub leaves: Vec<(Var, String)>,
    /// `let h = sigmoid(s);`, `let t0 = ...;`, in order.
    pub statements: Vec<Statement>,
}

/// What a split needs to know about the function whose body it splits.
pub(super) struct Function<'a> {
    /// `gradient`: the parts are `gradient_part_0`, `gradient_part_1`...
    pub name: &'a str,
    /// The state struct's name, `GradientState`.
    pub state: &'a str,
    /// The function's arguments as declared (`params: &Params, input: &Input`).
    pub args: String,
    /// The same arguments as passed on (`params, input`).
    pub arg_names: String,
    /// What the function's final expression reads.
    pub results: Vec<Var>,
    /// The parts' argument of type `&mut State`: `state`, or a spelling no user name takes.
    pub state_arg: &'a str,
    /// Where the parts write the function's result fields directly (`grad: &mut Params`, with
    /// `grad.w = d_w;` in the part that defines `d_w`), rather than through the state.
    pub sink: Option<Sink<'a>>,
}

/// A struct the parts fill in field by field: the gradient.
pub(super) struct Sink<'a> {
    /// The outer function's variable and the parts' argument (`grad`).
    pub arg: &'a str,
    /// Its type (`Params`).
    pub ty: &'a str,
    /// `(field, value)`: the field is set to the value bound by that name.
    pub fields: Vec<(&'a str, Var)>,
}

/// The module items the body needs (state struct and parts; none when it is not split) and
/// the function's body up to its final expression, which reads `function.results` by name.
pub(super) fn split(
    body: Body,
    function: Function,
    max_statements: usize,
    names: &Names,
    float: Float,
) -> (String, String) {
    let n = body.statements.len();
    if max_statements == 0 || n <= max_statements {
        return (String::new(), loads_at_first_use(body));
    }
    let parts = n.div_ceil(max_statements);
    let size = n.div_ceil(parts);
    let chunks: Vec<&[Statement]> = body.statements.chunks(size).collect();
    let leaves: FxHashMap<Var, &str> = body
        .leaves
        .iter()
        .map(|(var, text)| (*var, text.as_str()))
        .collect();
    let mut defined_in: FxHashMap<Var, usize> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    defined_in.extend(
        chunks
            .iter()
            .enumerate()
            .flat_map(|(c, chunk)| chunk.iter().map(move |s| (s.name, c))),
    );

    // What each part reads that it does not define: the params and inputs it re-reads and the
    // values earlier parts define, in order of first use.
    let reads: Vec<Vec<Var>> = chunks
        .iter()
        .enumerate()
        .map(|(c, chunk)| {
            let mut seen = FxHashSet::default();
            let mut out = Vec::new();
            for statement in chunk.iter() {
                seen.insert(statement.name);
                for &var in &statement.reads {
                    let outside =
                        leaves.contains_key(&var) || defined_in.get(&var).is_some_and(|&d| d < c);
                    if outside && seen.insert(var) {
                        out.push(var);
                    }
                }
            }
            out
        })
        .collect();
    // The values that cross parts: read by a later part or by the final expression.
    let mut crossing: FxHashSet<Var> = reads
        .iter()
        .flatten()
        .copied()
        .filter(|v| defined_in.contains_key(v))
        .collect();
    crossing.extend(
        function
            .results
            .iter()
            .copied()
            .filter(|v| defined_in.contains_key(v)),
    );

    let state = function.state_arg;
    let state_ty = function.state;
    let ty = float.ty();
    let fields: Vec<&str> = body
        .statements
        .iter()
        .filter(|s| crossing.contains(&s.name))
        .map(|s| names.var(s.name))
        .collect();
    let mut args = function.args.clone();
    let mut arg_names = function.arg_names.clone();
    let mut sunk: FxHashMap<Var, Vec<&str>> = FxHashMap::default();
    if let Some(sink) = &function.sink {
        let _ = write!(args, ", {}: &mut {}", sink.arg, sink.ty);
        let _ = write!(arg_names, ", &mut {}", sink.arg);
        for &(field, value) in &sink.fields {
            sunk.entry(value).or_default().push(field);
        }
    }
    // Room for the statements, each part's loads, the crossing values' fields and stores, the
    // gradient's field writes and each part's frame, so that `items` is written without
    // regrowing (a good estimate suffices).
    let text: usize = body.statements.iter().map(|s| s.text.len()).sum();
    let loads: usize = reads
        .iter()
        .flatten()
        .map(|var| {
            leaves
                .get(var)
                .map_or(2 * names.var(*var).len() + 32, |t| t.len())
        })
        .sum();
    let crossing_text: usize = fields.iter().map(|f| 3 * f.len() + 48).sum();
    let sink_text = function.sink.as_ref().map_or(0, |s| 64 * s.fields.len());
    let frames = chunks.len() * (256 + args.len());
    let mut items = String::with_capacity(text + loads + crossing_text + sink_text + frames);
    super::write_doc(
        &mut items,
        format_args!(
            "The values of `{}` that cross from one of its parts to a later one.",
            function.name
        ),
    );
    let _ = writeln!(items, "struct {state_ty} {{");
    for field in &fields {
        push_all(&mut items, &["    ", field, ": ", ty, ",\n"]);
    }
    items.push_str("}\n");
    let mut calls = String::with_capacity(
        fields.iter().map(|f| f.len() + 8).sum::<usize>()
            + chunks.len() * (64 + arg_names.len())
            + 64 * function.results.len()
            + 256,
    );
    let _ = write!(calls, "let mut {state} = {state_ty} {{");
    for field in &fields {
        push_all(&mut calls, &[" ", field, ": 0.0,"]);
    }
    calls.push_str(" };\n");
    if let Some(sink) = &function.sink {
        let _ = writeln!(calls, "let mut {} = {}::default();", sink.arg, sink.ty);
    }
    let count = chunks.len();
    for (c, chunk) in chunks.iter().enumerate() {
        let part = format!("{}_part_{c}", function.name);
        let _ = writeln!(items);
        super::write_doc(
            &mut items,
            format_args!("Part {} of {count} of `{}`.", c + 1, function.name),
        );
        let _ = writeln!(
            items,
            "#[inline(never)]\nfn {part}({args}, {state}: &mut {state_ty}) {{"
        );
        for var in &reads[c] {
            match leaves.get(var) {
                Some(text) => items.push_str(text),
                None => {
                    let name = names.var(*var);
                    push_all(&mut items, &["let ", name, " = ", state, ".", name, ";\n"]);
                }
            }
        }
        for statement in chunk.iter() {
            items.push_str(&statement.text);
        }
        for statement in chunk.iter().filter(|s| crossing.contains(&s.name)) {
            let name = names.var(statement.name);
            push_all(&mut items, &[state, ".", name, " = ", name, ";\n"]);
        }
        if let Some(sink) = &function.sink {
            for statement in chunk.iter() {
                for field in sunk.get(&statement.name).into_iter().flatten() {
                    let name = names.var(statement.name);
                    push_all(&mut items, &[sink.arg, ".", field, " = ", name, ";\n"]);
                }
            }
        }
        items.push_str("}\n");
        let _ = writeln!(calls, "{part}({arg_names}, &mut {state});");
    }
    let mut loaded = FxHashSet::default();
    for &var in &function.results {
        if !loaded.insert(var) {
            continue;
        }
        if defined_in.contains_key(&var) {
            let name = names.var(var);
            push_all(&mut calls, &["let ", name, " = ", state, ".", name, ";\n"]);
        } else if let Some(text) = leaves.get(&var) {
            calls.push_str(text);
        }
    }
    (items, calls)
}

/// The body in one piece, each load (`let w = params.w;`) just before the first statement that
/// reads it: a param read only late in the body (a weight in `∂E/∂h`) is then not held in a
/// register, or spilled to the stack around every `tanh` call, from the top of the function.
/// What no statement reads (an output that is an input) is loaded last.
fn loads_at_first_use(body: Body) -> String {
    let index: FxHashMap<Var, usize> = body
        .leaves
        .iter()
        .enumerate()
        .map(|(k, (var, _))| (*var, k))
        .collect();
    let size = body.statements.iter().map(|s| s.text.len()).sum::<usize>();
    let mut out = String::with_capacity(size + 32 * body.leaves.len());
    let mut pending: Vec<Option<String>> = body
        .leaves
        .into_iter()
        .map(|(_, text)| Some(text))
        .collect();
    for statement in body.statements {
        for var in &statement.reads {
            if let Some(load) = index.get(var).and_then(|&k| pending[k].take()) {
                out.push_str(&load);
            }
        }
        out.push_str(&statement.text);
    }
    for load in pending.into_iter().flatten() {
        out.push_str(&load);
    }
    out
}
