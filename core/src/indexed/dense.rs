//! Dense values over sets of indices, for the batched evaluator: strided views (an array read
//! through its subscripts, the batch index `n` first), tensors made by elementwise loops, and
//! contractions `out[O] += Σ Π operands` that go to [`super::matmul::gemm`] whenever two
//! operands and the output split their indices into the rows, columns and inner dimension of
//! a matrix product (each group read through one stride, transposes by strides, no copies).
//! Anything else is a loop over the union of the indices, whose cost is the number of terms.

use super::matmul::{gemm, Strided};
use crate::dag::Symbol;
use std::borrow::Cow;

/// Below this many multiply-adds (`m·n·k`) a contraction is a plain loop: a matrix product
/// packs its operands first, which small ones do not repay.
pub(crate) const GEMM_MIN_WORK: usize = 512;

/// The extent of every index variable (the batch index included), by symbol.
#[derive(Clone, Debug, Default)]
pub(crate) struct Extents(Vec<usize>);

impl Extents {
    pub(crate) fn set(&mut self, index: Symbol, extent: usize) {
        if index.index() >= self.0.len() {
            self.0.resize(index.index() + 1, 0);
        }
        self.0[index.index()] = extent;
    }

    pub(crate) fn of(&self, index: Symbol) -> usize {
        self.0[index.index()]
    }

    fn product(&self, indices: impl IntoIterator<Item = Symbol>) -> usize {
        indices.into_iter().map(|i| self.of(i)).product()
    }
}

/// A read-only operand: element `(i₁, i₂, ...)` at `offset + Σ iₖ·strideₖ`, one axis per
/// distinct index (a repeated subscript's strides are added).
#[derive(Clone, Debug)]
pub(crate) struct View<'a> {
    pub(crate) data: Cow<'a, [f64]>,
    pub(crate) offset: usize,
    pub(crate) axes: Vec<(Symbol, usize)>,
}

impl View<'_> {
    fn stride(&self, index: Symbol) -> usize {
        stride_in(&self.axes, index)
    }

    fn has(&self, index: Symbol) -> bool {
        self.axes.iter().any(|&(i, _)| i == index)
    }

    /// Whether the batch index is among the axes.
    pub(crate) fn has_index(&self, index: Symbol) -> bool {
        self.has(index)
    }
}

/// An owned value over `indices`, row-major.
#[derive(Clone, Debug)]
pub(crate) struct Tensor {
    pub(crate) indices: Vec<Symbol>,
    pub(crate) data: Vec<f64>,
}

impl Tensor {
    /// Every element `value`.
    pub(crate) fn filled(indices: Vec<Symbol>, ext: &Extents, value: f64) -> Tensor {
        let len = ext.product(indices.iter().copied());
        Tensor {
            indices,
            data: vec![value; len],
        }
    }

    /// The tensor as a borrowed operand.
    pub(crate) fn view(&self, ext: &Extents) -> View<'_> {
        View {
            data: Cow::Borrowed(&self.data),
            offset: 0,
            axes: row_major(&self.indices, ext),
        }
    }

    /// `self[..] = f(self[..], op[..])` elementwise, `op` broadcast over indices it lacks.
    pub(crate) fn zip(&mut self, ext: &Extents, op: &View, f: impl Fn(f64, f64) -> f64) {
        debug_assert!(op.axes.iter().all(|(i, _)| self.indices.contains(i)));
        // The common cases as plain slice loops: a number broadcast everywhere, and an operand
        // laid out exactly as this tensor (row-major over the same indices).
        if op.axes.is_empty() {
            let v = op.data[op.offset];
            self.data.iter_mut().for_each(|o| *o = f(*o, v));
            return;
        }
        let own_axes = row_major(&self.indices, ext);
        if op.axes.len() == own_axes.len() && own_axes.iter().all(|&(i, s)| op.stride(i) == s) {
            let input = &op.data[op.offset..op.offset + self.data.len()];
            for (o, &v) in self.data.iter_mut().zip(input) {
                *o = f(*o, v);
            }
            return;
        }
        let extents: Vec<usize> = self.indices.iter().map(|&i| ext.of(i)).collect();
        let own: Vec<usize> = row_major(&self.indices, ext).iter().map(|a| a.1).collect();
        let theirs: Vec<usize> = self.indices.iter().map(|&i| op.stride(i)).collect();
        let (out, input) = (&mut self.data, &op.data);
        walk(&extents, [&own, &theirs], [0, op.offset], |[o, a]| {
            out[o] = f(out[o], input[a]);
        });
    }
}

/// Row-major strides for `indices` (a repeated index's strides added).
pub(crate) fn row_major(indices: &[Symbol], ext: &Extents) -> Vec<(Symbol, usize)> {
    let mut stride = 1;
    let mut reversed = Vec::with_capacity(indices.len());
    for &i in indices.iter().rev() {
        reversed.push((i, stride));
        stride *= ext.of(i);
    }
    reversed.reverse();
    merge_axes(reversed)
}

/// One axis per distinct index, strides of repeats added, first occurrence's order.
pub(crate) fn merge_axes(axes: Vec<(Symbol, usize)>) -> Vec<(Symbol, usize)> {
    let mut merged: Vec<(Symbol, usize)> = Vec::with_capacity(axes.len());
    for (i, s) in axes {
        match merged.iter_mut().find(|(j, _)| *j == i) {
            Some(axis) => axis.1 += s,
            None => merged.push((i, s)),
        }
    }
    merged
}

fn stride_in(axes: &[(Symbol, usize)], index: Symbol) -> usize {
    axes.iter()
        .find(|&&(i, _)| i == index)
        .map_or(0, |&(_, s)| s)
}

/// Calls `f` with the `K` positions of every tuple of `extents` (row-major, the last index
/// innermost), each position `base + Σ index·stride`. Nothing for an empty range; once for
/// no indices.
fn walk<const K: usize>(
    extents: &[usize],
    strides: [&[usize]; K],
    base: [usize; K],
    mut f: impl FnMut([usize; K]),
) {
    if extents.contains(&0) {
        return;
    }
    let Some((&inner, outer)) = extents.split_last() else {
        f(base);
        return;
    };
    let last = outer.len();
    let step: [usize; K] = std::array::from_fn(|k| strides[k][last]);
    let mut counter = vec![0usize; outer.len()];
    let mut at = base;
    loop {
        let mut p = at;
        for _ in 0..inner {
            f(p);
            for k in 0..K {
                p[k] += step[k];
            }
        }
        let mut level = outer.len();
        loop {
            if level == 0 {
                return;
            }
            level -= 1;
            counter[level] += 1;
            for k in 0..K {
                at[k] += strides[k][level];
            }
            if counter[level] < outer[level] {
                break;
            }
            for k in 0..K {
                at[k] -= strides[k][level] * outer[level];
            }
            counter[level] = 0;
        }
    }
}

/// A destination: `data[offset + Σ index·stride]`, accumulated into.
pub(crate) struct Out<'a> {
    pub(crate) data: &'a mut [f64],
    pub(crate) offset: usize,
    pub(crate) axes: Vec<(Symbol, usize)>,
}

/// `out[O] += Σ over every other index of Π ops`: operands whose indices another one covers
/// are multiplied into it first, indices only one operand has are summed out of it, and what
/// is left is contracted a pair at a time (the pair with the fewest terms first), each pair
/// by a matrix product where it fits.
pub(crate) fn contract(mut ops: Vec<View>, mut out: Out, ext: &Extents) {
    // A pair that is a matrix (or matrix-vector) product goes straight to it, before a vector
    // whose indices the matrix covers is multiplied into the matrix elementwise.
    if ops.len() == 2 && try_gemm(&ops[0], &ops[1], &mut out, ext) {
        return;
    }
    loop {
        absorb_covered(&mut ops, ext);
        sum_private(&mut ops, &out.axes, ext);
        match ops.len() {
            0 => return,
            1 | 2 => {
                if ops.len() == 2 && try_gemm(&ops[0], &ops[1], &mut out, ext) {
                    return;
                }
                return generic(&ops, out, ext);
            }
            _ => {
                let (p, q) = cheapest_pair(&ops, ext);
                let b = ops.swap_remove(q.max(p));
                let a = ops.swap_remove(q.min(p));
                let keep: Vec<Symbol> = union(&[&a, &b])
                    .into_iter()
                    .filter(|&i| out.axes.iter().any(|a| a.0 == i) || ops.iter().any(|o| o.has(i)))
                    .collect();
                let mut t = Tensor::filled(keep, ext, 0.0);
                let axes = row_major(&t.indices, ext);
                contract(
                    vec![a, b],
                    Out {
                        data: &mut t.data,
                        offset: 0,
                        axes,
                    },
                    ext,
                );
                ops.push(owned(t, ext));
            }
        }
    }
}

fn owned(t: Tensor, ext: &Extents) -> View<'static> {
    let axes = row_major(&t.indices, ext);
    View {
        data: Cow::Owned(t.data),
        offset: 0,
        axes,
    }
}

/// The distinct indices of some operands, in order of appearance.
fn union(ops: &[&View]) -> Vec<Symbol> {
    let mut all: Vec<Symbol> = Vec::new();
    for op in ops {
        for &(i, _) in &op.axes {
            if !all.contains(&i) {
                all.push(i);
            }
        }
    }
    all
}

/// Multiplies every operand whose indices another operand covers into the smallest such
/// operand (a bias's `b[j]` into `s[n,j]`, a constant into anything).
fn absorb_covered(ops: &mut Vec<View>, ext: &Extents) {
    loop {
        let size = |v: &View| ext.product(v.axes.iter().map(|a| a.0));
        let mut best: Option<(usize, usize)> = None;
        for (a, small) in ops.iter().enumerate() {
            for (b, big) in ops.iter().enumerate() {
                if a == b || !small.axes.iter().all(|&(i, _)| big.has(i)) {
                    continue;
                }
                if best.is_none_or(|(_, c)| size(big) < size(&ops[c])) {
                    best = Some((a, b));
                }
            }
        }
        let Some((a, b)) = best else { return };
        let indices: Vec<Symbol> = ops[b].axes.iter().map(|x| x.0).collect();
        let mut t = Tensor::filled(indices, ext, 1.0);
        t.zip(ext, &ops[b], |_, v| v);
        t.zip(ext, &ops[a], |o, v| o * v);
        let (hi, lo) = (a.max(b), a.min(b));
        ops.swap_remove(hi);
        ops.swap_remove(lo);
        ops.push(owned(t, ext));
    }
}

/// Sums out of each operand the indices that neither the output nor another operand has.
fn sum_private(ops: &mut [View], out: &[(Symbol, usize)], ext: &Extents) {
    if ops.len() < 2 {
        return;
    }
    for k in 0..ops.len() {
        let keep: Vec<Symbol> = ops[k]
            .axes
            .iter()
            .map(|a| a.0)
            .filter(|&i| {
                out.iter().any(|a| a.0 == i)
                    || ops.iter().enumerate().any(|(o, v)| o != k && v.has(i))
            })
            .collect();
        if keep.len() == ops[k].axes.len() {
            continue;
        }
        let mut t = Tensor::filled(keep, ext, 0.0);
        let axes = row_major(&t.indices, ext);
        generic(
            std::slice::from_ref(&ops[k]),
            Out {
                data: &mut t.data,
                offset: 0,
                axes,
            },
            ext,
        );
        ops[k] = owned(t, ext);
    }
}

fn cheapest_pair(ops: &[View], ext: &Extents) -> (usize, usize) {
    let mut best = (0, 1, usize::MAX);
    for a in 0..ops.len() {
        for b in a + 1..ops.len() {
            let terms = ext.product(union(&[&ops[a], &ops[b]]));
            if terms < best.2 {
                best = (a, b, terms);
            }
        }
    }
    (best.0, best.1)
}

/// `out += Σ Π ops` by a loop over every index (the output's first, so the summed ones are
/// innermost); one or two operands.
fn generic(ops: &[View], out: Out, ext: &Extents) {
    let mut indices: Vec<Symbol> = out.axes.iter().map(|a| a.0).collect();
    for op in ops {
        for &(i, _) in &op.axes {
            if !indices.contains(&i) {
                indices.push(i);
            }
        }
    }
    let extents: Vec<usize> = indices.iter().map(|&i| ext.of(i)).collect();
    let o: Vec<usize> = indices.iter().map(|&i| stride_in(&out.axes, i)).collect();
    let data = out.data;
    if let (&[len], &[0]) = (&extents[..], &o[..]) {
        // A sum into one element: added up in a register, in the same order.
        let p = out.offset;
        let along = |op| op_along(op, indices[0], len);
        data[p] = match ops {
            [a] => along(a).fold(data[p], |sum, x| sum + x),
            [a, b] => along(a)
                .zip(along(b))
                .fold(data[p], |sum, (x, y)| sum + x * y),
            _ => unreachable!("contract hands over one or two operands"),
        };
        return;
    }
    match ops {
        [a] => {
            let sa: Vec<usize> = indices.iter().map(|&i| a.stride(i)).collect();
            walk(&extents, [&o, &sa], [out.offset, a.offset], |[p, x]| {
                data[p] += a.data[x];
            });
        }
        [a, b] => {
            let sa: Vec<usize> = indices.iter().map(|&i| a.stride(i)).collect();
            let sb: Vec<usize> = indices.iter().map(|&i| b.stride(i)).collect();
            walk(
                &extents,
                [&o, &sa, &sb],
                [out.offset, a.offset, b.offset],
                |[p, x, y]| data[p] += a.data[x] * b.data[y],
            );
        }
        _ => unreachable!("contract hands over one or two operands"),
    }
}

/// The first `len` values of `op` along `index`.
fn op_along<'v>(op: &'v View, index: Symbol, len: usize) -> impl Iterator<Item = f64> + 'v {
    let step = op.stride(index);
    (0..len).map(move |t| op.data[op.offset + t * step])
}

/// A group of indices read as one dimension through one stride in each of `views` (their
/// strides nest: each the next's times its extent, in the same order everywhere): its length
/// and each view's stride. An empty group is a dimension of length 1.
fn fuse(
    group: &[Symbol],
    views: &[&[(Symbol, usize)]],
    ext: &Extents,
) -> Option<(usize, Vec<usize>)> {
    if group.is_empty() {
        return Some((1, vec![1; views.len()]));
    }
    let mut order = group.to_vec();
    let first = views[0];
    order.sort_by_key(|&i| std::cmp::Reverse(stride_in(first, i)));
    for view in views {
        for pair in order.windows(2) {
            if stride_in(view, pair[0]) != stride_in(view, pair[1]) * ext.of(pair[1]) {
                return None;
            }
        }
    }
    let last = *order.last()?;
    let len = ext.product(order.iter().copied());
    Some((len, views.iter().map(|v| stride_in(v, last)).collect()))
}

/// `out += a·b` as one matrix product when the indices split into rows (in `a` and `out`),
/// columns (in `b` and `out`) and the inner dimension (in `a` and `b`), each readable through
/// one stride; `false` (nothing done) otherwise.
fn try_gemm(a: &View, b: &View, out: &mut Out, ext: &Extents) -> bool {
    let in_out = |i: Symbol| out.axes.iter().any(|x| x.0 == i);
    if out.axes.iter().any(|&(i, _)| !a.has(i) && !b.has(i)) {
        return false;
    }
    let (mut m, mut n, mut k) = (Vec::new(), Vec::new(), Vec::new());
    for &(i, _) in &a.axes {
        match (b.has(i), in_out(i)) {
            (false, true) => m.push(i),
            (true, false) => k.push(i),
            _ => return false, // in all three: a batch of products
        }
    }
    for &(i, _) in &b.axes {
        match (a.has(i), in_out(i)) {
            (false, true) => n.push(i),
            (true, false) => {}
            _ => return false,
        }
    }
    let Some((rows, ms)) = fuse(&m, &[&a.axes, &out.axes], ext) else {
        return false;
    };
    let Some((cols, ns)) = fuse(&n, &[&b.axes, &out.axes], ext) else {
        return false;
    };
    let Some((inner, ks)) = fuse(&k, &[&a.axes, &b.axes], ext) else {
        return false;
    };
    if rows == 1 || cols == 1 {
        matrix_vector(a, b, out, [rows, cols, inner], [ms, ns, ks]);
        return true;
    }
    if rows.saturating_mul(cols).saturating_mul(inner) < GEMM_MIN_WORK {
        return false;
    }
    let view = |offset, rows, cols, row_stride, col_stride| Strided {
        offset,
        rows,
        cols,
        row_stride,
        col_stride,
    };
    gemm(
        &a.data,
        view(a.offset, rows, inner, ms[0], ks[0]),
        &b.data,
        view(b.offset, inner, cols, ks[1], ns[0]),
        out.data,
        view(out.offset, rows, cols, ms[1], ns[1]),
        true,
    );
    true
}

/// `out += a·b` where `a` is one row or `b` one column (`dims` = rows, columns, inner; each
/// group's strides in `a`/`b`/`out` as [`try_gemm`] found them): a matrix product would pack a
/// whole operand and fill register tiles of which one row or column is used. The loops run in
/// the order that reads the matrix along its shorter stride: dot products when the inner
/// dimension is, else the vector's elements scaled into the output (axpy).
fn matrix_vector(a: &View, b: &View, out: &mut Out, dims: [usize; 3], s: [Vec<usize>; 3]) {
    let [rows, _, _] = dims;
    let [ms, ns, ks] = &s;
    // The matrix operand's stride across the output and along the inner dimension.
    let (across, along) = if rows == 1 {
        (ns[0], ks[1])
    } else {
        (ms[0], ks[0])
    };
    match (along <= across, ks[0] == 1 && ks[1] == 1) {
        (true, true) => contiguous_dots(a, b, out, dims, &s),
        (true, false) => strided_dots(a, b, out, dims, &s),
        (false, _) => scaled_rows(a, b, out, dims, &s),
    }
}

/// [`matrix_vector`] when both read the inner dimension contiguously: the vector against each
/// line of the matrix, four lines at a time.
fn contiguous_dots(a: &View, b: &View, out: &mut Out, dims: [usize; 3], s: &[Vec<usize>; 3]) {
    let [rows, cols, inner] = dims;
    let [ms, ns, _] = s;
    let (vector, matrix, start, step, count, out_step): (&[f64], &[f64], _, _, _, _) = if rows == 1
    {
        let vector = &a.data[a.offset..][..inner];
        (vector, &b.data, b.offset, ns[0], cols, ns[1])
    } else {
        let vector = &b.data[b.offset..][..inner];
        (vector, &a.data, a.offset, ms[0], rows, ms[1])
    };
    let line = |k: usize| &matrix[start + k * step..][..inner];
    let mut k = 0;
    while k + 4 <= count {
        let sums = dot4(vector, [line(k), line(k + 1), line(k + 2), line(k + 3)]);
        for (j, sum) in sums.into_iter().enumerate() {
            out.data[out.offset + (k + j) * out_step] += sum;
        }
        k += 4;
    }
    for k in k..count {
        out.data[out.offset + k * out_step] += dot(vector, line(k));
    }
}

/// [`matrix_vector`]'s dot products when an operand reads the inner dimension through a stride.
fn strided_dots(a: &View, b: &View, out: &mut Out, dims: [usize; 3], s: &[Vec<usize>; 3]) {
    let [rows, cols, inner] = dims;
    let [ms, ns, ks] = s;
    for r in 0..rows {
        for c in 0..cols {
            let (x, y) = (a.offset + r * ms[0], b.offset + c * ns[0]);
            let sum: f64 = (0..inner)
                .map(|t| a.data[x + t * ks[0]] * b.data[y + t * ks[1]])
                .fold(0.0, |sum, p| sum + p);
            out.data[out.offset + r * ms[1] + c * ns[1]] += sum;
        }
    }
}

/// [`matrix_vector`] along the matrix's rows: each output element sums over the inner
/// dimension in order, the output held in registers eight columns at a time while the
/// matrix's rows stream past.
fn scaled_rows(a: &View, b: &View, out: &mut Out, dims: [usize; 3], s: &[Vec<usize>; 3]) {
    let [rows, cols, inner] = dims;
    // Every stride a plain number, read once.
    let ([ma, mo], [nb, no], [ka, kb]) =
        ([s[0][0], s[0][1]], [s[1][0], s[1][1]], [s[2][0], s[2][1]]);
    let (a_data, b_data): (&[f64], &[f64]) = (&a.data, &b.data);
    for r in 0..rows {
        let scale = |t: usize| a_data[a.offset + r * ma + t * ka];
        let o = out.offset + r * mo;
        if !((nb == 1 && no == 1) || cols == 1) {
            for t in 0..inner {
                let y = b.offset + t * kb;
                for c in 0..cols {
                    out.data[o + c * no] += scale(t) * b_data[y + c * nb];
                }
            }
            continue;
        }
        for c in (0..cols).step_by(AXPY_BLOCK) {
            let width = (cols - c).min(AXPY_BLOCK);
            let mut sums = [0.0; AXPY_BLOCK];
            sums[..width].copy_from_slice(&out.data[o + c..o + c + width]);
            for t in 0..inner {
                let row = &b_data[b.offset + t * kb + c..][..width];
                if let Ok(row) = <&[f64; AXPY_BLOCK]>::try_from(row) {
                    for (sum, bv) in sums.iter_mut().zip(row) {
                        *sum += scale(t) * bv;
                    }
                } else {
                    for (sum, bv) in sums.iter_mut().zip(row) {
                        *sum += scale(t) * bv;
                    }
                }
            }
            out.data[o + c..o + c + width].copy_from_slice(&sums[..width]);
        }
    }
}

/// Output columns a matrix-vector product keeps in registers at once.
const AXPY_BLOCK: usize = 8;

/// [`dot`] of `u` with each of four vectors (of `u`'s length), interleaved so that the four
/// dependency chains overlap; each result is exactly `dot`'s.
fn dot4(u: &[f64], v: [&[f64]; 4]) -> [f64; 4] {
    let whole = u.len() / 4 * 4;
    let v = v.map(|v| &v[..u.len()]);
    let mut partial = [[0.0; 4]; 4];
    for t in (0..whole).step_by(4) {
        let p = &u[t..t + 4];
        for (sums, v) in partial.iter_mut().zip(v) {
            let q = &v[t..t + 4];
            for k in 0..4 {
                sums[k] += p[k] * q[k];
            }
        }
    }
    let mut result = [0.0; 4];
    for ((r, sums), v) in result.iter_mut().zip(&partial).zip(v) {
        let tail: f64 = u[whole..].iter().zip(&v[whole..]).map(|(p, q)| p * q).sum();
        *r = (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail;
    }
    result
}

/// `Σ u[t]·v[t]` in four interleaved partial sums (one running sum waits on each addition).
fn dot(u: &[f64], v: &[f64]) -> f64 {
    let mut partial = [0.0; 4];
    let (u4, v4) = (u.chunks_exact(4), v.chunks_exact(4));
    let tail: f64 = u4
        .remainder()
        .iter()
        .zip(v4.remainder())
        .map(|(p, q)| p * q)
        .sum();
    for (p, q) in u4.zip(v4) {
        for k in 0..4 {
            partial[k] += p[k] * q[k];
        }
    }
    (partial[0] + partial[1]) + (partial[2] + partial[3]) + tail
}

/// `out[O] = log Σ_index exp(op[O, index])`, with the max shift (finite at ±1000; an infinite
/// or NaN maximum is the result itself, as in the loop evaluator).
pub(crate) fn logsumexp(op: &View, index: Symbol, out: &mut Tensor, ext: &Extents) {
    let extents: Vec<usize> = out.indices.iter().map(|&i| ext.of(i)).collect();
    let own: Vec<usize> = row_major(&out.indices, ext).iter().map(|a| a.1).collect();
    let theirs: Vec<usize> = out.indices.iter().map(|&i| op.stride(i)).collect();
    let (len, step) = (ext.of(index), op.stride(index));
    let (data, input) = (&mut out.data, &op.data);
    walk(&extents, [&own, &theirs], [0, op.offset], |[o, a]| {
        let term = |t: usize| input[a + t * step];
        let max = (0..len).map(term).fold(f64::NEG_INFINITY, f64::max);
        data[o] = if max.is_finite() {
            max + (0..len).map(|t| (term(t) - max).exp()).sum::<f64>().ln()
        } else {
            max
        };
    });
}
