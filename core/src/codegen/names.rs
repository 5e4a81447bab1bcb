//! Rust identifiers for the user's names, for adjoints (`d_h`) and for shared subexpressions
//! (`t0`), chosen so that none collides with another.
//!
//! A user name that is a Rust keyword becomes a raw identifier (`r#type`); the names that
//! cannot be raw (`self`, `Self`, `super`, `crate`, `_`) get a trailing underscore. A generated
//! name never equals a user name: on a clash it grows underscores until it is free.
//!
//! A body refers to what it binds by [`Var`], a copyable key; the spelling is looked up here
//! only when the code is written.

use super::RustError;
use crate::dag::Symbol;
use crate::hash::FxBuildHasher;
use hashbrown::HashTable;
use std::hash::BuildHasher;

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
///
/// Each spelling is stored once, in `spellings`; the taken ones are found by hash through
/// `taken`, a symbol's identifier by its index in `idents` (symbols are dense indices).
#[derive(Debug, Default)]
pub(super) struct Names {
    /// Every spelling made: the taken names (without `r#`) and the raw identifiers (`r#type`).
    spellings: Vec<String>,
    /// The taken names (without `r#`), as indices into `spellings`, found by their hash.
    taken: HashTable<u32>,
    /// Each symbol's identifier, as an index into `spellings` (`UNBOUND` where none).
    idents: Vec<u32>,
    /// Each temporary's identifier, as an index into `spellings`.
    temps: Vec<u32>,
}

/// The slot of a symbol without an identifier in [`Names::idents`].
const UNBOUND: u32 = u32::MAX;

/// The hash a taken name is found by.
fn spelling_hash(name: &str) -> u64 {
    FxBuildHasher::default().hash_one(name)
}

impl Names {
    /// Reserves the user's names, in order.
    pub(super) fn new<'a>(
        user: impl IntoIterator<Item = (Symbol, &'a str)>,
    ) -> Result<Names, RustError> {
        let mut names = Names::default();
        let user: Vec<(Symbol, &str)> = user.into_iter().collect();
        // Room for the user's names and as many again (adjoints, temporaries) without regrowing.
        names.spellings.reserve(2 * user.len());
        let spellings = &names.spellings;
        names
            .taken
            .reserve(2 * user.len(), |&k| spelling_hash(&spellings[k as usize]));
        for &(_, name) in &user {
            if !is_identifier(name) {
                return Err(RustError::InvalidName(name.to_string()));
            }
            names.take(name.to_string());
        }
        for (symbol, name) in user {
            let ident = if NOT_RAW.contains(&name) {
                names.fresh_index(&format!("{name}_"))
            } else if is_keyword(name) {
                names.spellings.push(format!("r#{name}"));
                names.spellings.len() as u32 - 1
            } else {
                names.find(name).expect("every user name was taken above")
            };
            names.set_ident(symbol, ident);
        }
        Ok(names)
    }

    /// Names a generated symbol (an adjoint) after `base`, avoiding every taken name.
    pub(super) fn bind(&mut self, symbol: Symbol, base: &str) {
        let ident = self.fresh_index(base);
        self.set_ident(symbol, ident);
    }

    /// A fresh identifier spelled `base`, or `base_`, `base__`... when taken.
    pub(super) fn fresh(&mut self, base: &str) -> String {
        let k = self.fresh_index(base);
        self.spellings[k as usize].clone()
    }

    /// A fresh temporary spelled `base` or `base_`... (see [`Names::fresh`]).
    pub(super) fn temp(&mut self, base: &str) -> Var {
        let k = self.fresh_index(base);
        self.temps.push(k);
        Var::Temp(self.temps.len() as u32 - 1)
    }

    /// The identifier of a symbol, for names bound by [`Names::new`] or [`Names::bind`].
    /// A symbol the emitter never bound (which would be a bug in core) becomes a name that
    /// fails to compile with a clear message, rather than a panic inside the macro.
    pub(super) fn ident(&self, symbol: Symbol) -> &str {
        match self.idents.get(symbol.index()) {
            Some(&k) if k != UNBOUND => &self.spellings[k as usize],
            _ => "__symdiff_unbound_symbol",
        }
    }

    /// The index of `base`, or of `base_`, `base__`... the first one not taken, now taken.
    fn fresh_index(&mut self, base: &str) -> u32 {
        if self.find(base).is_none() && !is_keyword(base) {
            return self.take(base.to_string());
        }
        let mut name = base.to_string();
        while self.find(&name).is_some() || is_keyword(&name) {
            name.push('_');
        }
        self.take(name)
    }

    /// The index of a taken name.
    fn find(&self, name: &str) -> Option<u32> {
        let spellings = &self.spellings;
        self.taken
            .find(spelling_hash(name), |&k| spellings[k as usize] == name)
            .copied()
    }

    /// Takes a name not taken yet.
    fn take(&mut self, name: String) -> u32 {
        debug_assert!(self.find(&name).is_none(), "`{name}` is taken twice");
        let k = self.spellings.len() as u32;
        let hash = spelling_hash(&name);
        self.spellings.push(name);
        let spellings = &self.spellings;
        self.taken
            .insert_unique(hash, k, |&j| spelling_hash(&spellings[j as usize]));
        k
    }

    fn set_ident(&mut self, symbol: Symbol, ident: u32) {
        let i = symbol.index();
        if i >= self.idents.len() {
            self.idents.resize(i + 1, UNBOUND);
        }
        self.idents[i] = ident;
    }

    /// The identifier of a symbol or temporary.
    pub(super) fn var(&self, var: Var) -> &str {
        match var {
            Var::Symbol(symbol) => self.ident(symbol),
            Var::Temp(k) => &self.spellings[self.temps[k as usize] as usize],
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
