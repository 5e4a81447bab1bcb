//! The variable-dependency graph: one vertex per name, an edge from each defined vertex to every
//! name its right-hand side uses (the slides' "w → v → x → y", drawn from the output's side).
//!
//! Path counts are computed by dynamic programming, never by enumerating the paths. The same graph
//! with a label on every edge, as the graph printers draw it, is [`LabelledGraph`].

mod labelled;

pub use labelled::{Edge, LabelledGraph};

use crate::dag::Symbol;
use crate::hash::{FxBuildHasher, FxHashMap};
use crate::model::Model;
use indexmap::IndexMap;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The dependency graph of a model.
///
/// ```
/// use symdiff_core::{ModelBuilder, Role, DepGraph};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.node_named("w");
/// let v = b.dag.node_named("v");
/// let two = b.dag.integer(2);
/// let v_rhs = b.dag.mul(vec![two, w]);
/// b.define("v", Role::Intermediate, v_rhs).unwrap();
/// let y_rhs = b.dag.add(vec![v, w]);
/// b.define("y", Role::Intermediate, y_rhs).unwrap();
/// let model = b.finish().unwrap();
/// let graph = DepGraph::new(&model);
/// let (y, w) = (model.dag.find_symbol("y").unwrap(), model.dag.find_symbol("w").unwrap());
/// assert_eq!(graph.count_paths(y, w), 2); // y → v → w and y → w
/// ```
#[derive(Clone, Debug)]
pub struct DepGraph {
    /// Defined vertices in evaluation order, each with the names it uses (first mention first).
    uses: IndexMap<Symbol, Vec<Symbol>, FxBuildHasher>,
    /// For each name, by symbol index, the defined vertices that use it, in evaluation order:
    /// a range of `user_list`.
    user_ranges: Vec<(u32, u32)>,
    user_list: Vec<Symbol>,
    /// Where each name stands among a vertex's uses: `(vertex, name) -> index`; built on first
    /// use (only path enumeration asks).
    use_index: OnceLock<FxHashMap<(Symbol, Symbol), usize>>,
}

impl DepGraph {
    /// The graph of a model's definitions.
    pub fn new(model: &Model) -> DepGraph {
        let uses: IndexMap<Symbol, Vec<Symbol>, FxBuildHasher> = model
            .definitions()
            .into_iter()
            .map(|(vertex, rhs)| (vertex, model.dag.symbols_in(rhs)))
            .collect();
        // The users of each name side by side: count them, then fill each name's range in
        // evaluation order.
        let symbols = (uses.values().flatten().map(|u| u.index() + 1).max())
            .unwrap_or(0)
            .max(model.dag.symbol_count());
        let mut user_ranges = vec![(0u32, 0u32); symbols];
        for used in uses.values() {
            for &u in used {
                user_ranges[u.index()].1 += 1;
            }
        }
        let mut next = 0u32;
        for range in &mut user_ranges {
            let count = range.1;
            *range = (next, next);
            next += count;
        }
        let mut user_list = vec![Symbol(0); next as usize];
        for (&vertex, used) in &uses {
            for &u in used {
                let range = &mut user_ranges[u.index()];
                user_list[range.1 as usize] = vertex;
                range.1 += 1;
            }
        }
        DepGraph {
            uses,
            user_ranges,
            user_list,
            use_index: OnceLock::new(),
        }
    }

    /// The names a vertex's definition uses (empty for inputs and params).
    pub fn uses(&self, vertex: Symbol) -> &[Symbol] {
        self.uses.get(&vertex).map_or(&[], |v| v.as_slice())
    }

    /// Where `name` stands among the uses of `vertex` (first mention first).
    pub fn use_index(&self, vertex: Symbol, name: Symbol) -> Option<usize> {
        let index = self.use_index.get_or_init(|| {
            let mut index = FxHashMap::default();
            for (&v, used) in &self.uses {
                for (k, &u) in used.iter().enumerate() {
                    index.insert((v, u), k);
                }
            }
            index
        });
        index.get(&(vertex, name)).copied()
    }

    /// The defined vertices that use a name.
    pub fn users(&self, vertex: Symbol) -> &[Symbol] {
        match self.user_ranges.get(vertex.index()) {
            Some(&(from, to)) => &self.user_list[from as usize..to as usize],
            None => &[],
        }
    }

    /// Defined vertices in evaluation order.
    pub fn defined(&self) -> impl DoubleEndedIterator<Item = Symbol> + '_ {
        self.uses.keys().copied()
    }

    /// Every edge `(vertex, used name)`, vertices in evaluation order.
    pub fn edges(&self) -> impl Iterator<Item = (Symbol, Symbol)> + '_ {
        self.uses
            .iter()
            .flat_map(|(&v, used)| used.iter().map(move |&u| (v, u)))
    }

    /// Whether each name, by symbol index, is `of` or something `of` depends on.
    fn reachable_from(&self, of: Symbol) -> Vec<bool> {
        let mut seen = vec![false; self.user_ranges.len().max(of.index() + 1)];
        seen[of.index()] = true;
        let mut stack = vec![of];
        while let Some(v) = stack.pop() {
            for &u in self.uses(v) {
                if !std::mem::replace(&mut seen[u.index()], true) {
                    stack.push(u);
                }
            }
        }
        seen
    }

    /// The vertices on some path from `of` down to one of `wrt` (both ends included), in an
    /// evaluation order: everything a vertex uses comes before it.
    pub fn on_paths(&self, of: Symbol, wrt: &[Symbol]) -> Vec<Symbol> {
        let above = self.reachable_from(of);
        let is_above = |s: Symbol| above.get(s.index()).copied().unwrap_or(false);
        let mut variable = vec![false; above.len()];
        for &w in wrt {
            if let Some(v) = variable.get_mut(w.index()) {
                *v = true;
            }
        }
        let mut below = vec![false; above.len()];
        let mut order = Vec::new();
        for &w in wrt {
            if is_above(w) && !self.uses.contains_key(&w) && !below[w.index()] {
                below[w.index()] = true;
                order.push(w);
            }
        }
        for v in self.defined() {
            let feeds = variable[v.index()] || self.uses(v).iter().any(|u| below[u.index()]);
            if is_above(v) && feeds {
                below[v.index()] = true;
                order.push(v);
            }
        }
        order
    }

    /// How many paths lead from `of` down to every vertex below it (saturating at `u128::MAX`),
    /// in one backward sweep: the paths to `u` are the paths to each user of `u`, summed.
    pub fn path_counts_from(&self, of: Symbol) -> HashMap<Symbol, u128> {
        let mut count: HashMap<Symbol, u128> = HashMap::from([(of, 1)]);
        for v in self.defined().rev() {
            let Some(&n) = count.get(&v) else { continue };
            for &u in self.uses(v) {
                let c = count.entry(u).or_insert(0);
                *c = c.saturating_add(n);
            }
        }
        count
    }

    /// How many paths lead from `of` down to `wrt`, saturating at `u128::MAX`.
    pub fn count_paths(&self, of: Symbol, wrt: Symbol) -> u128 {
        let mut count: HashMap<Symbol, u128> = HashMap::from([(wrt, 1)]);
        for v in self.defined() {
            let n = self
                .uses(v)
                .iter()
                .map(|u| count.get(u).copied().unwrap_or(0))
                .fold(0u128, |a, b| a.saturating_add(b));
            if n > 0 {
                count.insert(v, n);
            }
            if v == of {
                break;
            }
        }
        count.get(&of).copied().unwrap_or(0)
    }
}
