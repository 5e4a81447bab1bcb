//! The structs of an indexed network's module: `Params`, `Input` and `Target` hold arrays of
//! the declared shapes on the heap (`Vec` of rows, so a 784×128 weight never sits on the
//! stack), 0-based (`p.w1[j][i]` is the file's `w1[j+1, i+1]`), zeros by `Default`, the file's
//! initializers by `Params::init(seed)`.

use super::super::source::{push_all, write_doc};
use super::super::vector::{field_slice, RUNTIME};
use crate::indexed::init::fans;
use crate::indexed::{Array, Initializer};
use std::fmt::Write;

/// One field: its identifier, the user's name and the array's shape.
pub(super) struct Field<'a> {
    pub ident: String,
    pub name: &'a str,
    pub array: &'a Array,
}

impl Field<'_> {
    /// The rank (`None` for a scalar).
    pub fn rank(&self) -> Option<usize> {
        (!self.array.shape.is_empty()).then_some(self.array.shape.len())
    }

    /// The number of scalars.
    pub fn len(&self) -> usize {
        self.array.shape.iter().product()
    }

    /// `f64`, `Vec<f64>`, `Vec<[f64; 3]>`, ...
    fn ty(&self, ty: &str) -> String {
        match self.array.shape.split_first() {
            None => ty.to_string(),
            Some((_, rest)) => format!("Vec<{}>", nested(ty, rest)),
        }
    }

    /// `0.0`, `vec![0.0; 4]`, `vec![[0.0; 3]; 4]`, ...
    fn zeros(&self) -> String {
        match self.array.shape.split_first() {
            None => "0.0".to_string(),
            Some((first, rest)) => format!("vec![{}; {first}]", nested("0.0", rest)),
        }
    }

    /// The field's values as a slice of `owner` (`params.w1.as_flattened()`).
    pub fn slice(&self, owner: &str, mutable: bool) -> String {
        field_slice(&[owner, ".", &self.ident].concat(), self.rank(), mutable)
    }
}

/// `[[x; c]; b]` for the shape `[b, c]` (`x` for none).
fn nested(x: &str, shape: &[usize]) -> String {
    shape
        .iter()
        .rev()
        .fold(x.to_string(), |inner, n| format!("[{inner}; {n}]"))
}

/// `pub struct NAME { ... }` with `Default` (zeros of the declared shapes).
pub(super) fn write_struct(
    out: &mut String,
    (name, what): (&str, &str),
    fields: &[Field],
    options: &super::super::RustOptions,
) {
    let ty = options.float.ty();
    write_doc(out, what);
    let _ = writeln!(
        out,
        "#[derive(Clone, Debug, PartialEq)]\n{}pub struct {name} {{",
        options.serde_attributes()
    );
    for f in fields {
        let shape: Vec<String> = f.array.shape.iter().map(|n| n.to_string()).collect();
        let doc = if shape.is_empty() {
            format!("`{}`", f.name)
        } else {
            let subscripts: Vec<String> = (0..shape.len()).map(|k| format!("[i{k}]")).collect();
            let file: Vec<String> = (0..shape.len()).map(|k| format!("i{k}+1")).collect();
            format!(
                "`{}[{}]`: `{}{}` is the file's `{}[{}]` (0-based here, 1-based there).",
                f.name,
                shape.join(", "),
                f.ident,
                subscripts.concat(),
                f.name,
                file.join(", ")
            )
        };
        write_doc(out, doc);
        if options.serde && f.array.shape.len() >= 2 {
            // Rows are arrays, which serde implements only up to 32 elements.
            let _ = writeln!(out, "#[serde(with = \"{RUNTIME}::serde_rows\")]");
        }
        push_all(out, &["pub ", &f.ident, ": ", &f.ty(ty), ",\n"]);
    }
    let _ = write!(
        out,
        "}}\n\nimpl Default for {name} {{\n#[doc = r\" Every value 0, in the declared shapes.\"]\nfn default() -> Self {{\n{name} {{"
    );
    for f in fields {
        push_all(out, &[" ", &f.ident, ": ", &f.zeros(), ","]);
    }
    out.push_str(" }\n}\n}\n\n");
}

/// `Params::init(seed)` when every param has an initializer: the values the CLI gives with
/// `--seed seed`, in the float type.
pub(super) fn write_init(out: &mut String, fields: &[Field], ty: &str) {
    if fields.iter().any(|f| f.array.init.is_none()) {
        return;
    }
    let total: usize = fields.iter().map(Field::len).sum();
    let _ = write!(
        out,
        "impl Params {{\n\
         #[doc = r\" The initial values the file gives, its random initializers drawn with `seed`\"]\n\
         #[doc = r\" (the CLI's `--seed`, 0 by default): the same values as the CLI's.\"]\n\
         pub fn init(seed: u64) -> Params {{\n\
         let mut values: Vec<f64> = Vec::with_capacity({total});\n"
    );
    for f in fields {
        let _ = writeln!(out, "{};", extend(f));
    }
    let _ = write!(
        out,
        "let values: Vec<{ty}> = values.into_iter().map(|v| v as {ty}).collect();\nParams::from_slice(&values)\n}}\n}}\n\n"
    );
}

/// The statement that appends one param's initial values to `values`.
fn extend(f: &Field) -> String {
    let count = f.len();
    let draw = |kind: &str, a: f64, b: f64| {
        format!(
            "values.extend({RUNTIME}::init::{kind}(seed, {:?}, {count}, {a:?}, {b:?}))",
            f.name
        )
    };
    match f.array.init.as_ref().expect("checked by the caller") {
        Initializer::Constant(c) => {
            format!("values.extend(::core::iter::repeat_n({c:?}, {count}))")
        }
        Initializer::Values(v) => {
            let list: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
            format!("values.extend_from_slice(&[{}])", list.join(", "))
        }
        Initializer::Uniform { low, high } => draw("uniform", *low, *high),
        Initializer::Normal { mean, sd } => draw("normal", *mean, *sd),
        Initializer::Glorot => {
            let (fan_in, fan_out) = fans(&f.array.shape);
            let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
            draw("uniform", -a, a)
        }
        Initializer::He => {
            let (fan_in, _) = fans(&f.array.shape);
            draw("normal", 0.0, (2.0 / fan_in as f64).sqrt())
        }
    }
}
