//! Minibatches as `symdiff train` makes them: each epoch a seeded shuffle of the rows, cut into
//! consecutive batches (the last one shorter when the rows do not divide evenly), so a Rust
//! training loop over generated code can take exactly the same batches as the command.

use crate::init::Stream;

/// The order of the rows in epoch `epoch` (counted from 1): a permutation of `0..rows` drawn
/// from the stream of `(seed, "epoch {epoch}")`. Each epoch has a stream of its own, so epoch
/// 7's order does not depend on how many epochs ran before.
///
/// ```
/// use symdiff_runtime::batches::epoch_order;
/// let order = epoch_order(5, 0, 1);
/// assert_eq!(order.len(), 5);
/// assert_eq!(order, epoch_order(5, 0, 1)); // the same seed, the same order
/// assert_ne!(order, epoch_order(5, 0, 2)); // another epoch, another order
/// ```
pub fn epoch_order(rows: usize, seed: u64, epoch: usize) -> Vec<usize> {
    shuffled(rows, seed, &format!("epoch {epoch}"))
}

/// A permutation of `0..rows` from the stream of `(seed, name)` (Fisher–Yates over
/// xoshiro256**, unbiased bounded draws), the same on every platform.
///
/// ```
/// let order = symdiff_runtime::batches::shuffled(4, 1, "validation split");
/// let mut sorted = order.clone();
/// sorted.sort();
/// assert_eq!(sorted, [0, 1, 2, 3]);
/// ```
pub fn shuffled(rows: usize, seed: u64, name: &str) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows).collect();
    Stream::new(seed, name).shuffle(&mut order);
    order
}

/// The batches of one epoch: [`epoch_order`] cut into runs of `batch_size` rows (the last may
/// be shorter). When one batch holds every row (`batch_size >= rows`, full-batch training), it
/// is the rows in their own order, not shuffled: the mean over a batch does not depend on the
/// order, and consecutive rows are read where they lie, without being gathered into a copy.
///
/// Panics when `batch_size` is 0.
///
/// ```
/// use symdiff_runtime::batches::epoch_batches;
/// let batches = epoch_batches(5, 2, 0, 1);
/// assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
/// assert_eq!(epoch_batches(5, 5, 0, 1), [[0, 1, 2, 3, 4]]); // full batch: in order
/// ```
pub fn epoch_batches(rows: usize, batch_size: usize, seed: u64, epoch: usize) -> Vec<Vec<usize>> {
    assert!(batch_size > 0, "a batch holds at least one row");
    if batch_size >= rows {
        return vec![(0..rows).collect()];
    }
    epoch_order(rows, seed, epoch)
        .chunks(batch_size)
        .map(<[usize]>::to_vec)
        .collect()
}

/// The rows `rows` of a row-major table `data` of `width` numbers per row, one after another
/// (the `x` or `t` of a batch for `gradient_batch`).
///
/// ```
/// use symdiff_runtime::batches::gather_rows;
/// let data = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // three rows of two
/// assert_eq!(gather_rows(&data, 2, &[2, 0]), [5.0, 6.0, 1.0, 2.0]);
/// ```
pub fn gather_rows<F: Copy>(data: &[F], width: usize, rows: &[usize]) -> Vec<F> {
    let mut out = Vec::with_capacity(rows.len() * width);
    for &r in rows {
        out.extend_from_slice(&data[r * width..(r + 1) * width]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_in_exactly_one_batch() {
        for (rows, size) in [(10, 3), (7, 7), (7, 100), (1, 1)] {
            let mut seen: Vec<usize> = epoch_batches(rows, size, 42, 3).concat();
            seen.sort();
            assert_eq!(seen, (0..rows).collect::<Vec<_>>());
        }
    }

    #[test]
    fn orders_are_pinned() {
        // The shuffle is part of the contract between `symdiff train` and Rust training loops.
        assert_eq!(epoch_order(8, 0, 1), [4, 1, 7, 3, 2, 0, 5, 6]);
    }
}
