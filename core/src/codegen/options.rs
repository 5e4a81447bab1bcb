//! The emitter's options: the float type of the emitted code and the bound on a function's
//! statements.

use std::fmt::Write;

/// The floating-point type of the emitted code.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Float {
    /// `f32`
    F32,
    /// `f64`
    #[default]
    F64,
}

impl Float {
    /// The type's name (`f64`).
    ///
    /// ```
    /// assert_eq!(symdiff_core::codegen::Float::F32.ty(), "f32");
    /// ```
    pub fn ty(self) -> &'static str {
        match self {
            Float::F32 => "f32",
            Float::F64 => "f64",
        }
    }

    /// Whether `v` is finite in this type (`1e39` is not an `f32`): only such a value may be
    /// written as a literal of the type.
    pub(super) fn holds(self, v: f64) -> bool {
        match self {
            Float::F32 => (v as f32).is_finite(),
            Float::F64 => v.is_finite(),
        }
    }

    /// A literal of this type with its suffix (`2f64`), for method receivers; `v` is finite in
    /// the type ([`Float::holds`]).
    pub(super) fn write_suffixed(self, out: &mut String, v: f64) {
        let _ = match self {
            Float::F32 => write!(out, "{}f32", v as f32),
            Float::F64 => write!(out, "{v}f64"),
        };
    }
}

/// Options of the Rust emitter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RustOptions {
    /// The float type of every field, value and function.
    pub float: Float,
    /// A function body (`forward`, `loss`, `gradient`) with more `let` statements than this
    /// is split into private `#[inline(never)]` parts of at most this many statements each,
    /// which keeps rustc's time roughly linear in the network's size; 0 never splits.
    /// Defaults to [`RustOptions::MAX_STATEMENTS`].
    pub max_statements: usize,
    /// Derive `Serialize` and `Deserialize` for `Params`, `Input` and `Target` through the
    /// facade's re-export (`::symdiff::serde`, the `serde` feature of `symdiff`): the JSON shape
    /// of `symdiff train --save` (`{"w1": [[...], ...], "c": 0.5}`).
    pub serde: bool,
}

impl RustOptions {
    /// The attributes of a struct with `serde` (empty without).
    pub(super) fn serde_attributes(&self) -> &'static str {
        if self.serde {
            "#[derive(::symdiff::serde::Serialize, ::symdiff::serde::Deserialize)]\n#[serde(crate = \"::symdiff::serde\")]\n"
        } else {
            ""
        }
    }

    /// The default bound on the statements of one generated function: small networks (the
    /// lecture's, up to some hundred weights) stay one function each, and parts are small
    /// enough that LLVM's time per part stays flat.
    pub const MAX_STATEMENTS: usize = 200;
}

impl Default for RustOptions {
    fn default() -> RustOptions {
        RustOptions {
            float: Float::default(),
            max_statements: RustOptions::MAX_STATEMENTS,
            serde: false,
        }
    }
}
