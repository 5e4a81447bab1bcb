//! Rust identifiers for the user's names, for adjoints (`d_h`) and for shared subexpressions
//! (`t0`), chosen so that none collides with another.
//!
//! A user name that is a Rust keyword becomes a raw identifier (`r#type`); the four names that
//! cannot be raw (`self`, `Self`, `super`, `crate`) get a trailing underscore. A generated name
//! never equals a user name: on a clash it grows underscores until it is free.

use super::RustError;
use crate::dag::Symbol;
use crate::hash::{FxHashMap, FxHashSet};
use proc_macro2::{Ident, Span};

/// Keywords (strict and reserved, every edition) that must be written as raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Every identifier an emitted module uses, by symbol.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// The spelling of every identifier taken so far (without `r#`).
    taken: FxHashSet<String>,
    idents: FxHashMap<Symbol, Ident>,
}

impl Names {
    /// Reserves the user's names, in order.
    pub(super) fn new<'a>(
        user: impl IntoIterator<Item = (Symbol, &'a str)>,
    ) -> Result<Names, RustError> {
        let mut names = Names::default();
        let user: Vec<(Symbol, &str)> = user.into_iter().collect();
        for &(_, name) in &user {
            if !is_identifier(name) {
                return Err(RustError::InvalidName(name.to_string()));
            }
            names.taken.insert(name.to_string());
        }
        for (symbol, name) in user {
            let ident = if NOT_RAW.contains(&name) {
                names.fresh(&format!("{name}_"))
            } else if KEYWORDS.contains(&name) {
                Ident::new_raw(name, Span::call_site())
            } else {
                Ident::new(name, Span::call_site())
            };
            names.idents.insert(symbol, ident);
        }
        Ok(names)
    }

    /// Names a generated symbol (an adjoint) after `base`, avoiding every taken name.
    pub(super) fn bind(&mut self, symbol: Symbol, base: &str) {
        let ident = self.fresh(base);
        self.idents.insert(symbol, ident);
    }

    /// A fresh identifier spelled `base`, or `base_`, `base__`... when taken.
    pub(super) fn fresh(&mut self, base: &str) -> Ident {
        let mut name = base.to_string();
        while self.taken.contains(&name) || KEYWORDS.contains(&name.as_str()) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        Ident::new(&name, Span::call_site())
    }

    /// The identifier of a symbol, for names bound by [`Names::new`] or [`Names::bind`].
    /// A symbol the emitter never bound (which would be a bug in core) becomes a name that
    /// fails to compile with a clear message, rather than a panic inside the macro.
    pub(super) fn ident(&self, symbol: Symbol) -> Ident {
        self.idents
            .get(&symbol)
            .cloned()
            .unwrap_or_else(|| Ident::new("__symdiff_unbound_symbol", Span::call_site()))
    }
}

/// Whether `name` is a Rust identifier (XID start or `_`, then XID continue).
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c == '_' || unicode_ident::is_xid_start(c) => {}
        _ => return false,
    }
    chars.all(unicode_ident::is_xid_continue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_become_raw_and_generated_names_never_clash() {
        let mut names =
            Names::new([(Symbol(0), "type"), (Symbol(1), "self"), (Symbol(2), "d_h")]).unwrap();
        assert_eq!(names.ident(Symbol(0)).to_string(), "r#type");
        assert_eq!(names.ident(Symbol(1)).to_string(), "self_");
        names.bind(Symbol(3), "d_h");
        assert_eq!(names.ident(Symbol(3)).to_string(), "d_h_");
        assert!(Names::new([(Symbol(0), "1x")]).is_err());
    }
}
