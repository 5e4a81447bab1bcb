//! The module's structs: `Params`, `Input` and `Target`, one field per name, with a
//! `PartialEq` that stays shallow for wide structs, and `Params::INITIAL`.

use super::expr::write_f64_unsuffixed;
use super::plan::Plan;
use super::source::{push_all, write_doc, write_doc_parts};
use super::RustOptions;
use crate::dag::Symbol;
use std::fmt::Write;

/// Structs with more fields than this get a `PartialEq` written one statement per field
/// rather than derived (a derived one is a single expression as deep as the struct is wide).
const MAX_DERIVED_EQ_FIELDS: usize = 256;

/// One struct of the module: its name, fields, and what it holds (for its doc).
struct StructFields<'a> {
    name: &'a str,
    fields: &'a [Symbol],
    what: &'a str,
}

/// `Params`, `Input`, `Target`, and `Params::INITIAL`.
pub(super) fn write_structs(out: &mut String, plan: &Plan, options: &RustOptions) {
    for s in [
        StructFields {
            name: "Params",
            fields: &plan.params,
            what: "The trainable parameters",
        },
        StructFields {
            name: "Input",
            fields: &plan.inputs,
            what: "One input sample",
        },
        StructFields {
            name: "Target",
            fields: &plan.targets,
            what: "The target values of one sample",
        },
    ] {
        write_struct(out, plan, options, &s);
    }
    write_initial(out, plan, options);
}

/// `impl Params { pub const INITIAL: Params = ...; }`: the initial values given in the source,
/// when the source gives every param one. A param without one has no value until given one, in
/// generated code as in the CLI, so there is no `INITIAL` to make up (`Params::default()` is
/// all zeros, by name).
fn write_initial(out: &mut String, plan: &Plan, options: &RustOptions) {
    let (float, ty) = (options.float, options.float.ty());
    let inits: Option<Vec<f64>> = plan
        .params
        .iter()
        .map(|&p| plan.model.vertex(p).and_then(|v| v.init))
        .collect();
    let Some(inits) = inits else {
        return;
    };
    out.push_str(
        "impl Params {\n#[doc = r\" The initial values given in the source.\"]\npub const INITIAL: Params = Params {",
    );
    for (init, ident) in inits.into_iter().zip(plan.param_idents()) {
        push_all(out, &[" ", ident, ": "]);
        if float.holds(init) {
            write_f64_unsuffixed(out, init);
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
}

/// `pub struct Params { ... }` (or `Input`, `Target`), with a `PartialEq` that stays shallow
/// for wide structs.
fn write_struct(out: &mut String, plan: &Plan, options: &RustOptions, s: &StructFields) {
    let (model, ty) = (plan.model, options.float.ty());
    let StructFields {
        name: struct_name,
        fields,
        what,
    } = *s;
    let idents: &[&str] = &fields
        .iter()
        .map(|&f| plan.names.ident(f))
        .collect::<Vec<_>>();
    write_doc(out, format_args!("{what} of `{}`.", plan.network));
    let derived = idents.len() <= MAX_DERIVED_EQ_FIELDS;
    let _ = writeln!(
        out,
        "#[derive(Clone, Copy, Debug, Default{})]\n{}pub struct {struct_name} {{",
        if derived { ", PartialEq" } else { "" },
        options.serde_attributes()
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
pub(super) fn field_groups<'a, 'b>(fields: &'b [&'a str], max: usize) -> Vec<&'b [&'a str]> {
    if max == 0 || fields.len() <= max {
        return vec![fields];
    }
    let size = fields.len().div_ceil(fields.len().div_ceil(max));
    fields.chunks(size).collect()
}
