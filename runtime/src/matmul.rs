//! The one matrix product that the batched evaluator and generated code call: a safe wrapper
//! over the `gemm` crate (with the `gemm` feature, the facade's default: run-time detected
//! AVX-512/AVX2 kernels) or `matrixmultiply`'s `sgemm`/`dgemm` (without it), with every extent
//! and stride checked against its buffer before the call.
//!
//! Operands are strided views into plain slices, so a transpose is a swap of strides and a
//! batch of rows `[n, i]` or a weight `[j, i]` is multiplied where it lies, never copied.

use crate::Float;

/// A matrix inside a slice: element `(r, c)` is at `offset + r·row_stride + c·col_stride`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Strided {
    /// Where element `(0, 0)` is.
    pub offset: usize,
    /// The number of rows.
    pub rows: usize,
    /// The number of columns.
    pub cols: usize,
    /// The distance between two rows.
    pub row_stride: usize,
    /// The distance between two columns.
    pub col_stride: usize,
}

impl Strided {
    /// A row-major `rows × cols` matrix at the start of its slice.
    ///
    /// ```
    /// use symdiff_runtime::matmul::Strided;
    /// let m = Strided::row_major(2, 3);
    /// assert_eq!((m.row_stride, m.col_stride), (3, 1));
    /// ```
    pub fn row_major(rows: usize, cols: usize) -> Strided {
        Strided {
            offset: 0,
            rows,
            cols,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The same elements read as the transposed matrix (strides swapped, nothing moved).
    ///
    /// ```
    /// use symdiff_runtime::matmul::Strided;
    /// let t = Strided::row_major(2, 3).transposed();
    /// assert_eq!((t.rows, t.cols, t.row_stride, t.col_stride), (3, 2, 1, 3));
    /// ```
    pub fn transposed(self) -> Strided {
        Strided {
            rows: self.cols,
            cols: self.rows,
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }

    /// The position of the last element, `None` for an empty matrix; panics on overflow.
    fn last(&self) -> Option<usize> {
        if self.rows == 0 || self.cols == 0 {
            return None;
        }
        let span = (self.rows - 1)
            .checked_mul(self.row_stride)
            .and_then(|r| (self.cols - 1).checked_mul(self.col_stride)?.checked_add(r))
            .and_then(|s| s.checked_add(self.offset))
            .expect("a matrix's extent fits in memory");
        Some(span)
    }

    /// Whether no two elements share a position (what a destination needs).
    fn distinct(&self) -> bool {
        self.rows <= 1
            || self.cols <= 1
            || (self.row_stride >= self.cols * self.col_stride && self.col_stride > 0)
            || (self.col_stride >= self.rows * self.row_stride && self.row_stride > 0)
    }
}

/// `c ← a·b` (or `c ← c + a·b` when `accumulate`), single-threaded.
///
/// Panics unless the extents agree (`a` is `m × k`, `b` is `k × n`, `c` is `m × n`), every
/// view lies inside its slice, and no two elements of `c` share a position.
///
/// ```
/// use symdiff_runtime::matmul::{gemm, Strided};
/// // [1 2; 3 4] · [1 0; 0 1] read through a transpose of a row-major [1 0; 0 1].
/// let a = [1.0, 2.0, 3.0, 4.0];
/// let b = [1.0, 0.0, 0.0, 1.0];
/// let mut c = [10.0; 4];
/// gemm(&a, Strided::row_major(2, 2), &b, Strided::row_major(2, 2).transposed(),
///      &mut c, Strided::row_major(2, 2), true);
/// assert_eq!(c, [11.0, 12.0, 13.0, 14.0]);
/// ```
pub fn gemm<F: Float>(
    a: &[F],
    va: Strided,
    b: &[F],
    vb: Strided,
    c: &mut [F],
    vc: Strided,
    accumulate: bool,
) {
    let (m, k, n) = (va.rows, va.cols, vb.cols);
    assert_eq!(vb.rows, k, "inner extents of a matrix product");
    assert_eq!((vc.rows, vc.cols), (m, n), "the product's extents");
    assert!(vc.distinct(), "a product's destination overlaps itself");
    let Some(last_c) = vc.last() else {
        return;
    };
    assert!(last_c < c.len(), "the destination lies inside its slice");
    if k == 0 {
        if !accumulate {
            for r in 0..m {
                for col in 0..n {
                    c[vc.offset + r * vc.row_stride + col * vc.col_stride] = F::ZERO;
                }
            }
        }
        return;
    }
    let (Some(last_a), Some(last_b)) = (va.last(), vb.last()) else {
        unreachable!("m, n and k are all positive here")
    };
    assert!(last_a < a.len(), "the left operand lies inside its slice");
    assert!(last_b < b.len(), "the right operand lies inside its slice");
    let stride = |s: usize| isize::try_from(s).expect("a stride fits in isize");
    let beta = if accumulate { F::ONE } else { F::ZERO };
    // SAFETY: the product reads `a` at `offset + r·rs + c·cs` for r < m, c < k (and `b` for r < k,
    // c < n) and writes `c` likewise for r < m, c < n: the asserts above put the largest of
    // these positions inside each slice, every stride is non-negative, and `c`'s positions are
    // distinct. `c` is borrowed mutably, so it overlaps neither `a` nor `b`. No threads.
    unsafe {
        F::raw_gemm(
            m,
            k,
            n,
            a.as_ptr().add(va.offset),
            stride(va.row_stride),
            stride(va.col_stride),
            b.as_ptr().add(vb.offset),
            stride(vb.row_stride),
            stride(vb.col_stride),
            beta,
            c.as_mut_ptr().add(vc.offset),
            stride(vc.row_stride),
            stride(vc.col_stride),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_through_strides_matches_the_definition() {
        // a: 3×4 stored column-major at offset 1; b: 4×2 row-major; c: 3×2 column-major.
        let (m, k, n) = (3, 4, 2);
        let a: Vec<f64> = (0..1 + m * k).map(|v| v as f64 * 0.5 - 1.0).collect();
        let b: Vec<f64> = (0..k * n).map(|v| (v as f64).sin()).collect();
        let va = Strided {
            offset: 1,
            rows: m,
            cols: k,
            row_stride: 1,
            col_stride: m,
        };
        let vc = Strided::row_major(n, m).transposed();
        let mut c = vec![0.0; m * n];
        gemm(&a, va, &b, Strided::row_major(k, n), &mut c, vc, false);
        for r in 0..m {
            for col in 0..n {
                let want: f64 = (0..k).map(|t| a[1 + r + t * m] * b[t * n + col]).sum();
                assert!((c[r + col * m] - want).abs() < 1e-12);
            }
        }
    }

    /// A matrix of `rows × cols` in a slice, row- or column-major, after `offset` unused slots.
    fn laid_out(rows: usize, cols: usize, column_major: bool, offset: usize) -> Strided {
        let view = match column_major {
            true => Strided::row_major(cols, rows).transposed(),
            false => Strided::row_major(rows, cols),
        };
        Strided { offset, ..view }
    }

    /// `c ← a·b (+ c)` against the definition summed in f64, over shapes past the crates'
    /// register tiles and cache blocks, every layout of the three operands, both modes and both
    /// types; a fresh destination's NaN never enters the result.
    fn random_products<F: Float>(tolerance: f64) {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let shapes = [
            (1, 1, 1),
            (3, 5, 2),
            (17, 9, 33),
            (64, 784, 128),
            (128, 64, 70),
        ];
        for (case, &(m, k, n)) in shapes.iter().cycle().take(40).enumerate() {
            let layout = next();
            let (va, vb, vc) = (
                laid_out(m, k, layout & 1 == 1, case % 3),
                laid_out(k, n, layout & 2 == 2, 1),
                laid_out(m, n, layout & 4 == 4, 2),
            );
            let accumulate = layout & 8 == 8;
            let mut unit = || F::from_f64((next() % 2001) as f64 / 1000.0 - 1.0);
            let a: Vec<F> = (0..va.offset + m * k).map(|_| unit()).collect();
            let b: Vec<F> = (0..vb.offset + k * n).map(|_| unit()).collect();
            let mut c: Vec<F> = (0..vc.offset + m * n).map(|_| unit()).collect();
            let before = c.clone();
            if !accumulate {
                c.iter_mut().skip(vc.offset).for_each(|v| *v = F::NAN);
            }
            gemm(&a, va, &b, vb, &mut c, vc, accumulate);
            let at = |v: &Strided, r: usize, col: usize| {
                v.offset + r * v.row_stride + col * v.col_stride
            };
            for r in 0..m {
                for col in 0..n {
                    let mut want: f64 = (0..k)
                        .map(|t| a[at(&va, r, t)].to_f64() * b[at(&vb, t, col)].to_f64())
                        .sum();
                    if accumulate {
                        want += before[at(&vc, r, col)].to_f64();
                    }
                    let got = c[at(&vc, r, col)].to_f64();
                    assert!(
                        (got - want).abs() <= tolerance * (k as f64).sqrt(),
                        "{m}×{k}×{n}, layout {}, accumulate {accumulate}: c[{r},{col}] = {got}, want {want}",
                        layout & 7
                    );
                }
            }
            assert_eq!(
                c[..vc.offset],
                before[..vc.offset],
                "the slots before c are left alone"
            );
        }
    }

    #[test]
    fn random_products_match_the_definition_in_f64() {
        random_products::<f64>(1e-13);
    }

    #[test]
    fn random_products_match_the_definition_in_f32() {
        random_products::<f32>(1e-5);
    }

    #[test]
    #[should_panic(expected = "inside its slice")]
    fn a_view_past_its_slice_is_refused() {
        let a = [1.0; 3];
        let mut c = [0.0; 4];
        let b = [1.0; 2];
        gemm::<f64>(
            &a,
            Strided::row_major(2, 2),
            &b,
            Strided::row_major(2, 1),
            &mut c,
            Strided::row_major(2, 1),
            false,
        );
    }

    #[test]
    #[should_panic(expected = "overlaps itself")]
    fn an_overlapping_destination_is_refused() {
        let a = [1.0; 4];
        let mut c = [0.0; 4];
        let view = Strided {
            offset: 0,
            rows: 2,
            cols: 2,
            row_stride: 1,
            col_stride: 1,
        };
        gemm(
            &a,
            Strided::row_major(2, 2),
            &a.clone(),
            Strided::row_major(2, 2),
            &mut c,
            view,
            false,
        );
    }
}
