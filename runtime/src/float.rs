//! [`Float`]: `f32` or `f64`, what generated code and the optimizers compute in.

use std::fmt::{Debug, Display};
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

/// A floating-point type generated code may use: `f32` or `f64` (sealed).
///
/// ```
/// use symdiff_runtime::Float;
/// fn half<F: Float>(x: F) -> F { x * F::from_f64(0.5) }
/// assert_eq!(half(3.0f32), 1.5);
/// assert_eq!(half(3.0f64).to_f64(), 1.5);
/// ```
pub trait Float:
    Copy
    + Debug
    + Display
    + Default
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Send
    + Sync
    + 'static
    + sealed::Sealed
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// Not a number.
    const NAN: Self;
    /// -∞.
    const NEG_INFINITY: Self;
    /// The nearest value of this type.
    fn from_f64(v: f64) -> Self;
    /// The value as `f64` (exact).
    fn to_f64(self) -> f64;
    /// The square root.
    fn sqrt(self) -> Self;
    /// `self^n`.
    fn powi(self, n: i32) -> Self;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
    /// `e^self`.
    fn exp(self) -> Self;
    /// The natural logarithm.
    fn ln(self) -> Self;
    /// `c ← a·b + β·c` (β 0 or 1) through `matrixmultiply` (`sgemm` or `dgemm`), or the `gemm`
    /// crate with the `gemm` feature, raw strides.
    ///
    /// # Safety
    /// As `matrixmultiply::dgemm` and `gemm::gemm`: every element read or written lies inside
    /// its allocation, and `c` overlaps neither `a` nor `b`. [`crate::matmul::gemm`] checks all
    /// of it.
    #[allow(clippy::too_many_arguments)]
    #[doc(hidden)]
    unsafe fn raw_gemm(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    );
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

macro_rules! float_impl {
    ($ty:ty, $gemm:ident) => {
        impl Float for $ty {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const NAN: Self = <$ty>::NAN;
            const NEG_INFINITY: Self = <$ty>::NEG_INFINITY;
            fn from_f64(v: f64) -> Self {
                v as $ty
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn sqrt(self) -> Self {
                <$ty>::sqrt(self)
            }
            fn powi(self, n: i32) -> Self {
                <$ty>::powi(self, n)
            }
            fn is_finite(self) -> bool {
                <$ty>::is_finite(self)
            }
            fn is_nan(self) -> bool {
                <$ty>::is_nan(self)
            }
            fn exp(self) -> Self {
                <$ty>::exp(self)
            }
            fn ln(self) -> Self {
                <$ty>::ln(self)
            }
            unsafe fn raw_gemm(
                m: usize,
                k: usize,
                n: usize,
                a: *const Self,
                rsa: isize,
                csa: isize,
                b: *const Self,
                rsb: isize,
                csb: isize,
                beta: Self,
                c: *mut Self,
                rsc: isize,
                csc: isize,
            ) {
                // SAFETY: the caller's contract is that of both crates' products.
                #[cfg(not(feature = "gemm"))]
                unsafe {
                    matrixmultiply::$gemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc)
                }
                // `gemm` computes `c ← α·c + β·a·b`, reading `c` only when told to (so that a
                // fresh destination's contents, NaN or not, never enter the result).
                #[cfg(feature = "gemm")]
                unsafe {
                    let accumulate = beta != 0.0;
                    gemm::gemm(
                        m,
                        n,
                        k,
                        c,
                        csc,
                        rsc,
                        accumulate,
                        a,
                        csa,
                        rsa,
                        b,
                        csb,
                        rsb,
                        beta,
                        1.0,
                        false,
                        false,
                        false,
                        gemm::Parallelism::None,
                    )
                }
            }
        }
    };
}

float_impl!(f32, sgemm);
float_impl!(f64, dgemm);
