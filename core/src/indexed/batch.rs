//! The batched evaluator: an indexed network's loss and gradient over many data rows at once,
//! the rows an outer index `n` (the slides' E_n), every value a dense array over `n` and its
//! own indices.
//!
//! The plan is made once per analysis, from the stable model and its local partials:
//!
//! - every formula is put in a canonical form where a Σ's bound index is named by its nesting
//!   height, so `Σ_i w1[j,i]·x[i]` in `h`'s body and `Σ_i′ w1[j,i′]·x[i′]` inside `step(...)`
//!   of `∂h[j]/∂w1[j,i]` are one node, computed once per batch;
//! - a node's value is a [`Tensor`] over its free indices (with `n` when it reads a row's
//!   array), memoised by node; an element reference is a strided view of its array, never
//!   copied; a Σ of a product is a contraction ([`contract`]): `Σ_i w1[j,i]·x[n,i]` is one
//!   matrix product (rows × in)·(in × out);
//! - the backward pass runs each local partial as the contraction
//!   `∂E/∂a[n?, ref] += Σ ∂E/∂consumer[n?, ..]·(factors of the local partial)`, summing `n`
//!   into a param's adjoint, so `∂E/∂w2[k,j] = Σ_n ∂E/∂z[n,k]·h[n,j]` and
//!   `∂E/∂h[n,j] = Σ_k ∂E/∂z[n,k]·w2[k,j]` are matrix products too, and the factors of
//!   `step(s[n,j])·x[n,i]` are combined elementwise before the product over `n`, never into
//!   an array over `n, j, i`.
//!
//! Rows come either one [`ArrayValues`] per row (copied array by array into each chunk) or
//! already array by array ([`StackedRows`], read where they lie, as training does). Rows are
//! taken in chunks small enough that the values of one chunk stay within
//! [`MEMORY_BUDGET`] numbers. Whatever the plan does not cover (a loss with indices, a call with
//! more than one argument, rows that give different arrays, a needed array missing) is left to
//! the per-row loop evaluator by the caller, so every model stays correct.

use super::dense::{contract, logsumexp, merge_axes, row_major, Extents, Out, Tensor, View};
use super::derive::IndexedDerivation;
use super::eval::ArrayValues;
use super::index_ops::rename;
use super::model::{as_reduction, IndexedModel, Sub};
use super::stacked::StackedRows;
use crate::dag::{Node, NodeId, Symbol};
use crate::hash::{FxHashMap, FxHashSet};
use crate::model::Role;
use crate::numerics;
use crate::op::Func;
use std::borrow::Cow;

/// The numbers one chunk of rows may hold (64 MiB of `f64`); a chunk is at least one row.
pub const MEMORY_BUDGET: usize = 1 << 23;

/// How a leaf of a formula reads its value.
#[derive(Clone, Debug)]
pub(crate) enum Leaf {
    /// An element of an array: the array, a constant offset, and the axes of its subscripts.
    Element {
        array: Symbol,
        offset: usize,
        axes: Vec<(Symbol, usize)>,
    },
    /// A Kronecker `δ[index, position]` (0-based position).
    Delta(Symbol, usize),
    /// A number.
    Constant(f64),
}

/// One local partial of the backward pass.
#[derive(Clone, Debug)]
pub(crate) struct Backward {
    pub(crate) consumer: Symbol,
    pub(crate) consumer_indices: Vec<Symbol>,
    pub(crate) reference: Symbol,
    pub(crate) array: Symbol,
    /// The canonical local partial's factors (one when it is not a product).
    pub(crate) factors: Vec<NodeId>,
}

/// What the batched evaluator runs: canonical formulas, their leaves and free indices.
#[derive(Clone, Debug)]
pub(crate) struct BatchPlan {
    pub(crate) model: IndexedModel,
    pub(crate) batch: Symbol,
    pub(crate) leaves: FxHashMap<NodeId, Leaf>,
    pub(crate) free: FxHashMap<NodeId, Vec<Symbol>>,
    pub(crate) forward: Vec<(Symbol, Vec<Symbol>, NodeId)>,
    pub(crate) backward: Vec<Backward>,
    pub(crate) loss: Symbol,
    pub(crate) params: Vec<Symbol>,
    /// The declared arrays the formulas read.
    needed: Vec<Symbol>,
    /// Numbers per row of every value a chunk holds (an upper bound).
    per_row: usize,
}

impl BatchPlan {
    /// The plan for a stable model and its derivation; `None` where the model has what the
    /// plan does not cover (then the caller evaluates row by row).
    pub(crate) fn new(stable: &IndexedModel, derivation: &IndexedDerivation) -> Option<BatchPlan> {
        let mut model = stable.clone();
        if !model.loss().indices.is_empty() {
            return None;
        }
        let batch = model.index_variable("⟨n⟩", 1);
        let mut canon = Canonical::default();
        let definitions: Vec<_> = model
            .definitions()
            .iter()
            .map(|d| (d.symbol, d.indices.clone(), d.body))
            .collect();
        let mut forward = Vec::new();
        for (symbol, indices, body) in definitions {
            forward.push((symbol, indices, canon.of(&mut model, body)));
        }
        let params: Vec<Symbol> = model
            .arrays_with_role(Role::Param)
            .map(|a| a.symbol)
            .collect();
        let live = live_arrays(&model, derivation, &params);
        let mut backward = Vec::new();
        for d in model.definitions().to_vec().iter().rev() {
            for local in derivation.locals_of(d.symbol) {
                if !live.contains(&local.array) {
                    continue;
                }
                let formula = canon.of(&mut model, local.formula);
                let factors = match model.dag.node(formula) {
                    Node::Mul(f) => f.to_vec(),
                    _ => vec![formula],
                };
                backward.push(Backward {
                    consumer: local.consumer,
                    consumer_indices: d.indices.clone(),
                    reference: local.reference,
                    array: local.array,
                    factors,
                });
            }
        }
        let mut roots: Vec<NodeId> = forward.iter().map(|f| f.2).collect();
        roots.extend(backward.iter().flat_map(|b| b.factors.iter().copied()));
        let free = free_indices_of_all(&model, &roots);
        let mut plan = BatchPlan {
            batch,
            leaves: FxHashMap::default(),
            free,
            forward,
            backward,
            loss: model.loss().symbol,
            params,
            needed: Vec::new(),
            per_row: 0,
            model,
        };
        plan.plan_leaves(&roots)?;
        Some(plan)
    }

    /// Compiles every leaf the evaluation reaches, checks every call is supported, and
    /// estimates the numbers per row.
    fn plan_leaves(&mut self, roots: &[NodeId]) -> Option<()> {
        let mut per_row = 0usize;
        for id in self.evaluated(roots) {
            let leaf = match self.model.dag.node(id) {
                Node::Number(r) => Leaf::Constant(r.to_f64()),
                Node::Float(bits) => Leaf::Constant(f64::from_bits(*bits)),
                Node::Constant(c) => Leaf::Constant(c.value()),
                Node::Symbol(s) => self.leaf(*s),
                Node::Call(func, args) if !func.is_reduction() && args.len() != 1 => return None,
                _ => {
                    let size: usize = self.free[&id]
                        .iter()
                        .map(|&i| self.model.extent(i))
                        .product();
                    per_row = per_row.saturating_add(size);
                    continue;
                }
            };
            if let Leaf::Element { array, .. } = &leaf {
                let declared = self.model.array(*array).is_some();
                if declared && !self.needed.contains(array) {
                    self.needed.push(*array);
                }
            }
            self.leaves.insert(id, leaf);
        }
        let sizes = self
            .model
            .arrays()
            .iter()
            .map(|a| a.shape.iter().product::<usize>())
            .chain(
                self.model
                    .definitions()
                    .iter()
                    .map(|d| 2 * self.model.shape(d.symbol).iter().product::<usize>()),
            );
        self.per_row = sizes.fold(per_row, usize::saturating_add).max(1);
        Some(())
    }

    pub(crate) fn leaf(&self, symbol: Symbol) -> Leaf {
        let Some(e) = self.model.element(symbol) else {
            return Leaf::Element {
                array: symbol,
                offset: 0,
                axes: Vec::new(),
            };
        };
        if self.model.is_delta(e.array) {
            let (Sub::Index(i), Sub::Fixed(p)) = (e.subs[0], e.subs[1]) else {
                unreachable!("a delta is [index, position]")
            };
            return Leaf::Delta(i, p - 1);
        }
        let shape = self.model.shape(e.array);
        let (offset, axes) = subscript_axes(&e.subs, &shape);
        Leaf::Element {
            array: e.array,
            offset,
            axes,
        }
    }

    /// The nodes a run computes for `roots`, children first (a Σ of a product needs its
    /// factors, not the product).
    fn evaluated(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let mut order = Vec::new();
        let mut seen: FxHashSet<NodeId> = FxHashSet::default();
        let mut stack: Vec<(NodeId, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                order.push(id);
                continue;
            }
            if !seen.insert(id) {
                continue;
            }
            stack.push((id, true));
            for &d in self.dependencies(id).iter().rev() {
                if !seen.contains(&d) {
                    stack.push((d, false));
                }
            }
        }
        order
    }

    pub(crate) fn dependencies(&self, id: NodeId) -> Vec<NodeId> {
        let dag = &self.model.dag;
        if let Some((func, _, _, body)) = as_reduction(dag, id) {
            return match (func, dag.node(body)) {
                (Func::Sum, Node::Mul(factors)) => factors.to_vec(),
                _ => vec![body],
            };
        }
        dag.node(id).children().to_vec()
    }

    /// Whether these rows suit the plan: each gives the same arrays with the same lengths,
    /// and with `shared` they give every array the formulas read.
    pub(crate) fn accepts(&self, shared: &ArrayValues, rows: &[&ArrayValues]) -> bool {
        let Some(first) = rows.first() else {
            return false;
        };
        let given = self.row_arrays(first);
        // The other rows: the same declared arrays with the same lengths, compared without
        // collecting and sorting each row's arrays (this runs on every batch of training).
        // A row that has every array the first gives, and no more entries than it, gives
        // exactly those when the first holds only declared arrays (the common case); else its
        // declared arrays are counted.
        let only_declared = given.len() == first.len();
        let same = rows[1..].iter().all(|r| {
            let has_given = given
                .iter()
                .all(|&(a, len)| r.get(a).is_some_and(|v| v.len() == len));
            has_given
                && ((only_declared && r.len() == given.len())
                    || r.symbols()
                        .filter(|&a| self.model.array(a).is_some())
                        .count()
                        == given.len())
        });
        let sized = |a: Symbol, len: usize| len == self.model.shape(a).iter().product::<usize>();
        same && given.iter().all(|&(a, len)| sized(a, len))
            && self.needed.iter().all(|&a| {
                given.iter().any(|g| g.0 == a) || shared.get(a).is_some_and(|v| sized(a, v.len()))
            })
    }

    /// The arrays a row gives (declared ones; a row's other entries are ignored), sorted.
    fn row_arrays(&self, row: &ArrayValues) -> Vec<(Symbol, usize)> {
        let mut given: Vec<(Symbol, usize)> = row
            .symbols()
            .filter(|&a| self.model.array(a).is_some())
            .map(|a| (a, row.get(a).map_or(0, <[f64]>::len)))
            .collect();
        given.sort();
        given
    }

    /// Whether rows given array by array suit the plan: every array declared, with a whole
    /// number of rows of its shape, and with `shared` every array the formulas read.
    pub(crate) fn accepts_stacked(&self, shared: &ArrayValues, stacked: &StackedRows) -> bool {
        let Some(given) = stacked.row_sizes() else {
            return false;
        };
        let sized = |a: Symbol, len: usize| len == self.model.shape(a).iter().product::<usize>();
        given
            .iter()
            .all(|&(a, len)| self.model.array(a).is_some() && sized(a, len))
            && self.needed.iter().all(|&a| {
                given.iter().any(|g| g.0 == a) || shared.get(a).is_some_and(|v| sized(a, v.len()))
            })
    }

    /// Loss and gradient summed over the rows, and every array's values at the last row.
    /// The caller has checked [`BatchPlan::accepts`].
    /// `chunk` rows at a time when given, else as many as [`MEMORY_BUDGET`] allows.
    pub(crate) fn run(
        &self,
        shared: &ArrayValues,
        rows: &[&ArrayValues],
        chunk: Option<usize>,
    ) -> (f64, ArrayValues, ArrayValues) {
        let given = self.row_arrays(rows[0]);
        let chunk = self.chunk_rows(chunk, rows.len());
        let mut ext = self.extents();
        let (mut loss, mut gradient) = (0.0, FxHashMap::default());
        let mut last = ArrayValues::new();
        for (c, part) in rows.chunks(chunk).enumerate() {
            // Each array of the chunk's rows one row after another, as the plan reads them.
            let stacked_values: Vec<Vec<f64>> = given
                .iter()
                .map(|&(a, _)| {
                    part.iter()
                        .flat_map(|row| row.get(a).unwrap_or(&[]))
                        .copied()
                        .collect()
                })
                .collect();
            let mut stacked = StackedRows::new(part.len());
            for (&(a, _), values) in given.iter().zip(&stacked_values) {
                stacked = stacked.with(a, values);
            }
            ext.set(self.batch, part.len());
            let mut run = Run::new(self, shared, &stacked, &ext);
            loss += run.evaluate(&mut gradient);
            if (c + 1) * chunk >= rows.len() {
                last = run.last_row();
            }
        }
        (loss, self.gradient_values(gradient), last)
    }

    /// Loss and gradient summed over rows given array by array, read where they lie.
    /// The caller has checked [`BatchPlan::accepts_stacked`].
    pub(crate) fn run_stacked(
        &self,
        shared: &ArrayValues,
        stacked: &StackedRows,
        chunk: Option<usize>,
    ) -> (f64, ArrayValues) {
        let chunk = self.chunk_rows(chunk, stacked.rows());
        let mut ext = self.extents();
        let (mut loss, mut gradient) = (0.0, FxHashMap::default());
        for start in (0..stacked.rows()).step_by(chunk) {
            let part = stacked.slice(start, start + chunk);
            ext.set(self.batch, part.rows());
            loss += Run::new(self, shared, &part, &ext).evaluate(&mut gradient);
        }
        (loss, self.gradient_values(gradient))
    }

    /// Rows per chunk: `chunk` when given, else as many as [`MEMORY_BUDGET`] allows.
    fn chunk_rows(&self, chunk: Option<usize>, rows: usize) -> usize {
        chunk
            .unwrap_or(MEMORY_BUDGET / self.per_row)
            .clamp(1, rows.max(1))
    }

    /// Every index's extent (the rows' index is set per chunk).
    fn extents(&self) -> Extents {
        let mut ext = Extents::default();
        for index in self.model.index_symbols() {
            ext.set(index, self.model.extent(index));
        }
        ext
    }

    /// Each param's summed gradient (zeros for a param the loss does not read).
    fn gradient_values(&self, mut gradient: FxHashMap<Symbol, Vec<f64>>) -> ArrayValues {
        let mut grad = ArrayValues::new();
        for &p in &self.params {
            let size: usize = self.model.shape(p).iter().product();
            grad.set(p, gradient.remove(&p).unwrap_or_else(|| vec![0.0; size]));
        }
        grad
    }
}

/// The constant offset and the axes of an element's subscripts over a row-major shape.
fn subscript_axes(subs: &[Sub], shape: &[usize]) -> (usize, Vec<(Symbol, usize)>) {
    let mut stride = 1;
    let mut offset = 0;
    let mut axes = Vec::new();
    for (sub, &extent) in subs.iter().zip(shape).rev() {
        match *sub {
            Sub::Index(i) => axes.push((i, stride)),
            Sub::Fixed(p) => offset += (p - 1) * stride,
        }
        stride *= extent;
    }
    axes.reverse();
    (offset, merge_axes(axes))
}

/// The params and every definition a param's adjoint flows through.
fn live_arrays(
    model: &IndexedModel,
    derivation: &IndexedDerivation,
    params: &[Symbol],
) -> FxHashSet<Symbol> {
    let mut live: FxHashSet<Symbol> = params.iter().copied().collect();
    for d in model.definitions() {
        if derivation
            .locals_of(d.symbol)
            .any(|l| live.contains(&l.array))
        {
            live.insert(d.symbol);
        }
    }
    live
}

/// The free indices of every node reachable from `roots` (a Σ binds its index), one sweep.
fn free_indices_of_all(model: &IndexedModel, roots: &[NodeId]) -> FxHashMap<NodeId, Vec<Symbol>> {
    let mut free: FxHashMap<NodeId, Vec<Symbol>> = FxHashMap::default();
    for id in model.dag.reachable(roots) {
        let mut here: Vec<Symbol> = Vec::new();
        let mut add = |s: Symbol| {
            if !here.contains(&s) {
                here.push(s);
            }
        };
        match model.dag.node(id) {
            Node::Symbol(s) => {
                for sub in model.element(*s).map_or(&[][..], |e| &e.subs[..]) {
                    if let Sub::Index(i) = sub {
                        add(*i);
                    }
                }
            }
            node => {
                let (bound, children) = match as_reduction(&model.dag, id) {
                    Some((_, index, _, _)) => (Some(index), &node.children()[2..]),
                    None => (None, node.children()),
                };
                for child in children {
                    for &s in &free[child] {
                        if Some(s) != bound {
                            add(s);
                        }
                    }
                }
            }
        }
        free.insert(id, here);
    }
    free
}

/// Canonical forms: each Σ's bound index renamed to a placeholder named by its height (one
/// more than the highest Σ inside it) and extent, so alpha-equivalent formulas are one node.
#[derive(Default)]
struct Canonical {
    image: FxHashMap<NodeId, (NodeId, usize)>,
    placeholders: FxHashMap<(usize, usize), Symbol>,
}

impl Canonical {
    fn of(&mut self, model: &mut IndexedModel, root: NodeId) -> NodeId {
        for id in model.dag.reachable(&[root]) {
            if self.image.contains_key(&id) {
                continue;
            }
            let image = if let Some((func, index, extent, body)) = as_reduction(&model.dag, id) {
                let (body, inner) = self.image[&body];
                let height = inner + 1;
                let placeholder = *self
                    .placeholders
                    .entry((height, extent))
                    .or_insert_with(|| model.index_variable(&format!("⟨{height}⟩"), extent));
                let map: FxHashMap<Symbol, Symbol> = [(index, placeholder)].into_iter().collect();
                let body = rename(model, body, &map);
                let reduced = super::index_ops::reduction(model, func, placeholder, extent, body);
                (reduced, height)
            } else {
                let node = model.dag.node(id).clone();
                let children = node.children();
                let height = children.iter().map(|c| self.image[c].1).max().unwrap_or(0);
                let mapped: Vec<NodeId> = children.iter().map(|c| self.image[c].0).collect();
                if mapped == children {
                    (id, height)
                } else {
                    (model.dag.intern(node.with_children(mapped)), height)
                }
            };
            self.image.insert(id, image);
        }
        self.image[&root].0
    }
}

/// An array's values in one chunk: `[n, elements]` when it comes with the rows (or is computed
/// from what does), `[elements]` when shared by every row.
struct Stored<'a> {
    data: Cow<'a, [f64]>,
    batched: bool,
}

/// One chunk of rows being evaluated.
struct Run<'p> {
    plan: &'p BatchPlan,
    ext: &'p Extents,
    rows: usize,
    arrays: FxHashMap<Symbol, Stored<'p>>,
    memo: FxHashMap<NodeId, Tensor>,
    /// The values every row shares (for [`Run::last_row`]).
    shared: &'p ArrayValues,
}

impl<'p> Run<'p> {
    /// The chunk `rows`, read where they lie; the params and other shared arrays from
    /// `shared`.
    fn new(
        plan: &'p BatchPlan,
        shared: &'p ArrayValues,
        rows: &StackedRows<'p>,
        ext: &'p Extents,
    ) -> Run<'p> {
        let mut arrays: FxHashMap<Symbol, Stored<'p>> = FxHashMap::default();
        for &a in &plan.needed {
            if let Some(v) = shared.get(a) {
                arrays.insert(
                    a,
                    Stored {
                        data: Cow::Borrowed(v),
                        batched: false,
                    },
                );
            }
        }
        for &(a, values) in rows.arrays() {
            arrays.insert(
                a,
                Stored {
                    data: Cow::Borrowed(values),
                    batched: true,
                },
            );
        }
        Run {
            plan,
            ext,
            rows: rows.rows(),
            arrays,
            memo: FxHashMap::default(),
            shared,
        }
    }

    /// The forward and backward passes: the chunk's summed loss, its gradient added into
    /// `gradient`.
    fn evaluate(&mut self, gradient: &mut FxHashMap<Symbol, Vec<f64>>) -> f64 {
        self.forward();
        let loss = self.loss();
        self.backward(gradient);
        loss
    }

    fn size(&self, array: Symbol) -> usize {
        self.plan.model.shape(array).iter().product()
    }

    /// Computes every node `root` needs that is not yet memoised, children first.
    fn ensure(&mut self, root: NodeId) {
        for id in self.plan.evaluated(&[root]) {
            if self.memo.contains_key(&id) {
                continue;
            }
            if let Some(Leaf::Element { .. }) = self.plan.leaves.get(&id) {
                continue; // read where it lies
            }
            let value = self.compute(id);
            self.memo.insert(id, value);
        }
    }

    /// A computed node (or an element) as an operand.
    fn operand(&self, id: NodeId) -> View<'_> {
        if let Some(Leaf::Element {
            array,
            offset,
            axes,
        }) = self.plan.leaves.get(&id)
        {
            let stored = &self.arrays[array];
            let mut axes = axes.clone();
            if stored.batched {
                axes.insert(0, (self.plan.batch, self.size(*array)));
            }
            return View {
                data: Cow::Borrowed(&stored.data),
                offset: *offset,
                axes,
            };
        }
        self.memo[&id].view(self.ext)
    }

    /// The indices of a node's value: `n` when any operand has it, then its free indices.
    fn indices_of(&self, id: NodeId, operands: &[View]) -> Vec<Symbol> {
        let mut indices = Vec::new();
        if operands.iter().any(|o| o.has_index(self.plan.batch)) {
            indices.push(self.plan.batch);
        }
        indices.extend_from_slice(&self.plan.free[&id]);
        indices
    }

    fn compute(&self, id: NodeId) -> Tensor {
        let ext = self.ext;
        let dag = &self.plan.model.dag;
        match self.plan.leaves.get(&id) {
            Some(Leaf::Constant(c)) => return Tensor::filled(Vec::new(), ext, *c),
            Some(Leaf::Delta(index, position)) => {
                let mut t = Tensor::filled(vec![*index], ext, 0.0);
                if let Some(v) = t.data.get_mut(*position) {
                    *v = 1.0;
                }
                return t;
            }
            _ => {}
        }
        let operands: Vec<View> = self
            .plan
            .dependencies(id)
            .iter()
            .map(|&d| self.operand(d))
            .collect();
        let indices = self.indices_of(id, &operands);
        if let Some((func, index, _, _)) = as_reduction(dag, id) {
            let mut out = Tensor::filled(indices, ext, 0.0);
            let mut operands = operands;
            if func == Func::Sum && !operands.iter().any(|o| o.has_index(index)) {
                // A Σ whose body does not mention its index: each term once per value of it.
                let ones = Tensor::filled(vec![index], ext, 1.0);
                operands.push(View {
                    data: Cow::Owned(ones.data),
                    offset: 0,
                    axes: vec![(index, 1)],
                });
            }
            if func == Func::Sum {
                let axes = row_major(&out.indices, ext);
                let target = Out {
                    data: &mut out.data,
                    offset: 0,
                    axes,
                };
                contract(operands, target, ext);
            } else {
                logsumexp(&operands[0], index, &mut out, ext);
            }
            return out;
        }
        let mut out = Tensor::filled(indices, ext, 0.0);
        match dag.node(id) {
            Node::Add(_) => {
                for op in &operands {
                    out.zip(ext, op, |o, v| o + v);
                }
            }
            Node::Mul(_) => {
                out.data.fill(1.0);
                for op in &operands {
                    out.zip(ext, op, |o, v| o * v);
                }
            }
            Node::Pow(_) => {
                out.zip(ext, &operands[0], |_, v| v);
                out.zip(ext, &operands[1], numerics::power);
            }
            Node::Call(func, _) => {
                let func = *func;
                out.zip(ext, &operands[0], |_, v| numerics::apply(func, v));
            }
            Node::Number(_) | Node::Float(_) | Node::Constant(_) | Node::Symbol(_) => {
                unreachable!("leaves are planned")
            }
        }
        out
    }

    fn forward(&mut self) {
        for (symbol, own, body) in &self.plan.forward {
            self.ensure(*body);
            let value = {
                let op = self.operand(*body);
                let mut indices = Vec::with_capacity(own.len() + 1);
                if op.has_index(self.plan.batch) {
                    indices.push(self.plan.batch);
                }
                indices.extend_from_slice(own);
                let mut out = Tensor::filled(indices, self.ext, 0.0);
                out.zip(self.ext, &op, |_, v| v);
                out
            };
            let batched = value.indices.first() == Some(&self.plan.batch);
            self.arrays.insert(
                *symbol,
                Stored {
                    data: Cow::Owned(value.data),
                    batched,
                },
            );
        }
    }

    /// The loss summed over the chunk's rows (a loss no row changes counts once per row).
    fn loss(&self) -> f64 {
        let stored = &self.arrays[&self.plan.loss];
        if stored.batched {
            stored.data.iter().sum()
        } else {
            stored.data[0] * self.rows as f64
        }
    }

    fn batched(&self, array: Symbol) -> bool {
        self.arrays.get(&array).is_some_and(|s| s.batched)
    }

    /// Adds this chunk's gradient of every param into `gradient`.
    fn backward(&mut self, gradient: &mut FxHashMap<Symbol, Vec<f64>>) {
        let plan = self.plan;
        let mut adjoints: FxHashMap<Symbol, Vec<f64>> = FxHashMap::default();
        let seed = if self.batched(plan.loss) {
            vec![1.0; self.rows]
        } else {
            vec![self.rows as f64]
        };
        adjoints.insert(plan.loss, seed);
        for step in &plan.backward {
            if !adjoints.contains_key(&step.consumer) {
                continue;
            }
            for &f in &step.factors {
                self.ensure(f);
            }
            let batched = self.batched(step.array);
            let size = self.size(step.array);
            let mut target = adjoints
                .remove(&step.array)
                .unwrap_or_else(|| vec![0.0; size * if batched { self.rows } else { 1 }]);
            {
                let upstream = &adjoints[&step.consumer];
                let mut axes = row_major(&step.consumer_indices, self.ext);
                if self.batched(step.consumer) {
                    axes.insert(0, (plan.batch, self.size(step.consumer)));
                }
                let mut ops = vec![View {
                    data: Cow::Borrowed(upstream),
                    offset: 0,
                    axes,
                }];
                ops.extend(step.factors.iter().map(|&f| self.operand(f)));
                let Leaf::Element { offset, axes, .. } = plan.leaf(step.reference) else {
                    unreachable!("a reference is an element")
                };
                let mut axes = axes;
                if batched {
                    axes.insert(0, (plan.batch, size));
                }
                let out = Out {
                    data: &mut target,
                    offset,
                    axes,
                };
                contract(ops, out, self.ext);
            }
            adjoints.insert(step.array, target);
        }
        for &p in &plan.params {
            let Some(adjoint) = adjoints.remove(&p) else {
                continue;
            };
            let size = self.size(p);
            let total = gradient.entry(p).or_insert_with(|| vec![0.0; size]);
            for row in adjoint.chunks(size.max(1)) {
                for (t, v) in total.iter_mut().zip(row) {
                    *t += v;
                }
            }
        }
    }

    /// Every array at the chunk's last row: the shared ones, the row's and every definition.
    fn last_row(&self) -> ArrayValues {
        let mut values = self.shared.clone();
        for (&symbol, stored) in &self.arrays {
            let size = self.size(symbol);
            let data = if stored.batched {
                stored.data[(self.rows - 1) * size..].to_vec()
            } else {
                stored.data.to_vec()
            };
            values.set(symbol, data);
        }
        values
    }
}
