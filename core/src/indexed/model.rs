//! An indexed model: arrays with declared shapes, and definitions written once with indices
//! (`s[j] = Σ_i w1[j,i]·x[i] + b1[j]`), as the lecture's last slides write a layer.
//!
//! A definition's right-hand side is an ordinary node of the DAG whose symbols are *element
//! references*: the symbol `w1[j,i]` stands for the element of `w1` at the indices `j, i`, and
//! the model's element table says so ([`Element`]). Index names are variables with an extent:
//! `j` ranges over `1..=3` everywhere it is used in the model (the grammar renames an index that
//! is used with two different extents in two places, so an index name means one range). Sums
//! and log-sum-exps are calls of [`Func::Sum`] and [`Func::LogSumExp`] whose arguments are the
//! index (a symbol), the extent (a number) and the body.
//!
//! Scalars are the zero-index case: `param c` is an array of shape `[]`, and `E = ...` a
//! definition without indices.

use crate::dag::{Dag, Node, NodeId, Symbol};
use crate::hash::FxHashMap;
use crate::model::Role;
use crate::op::Func;
use crate::rational::Rational;
use std::fmt;

/// The name of the Kronecker delta's pseudo-array.
const DELTA: &str = "δ";

/// One subscript of an element reference: an index name, or a fixed (1-based) position.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Sub {
    /// An index variable (`i` in `x[i]`).
    Index(Symbol),
    /// A fixed element, 1-based as the user wrote it (`2` in `x[2]`).
    Fixed(usize),
}

/// What an element symbol refers to: an array and its subscripts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Element {
    /// The array (a declared input, target or param, or a definition).
    pub array: Symbol,
    /// One subscript per dimension of the array.
    pub subs: Vec<Sub>,
}

/// How a param's initial values are given.
#[derive(Clone, PartialEq, Debug)]
pub enum Initializer {
    /// The same number in every element (`= 0`).
    Constant(f64),
    /// Every element, row-major (`= [[0.1, 0.2], [0.3, 0.4]]`), checked against the shape.
    Values(Vec<f64>),
    /// Uniform on `[low, high)`, from the seeded generator.
    Uniform {
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },
    /// Normal with this mean and standard deviation, from the seeded generator.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Glorot (Xavier) uniform: `U(-a, a)` with `a = sqrt(6 / (fan_in + fan_out))`.
    Glorot,
    /// He normal: `N(0, sqrt(2 / fan_in))`.
    He,
}

/// A declared array: an input, target or param, with its shape (`[]` for a scalar).
#[derive(Clone, PartialEq, Debug)]
pub struct Array {
    /// The array's name.
    pub symbol: Symbol,
    /// Input, target or param.
    pub role: Role,
    /// The extent of each dimension; empty for a scalar.
    pub shape: Vec<usize>,
    /// A param's initial values, when the file gives them.
    pub init: Option<Initializer>,
}

/// A definition `name[i, j] = body`.
#[derive(Clone, PartialEq, Debug)]
pub struct Definition {
    /// The defined name.
    pub symbol: Symbol,
    /// Intermediate, output or loss.
    pub role: Role,
    /// The indices its left-hand side binds, in order (empty for a scalar).
    pub indices: Vec<Symbol>,
    /// The right-hand side, over element symbols.
    pub body: NodeId,
    /// The element symbol of the left-hand side itself (`h[j]`), which local partials such as
    /// sigmoid's `h[j]·(1 - h[j])` are written in.
    pub element: Symbol,
}

/// An error found while building an indexed model. The grammar checks the same things first,
/// with source positions; these only guard direct library use.
#[derive(Clone, PartialEq, Debug)]
pub enum IndexedError {
    /// A name declared or defined twice.
    Redefined(String),
    /// A reference to a name that is neither declared nor defined.
    Undefined(String),
    /// A reference with the wrong number of subscripts.
    Rank {
        /// The array.
        name: String,
        /// Its number of dimensions.
        expected: usize,
        /// The number of subscripts written.
        found: usize,
    },
    /// An index used where the array's extent differs from the index's.
    Extent {
        /// The array.
        name: String,
        /// The index.
        index: String,
        /// The array's extent in that dimension.
        expected: usize,
        /// The index's extent.
        found: usize,
    },
    /// A fixed subscript outside `1..=extent`.
    OutOfRange {
        /// The array.
        name: String,
        /// The subscript written.
        position: usize,
        /// The extent of that dimension.
        extent: usize,
    },
    /// Definitions that depend on each other in a circle.
    Cycle(Vec<String>),
    /// The model has no loss.
    NoLoss,
}

impl fmt::Display for IndexedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexedError::Redefined(name) => write!(f, "`{name}` is defined more than once"),
            IndexedError::Undefined(name) => write!(f, "`{name}` is never declared or defined"),
            IndexedError::Rank {
                name,
                expected,
                found,
            } => write!(
                f,
                "`{name}` has {expected} dimension(s) but is used with {found} subscript(s)"
            ),
            IndexedError::Extent {
                name,
                index,
                expected,
                found,
            } => write!(
                f,
                "index `{index}` ranges over 1..{found} but `{name}` has extent {expected} there"
            ),
            IndexedError::OutOfRange {
                name,
                position,
                extent,
            } => write!(f, "`{name}[{position}]` is outside 1..{extent}"),
            IndexedError::Cycle(names) => {
                write!(f, "definitions form a cycle: {}", names.join(" -> "))
            }
            IndexedError::NoLoss => write!(f, "the network defines no loss"),
        }
    }
}

impl std::error::Error for IndexedError {}

/// A checked indexed network.
#[derive(Clone, Debug)]
pub struct IndexedModel {
    name: String,
    /// The DAG holding the bodies (and, later, their derivatives).
    pub dag: Dag,
    arrays: Vec<Array>,
    /// Definitions in dependency order (every definition after those it uses).
    definitions: Vec<Definition>,
    elements: FxHashMap<Symbol, Element>,
    extents: FxHashMap<Symbol, usize>,
    output: Option<Symbol>,
}

impl IndexedModel {
    /// A builder for `network NAME { ... }` with indexed layers.
    pub fn builder(name: &str) -> IndexedBuilder {
        IndexedBuilder {
            model: IndexedModel {
                name: name.to_string(),
                dag: Dag::new(),
                arrays: Vec::new(),
                definitions: Vec::new(),
                elements: FxHashMap::default(),
                extents: FxHashMap::default(),
                output: None,
            },
            pending_output: None,
            references: Vec::new(),
        }
    }

    /// The network's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The declared arrays (inputs, targets, params), in declaration order.
    pub fn arrays(&self) -> &[Array] {
        &self.arrays
    }

    /// The declared arrays of one role, in declaration order.
    pub fn arrays_with_role(&self, role: Role) -> impl Iterator<Item = &Array> {
        self.arrays.iter().filter(move |a| a.role == role)
    }

    /// The definitions, in dependency order.
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    /// The declared array with this name.
    pub fn array(&self, symbol: Symbol) -> Option<&Array> {
        self.arrays.iter().find(|a| a.symbol == symbol)
    }

    /// Replaces a definition's body (stable forms for evaluation).
    pub(crate) fn set_body(&mut self, symbol: Symbol, body: NodeId) {
        if let Some(d) = self.definitions.iter_mut().find(|d| d.symbol == symbol) {
            d.body = body;
        }
    }

    /// The definition of this name.
    pub fn definition(&self, symbol: Symbol) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.symbol == symbol)
    }

    /// The loss, what is differentiated.
    pub fn loss(&self) -> &Definition {
        self.definitions
            .iter()
            .find(|d| d.role == Role::Loss)
            .expect("a finished model has a loss")
    }

    /// The output, when the network marks one.
    pub fn output(&self) -> Option<Symbol> {
        self.output
    }

    /// What an element symbol refers to; `None` for a symbol that is not an element reference
    /// (an index name).
    pub fn element(&self, symbol: Symbol) -> Option<&Element> {
        self.elements.get(&symbol)
    }

    /// The extent of an index.
    pub fn extent(&self, index: Symbol) -> usize {
        self.extents[&index]
    }

    /// The shape of a declared array or a definition (`[]` for a scalar).
    pub fn shape(&self, symbol: Symbol) -> Vec<usize> {
        match self.array(symbol) {
            Some(array) => array.shape.clone(),
            None => self
                .definition(symbol)
                .map(|d| d.indices.iter().map(|&i| self.extent(i)).collect())
                .unwrap_or_default(),
        }
    }

    /// The element symbol for `array[subs]`, interned (the DAG node is `dag.symbol_node`).
    pub fn element_symbol(&mut self, array: Symbol, subs: &[Sub]) -> Symbol {
        intern_element(&mut self.dag, &mut self.elements, array, subs)
    }

    /// An index variable with the extent of `like`, named after it (`k` gives `k′`, `k″`,
    /// ...) and not among `taken`, for renaming apart when derivatives are composed. A name
    /// made earlier with the same extent is reused, so formulas read `k′` rather than `k′′′`.
    pub fn fresh_index(&mut self, like: Symbol, taken: &[Symbol]) -> Symbol {
        let extent = self.extent(like);
        let base = self
            .dag
            .name(like)
            .trim_end_matches(['′', '″', '‴'])
            .to_string();
        for primes in ["′", "″", "‴", "′‴", "″‴", "‴‴"] {
            let name = format!("{base}{primes}");
            match self.dag.find_symbol(&name) {
                None => {
                    let fresh = self.dag.symbol_of(&name);
                    self.extents.insert(fresh, extent);
                    return fresh;
                }
                Some(s) if self.extents.get(&s) == Some(&extent) && !taken.contains(&s) => {
                    return s;
                }
                Some(_) => {}
            }
        }
        self.fresh_named(like, extent)
    }

    fn fresh_named(&mut self, like: Symbol, extent: usize) -> Symbol {
        let mut name = self.dag.name(like).to_string();
        loop {
            name.push('′');
            if self.dag.find_symbol(&name).is_none() {
                let fresh = self.dag.symbol_of(&name);
                self.extents.insert(fresh, extent);
                return fresh;
            }
        }
    }

    /// An index variable of this extent named `name`, or, when `name` already ranges over
    /// another extent, a fresh one named after it.
    pub fn index_variable(&mut self, name: &str, extent: usize) -> Symbol {
        let symbol = self.dag.symbol_of(name);
        match self.extents.get(&symbol) {
            Some(&e) if e == extent => symbol,
            Some(_) => self.fresh_named(symbol, extent),
            None => {
                self.extents.insert(symbol, extent);
                symbol
            }
        }
    }

    /// The Kronecker element `δ[index,position]`: 1 where `index` equals the (1-based)
    /// position, else 0. A derivative through a fixed reference (`x[2]`) carries one.
    pub fn delta(&mut self, index: Symbol, position: usize) -> Symbol {
        let delta = self.dag.symbol_of(DELTA);
        self.element_symbol(delta, &[Sub::Index(index), Sub::Fixed(position)])
    }

    /// Whether an array symbol is the Kronecker `δ` of [`IndexedModel::delta`].
    pub fn is_delta(&self, array: Symbol) -> bool {
        self.dag.find_symbol(DELTA) == Some(array)
    }

    /// Every index variable of the model, in order of creation.
    pub fn index_symbols(&self) -> Vec<Symbol> {
        let mut all: Vec<Symbol> = self.extents.keys().copied().collect();
        all.sort();
        all
    }

    /// Whether a symbol is an index variable.
    pub fn is_index(&self, symbol: Symbol) -> bool {
        self.extents.contains_key(&symbol)
    }

    /// The number of scalar elements of every param together.
    pub fn param_count(&self) -> usize {
        self.arrays_with_role(Role::Param)
            .map(|a| a.shape.iter().product::<usize>())
            .sum()
    }
}

fn element_name(dag: &Dag, array: Symbol, subs: &[Sub]) -> String {
    let mut name = dag.name(array).to_string();
    if subs.is_empty() {
        return name;
    }
    name.push('[');
    for (n, sub) in subs.iter().enumerate() {
        if n > 0 {
            name.push(',');
        }
        match sub {
            Sub::Index(i) => name.push_str(dag.name(*i)),
            Sub::Fixed(p) => name.push_str(&p.to_string()),
        }
    }
    name.push(']');
    name
}

fn intern_element(
    dag: &mut Dag,
    elements: &mut FxHashMap<Symbol, Element>,
    array: Symbol,
    subs: &[Sub],
) -> Symbol {
    if subs.is_empty() {
        return array;
    }
    let name = element_name(dag, array, subs);
    let symbol = dag.symbol_of(&name);
    elements.entry(symbol).or_insert_with(|| Element {
        array,
        subs: subs.to_vec(),
    });
    symbol
}

/// Builds an [`IndexedModel`]: declarations, index variables, references and definitions, in
/// any order; [`IndexedBuilder::finish`] checks ranks and extents and orders the definitions.
///
/// ```
/// use symdiff_core::indexed::{IndexedModel, Sub};
/// use symdiff_core::{Func, Role, Text};
/// let mut b = IndexedModel::builder("layer");
/// b.declare("x", Role::Input, &[3], None).unwrap();
/// b.declare("w", Role::Param, &[2, 3], None).unwrap();
/// let (j, i) = (b.index("j", 2), b.index("i", 3));
/// let w = b.element("w", &[Sub::Index(j), Sub::Index(i)]);
/// let x = b.element("x", &[Sub::Index(i)]);
/// let product = b.dag().mul(vec![w, x]);
/// let s = b.sum(i, product);
/// b.define("s", Role::Intermediate, &[j], s).unwrap();
/// let sj = b.element("s", &[Sub::Index(j)]);
/// let square = b.dag().powi(sj, 2);
/// let total = b.sum(j, square);
/// b.define("E", Role::Loss, &[], total).unwrap();
/// let model = b.finish().unwrap();
/// let s = model.definitions()[0].body;
/// assert_eq!(Text::new(&model.dag, s).to_string(), "Σ_i w[j,i]·x[i]");
/// ```
#[derive(Debug)]
pub struct IndexedBuilder {
    model: IndexedModel,
    pending_output: Option<String>,
    /// Every reference made, for the checks at the end: (element symbol).
    references: Vec<Symbol>,
}

impl IndexedBuilder {
    /// The DAG, for building bodies with its constructors.
    pub fn dag(&mut self) -> &mut Dag {
        &mut self.model.dag
    }

    /// Declares an input, target or param of this shape (`&[]` for a scalar).
    pub fn declare(
        &mut self,
        name: &str,
        role: Role,
        shape: &[usize],
        init: Option<Initializer>,
    ) -> Result<(), IndexedError> {
        debug_assert!(!role.is_defined());
        let symbol = self.claim(name)?;
        self.model.arrays.push(Array {
            symbol,
            role,
            shape: shape.to_vec(),
            init,
        });
        Ok(())
    }

    /// The index variable `name` ranging over `1..=extent`. The same name with the same extent
    /// is the same variable.
    pub fn index(&mut self, name: &str, extent: usize) -> Symbol {
        let symbol = self.model.dag.symbol_of(name);
        self.model.extents.entry(symbol).or_insert(extent);
        symbol
    }

    /// The node of the element reference `array[subs]` (the plain symbol when `subs` is empty).
    /// The array may be declared or defined later.
    pub fn element(&mut self, array: &str, subs: &[Sub]) -> NodeId {
        let array = self.model.dag.symbol_of(array);
        let symbol = intern_element(&mut self.model.dag, &mut self.model.elements, array, subs);
        self.references.push(symbol);
        self.model.dag.symbol_node(symbol)
    }

    /// `Σ_index body`.
    pub fn sum(&mut self, index: Symbol, body: NodeId) -> NodeId {
        self.reduction(Func::Sum, index, body)
    }

    /// `log Σ_index exp(body)`.
    pub fn logsumexp(&mut self, index: Symbol, body: NodeId) -> NodeId {
        self.reduction(Func::LogSumExp, index, body)
    }

    fn reduction(&mut self, func: Func, index: Symbol, body: NodeId) -> NodeId {
        let dag = &mut self.model.dag;
        let extent = self.model.extents[&index];
        let index = dag.symbol_node(index);
        let extent = dag.number(Rational::integer(extent as i64));
        dag.call(func, vec![index, extent, body])
    }

    /// Defines `name[indices] = body` (an intermediate vertex, the output or the loss).
    pub fn define(
        &mut self,
        name: &str,
        role: Role,
        indices: &[Symbol],
        body: NodeId,
    ) -> Result<(), IndexedError> {
        debug_assert!(role.is_defined());
        let symbol = self.claim(name)?;
        let subs: Vec<Sub> = indices.iter().map(|&i| Sub::Index(i)).collect();
        let element = self.model.element_symbol(symbol, &subs);
        self.model.definitions.push(Definition {
            symbol,
            role,
            indices: indices.to_vec(),
            body,
            element,
        });
        Ok(())
    }

    /// Marks an already defined vertex as the output (`output o` with no `=`).
    pub fn mark_output(&mut self, name: &str) {
        self.pending_output = Some(name.to_string());
    }

    fn claim(&mut self, name: &str) -> Result<Symbol, IndexedError> {
        let symbol = self.model.dag.symbol_of(name);
        let taken = self.model.array(symbol).is_some() || self.model.definition(symbol).is_some();
        if taken {
            return Err(IndexedError::Redefined(name.to_string()));
        }
        Ok(symbol)
    }

    /// Checks every reference (declared, right rank, extents agree, fixed subscripts in range)
    /// and orders the definitions so that each comes after what it uses.
    pub fn finish(mut self) -> Result<IndexedModel, IndexedError> {
        let model = &mut self.model;
        for &reference in &self.references {
            check_reference(model, reference)?;
        }
        if let Some(name) = self.pending_output.take() {
            let symbol = model.dag.symbol_of(&name);
            match model.definitions.iter_mut().find(|d| d.symbol == symbol) {
                Some(d) if d.role == Role::Intermediate || d.role == Role::Output => {
                    d.role = Role::Output;
                }
                _ => return Err(IndexedError::Undefined(name)),
            }
        }
        model.output = model
            .definitions
            .iter()
            .find(|d| d.role == Role::Output)
            .map(|d| d.symbol);
        if !model.definitions.iter().any(|d| d.role == Role::Loss) {
            return Err(IndexedError::NoLoss);
        }
        order_definitions(model)?;
        Ok(self.model)
    }
}

fn check_reference(model: &IndexedModel, reference: Symbol) -> Result<(), IndexedError> {
    let (array, subs) = match model.elements.get(&reference) {
        Some(e) => (e.array, e.subs.clone()),
        None => (reference, Vec::new()),
    };
    let name = model.dag.name(array).to_string();
    let declared = model.array(array).is_some() || model.definition(array).is_some();
    if !declared {
        return Err(IndexedError::Undefined(name));
    }
    let shape = model.shape(array);
    if shape.len() != subs.len() {
        return Err(IndexedError::Rank {
            name,
            expected: shape.len(),
            found: subs.len(),
        });
    }
    for (&extent, sub) in shape.iter().zip(&subs) {
        match *sub {
            Sub::Index(i) if model.extent(i) != extent => {
                return Err(IndexedError::Extent {
                    name,
                    index: model.dag.name(i).to_string(),
                    expected: extent,
                    found: model.extent(i),
                });
            }
            Sub::Fixed(p) if p == 0 || p > extent => {
                return Err(IndexedError::OutOfRange {
                    name,
                    position: p,
                    extent,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The arrays a body reads (each once, in first-use order).
pub(crate) fn arrays_read(model: &IndexedModel, body: NodeId) -> Vec<Symbol> {
    let mut read = Vec::new();
    model.dag.for_each_symbol_in(body, |s| {
        let array = match model.elements.get(&s) {
            Some(e) => e.array,
            None if model.is_index(s) => return,
            None => s,
        };
        if !read.contains(&array) {
            read.push(array);
        }
    });
    read
}

/// Sorts the definitions topologically (a depth-first order over what each reads), reporting a
/// cycle by its names.
fn order_definitions(model: &mut IndexedModel) -> Result<(), IndexedError> {
    let n = model.definitions.len();
    let position: FxHashMap<Symbol, usize> = model
        .definitions
        .iter()
        .enumerate()
        .map(|(k, d)| (d.symbol, k))
        .collect();
    let uses: Vec<Vec<usize>> = model
        .definitions
        .iter()
        .map(|d| {
            arrays_read(model, d.body)
                .into_iter()
                .filter_map(|a| position.get(&a).copied())
                .collect()
        })
        .collect();
    // 0 = not visited, 1 = on the stack, 2 = done. Iterative, with an explicit stack.
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = uses[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        let start = stack.iter().position(|&(u, _)| u == w).unwrap_or(0);
                        let names = stack[start..]
                            .iter()
                            .map(|&(u, _)| model.dag.name(model.definitions[u].symbol))
                            .chain(std::iter::once(model.dag.name(model.definitions[w].symbol)))
                            .map(str::to_string)
                            .collect();
                        return Err(IndexedError::Cycle(names));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                order.push(v);
                stack.pop();
            }
        }
    }
    let mut old: Vec<Option<Definition>> = model.definitions.drain(..).map(Some).collect();
    model.definitions = order.into_iter().filter_map(|k| old[k].take()).collect();
    Ok(())
}

/// Whether a node is a reduction call, and its `(index, extent, body)`.
pub(crate) fn as_reduction(dag: &Dag, id: NodeId) -> Option<(Func, Symbol, usize, NodeId)> {
    match dag.node(id) {
        Node::Call(func, args) if func.is_reduction() => {
            let index = dag.as_symbol(args[0])?;
            let extent = dag.as_number(args[1])?.numer() as usize;
            Some((*func, index, extent, args[2]))
        }
        _ => None,
    }
}
