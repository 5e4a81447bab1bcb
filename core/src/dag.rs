//! The hash-consed expression DAG.
//!
//! Nodes live in one `Vec`, addressed by [`NodeId`]; a node's children always have smaller ids,
//! so ascending id order is a topological order and a reverse sweep is a backward order. The memo
//! table that makes equal nodes share one id lives inside the [`Dag`] (never a global). The
//! constructors only deduplicate: they never simplify, so `x + 0` stays `x + 0` until
//! [`crate::simplify()`] runs.

use crate::children::Children;
use crate::hash::FxBuildHasher;
use crate::marks::with_marks;
use crate::op::{Constant, Func};
use crate::rational::Rational;
use crate::symbols::SymbolTable;
use hashbrown::HashTable;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

/// The index of a node in its [`Dag`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The index as a `usize`, for indexing side tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An interned name (`w1`, `h`, `y_t`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Symbol(pub u32);

impl Symbol {
    /// The index as a `usize`, for indexing side tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One node of the DAG. Subtraction, negation and division are expressed with `Add`, `Mul`
/// and a power of `-1`, as in SymPy; the printers turn them back into `a - b` and `a/b`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Node {
    /// An exact rational number.
    Number(Rational),
    /// A literal too large or too fine for an exact rational, kept by its `f64` bits.
    Float(u64),
    /// `pi` or `e`.
    Constant(Constant),
    /// A named variable: an input, a parameter or a defined vertex.
    Symbol(Symbol),
    /// The sum of its children, in order.
    Add(Children),
    /// The product of its children, in order.
    Mul(Children),
    /// `[base, exponent]`: `base ^ exponent`.
    Pow([NodeId; 2]),
    /// A function applied to its arguments.
    Call(Func, Children),
}

impl Node {
    /// The node's children, in order.
    pub fn children(&self) -> &[NodeId] {
        match self {
            Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => &[],
            Node::Add(args) | Node::Mul(args) | Node::Call(_, args) => args,
            Node::Pow(pair) => pair,
        }
    }

    /// The same operation over other children (same count), for rebuilding passes.
    pub fn with_children(&self, children: Vec<NodeId>) -> Node {
        match self {
            Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => self.clone(),
            Node::Add(_) => Node::Add(children.into()),
            Node::Mul(_) => Node::Mul(children.into()),
            Node::Pow(_) => Node::Pow([children[0], children[1]]),
            Node::Call(func, _) => Node::Call(*func, children.into()),
        }
    }
}

/// A node's hash: its kind, then its payload. Written out rather than derived so that a sum,
/// product or call can be looked up from its kind and a slice of children, before its
/// [`Children`] are made (`List::hash_with` is the one place their hash is written).
impl Hash for Node {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            // (tag, payload): a tuple hashes its parts in order.
            Node::Number(r) => (0u8, r).hash(state),
            Node::Float(bits) => (1u8, bits).hash(state),
            Node::Constant(c) => (2u8, c).hash(state),
            Node::Symbol(s) => (3u8, s).hash(state),
            Node::Pow(pair) => (4u8, pair).hash(state),
            Node::Add(terms) => List::Add.hash_with(terms, state),
            Node::Mul(factors) => List::Mul.hash_with(factors, state),
            Node::Call(func, args) => List::Call(*func).hash_with(args, state),
        }
    }
}

/// The nodes with a list of children: what [`Dag::add`], [`Dag::mul`] and [`Dag::call`] intern.
#[derive(Clone, Copy)]
enum List {
    Add,
    Mul,
    Call(Func),
}

impl List {
    fn hash_with<H: Hasher>(self, children: &[NodeId], state: &mut H) {
        match self {
            List::Add => state.write_u8(5),
            List::Mul => state.write_u8(6),
            List::Call(func) => {
                state.write_u8(7);
                func.hash(state);
            }
        }
        children.hash(state);
    }

    /// This kind of node over `children`.
    fn node(self, children: Children) -> Node {
        match self {
            List::Add => Node::Add(children),
            List::Mul => Node::Mul(children),
            List::Call(func) => Node::Call(func, children),
        }
    }

    /// Whether `node` is this kind of node over exactly `children`.
    fn is(self, node: &Node, children: &[NodeId]) -> bool {
        match (self, node) {
            (List::Add, Node::Add(c)) | (List::Mul, Node::Mul(c)) => **c == *children,
            (List::Call(f), Node::Call(g, c)) => f == *g && **c == *children,
            _ => false,
        }
    }
}

/// The expression DAG with its memo table and symbol names.
///
/// ```
/// use symdiff_core::Dag;
/// let mut dag = Dag::new();
/// let x = dag.node_named("x");
/// let one = dag.integer(1);
/// let a = dag.add(vec![x, one]);
/// let b = dag.add(vec![x, one]);
/// assert_eq!(a, b); // equal nodes share one id
/// ```
#[derive(Clone, Debug, Default)]
pub struct Dag {
    nodes: Vec<Node>,
    /// Each node's hash, by id: the memo table compares and rehashes with these, not the nodes.
    hashes: Vec<u64>,
    /// The ids of the nodes, found by hash and equality: each node is stored once, in `nodes`.
    memo: HashTable<NodeId>,
    /// The symbols' names.
    symbols: SymbolTable,
    /// Each symbol's node, by symbol id (`NO_NODE` until it has one): the node of a name is
    /// found without hashing the node.
    symbol_nodes: Vec<u32>,
}

/// `symbol_nodes`' mark for a symbol without a node yet.
const NO_NODE: u32 = u32::MAX;

impl Dag {
    /// An empty DAG.
    pub fn new() -> Dag {
        Dag::default()
    }

    /// Makes room for `nodes` more nodes and `names` more symbol names, so that building a
    /// large expression does not copy and rehash the tables each time they fill up.
    ///
    /// ```
    /// use symdiff_core::Dag;
    /// let mut dag = Dag::new();
    /// dag.reserve(10_000, 100);
    /// assert!(dag.is_empty()); // room, not nodes
    /// let x = dag.node_named("x");
    /// assert_eq!((dag.len(), dag.node_named("x")), (1, x));
    /// ```
    pub fn reserve(&mut self, nodes: usize, names: usize) {
        self.nodes.reserve(nodes);
        self.hashes.reserve(nodes);
        let hashes = &self.hashes;
        self.memo.reserve(nodes, |id| hashes[id.index()]);
        // Names of a few characters: the typical network's `w3_12_7`.
        self.symbols.reserve(names, names.saturating_mul(8));
        self.symbol_nodes.reserve(names);
    }

    /// How many distinct nodes the DAG holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the DAG holds no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The node behind an id.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// Adds a node, or returns the id of the equal node already there.
    pub fn intern(&mut self, node: Node) -> NodeId {
        let hash = FxBuildHasher::default().hash_one(&node);
        let (nodes, hashes) = (&self.nodes, &self.hashes);
        let same = |id: &NodeId| hashes[id.index()] == hash && nodes[id.index()] == node;
        if let Some(&id) = self.memo.find(hash, same) {
            return id;
        }
        self.insert_new(node, hash)
    }

    /// The sum, product or call over `children` if the DAG has it, else its hash: the lookup
    /// of [`Dag::intern`] before any box is made for the children.
    fn find_list(&self, list: List, children: &[NodeId]) -> Result<NodeId, u64> {
        let mut state = FxBuildHasher::default().build_hasher();
        list.hash_with(children, &mut state);
        let hash = state.finish();
        let (nodes, hashes) = (&self.nodes, &self.hashes);
        let same =
            |id: &NodeId| hashes[id.index()] == hash && list.is(&nodes[id.index()], children);
        self.memo.find(hash, same).copied().ok_or(hash)
    }

    /// [`Dag::intern`] for a sum, product or call: the children (a `Vec` or a slice) become
    /// the node's [`Children`] only when the node is new.
    fn intern_list<C>(&mut self, list: List, children: C) -> NodeId
    where
        C: AsRef<[NodeId]> + Into<Children>,
    {
        match self.find_list(list, children.as_ref()) {
            Ok(id) => id,
            Err(hash) => self.insert_new(list.node(children.into()), hash),
        }
    }

    /// Stores a node not yet in the DAG, with its hash.
    fn insert_new(&mut self, node: Node, hash: u64) -> NodeId {
        debug_assert_eq!(hash, FxBuildHasher::default().hash_one(&node));
        debug_assert!(node.children().iter().all(|c| c.index() < self.nodes.len()));
        let id = NodeId(u32::try_from(self.nodes.len()).expect("more than 2^32 DAG nodes"));
        if let Node::Symbol(s) = node {
            if s.index() >= self.symbol_nodes.len() {
                self.symbol_nodes.resize(s.index() + 1, NO_NODE);
            }
            self.symbol_nodes[s.index()] = id.0;
        }
        self.nodes.push(node);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.memo.insert_unique(hash, id, |id| hashes[id.index()]);
        id
    }

    /// The symbol for a name, interning the name on first use.
    pub fn symbol_of(&mut self, name: &str) -> Symbol {
        self.symbols.intern(name)
    }

    /// The symbol already interned for a name.
    pub fn find_symbol(&self, name: &str) -> Option<Symbol> {
        self.symbols.find(name)
    }

    /// How many names are interned (symbol ids run from 0 to this, exclusive).
    pub fn symbol_count(&self) -> usize {
        self.symbols.len()
    }

    /// A symbol's name.
    pub fn name(&self, symbol: Symbol) -> &str {
        self.symbols.name(symbol)
    }

    /// The node of a named variable (the name interned if new); [`Dag::symbol_of`] gives its
    /// symbol instead.
    ///
    /// ```
    /// let mut dag = symdiff_core::Dag::new();
    /// let x = dag.node_named("x");
    /// assert_eq!(dag.node_named("x"), x);
    /// assert_eq!(dag.find_symbol("x").map(|s| dag.name(s)), Some("x"));
    /// ```
    pub fn node_named(&mut self, name: &str) -> NodeId {
        let s = self.symbol_of(name);
        self.symbol_node(s)
    }

    /// The node of an already interned symbol.
    pub fn symbol_node(&mut self, symbol: Symbol) -> NodeId {
        match self.symbol_nodes.get(symbol.index()) {
            Some(&id) if id != NO_NODE => NodeId(id),
            _ => self.intern(Node::Symbol(symbol)),
        }
    }

    /// An exact number.
    pub fn number(&mut self, value: Rational) -> NodeId {
        self.intern(Node::Number(value))
    }

    /// A whole number.
    pub fn integer(&mut self, value: i64) -> NodeId {
        self.number(Rational::integer(value))
    }

    /// A float literal; whole or exactly representable decimals should use [`Dag::number`].
    pub fn float(&mut self, value: f64) -> NodeId {
        self.intern(Node::Float(value.to_bits()))
    }

    /// `pi` or `e`.
    pub fn constant(&mut self, constant: Constant) -> NodeId {
        self.intern(Node::Constant(constant))
    }

    /// The sum of `terms`, in order.
    pub fn add(&mut self, terms: Vec<NodeId>) -> NodeId {
        self.intern_list(List::Add, terms)
    }

    /// [`Dag::add`] from a borrowed slice: the children are copied only when the sum is new.
    ///
    /// ```
    /// use symdiff_core::Dag;
    /// let mut dag = Dag::new();
    /// let (x, y) = (dag.node_named("x"), dag.node_named("y"));
    /// assert_eq!(dag.add_slice(&[x, y]), dag.add(vec![x, y]));
    /// ```
    pub fn add_slice(&mut self, terms: &[NodeId]) -> NodeId {
        self.intern_list(List::Add, terms)
    }

    /// The product of `factors`, in order.
    pub fn mul(&mut self, factors: Vec<NodeId>) -> NodeId {
        self.intern_list(List::Mul, factors)
    }

    /// [`Dag::mul`] from a borrowed slice: the children are copied only when the product is
    /// new.
    ///
    /// ```
    /// use symdiff_core::Dag;
    /// let mut dag = Dag::new();
    /// let (x, y) = (dag.node_named("x"), dag.node_named("y"));
    /// assert_eq!(dag.mul_slice(&[x, y]), dag.mul(vec![x, y]));
    /// ```
    pub fn mul_slice(&mut self, factors: &[NodeId]) -> NodeId {
        self.intern_list(List::Mul, factors)
    }

    /// `base ^ exponent`.
    pub fn pow(&mut self, base: NodeId, exponent: NodeId) -> NodeId {
        self.intern(Node::Pow([base, exponent]))
    }

    /// `base ^ n` for a whole `n`.
    pub fn powi(&mut self, base: NodeId, n: i64) -> NodeId {
        let exponent = self.integer(n);
        self.pow(base, exponent)
    }

    /// A function call.
    pub fn call(&mut self, func: Func, args: Vec<NodeId>) -> NodeId {
        self.intern_list(List::Call(func), args)
    }

    /// `log(base)` as the power rule writes it in `∂(base^e)/∂e = power·log(base)`, with
    /// `power` the node `base^e` (or its name): a call of `log` with `power` as a second child,
    /// evaluated as 0 where `power` is 0 (`numerics::power_rule_log`), so that the product is
    /// 0 where `base^e` is, as the derivative is (`∂(x^k)/∂k` at x = 0, k = 3). Printers show
    /// `log(base)`; a `log(x)` the user wrote has one child and keeps log(0) = -inf.
    pub fn power_rule_log(&mut self, base: NodeId, power: NodeId) -> NodeId {
        self.intern_list(List::Call(Func::Log), vec![base, power])
    }

    /// `-x`, as `(-1)·x`.
    pub fn neg(&mut self, x: NodeId) -> NodeId {
        let minus_one = self.integer(-1);
        self.mul(vec![minus_one, x])
    }

    /// `a - b`, as `a + (-1)·b`.
    pub fn sub(&mut self, a: NodeId, b: NodeId) -> NodeId {
        let minus_b = self.neg(b);
        self.add(vec![a, minus_b])
    }

    /// `a / b`, as `a · b^-1`.
    pub fn div(&mut self, a: NodeId, b: NodeId) -> NodeId {
        let inverse = self.powi(b, -1);
        self.mul(vec![a, inverse])
    }

    /// The exact value of a number node.
    pub fn as_number(&self, id: NodeId) -> Option<Rational> {
        match self.node(id) {
            Node::Number(r) => Some(*r),
            _ => None,
        }
    }

    /// The symbol of a symbol node.
    pub fn as_symbol(&self, id: NodeId) -> Option<Symbol> {
        match self.node(id) {
            Node::Symbol(s) => Some(*s),
            _ => None,
        }
    }

    /// Every node reachable from `roots`, in ascending (children-first) order. Iterative, so
    /// any depth is safe.
    pub fn reachable(&self, roots: &[NodeId]) -> Vec<NodeId> {
        // Stamped marks, not a flag per node of the DAG: the cost is proportional to the
        // expression, however large the DAG around it.
        let mut out = with_marks(|seen| {
            let mut stack = seen.stack(roots);
            let mut out = Vec::with_capacity(8);
            while let Some(id) = stack.pop() {
                if seen.insert(id) {
                    out.push(id);
                    stack.extend_from_slice(self.node(id).children());
                }
            }
            seen.done_with(stack);
            out
        });
        out.sort_unstable();
        out
    }

    /// How many distinct nodes are reachable from `root` (the length of
    /// [`Dag::reachable`]`(&[root])`, without building or sorting the list). Iterative.
    pub fn size(&self, root: NodeId) -> usize {
        with_marks(|seen| {
            let mut stack = seen.stack(&[root]);
            let mut size = 0;
            while let Some(id) = stack.pop() {
                if seen.insert(id) {
                    size += 1;
                    stack.extend_from_slice(self.node(id).children());
                }
            }
            seen.done_with(stack);
            size
        })
    }

    /// The symbols an expression mentions, in order of first mention (reading left to right).
    pub fn symbols_in(&self, root: NodeId) -> Vec<Symbol> {
        // Room for a weighted sum's names (two per term) without regrowing.
        let mut out = Vec::with_capacity(2 * self.node(root).children().len());
        self.for_each_symbol_in(root, |s| out.push(s));
        out
    }

    /// Calls `f` on each symbol under `root` once, in the order of [`Dag::symbols_in`], without
    /// collecting them.
    ///
    /// ```
    /// use symdiff_core::Dag;
    /// let mut dag = Dag::new();
    /// let (x, y) = (dag.node_named("x"), dag.node_named("y"));
    /// let xyx = dag.mul(vec![x, y, x]);
    /// let mut names = Vec::new();
    /// dag.for_each_symbol_in(xyx, |s| names.push(dag.name(s).to_string()));
    /// assert_eq!(names, ["x", "y"]);
    /// ```
    pub fn for_each_symbol_in(&self, root: NodeId, mut f: impl FnMut(Symbol)) {
        with_marks(|seen| {
            let mut stack = seen.stack(&[root]);
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                match self.node(id) {
                    Node::Symbol(s) => f(*s),
                    node => stack.extend(node.children().iter().rev()),
                }
            }
            seen.done_with(stack);
        })
    }

    /// Rebuilds the expressions at `roots`, replacing a node wherever `replace` says so
    /// (its replacement is not visited again). Returns the new roots. Iterative.
    pub fn rebuild(
        &mut self,
        roots: &[NodeId],
        mut replace: impl FnMut(&mut Dag, NodeId) -> Option<NodeId>,
    ) -> Vec<NodeId> {
        let order = self.reachable(roots);
        with_marks(|new_id| {
            for id in order {
                let rebuilt = match replace(self, id) {
                    Some(r) => r,
                    None => {
                        let node = self.node(id);
                        let image = |&c: &NodeId| NodeId(new_id.get(c).expect("children first"));
                        if node.children().iter().all(|c| image(c) == *c) {
                            id
                        } else {
                            let children = node.children().iter().map(image).collect();
                            let rebuilt = node.with_children(children);
                            self.intern(rebuilt)
                        }
                    }
                };
                new_id.set(id, rebuilt.0);
            }
            roots
                .iter()
                .map(|&r| NodeId(new_id.get(r).expect("rebuilt")))
                .collect()
        })
    }

    /// Replaces every occurrence of the symbols in `map` by their expressions.
    pub fn substitute(&mut self, root: NodeId, map: &HashMap<Symbol, NodeId>) -> NodeId {
        self.rebuild(&[root], |dag, id| match dag.node(id) {
            Node::Symbol(s) => map.get(s).copied(),
            _ => None,
        })[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_only_deduplicate() {
        let mut dag = Dag::new();
        let x = dag.node_named("x");
        let zero = dag.integer(0);
        let sum = dag.add(vec![x, zero]);
        assert!(matches!(dag.node(sum), Node::Add(args) if args.len() == 2));
        assert_eq!(dag.add(vec![x, zero]), sum);
        assert_ne!(dag.add(vec![zero, x]), sum);
    }

    #[test]
    fn deep_chains_are_walked_without_recursion() {
        let mut dag = Dag::new();
        let mut e = dag.node_named("x");
        for _ in 0..200_000 {
            let one = dag.integer(1);
            e = dag.add(vec![e, one]);
        }
        assert_eq!(dag.reachable(&[e]).len(), 200_002);
        assert_eq!(dag.size(e), 200_002);
        let y = dag.node_named("y");
        let x_sym = dag.find_symbol("x").unwrap();
        let replaced = dag.substitute(e, &HashMap::from([(x_sym, y)]));
        assert_eq!(
            dag.symbols_in(replaced),
            vec![dag.find_symbol("y").unwrap()]
        );
    }
}
