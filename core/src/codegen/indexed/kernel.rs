//! The body of a generated kernel: the forward pass definition by definition, then the
//! backward pass local partial by local partial, from the batched plan of "Indexed layers I"
//! (its canonical formulas, so a Σ shared by a value and a derivative is computed once).
//!
//! - A definition `h[j] = body` is one fused loop over the rows and its indices, writing
//!   `v_h`; each Σ or logsumexp in the body is computed first into a buffer of its own
//!   (a Σ of a product through [`super::contract`], a matrix product where it fits).
//! - The backward pass adds each local partial into the adjoint of the array it reads:
//!   `d_h[r,j] += Σ_k d_z[r,k]·w2[k,j]` is again a contraction, and a param's adjoint sums
//!   the rows (`d_w2[k,j] += Σ_r d_z[r,k]·h[r,j]`), so both are matrix products.

use super::contract::{Contraction, Operand};
use super::layout::{Loops, Store, View};
use crate::codegen::expr::ExprWriter;
use crate::codegen::names::{Names, Var};
use crate::codegen::{Float, Helpers};
use crate::dag::{Node, NodeId, Symbol};
use crate::hash::{FxHashMap, FxHashSet};
use crate::indexed::batch::{BatchPlan, Leaf};
use crate::indexed::model::as_reduction;
use crate::op::Func;
use std::fmt::Write;

/// One kernel being written.
pub(super) struct Kernel<'a> {
    pub plan: &'a BatchPlan,
    pub float: Float,
    pub helpers: Helpers,
    /// Identifiers, and the reads of elements and buffers (as temporaries spelled by the read).
    names: Names,
    /// Each read's text, spelled once.
    reads: FxHashMap<String, Var>,
    /// Leaves and computed nodes (a Σ, a logsumexp), as their read.
    bound: FxHashMap<NodeId, Var>,
    /// Computed nodes' buffers.
    buffers: FxHashMap<NodeId, View>,
    pub loops: Loops,
    /// Where every array's values are.
    pub stores: FxHashMap<Symbol, Store>,
    batched: FxHashMap<NodeId, bool>,
    /// How many times each node is used: by the formulas' roots and by parents.
    uses: FxHashMap<NodeId, usize>,
    /// The distance between rows of every slice that has rows.
    rows: FxHashMap<String, usize>,
    /// The statements written.
    pub out: String,
    temps: usize,
    /// Buffers all zeros so far: where in `out` each was made, and its number of values.
    untouched: FxHashMap<String, (usize, String)>,
    /// Loops open around the statement being written.
    depth: usize,
}

impl<'a> Kernel<'a> {
    /// A kernel over `plan`, its arrays at `stores` (the params' slices and the rows of `x`
    /// and `t`), `used` the identifiers the surrounding function already has.
    pub fn new(
        plan: &'a BatchPlan,
        float: Float,
        stores: FxHashMap<Symbol, Store>,
        used: &[&str],
    ) -> Kernel<'a> {
        let mut names = Names::default();
        for u in used {
            names.fresh(u);
        }
        let mut loops = Loops::default();
        let model = &plan.model;
        loops.add(plan.batch, names.fresh("r"), None);
        for index in model.index_symbols() {
            if index == plan.batch {
                continue;
            }
            let var = names.fresh(&index_var(model.dag.name(index), index));
            loops.add(index, var, Some(model.extent(index)));
        }
        let uses = count_uses(plan);
        let rows = stores
            .values()
            .filter_map(|s| Some((s.slice.clone(), s.row?)))
            .collect();
        Kernel {
            uses,
            rows,
            plan,
            float,
            helpers: Helpers::default(),
            names,
            reads: FxHashMap::default(),
            bound: FxHashMap::default(),
            buffers: FxHashMap::default(),
            loops,
            stores,
            batched: FxHashMap::default(),
            out: String::new(),
            temps: 0,
            untouched: FxHashMap::default(),
            depth: 0,
        }
    }

    /// A fresh identifier `base{k}`.
    pub fn fresh(&mut self, base: &str) -> String {
        self.temps += 1;
        self.names.fresh(&format!("{base}{}", self.temps))
    }

    /// A reserved identifier spelled `base` when free.
    pub fn fresh_exact(&mut self, base: &str) -> String {
        self.names.fresh(base)
    }

    /// `vec![0.0f64; size]` as `let mut name = ...;`.
    pub fn zeros(&mut self, name: &str, size: &str) {
        let _ = writeln!(
            self.out,
            "let mut {name} = vec![0.0{}; {size}];",
            self.float.ty()
        );
        self.mark_untouched(name, size);
    }

    /// Records that `slice` (of `size` values) holds zeros at this point of the code.
    pub fn mark_untouched(&mut self, slice: &str, size: &str) {
        let at = self.out.len();
        self.untouched
            .insert(slice.to_string(), (at, size.to_string()));
    }

    /// Whether a matrix product into `target` may write instead of adding: the target is
    /// the whole of a buffer of zeros that no statement since its making names, and no loop
    /// is open around the product (which would run it more than once). The buffer counts as
    /// written afterwards.
    pub fn take_untouched(&mut self, target: &View) -> bool {
        let Some((at, size)) = self.untouched.remove(&target.slice) else {
            return false;
        };
        let indices: Vec<Symbol> = target.axes.iter().map(|a| a.0).collect();
        self.depth == 0
            && target.offset == 0
            && self.loops.size(&indices) == size
            && !mentions(&self.out[at..], &target.slice)
    }

    /// A row-major buffer over `indices` (the rows first, when present), its rows registered.
    pub fn buffer_view(&mut self, name: &str, indices: &[Symbol]) -> View {
        let view = self.loops.row_major(name, indices);
        if let Some(&(first, stride)) = view.axes.first() {
            if self.loops.fixed(first).is_none() {
                self.register_rows(name, stride);
            }
        }
        view
    }

    /// Records that `slice` has rows `row` values apart.
    pub fn register_rows(&mut self, slice: &str, row: usize) {
        self.rows.insert(slice.to_string(), row);
    }

    /// Opens loops over `indices` (outermost first); returns where the body starts, for
    /// [`Kernel::close_nest`].
    pub fn open_nest(&mut self, indices: &[Symbol]) -> usize {
        self.loops.open(&mut self.out, indices);
        self.depth += indices.len();
        self.out.len()
    }

    /// Closes the loops of [`Kernel::open_nest`], first declaring, at the top of the body, the
    /// current row's slice of every slice with rows the body reads (`&mut` for one it writes:
    /// a statement's target starts its line).
    pub fn close_nest(&mut self, indices: &[Symbol], body_start: usize) {
        let body = &self.out[body_start..];
        let mut declarations = String::new();
        let mut used: Vec<&str> = Vec::new();
        for (at, _) in body.match_indices(super::layout::ROW_PREFIX) {
            let rest = &body[at + super::layout::ROW_PREFIX.len()..];
            let name_end = rest.find('[').unwrap_or(rest.len());
            let name = &rest[..name_end];
            if !used.contains(&name) && self.rows.contains_key(name) {
                used.push(name);
            }
        }
        used.sort_unstable();
        let rows_var = self.loops.var(self.plan.batch).to_string();
        for name in used {
            let written = body
                .lines()
                .any(|l| l.starts_with(&format!("{}{name}[", super::layout::ROW_PREFIX)));
            super::layout::row_slice(&mut declarations, name, self.rows[name], &rows_var, written);
        }
        // The declarations go right inside the loop over the rows (the outermost one).
        let line_end = self.out[..body_start]
            .match_indices(&format!("for {rows_var} in "))
            .last()
            .and_then(|(at, _)| self.out[at..].find('\n').map(|e| at + e + 1))
            .unwrap_or(body_start);
        self.out.insert_str(line_end, &declarations);
        Loops::close(&mut self.out, indices);
        self.depth -= indices.len();
    }

    /// Whether the node's value differs from row to row.
    pub fn is_batched(&mut self, id: NodeId) -> bool {
        if let Some(&b) = self.batched.get(&id) {
            return b;
        }
        let b = match self.plan.leaves.get(&id) {
            Some(Leaf::Element { array, .. }) => {
                self.stores.get(array).is_some_and(|s| s.row.is_some())
            }
            Some(_) => false,
            None => {
                let children = self.plan.model.dag.node(id).children().to_vec();
                children.into_iter().any(|c| self.is_batched(c))
            }
        };
        self.batched.insert(id, b);
        b
    }

    /// The indices of a node's value: the rows first when it has them, then its free ones.
    pub fn indices_of(&mut self, id: NodeId) -> Vec<Symbol> {
        let mut indices = Vec::new();
        if self.is_batched(id) {
            indices.push(self.plan.batch);
        }
        indices.extend_from_slice(&self.plan.free[&id]);
        indices
    }

    /// The node as an operand: a view when it is an element or computed, else an expression.
    pub fn operand(&mut self, id: NodeId) -> Operand {
        if let Some(view) = self.buffers.get(&id) {
            return Operand::View(view.clone());
        }
        match self.plan.leaves.get(&id) {
            Some(Leaf::Element {
                array,
                offset,
                axes,
            }) => {
                let store = &self.stores[array];
                Operand::View(View::of(store, self.plan.batch, *offset, axes))
            }
            _ => Operand::Expr(id),
        }
    }

    /// Computes every Σ and logsumexp inside `root` (not already computed), innermost first.
    pub fn reductions_in(&mut self, root: NodeId) {
        let dag = &self.plan.model.dag;
        let mut stack = vec![root];
        let mut seen = FxHashSet::default();
        let mut found = Vec::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) || self.bound.contains_key(&id) {
                continue;
            }
            if as_reduction(dag, id).is_some() {
                found.push(id);
                continue;
            }
            stack.extend_from_slice(dag.node(id).children());
        }
        for id in found {
            self.reduction(id);
        }
    }

    /// `let mut s1 = ...;` the value of a Σ or logsumexp over its indices.
    fn reduction(&mut self, id: NodeId) {
        let name = self.fresh("s");
        self.reduction_into(id, name);
    }

    /// `let mut NAME = ...;` the value of a Σ or logsumexp over its indices (the rows first),
    /// row-major; nothing when it is computed already.
    pub fn reduction_into(&mut self, id: NodeId, name: String) {
        if self.bound.contains_key(&id) {
            return;
        }
        let (func, index, _, body) =
            as_reduction(&self.plan.model.dag, id).expect("a reduction node");
        self.reductions_in(body);
        let indices = self.indices_of(id);
        let size = self.loops.size(&indices);
        self.zeros(&name, &size);
        let target = self.buffer_view(&name, &indices);
        self.reduce(func, index, body, &indices, &target);
        self.bind_buffer(id, target);
    }

    /// Adds the value of the Σ `id` into `target` (over the Σ's own indices), without keeping
    /// it (see [`Kernel::used_once`]).
    pub fn add_reduction_into(&mut self, id: NodeId, target: View) {
        let (func, index, _, body) =
            as_reduction(&self.plan.model.dag, id).expect("a reduction node");
        self.reductions_in(body);
        let indices = self.indices_of(id);
        self.reduce(func, index, body, &indices, &target);
    }

    /// `target += Σ body` (a contraction) or `target = logsumexp body` (a loop).
    fn reduce(
        &mut self,
        func: Func,
        index: Symbol,
        body: NodeId,
        indices: &[Symbol],
        target: &View,
    ) {
        if func == Func::Sum {
            let factors = match self.plan.model.dag.node(body) {
                Node::Mul(f) => f.to_vec(),
                _ => vec![body],
            };
            let operands = factors.into_iter().map(|f| self.operand(f)).collect();
            Contraction {
                operands,
                summed: vec![index],
                target: target.clone(),
            }
            .write(self);
        } else {
            let nest = self.open_nest(indices);
            let _ = write!(
                self.out,
                "{} = {}::reduce::logsumexp((0..{}).map(|{}| ",
                target.read(&self.loops),
                super::super::vector::RUNTIME,
                self.loops.extent(index),
                self.loops.var(index),
            );
            self.expression(body);
            self.out.push_str("));\n");
            self.close_nest(indices, nest);
        }
    }

    /// Whether `id` is used once only (by one parent, or as one formula).
    pub fn used_once(&self, id: NodeId) -> bool {
        self.uses.get(&id).copied().unwrap_or(0) <= 1
    }

    /// Whether `id`'s value is in a buffer already.
    pub fn is_computed(&self, id: NodeId) -> bool {
        self.bound.contains_key(&id)
    }

    /// Records that `id`'s value is in `view`'s buffer.
    pub fn bind_buffer(&mut self, id: NodeId, view: View) {
        let read = view.read(&self.loops);
        let var = self.read_var(read);
        self.bound.insert(id, var);
        self.buffers.insert(id, view);
    }

    /// The expression-writer's name for a read, one per text.
    fn read_var(&mut self, read: String) -> Var {
        if let Some(&var) = self.reads.get(&read) {
            return var;
        }
        let var = self.names.temp(&read);
        self.reads.insert(read, var);
        var
    }

    /// The expression of `id`, every element read from its slice, every computed node from its
    /// buffer (all must be computed: see [`Kernel::reductions_in`]).
    pub fn expression(&mut self, id: NodeId) {
        self.write_expression(id, false);
    }

    /// The expression of `id` as a factor of a product (bracketed where it binds looser).
    pub fn factor(&mut self, id: NodeId) {
        self.write_expression(id, true);
    }

    fn write_expression(&mut self, id: NodeId, as_factor: bool) {
        self.bind_reads(id);
        if let Some(&var) = self.bound.get(&id) {
            self.out.push_str(self.names.var(var));
            return;
        }
        let mut reads = Vec::new();
        let prefixes = FxHashMap::default();
        let mut writer = ExprWriter {
            dag: &self.plan.model.dag,
            float: self.float,
            symbols: &self.names,
            bound: &self.bound,
            prefixes: &prefixes,
            helpers: &mut self.helpers,
            out: &mut self.out,
            reads: &mut reads,
        };
        if as_factor {
            writer.factor(id);
        } else {
            writer.top(id);
        }
    }

    /// Binds the read of every element symbol in `root` not yet bound.
    fn bind_reads(&mut self, root: NodeId) {
        let dag = &self.plan.model.dag;
        let mut stack = vec![root];
        let mut seen = FxHashSet::default();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) || self.bound.contains_key(&id) {
                continue;
            }
            if let Node::Symbol(_) = dag.node(id) {
                let read = self.read_of(id);
                let var = self.read_var(read);
                self.bound.insert(id, var);
                continue;
            }
            stack.extend_from_slice(dag.node(id).children());
        }
    }

    /// The text that reads a leaf: `p_w1[i_j * 3 + i_i]`, or a Kronecker delta's 0 or 1.
    fn read_of(&self, id: NodeId) -> String {
        match self.plan.leaves.get(&id) {
            Some(Leaf::Element {
                array,
                offset,
                axes,
            }) => View::of(&self.stores[array], self.plan.batch, *offset, axes).read(&self.loops),
            Some(Leaf::Delta(index, position)) => {
                format!(
                    "(if {} == {position} {{ 1.0 }} else {{ 0.0 }})",
                    self.loops.var(*index)
                )
            }
            _ => unreachable!("only elements and deltas are symbols of a formula"),
        }
    }
}

/// Per node, its uses: each formula of the plan that is the node, and each parent of it.
fn count_uses(plan: &BatchPlan) -> FxHashMap<NodeId, usize> {
    let mut roots: Vec<NodeId> = plan.forward.iter().map(|f| f.2).collect();
    roots.extend(plan.backward.iter().flat_map(|b| b.factors.iter().copied()));
    let mut uses: FxHashMap<NodeId, usize> = FxHashMap::default();
    for &r in &roots {
        *uses.entry(r).or_default() += 1;
    }
    for id in plan.model.dag.reachable(&roots) {
        for &c in plan.model.dag.node(id).children() {
            *uses.entry(c).or_default() += 1;
        }
    }
    uses
}

/// Whether `code` has the identifier `ident` (not as part of a longer one).
fn mentions(code: &str, ident: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(ident).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + ident.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

/// The loop variable of an index: `i_j` for `j`, `i_k2` for a placeholder or a primed name.
fn index_var(name: &str, index: Symbol) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("i_{name}")
    } else {
        format!("i_{}", index.index())
    }
}
