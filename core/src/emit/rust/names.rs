//! Rust identifiers for the user's names, for adjoints (`d_h`) and for shared subexpressions
//! (`t0`), chosen so that none collides with another.
//!
//! A user name that is a Rust keyword becomes a raw identifier (`r#type`); the four names that
//! cannot be raw (`self`, `Self`, `super`, `crate`) get a trailing underscore. A generated name
//! never equals a user name: on a clash it grows underscores until it is free.
//!
//! A body refers to what it binds by [`Var`], a copyable key; the spelling is looked up here
//! only when the code is written.

use super::RustError;
use crate::dag::Symbol;
use crate::hash::{FxHashMap, FxHashSet};

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

/// A value a function body binds to a name: a symbol of the model (a definition, an adjoint,
/// a param...), or a shared subexpression's temporary (`t0`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) enum Var {
    /// A symbol, spelled by [`Names::ident`].
    Symbol(Symbol),
    /// The `k`-th temporary [`Names::temp`] made.
    Temp(u32),
}

/// Every identifier an emitted module uses, by symbol.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// The spelling of every identifier taken so far (without `r#`).
    taken: FxHashSet<String>,
    /// How each symbol is written (`r#type` for a keyword).
    idents: FxHashMap<Symbol, String>,
    /// How each temporary is written.
    temps: Vec<String>,
}

impl Names {
    /// Reserves the user's names, in order.
    pub(super) fn new<'a>(
        user: impl IntoIterator<Item = (Symbol, &'a str)>,
    ) -> Result<Names, RustError> {
        let mut names = Names::default();
        let user: Vec<(Symbol, &str)> = user.into_iter().collect();
        // Room for the user's names and as many again (adjoints, temporaries) without rehashing.
        names.taken.reserve(2 * user.len());
        names.idents.reserve(2 * user.len());
        for &(_, name) in &user {
            if !is_identifier(name) {
                return Err(RustError::InvalidName(name.to_string()));
            }
            names.taken.insert(name.to_string());
        }
        for (symbol, name) in user {
            let ident = if NOT_RAW.contains(&name) {
                names.fresh(&format!("{name}_"))
            } else if is_keyword(name) {
                format!("r#{name}")
            } else {
                name.to_string()
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
    pub(super) fn fresh(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        while self.taken.contains(&name) || is_keyword(&name) {
            name.push('_');
        }
        self.taken.insert(name.clone());
        name
    }

    /// A fresh temporary spelled `base` or `base_`... (see [`Names::fresh`]).
    pub(super) fn temp(&mut self, base: &str) -> Var {
        let name = self.fresh(base);
        self.temps.push(name);
        Var::Temp(self.temps.len() as u32 - 1)
    }

    /// The identifier of a symbol, for names bound by [`Names::new`] or [`Names::bind`].
    /// A symbol the emitter never bound (which would be a bug in core) becomes a name that
    /// fails to compile with a clear message, rather than a panic inside the macro.
    pub(super) fn ident(&self, symbol: Symbol) -> &str {
        self.idents
            .get(&symbol)
            .map_or("__symdiff_unbound_symbol", String::as_str)
    }

    /// The identifier of a symbol or temporary.
    pub(super) fn var(&self, var: Var) -> &str {
        match var {
            Var::Symbol(symbol) => self.ident(symbol),
            Var::Temp(k) => &self.temps[k as usize],
        }
    }
}

/// Whether a name is a Rust keyword (`KEYWORDS` is sorted: a binary search, not a scan).
fn is_keyword(name: &str) -> bool {
    KEYWORDS.binary_search(&name).is_ok()
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
    fn the_keywords_are_sorted_for_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_keyword("typeof") && is_keyword("abstract") && is_keyword("yield"));
        assert!(!is_keyword("types") && !is_keyword("d_h"));
    }

    #[test]
    fn keywords_become_raw_and_generated_names_never_clash() {
        let mut names =
            Names::new([(Symbol(0), "type"), (Symbol(1), "self"), (Symbol(2), "d_h")]).unwrap();
        assert_eq!(names.ident(Symbol(0)), "r#type");
        assert_eq!(names.ident(Symbol(1)), "self_");
        names.bind(Symbol(3), "d_h");
        assert_eq!(names.ident(Symbol(3)), "d_h_");
        let t = names.temp("t0");
        assert_eq!(names.var(t), "t0");
        assert!(Names::new([(Symbol(0), "1x")]).is_err());
    }
}
