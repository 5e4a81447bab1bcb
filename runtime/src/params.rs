//! [`ParamVector`]: every param of a generated network as one vector, so that an optimizer
//! can step any network's `Params` without knowing its fields.

use crate::Float;

/// All params of a network, in declaration order, each array row-major (the order of
/// `Params::to_vec`). Every `Params` that `network!` generates implements it.
///
/// A scalar param is a slice of one element; an array param is its elements, contiguous.
///
/// ```
/// use symdiff_runtime::ParamVector;
/// #[derive(Clone, Debug, PartialEq)]
/// struct P { a: f64, w: Vec<[f64; 2]> }
/// impl ParamVector for P {
///     type Float = f64;
///     const LEN: usize = 5;
///     fn slices(&self) -> impl Iterator<Item = &[f64]> {
///         [std::slice::from_ref(&self.a), self.w.as_flattened()].into_iter()
///     }
///     fn slices_mut(&mut self) -> impl Iterator<Item = &mut [f64]> {
///         [std::slice::from_mut(&mut self.a), self.w.as_flattened_mut()].into_iter()
///     }
///     fn zeros() -> Self { P { a: 0.0, w: vec![[0.0; 2]; 2] } }
/// }
/// let mut p = P::zeros();
/// p.set_from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0]);
/// assert_eq!(p.w[1][0], 4.0);
/// assert_eq!(p.flat_vec(), vec![1.0, 2.0, 3.0, 4.0, 5.0]);
/// ```
pub trait ParamVector: Clone {
    /// The element type.
    type Float: Float;
    /// The number of scalars.
    const LEN: usize;
    /// Each param's values, in declaration order.
    fn slices(&self) -> impl Iterator<Item = &[Self::Float]>;
    /// Each param's values, in declaration order, to update in place.
    fn slices_mut(&mut self) -> impl Iterator<Item = &mut [Self::Float]>;
    /// Every param zero.
    fn zeros() -> Self;

    /// All values as one vector.
    fn flat_vec(&self) -> Vec<Self::Float> {
        let mut v = Vec::with_capacity(Self::LEN);
        for s in self.slices() {
            v.extend_from_slice(s);
        }
        v
    }

    /// Overwrites every value from one vector in [`ParamVector::flat_vec`]'s order.
    ///
    /// Panics, naming the expected length, unless `values` has exactly [`ParamVector::LEN`].
    fn set_from_slice(&mut self, values: &[Self::Float]) {
        assert_eq!(
            values.len(),
            Self::LEN,
            "a params vector of this network has {} values, not {}",
            Self::LEN,
            values.len()
        );
        let mut rest = values;
        for s in self.slices_mut() {
            let (head, tail) = rest.split_at(s.len());
            s.copy_from_slice(head);
            rest = tail;
        }
    }

    /// `self[i] = f(self[i], other[i])` for every value (an update from a gradient).
    fn zip_apply(
        &mut self,
        other: &Self,
        mut f: impl FnMut(Self::Float, Self::Float) -> Self::Float,
    ) {
        for (mine, theirs) in self.slices_mut().zip(other.slices()) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                *m = f(*m, *t);
            }
        }
    }
}
