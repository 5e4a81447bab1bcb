//! One contraction of a generated kernel, `target[O] += Σ over the other indices of Π
//! operands`: a Σ of a product in the forward pass, a local partial times its consumer's
//! adjoint in the backward pass.
//!
//! When two operands and the target split the indices into the rows, columns and inner
//! dimension of a matrix product, each group read through one stride (transposes are
//! strides, nothing is copied), and the product is large enough to repay packing, it is one
//! call of the runtime's `gemm`; factors that are formulas (`step(s[r,j])`) are first
//! multiplied into the operand whose indices cover theirs. Anything else is one fused loop
//! nest over every index, the target's outermost, each term written inline.

use super::kernel::Kernel;
use super::layout::{Loops, View};
use crate::dag::{NodeId, Symbol};
use crate::indexed::dense::GEMM_MIN_WORK;
use std::fmt::Write;

/// A factor: read in place, or a formula evaluated where it is used.
#[derive(Clone, Debug)]
pub(super) enum Operand {
    /// An element of an array or a computed buffer.
    View(View),
    /// A formula over its free indices.
    Expr(NodeId),
}

/// `target += Σ Π operands`, summing every index the target lacks (`summed`: a Σ's own index,
/// looped over even when no operand has it).
pub(super) struct Contraction {
    pub operands: Vec<Operand>,
    pub summed: Vec<Symbol>,
    pub target: View,
}

/// One dimension of a matrix product: its length's text and each view's stride.
struct Dim {
    len: String,
    fixed: usize,
    strides: [usize; 2],
}

impl Contraction {
    /// Writes the contraction into the kernel.
    pub fn write(self, k: &mut Kernel) {
        if !self.try_gemm(k) {
            self.write_loops(k);
        }
    }

    /// Every index, the target's first.
    fn indices(&self, k: &mut Kernel) -> Vec<Symbol> {
        let mut all: Vec<Symbol> = self.target.axes.iter().map(|a| a.0).collect();
        let mut add = |i: Symbol| {
            if !all.contains(&i) {
                all.push(i);
            }
        };
        for op in &self.operands {
            match op {
                Operand::View(v) => v.axes.iter().for_each(|a| add(a.0)),
                Operand::Expr(id) => k.indices_of(*id).into_iter().for_each(&mut add),
            }
        }
        self.summed.iter().for_each(|&i| add(i));
        // The index with the largest stride outermost, so the innermost loop walks memory
        // in order (the rows, whose stride is a whole row, come first).
        let views: Vec<&View> = std::iter::once(&self.target)
            .chain(self.operands.iter().filter_map(|o| match o {
                Operand::View(v) => Some(v),
                Operand::Expr(_) => None,
            }))
            .collect();
        let batch = k.plan.batch;
        all.sort_by_key(|&i| {
            let widest = views.iter().map(|v| v.stride(i)).max().unwrap_or(0);
            (i != batch, std::cmp::Reverse(widest))
        });
        all
    }

    /// The loop nest: `target[..] += a[..] * b[..] * (formula);`.
    fn write_loops(&self, k: &mut Kernel) {
        let indices = self.indices(k);
        let nest = k.open_nest(&indices);
        let _ = write!(k.out, "{} += ", self.target.read(&k.loops));
        // A factor 1 (`∂s[j]/∂b1[j]`) is left out.
        let dag = &k.plan.model.dag;
        let operands: Vec<&Operand> = self
            .operands
            .iter()
            .filter(|o| !matches!(o, Operand::Expr(id) if dag.as_number(*id).is_some_and(|r| r.is_one())))
            .collect();
        if operands.is_empty() {
            k.out.push_str("1.0");
        }
        for (n, op) in operands.into_iter().enumerate() {
            if n > 0 {
                k.out.push_str(" * ");
            }
            match op {
                Operand::View(v) => {
                    let read = v.read(&k.loops);
                    k.out.push_str(&read);
                }
                Operand::Expr(id) => k.factor(*id),
            }
        }
        k.out.push_str(";\n");
        k.close_nest(&indices, nest);
    }

    /// The contraction as one matrix product, when it fits; `false` (nothing written) else.
    fn try_gemm(&self, k: &mut Kernel) -> bool {
        let views: Vec<&View> = self
            .operands
            .iter()
            .filter_map(|o| match o {
                Operand::View(v) => Some(v),
                Operand::Expr(_) => None,
            })
            .collect();
        let [a, b] = views[..] else {
            return false;
        };
        let Some([m, n, inner]) = split(a, b, &self.target, &self.summed, &k.loops) else {
            return false;
        };
        let rows_guess = |d: &Dim| d.fixed * if d.len.contains('n') { 64 } else { 1 };
        if rows_guess(&m) * rows_guess(&n) * rows_guess(&inner) < GEMM_MIN_WORK {
            return false;
        }
        // Formulas go into the operand whose indices cover theirs.
        let mut hosted: [Vec<NodeId>; 2] = [Vec::new(), Vec::new()];
        for op in &self.operands {
            if let Operand::Expr(id) = op {
                let needs = k.indices_of(*id);
                match [a, b].iter().position(|v| needs.iter().all(|&i| v.has(i))) {
                    Some(host) => hosted[host].push(*id),
                    None => return false,
                }
            }
        }
        let a = premultiplied(k, a, &hosted[0]);
        let b = premultiplied(k, b, &hosted[1]);
        let Some([m, n, inner]) = split(&a, &b, &self.target, &self.summed, &k.loops) else {
            return false;
        };
        let rt = super::super::vector::RUNTIME;
        // Strides: m's in (a, target), n's in (b, target), inner's in (a, b).
        let matrix = |v: &View, (rows, r): (&Dim, usize), (cols, c): (&Dim, usize)| {
            format!(
                "{rt}::matmul::Strided {{ offset: {}, rows: {}, cols: {}, row_stride: {}, col_stride: {} }}",
                v.offset, rows.len, cols.len, rows.strides[r], cols.strides[c],
            )
        };
        // A target of zeros is written, not added to (the product does not read it).
        let accumulate = !k.take_untouched(&self.target);
        let _ = writeln!(
            k.out,
            "{rt}::matmul::gemm(&{}[..], {}, &{}[..], {}, &mut {}[..], {}, {accumulate});",
            a.slice,
            matrix(&a, (&m, 0), (&inner, 0)),
            b.slice,
            matrix(&b, (&inner, 1), (&n, 0)),
            self.target.slice,
            matrix(&self.target, (&m, 1), (&n, 1)),
        );
        true
    }
}

/// A copy of `view` over its own indices times the formulas `hosted` (the view itself when
/// there are none).
fn premultiplied(k: &mut Kernel, view: &View, hosted: &[NodeId]) -> View {
    if hosted.is_empty() {
        return view.clone();
    }
    let indices: Vec<Symbol> = view.axes.iter().map(|a| a.0).collect();
    let name = k.fresh("g");
    let size = k.loops.size(&indices);
    k.zeros(&name, &size);
    let target = k.buffer_view(&name, &indices);
    let nest = k.open_nest(&indices);
    let _ = write!(k.out, "{} = {}", target.read(&k.loops), view.read(&k.loops));
    for &id in hosted {
        k.out.push_str(" * ");
        k.factor(id);
    }
    k.out.push_str(";\n");
    k.close_nest(&indices, nest);
    target
}

/// The matrix product's dimensions `[m, n, inner]` for `target += a·b`: rows in `a` and the
/// target, columns in `b` and the target, the inner dimension in `a` and `b` (with every
/// summed index), each group nested in one stride in both views that have it.
fn split(a: &View, b: &View, target: &View, summed: &[Symbol], loops: &Loops) -> Option<[Dim; 3]> {
    let (mut m, mut n, mut inner) = (Vec::new(), Vec::new(), Vec::new());
    for &(i, _) in &target.axes {
        match (a.has(i), b.has(i)) {
            (true, false) => m.push(i),
            (false, true) => n.push(i),
            _ => return None, // a batch of products, or a broadcast
        }
    }
    for &(i, _) in &a.axes {
        if !target.has(i) {
            if !b.has(i) {
                return None; // summed inside one operand
            }
            inner.push(i);
        }
    }
    if b.axes.iter().any(|&(i, _)| !target.has(i) && !a.has(i)) {
        return None;
    }
    if summed.iter().any(|i| !inner.contains(i)) {
        return None;
    }
    Some([
        dim(&m, [a, target], loops)?,
        dim(&n, [b, target], loops)?,
        dim(&inner, [a, b], loops)?,
    ])
}

/// A group of indices read as one dimension in both views: ordered by stride, each the next's
/// stride times its extent in both.
fn dim(group: &[Symbol], views: [&View; 2], loops: &Loops) -> Option<Dim> {
    if group.is_empty() {
        return Some(Dim {
            len: "1".to_string(),
            fixed: 1,
            strides: [1, 1],
        });
    }
    let mut order = group.to_vec();
    order.sort_by_key(|&i| std::cmp::Reverse(views[0].stride(i)));
    for view in views {
        for pair in order.windows(2) {
            let inner = loops.fixed(pair[1])?;
            if view.stride(pair[0]) != view.stride(pair[1]) * inner {
                return None;
            }
        }
    }
    let last = *order.last()?;
    Some(Dim {
        len: loops.size(&order),
        fixed: order.iter().filter_map(|&i| loops.fixed(i)).product(),
        strides: [views[0].stride(last), views[1].stride(last)],
    })
}
