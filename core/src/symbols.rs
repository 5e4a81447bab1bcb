//! The DAG's symbol names: each name stored once, found by its hash.
//!
//! A network of thousands of weights has tens of thousands of names, and lowering looks one up
//! for every name the source uses. The names live end to end in one string, so a lookup reads
//! a neighbourhood of that string rather than a separate allocation per name, and the table
//! holds only symbol ids.

use crate::dag::Symbol;
use crate::hash::FxBuildHasher;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Interned names, by [`Symbol`] id.
#[derive(Clone, Debug, Default)]
pub(crate) struct SymbolTable {
    /// Every name, end to end.
    text: String,
    /// Where each name ends in `text`; it starts where the one before it ends.
    ends: Vec<usize>,
    /// The symbols, found by the hash of their name.
    by_name: HashTable<Symbol>,
}

/// The hash a symbol's name is found by.
fn name_hash(name: &str) -> u64 {
    FxBuildHasher::default().hash_one(name)
}

/// The name of `symbol` in `text` cut at `ends`.
fn name_at<'a>(text: &'a str, ends: &[usize], symbol: Symbol) -> &'a str {
    let i = symbol.index();
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

impl SymbolTable {
    /// How many names are interned (symbol ids run from 0 to this, exclusive).
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// A symbol's name.
    pub(crate) fn name(&self, symbol: Symbol) -> &str {
        name_at(&self.text, &self.ends, symbol)
    }

    /// The symbol of an interned name.
    pub(crate) fn find(&self, name: &str) -> Option<Symbol> {
        self.by_name
            .find(name_hash(name), |&s| self.name(s) == name)
            .copied()
    }

    /// The symbol for a name, interning the name on first use.
    pub(crate) fn intern(&mut self, name: &str) -> Symbol {
        let hash = name_hash(name);
        if let Some(&s) = self.by_name.find(hash, |&s| self.name(s) == name) {
            return s;
        }
        let s = Symbol(u32::try_from(self.len()).expect("more than 2^32 symbols"));
        self.text.push_str(name);
        self.ends.push(self.text.len());
        let (text, ends) = (&self.text, &self.ends);
        self.by_name
            .insert_unique(hash, s, |&s| name_hash(name_at(text, ends, s)));
        s
    }

    /// Makes room for `names` more names of about `bytes` bytes in all.
    pub(crate) fn reserve(&mut self, names: usize, bytes: usize) {
        self.text.reserve(bytes);
        self.ends.reserve(names);
        let (text, ends) = (&self.text, &self.ends);
        self.by_name
            .reserve(names, |&s| name_hash(name_at(text, ends, s)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_interned_once_and_read_back_after_the_table_grows() {
        let mut table = SymbolTable::default();
        let names: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        let symbols: Vec<Symbol> = names.iter().map(|n| table.intern(n)).collect();
        assert_eq!(table.len(), 1000);
        for (name, &s) in names.iter().zip(&symbols) {
            assert_eq!(table.intern(name), s);
            assert_eq!(table.find(name), Some(s));
            assert_eq!(table.name(s), name);
        }
        assert_eq!(table.find("w1000"), None);
        // The empty name and a name that is a prefix of the next are still told apart.
        let empty = table.intern("");
        let w = table.intern("w");
        assert_eq!((table.name(empty), table.name(w)), ("", "w"));
        assert_ne!(table.find("w"), table.find("w1"));
    }
}
