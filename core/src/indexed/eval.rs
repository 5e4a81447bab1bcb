//! The loop evaluator: an indexed network's values and gradient computed by loops over its
//! arrays, never by unrolling it into scalars.
//!
//! Each definition's body is compiled once into a flat program over registers ([`Kernel`]);
//! a Σ or logsumexp inside it is a nested program run once per value of its index. The forward
//! pass runs every definition over its index space in dependency order. The backward pass runs
//! the definitions in reverse and, for each element reference in a body, adds
//! `∂E/∂consumer[..] · (local partial)` into the referenced element's adjoint over the
//! consumer's index space: reverse accumulation over the loops, linear in the array sizes.

use super::derive::IndexedDerivation;
use super::index_ops::free_indices;
use super::model::{as_reduction, IndexedModel, Sub};
use crate::dag::{Node, NodeId, Symbol};
use crate::hash::{FxHashMap, FxHashSet};
use crate::numerics;
use crate::op::Func;

/// The values of every array of a model (declared and defined), row-major, by array symbol.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArrayValues {
    arrays: FxHashMap<Symbol, Vec<f64>>,
}

impl ArrayValues {
    /// No values yet.
    pub fn new() -> ArrayValues {
        ArrayValues::default()
    }

    /// Sets an array's values (row-major).
    pub fn set(&mut self, array: Symbol, values: Vec<f64>) {
        self.arrays.insert(array, values);
    }

    /// Takes every array of `other` (replacing what this holds for the same array).
    pub fn extend(&mut self, other: &ArrayValues) {
        for (&array, values) in &other.arrays {
            self.arrays.insert(array, values.clone());
        }
    }

    /// Adds `values` elementwise into an array (which must have as many elements).
    pub fn add_to(&mut self, array: Symbol, values: &[f64]) {
        if let Some(target) = self.arrays.get_mut(&array) {
            for (t, v) in target.iter_mut().zip(values) {
                *t += v;
            }
        }
    }

    /// The arrays this holds values for, in no particular order.
    ///
    /// ```
    /// use symdiff_core::indexed::ArrayValues;
    /// use symdiff_core::Dag;
    /// let mut dag = Dag::new();
    /// let x = dag.symbol_of("x");
    /// let mut values = ArrayValues::new();
    /// values.set(x, vec![1.0, 2.0]);
    /// assert_eq!(values.symbols().collect::<Vec<_>>(), vec![x]);
    /// ```
    pub fn symbols(&self) -> impl Iterator<Item = Symbol> + '_ {
        self.arrays.keys().copied()
    }

    /// How many arrays this holds values for.
    ///
    /// ```
    /// let values = symdiff_core::indexed::ArrayValues::new();
    /// assert_eq!((values.len(), values.is_empty()), (0, true));
    /// ```
    pub fn len(&self) -> usize {
        self.arrays.len()
    }

    /// Whether this holds no values.
    pub fn is_empty(&self) -> bool {
        self.arrays.is_empty()
    }

    /// An array's values, when known.
    pub fn get(&self, array: Symbol) -> Option<&[f64]> {
        self.arrays.get(&array).map(Vec::as_slice)
    }
}

/// One compiled instruction. Operands are registers (indices into the kernel's scratch).
#[derive(Clone, Debug)]
enum Instr {
    Const(f64),
    /// An element: the array, a constant offset, and `(index, stride)` pairs.
    Element {
        array: Symbol,
        offset: usize,
        strides: Vec<(Symbol, usize)>,
    },
    /// A Kronecker delta `[index = position]` (0-based position).
    Delta(Symbol, usize),
    Add(Vec<usize>),
    Mul(Vec<usize>),
    Pow(usize, usize),
    Call(Func, usize),
    /// A reduction: the nested kernel computes the body for each value of the index.
    Reduce {
        func: Func,
        index: Symbol,
        extent: usize,
        body: Box<Kernel>,
    },
}

/// A body compiled to straight-line instructions, one register per instruction; the result is
/// the last register.
#[derive(Clone, Debug)]
pub(crate) struct Kernel {
    instrs: Vec<Instr>,
}

impl Kernel {
    /// Compiles `root`; Σ bodies become nested kernels.
    pub(crate) fn compile(model: &IndexedModel, root: NodeId) -> Kernel {
        let order = model.dag.reachable(&[root]);
        let mut register: FxHashMap<NodeId, usize> = FxHashMap::default();
        let mut instrs = Vec::with_capacity(order.len());
        // Nodes only reachable through a reduction's body are compiled inside it; compiling
        // them here too would be harmless but wasted, so only what the root needs directly.
        let needed = outside_reductions(model, root);
        for id in order {
            if !needed.contains(&id) {
                continue;
            }
            let reg = |c: &NodeId| register[c];
            let instr = if let Some((func, index, extent, body)) = as_reduction(&model.dag, id) {
                Instr::Reduce {
                    func,
                    index,
                    extent,
                    body: Box::new(Kernel::compile(model, body)),
                }
            } else {
                match model.dag.node(id) {
                    Node::Number(r) => Instr::Const(r.to_f64()),
                    Node::Float(bits) => Instr::Const(f64::from_bits(*bits)),
                    Node::Constant(c) => Instr::Const(c.value()),
                    Node::Symbol(s) => element_instr(model, *s),
                    Node::Add(terms) => Instr::Add(terms.iter().map(reg).collect()),
                    Node::Mul(factors) => Instr::Mul(factors.iter().map(reg).collect()),
                    Node::Pow([b, e]) => Instr::Pow(reg(b), reg(e)),
                    Node::Call(func, args) => Instr::Call(*func, reg(&args[0])),
                }
            };
            register.insert(id, instrs.len());
            instrs.push(instr);
        }
        Kernel { instrs }
    }

    /// The value for the index values in `env` (0-based, by index symbol).
    pub(crate) fn run(&self, values: &ArrayValues, env: &mut Env, scratch: &mut Vec<f64>) -> f64 {
        let base = scratch.len();
        for instr in &self.instrs {
            let r = |k: &usize| scratch[base + k];
            let v = match instr {
                Instr::Const(c) => *c,
                Instr::Element {
                    array,
                    offset,
                    strides,
                } => {
                    let at = offset + strides.iter().map(|(i, s)| env.get(*i) * s).sum::<usize>();
                    values.get(*array).map_or(f64::NAN, |a| a[at])
                }
                Instr::Delta(index, position) => {
                    if env.get(*index) == *position {
                        1.0
                    } else {
                        0.0
                    }
                }
                Instr::Add(terms) => terms.iter().map(r).sum(),
                Instr::Mul(factors) => factors.iter().map(r).product(),
                Instr::Pow(b, e) => numerics::power(r(b), r(e)),
                Instr::Call(func, a) => numerics::apply(*func, r(a)),
                Instr::Reduce {
                    func,
                    index,
                    extent,
                    body,
                } => {
                    let saved = env.get(*index);
                    let mut total = Reduction::new(*func);
                    for n in 0..*extent {
                        env.set(*index, n);
                        total.add(body.run(values, env, scratch));
                    }
                    env.set(*index, saved);
                    total.value()
                }
            };
            scratch.push(v);
        }
        let result = *scratch.last().unwrap_or(&f64::NAN);
        scratch.truncate(base);
        result
    }
}

/// `Σ terms`, or `log Σ exp(terms)` with its max shift (finite for terms of ±1000), taken one
/// term at a time so that a Σ allocates nothing: the log-sum-exp keeps the largest term `max`
/// and `Σ exp(term - max)`, rescaled when a larger term arrives.
enum Reduction {
    Sum(f64),
    LogSumExp { max: f64, scaled: f64 },
}

impl Reduction {
    fn new(func: Func) -> Reduction {
        match func {
            Func::Sum => Reduction::Sum(0.0),
            _ => Reduction::LogSumExp {
                max: f64::NEG_INFINITY,
                scaled: 0.0,
            },
        }
    }

    fn add(&mut self, term: f64) {
        match self {
            Reduction::Sum(total) => *total += term,
            Reduction::LogSumExp { max, scaled } => {
                if term > *max {
                    // exp(-inf) = 0 rescales nothing before the first finite term.
                    *scaled = *scaled * (*max - term).exp() + 1.0;
                    *max = term;
                } else if term == *max {
                    // Also for infinite terms, where term - max would be NaN.
                    *scaled += 1.0;
                } else {
                    // A NaN term lands here and makes the result NaN.
                    *scaled += (term - *max).exp();
                }
            }
        }
    }

    fn value(&self) -> f64 {
        match *self {
            Reduction::Sum(total) => total,
            Reduction::LogSumExp { scaled, .. } if scaled.is_nan() => f64::NAN,
            Reduction::LogSumExp { max, .. } if !max.is_finite() => max,
            Reduction::LogSumExp { max, scaled } => max + scaled.ln(),
        }
    }
}

/// The nodes of `root` not only reachable through a reduction's body.
fn outside_reductions(model: &IndexedModel, root: NodeId) -> FxHashSet<NodeId> {
    let mut seen = FxHashSet::default();
    seen.insert(root);
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if as_reduction(&model.dag, id).is_some() {
            continue;
        }
        for &c in model.dag.node(id).children() {
            if seen.insert(c) {
                stack.push(c);
            }
        }
    }
    seen
}

fn element_instr(model: &IndexedModel, symbol: Symbol) -> Instr {
    let Some(e) = model.element(symbol) else {
        return Instr::Element {
            array: symbol,
            offset: 0,
            strides: Vec::new(),
        };
    };
    if model.is_delta(e.array) {
        let (Sub::Index(i), Sub::Fixed(p)) = (e.subs[0], e.subs[1]) else {
            unreachable!("a delta is [index, position]")
        };
        return Instr::Delta(i, p - 1);
    }
    let shape = model.shape(e.array);
    let mut stride = 1;
    let mut strides_rev = Vec::new();
    let mut offset = 0;
    for (sub, &extent) in e.subs.iter().zip(&shape).rev() {
        match *sub {
            Sub::Index(i) => strides_rev.push((i, stride)),
            Sub::Fixed(p) => offset += (p - 1) * stride,
        }
        stride *= extent;
    }
    strides_rev.reverse();
    Instr::Element {
        array: e.array,
        offset,
        strides: strides_rev,
    }
}

/// Index values (0-based) by index symbol.
#[derive(Clone, Debug, Default)]
pub(crate) struct Env {
    values: Vec<usize>,
}

impl Env {
    fn get(&self, index: Symbol) -> usize {
        self.values.get(index.index()).copied().unwrap_or(0)
    }

    fn set(&mut self, index: Symbol, value: usize) {
        if index.index() >= self.values.len() {
            self.values.resize(index.index() + 1, 0);
        }
        self.values[index.index()] = value;
    }
}

/// Calls `f` for every assignment of `indices` over their extents (row-major; once for none).
fn for_each_tuple(
    model: &IndexedModel,
    indices: &[Symbol],
    env: &mut Env,
    mut f: impl FnMut(&mut Env),
) {
    let extents: Vec<usize> = indices.iter().map(|&i| model.extent(i)).collect();
    if extents.contains(&0) {
        return;
    }
    let mut counter = vec![0usize; indices.len()];
    for (&i, &c) in indices.iter().zip(&counter) {
        env.set(i, c);
    }
    loop {
        f(env);
        let mut d = indices.len();
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            counter[d] += 1;
            if counter[d] < extents[d] {
                env.set(indices[d], counter[d]);
                break;
            }
            counter[d] = 0;
            env.set(indices[d], 0);
        }
    }
}

/// The row-major offset of an element for the index values in `env`.
fn offset_of(model: &IndexedModel, reference: Symbol, env: &Env) -> usize {
    let Some(e) = model.element(reference) else {
        return 0;
    };
    let shape = model.shape(e.array);
    let mut at = 0;
    for (sub, &extent) in e.subs.iter().zip(&shape) {
        let k = match *sub {
            Sub::Index(i) => env.get(i),
            Sub::Fixed(p) => p - 1,
        };
        at = at * extent + k;
    }
    at
}

/// A model's definitions and local partials compiled once, run on any number of points.
#[derive(Clone, Debug)]
pub struct IndexedProgram {
    forward: Vec<(Symbol, Vec<Symbol>, Kernel)>,
    /// Per local partial: consumer, reference, referenced array, loop indices, kernel.
    backward: Vec<(Symbol, Symbol, Symbol, Vec<Symbol>, Kernel)>,
    loss: Symbol,
}

impl IndexedProgram {
    /// Compiles the forward bodies and the local partials of a derivation.
    pub fn new(model: &IndexedModel, derivation: &IndexedDerivation) -> IndexedProgram {
        let forward = model
            .definitions()
            .iter()
            .map(|d| (d.symbol, d.indices.clone(), Kernel::compile(model, d.body)))
            .collect();
        let mut backward = Vec::new();
        for d in model.definitions().iter().rev() {
            for local in derivation.locals_of(d.symbol) {
                let mut loop_indices = d.indices.clone();
                let mut add = |i: Symbol| {
                    if !loop_indices.contains(&i) {
                        loop_indices.push(i);
                    }
                };
                if let Some(e) = model.element(local.reference) {
                    for sub in &e.subs {
                        if let Sub::Index(i) = sub {
                            add(*i);
                        }
                    }
                }
                for i in free_indices(model, local.formula) {
                    add(i);
                }
                backward.push((
                    local.consumer,
                    local.reference,
                    local.array,
                    loop_indices,
                    Kernel::compile(model, local.formula),
                ));
            }
        }
        IndexedProgram {
            forward,
            backward,
            loss: derivation.of,
        }
    }

    /// Computes every definition from the declared arrays in `values` (which must hold every
    /// input, target and param the loss reads).
    pub fn forward(&self, model: &IndexedModel, values: &mut ArrayValues) {
        let mut env = Env::default();
        let mut scratch = Vec::new();
        for (symbol, indices, kernel) in &self.forward {
            let size: usize = indices.iter().map(|&i| model.extent(i)).product();
            let mut out = Vec::with_capacity(size);
            for_each_tuple(model, indices, &mut env, |env| {
                out.push(kernel.run(values, env, &mut scratch));
            });
            values.set(*symbol, out);
        }
    }

    /// The loss's value after [`IndexedProgram::forward`].
    pub fn loss(&self, values: &ArrayValues) -> f64 {
        values.get(self.loss).map_or(f64::NAN, |v| v[0])
    }

    /// The adjoint of every array (declared and defined) after [`IndexedProgram::forward`]:
    /// `∂E/∂array`, row-major, by array symbol.
    pub fn backward(&self, model: &IndexedModel, values: &ArrayValues) -> ArrayValues {
        let mut adjoints = ArrayValues::new();
        adjoints.set(self.loss, vec![1.0]);
        let mut env = Env::default();
        let mut scratch = Vec::new();
        for (consumer, reference, array, indices, kernel) in &self.backward {
            let size: usize = model.shape(*array).iter().product();
            let mut target = adjoints
                .arrays
                .remove(array)
                .unwrap_or_else(|| vec![0.0; size]);
            let upstream = adjoints.get(*consumer).map(<[f64]>::to_vec);
            let Some(upstream) = upstream else {
                adjoints.set(*array, target);
                continue;
            };
            let definition = model
                .definition(*consumer)
                .expect("a consumer is a definition");
            let own = &definition.indices;
            for_each_tuple(model, indices, &mut env, |env| {
                let at_consumer = own
                    .iter()
                    .fold(0, |at, &i| at * model.extent(i) + env.get(i));
                let local = kernel.run(values, env, &mut scratch);
                target[offset_of(model, *reference, env)] += upstream[at_consumer] * local;
            });
            adjoints.set(*array, target);
        }
        adjoints
    }
}

#[cfg(test)]
mod reduction_tests {
    use super::Reduction;
    use crate::op::Func;

    fn lse(terms: &[f64]) -> f64 {
        let mut r = Reduction::new(Func::LogSumExp);
        for &t in terms {
            r.add(t);
        }
        r.value()
    }

    #[test]
    fn logsumexp_one_term_at_a_time_keeps_the_max_shift() {
        assert_eq!(lse(&[1000.0, -1000.0, 0.0]), 1000.0);
        assert!((lse(&[0.0, 0.0]) - 2f64.ln()).abs() < 1e-15);
        assert!(
            (lse(&[1.0, 3.0, 2.0]) - (1f64.exp() + 3f64.exp() + 2f64.exp()).ln()).abs() < 1e-14
        );
        assert_eq!(
            lse(&[f64::NEG_INFINITY, f64::NEG_INFINITY]),
            f64::NEG_INFINITY
        );
        assert_eq!(lse(&[f64::INFINITY, 1.0, f64::INFINITY]), f64::INFINITY);
        assert!(lse(&[1.0, f64::NAN]).is_nan());
        assert!(lse(&[f64::NAN]).is_nan());
        assert_eq!(lse(&[]), f64::NEG_INFINITY);
    }
}
