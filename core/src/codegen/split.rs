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
use super::source::{push_all, write_doc};
use super::Float;
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
    let parts = Parts::new(&body, &function, max_statements);
    let writer = PartWriter::new(&body, &function, &parts, names, float);
    (writer.items(), writer.calls())
}

/// A long body cut into parts, and what crosses between them.
struct Parts<'b> {
    /// Each part's statements, in order.
    chunks: Vec<&'b [Statement]>,
    /// The loads of the params, inputs and targets (`let w = params.w;`), by what they bind.
    leaves: FxHashMap<Var, &'b str>,
    /// The part that defines each value.
    defined_in: FxHashMap<Var, usize>,
    /// What each part reads that it does not define: the params and inputs it re-reads and the
    /// values earlier parts define, in order of first use.
    reads: Vec<Vec<Var>>,
    /// The values that cross parts: read by a later part or by the final expression.
    crossing: FxHashSet<Var>,
}

impl<'b> Parts<'b> {
    fn new(body: &'b Body, function: &Function, max_statements: usize) -> Parts<'b> {
        let n = body.statements.len();
        let size = n.div_ceil(n.div_ceil(max_statements));
        let chunks: Vec<&[Statement]> = body.statements.chunks(size).collect();
        let mut defined_in: FxHashMap<Var, usize> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        defined_in.extend(
            chunks
                .iter()
                .enumerate()
                .flat_map(|(c, chunk)| chunk.iter().map(move |s| (s.name, c))),
        );
        let mut parts = Parts {
            chunks,
            leaves: body
                .leaves
                .iter()
                .map(|(var, text)| (*var, text.as_str()))
                .collect(),
            defined_in,
            reads: Vec::new(),
            crossing: FxHashSet::default(),
        };
        parts.reads = (0..parts.chunks.len())
            .map(|c| parts.outside_reads(c))
            .collect();
        let crossing = parts.reads.iter().flatten().chain(&function.results);
        parts.crossing = crossing
            .copied()
            .filter(|v| parts.defined_in.contains_key(v))
            .collect();
        parts
    }

    /// What part `c` reads that it does not define, in order of first use.
    fn outside_reads(&self, c: usize) -> Vec<Var> {
        let mut seen = FxHashSet::default();
        let mut out = Vec::new();
        for statement in self.chunks[c] {
            seen.insert(statement.name);
            for &var in &statement.reads {
                let outside = self.leaves.contains_key(&var)
                    || self.defined_in.get(&var).is_some_and(|&d| d < c);
                if outside && seen.insert(var) {
                    out.push(var);
                }
            }
        }
        out
    }
}

/// Writes the state struct, the parts, and the calls that replace the body.
struct PartWriter<'a> {
    function: &'a Function<'a>,
    parts: &'a Parts<'a>,
    names: &'a Names,
    float: Float,
    /// The state's fields: the crossing values, in statement order.
    fields: Vec<&'a str>,
    /// The parts' arguments as declared (the function's, and the sink's).
    args: String,
    /// The same arguments as passed on.
    arg_names: String,
    /// The sink's fields set from each value.
    sunk: FxHashMap<Var, Vec<&'a str>>,
    /// Room for everything the parts' items hold (a good estimate suffices).
    capacity: usize,
}

impl<'a> PartWriter<'a> {
    fn new(
        body: &'a Body,
        function: &'a Function<'a>,
        parts: &'a Parts<'a>,
        names: &'a Names,
        float: Float,
    ) -> PartWriter<'a> {
        let fields: Vec<&str> = body
            .statements
            .iter()
            .filter(|s| parts.crossing.contains(&s.name))
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
        let mut writer = PartWriter {
            function,
            parts,
            names,
            float,
            fields,
            args,
            arg_names,
            sunk,
            capacity: 0,
        };
        writer.capacity = writer.items_len(body);
        writer
    }

    /// Room for the statements, each part's loads, the crossing values' fields and stores, the
    /// gradient's field writes and each part's frame, so that the items are written without
    /// regrowing.
    fn items_len(&self, body: &Body) -> usize {
        let (parts, names) = (self.parts, self.names);
        let text: usize = body.statements.iter().map(|s| s.text.len()).sum();
        let loads: usize = parts
            .reads
            .iter()
            .flatten()
            .map(|var| {
                parts
                    .leaves
                    .get(var)
                    .map_or(2 * names.var(*var).len() + 32, |t| t.len())
            })
            .sum();
        let crossing_text: usize = self.fields.iter().map(|f| 3 * f.len() + 48).sum();
        let sink_text = self
            .function
            .sink
            .as_ref()
            .map_or(0, |s| 64 * s.fields.len());
        let frames = parts.chunks.len() * (256 + self.args.len());
        text + loads + crossing_text + sink_text + frames
    }

    /// The state struct, then each part.
    fn items(&self) -> String {
        let function = self.function;
        let mut items = String::with_capacity(self.capacity);
        write_doc(
            &mut items,
            format_args!(
                "The values of `{}` that cross from one of its parts to a later one.",
                function.name
            ),
        );
        let _ = writeln!(items, "struct {} {{", function.state);
        for field in &self.fields {
            push_all(&mut items, &["    ", field, ": ", self.float.ty(), ",\n"]);
        }
        items.push_str("}\n");
        for c in 0..self.parts.chunks.len() {
            self.write_part(&mut items, c);
        }
        items
    }

    /// `fn NAME_part_c(args, state: &mut State) { loads; statements; stores }`.
    fn write_part(&self, items: &mut String, c: usize) {
        let (function, parts, names) = (self.function, self.parts, self.names);
        let (state, chunk) = (function.state_arg, parts.chunks[c]);
        let _ = writeln!(items);
        write_doc(
            items,
            format_args!(
                "Part {} of {} of `{}`.",
                c + 1,
                parts.chunks.len(),
                function.name
            ),
        );
        let _ = writeln!(
            items,
            "#[inline(never)]\nfn {}_part_{c}({}, {state}: &mut {}) {{",
            function.name, self.args, function.state
        );
        for var in &parts.reads[c] {
            match parts.leaves.get(var) {
                Some(text) => items.push_str(text),
                None => {
                    let name = names.var(*var);
                    push_all(items, &["let ", name, " = ", state, ".", name, ";\n"]);
                }
            }
        }
        for statement in chunk {
            items.push_str(&statement.text);
        }
        for statement in chunk.iter().filter(|s| parts.crossing.contains(&s.name)) {
            let name = names.var(statement.name);
            push_all(items, &[state, ".", name, " = ", name, ";\n"]);
        }
        if let Some(sink) = &function.sink {
            for statement in chunk {
                for field in self.sunk.get(&statement.name).into_iter().flatten() {
                    let name = names.var(statement.name);
                    push_all(items, &[sink.arg, ".", field, " = ", name, ";\n"]);
                }
            }
        }
        items.push_str("}\n");
    }

    /// The function's new body: the state, a call per part, and the loads of its results.
    fn calls(&self) -> String {
        let (function, parts) = (self.function, self.parts);
        let state = function.state_arg;
        let mut calls = String::with_capacity(
            self.fields.iter().map(|f| f.len() + 8).sum::<usize>()
                + parts.chunks.len() * (64 + self.arg_names.len())
                + 64 * function.results.len()
                + 256,
        );
        let _ = write!(calls, "let mut {state} = {} {{", function.state);
        for field in &self.fields {
            push_all(&mut calls, &[" ", field, ": 0.0,"]);
        }
        calls.push_str(" };\n");
        if let Some(sink) = &function.sink {
            let _ = writeln!(calls, "let mut {} = {}::default();", sink.arg, sink.ty);
        }
        for c in 0..parts.chunks.len() {
            let _ = writeln!(
                calls,
                "{}_part_{c}({}, &mut {state});",
                function.name, self.arg_names
            );
        }
        self.load_results(&mut calls);
        calls
    }

    /// `let y = state.y;` for each result a part defined (a leaf result is loaded itself).
    fn load_results(&self, calls: &mut String) {
        let (state, parts) = (self.function.state_arg, self.parts);
        let mut loaded = FxHashSet::default();
        for &var in &self.function.results {
            if !loaded.insert(var) {
                continue;
            }
            if parts.defined_in.contains_key(&var) {
                let name = self.names.var(var);
                push_all(calls, &["let ", name, " = ", state, ".", name, ";\n"]);
            } else if let Some(text) = parts.leaves.get(&var) {
                calls.push_str(text);
            }
        }
    }
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
