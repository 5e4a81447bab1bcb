//! The variable-dependency graph: one vertex per name, an edge from each defined vertex to every
//! name its right-hand side uses (the slides' "w → v → x → y", drawn from the output's side).
//!
//! Path counts are computed by dynamic programming, never by enumerating the paths.

use crate::dag::Symbol;
use crate::hash::{FxBuildHasher, FxHashMap, FxHashSet};
use crate::model::Model;
use indexmap::IndexMap;
use std::collections::{HashMap, HashSet};

/// The dependency graph of a model.
///
/// ```
/// use symdiff_core::{ModelBuilder, Role, DepGraph};
/// let mut b = ModelBuilder::free();
/// let w = b.dag.symbol("w");
/// let v = b.dag.symbol("v");
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
    /// For each name, the defined vertices that use it, in evaluation order.
    users: FxHashMap<Symbol, Vec<Symbol>>,
    /// Where each name stands among a vertex's uses: `(vertex, name) -> index`.
    use_index: FxHashMap<(Symbol, Symbol), usize>,
}

impl DepGraph {
    /// The graph of a model's definitions.
    pub fn new(model: &Model) -> DepGraph {
        let uses: IndexMap<Symbol, Vec<Symbol>, FxBuildHasher> = model
            .definitions()
            .into_iter()
            .map(|(vertex, rhs)| (vertex, model.dag.symbols_in(rhs)))
            .collect();
        let edges: usize = uses.values().map(Vec::len).sum();
        let mut users: FxHashMap<Symbol, Vec<Symbol>> =
            FxHashMap::with_capacity_and_hasher(edges.min(2 * uses.len()), Default::default());
        let mut use_index = FxHashMap::with_capacity_and_hasher(edges, Default::default());
        for (&vertex, used) in &uses {
            for (k, &u) in used.iter().enumerate() {
                users.entry(u).or_default().push(vertex);
                use_index.insert((vertex, u), k);
            }
        }
        DepGraph {
            uses,
            users,
            use_index,
        }
    }

    /// The names a vertex's definition uses (empty for inputs and params).
    pub fn uses(&self, vertex: Symbol) -> &[Symbol] {
        self.uses.get(&vertex).map_or(&[], |v| v.as_slice())
    }

    /// Where `name` stands among the uses of `vertex` (first mention first).
    pub fn use_index(&self, vertex: Symbol, name: Symbol) -> Option<usize> {
        self.use_index.get(&(vertex, name)).copied()
    }

    /// The defined vertices that use a name.
    pub fn users(&self, vertex: Symbol) -> &[Symbol] {
        self.users.get(&vertex).map_or(&[], |v| v.as_slice())
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

    /// The vertices `of` depends on (itself included), in evaluation order.
    pub fn ancestors(&self, of: Symbol) -> HashSet<Symbol> {
        self.reachable_from(of).into_iter().collect()
    }

    /// [`DepGraph::ancestors`], in a set sized for the whole graph at once.
    fn reachable_from(&self, of: Symbol) -> FxHashSet<Symbol> {
        let mut seen = FxHashSet::with_capacity_and_hasher(2 * self.uses.len(), Default::default());
        seen.insert(of);
        let mut stack = vec![of];
        while let Some(v) = stack.pop() {
            for &u in self.uses(v) {
                if seen.insert(u) {
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
        let variables: FxHashSet<Symbol> = wrt.iter().copied().collect();
        let mut below = FxHashSet::with_capacity_and_hasher(above.len(), Default::default());
        let mut order = Vec::new();
        for &w in wrt {
            if above.contains(&w) && !self.uses.contains_key(&w) && below.insert(w) {
                order.push(w);
            }
        }
        for v in self.defined() {
            let feeds = variables.contains(&v) || self.uses(v).iter().any(|u| below.contains(u));
            if above.contains(&v) && feeds {
                below.insert(v);
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
