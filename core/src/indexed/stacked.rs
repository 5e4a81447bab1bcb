//! Rows given array by array ("stacked"): for each input or target array, its numbers for
//! every row, one row after another, as a table of training data holds them. The batched
//! evaluator reads such rows where they lie, so a training loop passes a batch of consecutive
//! rows without copying it and without building one [`ArrayValues`](super::ArrayValues) per
//! row.

use crate::dag::Symbol;

/// `rows` rows, each array's numbers for all of them one row after another (row-major: row
/// `r` of an array of `size` numbers is `values[r·size..(r+1)·size]`).
///
/// ```
/// use symdiff_core::indexed::StackedRows;
/// use symdiff_core::Dag;
/// let mut dag = Dag::new();
/// let (x, t) = (dag.symbol_of("x"), dag.symbol_of("t"));
/// let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]; // three rows of x[2]
/// let ts = [0.0, 1.0, 1.0]; // three rows of t
/// let rows = StackedRows::new(3).with(x, &xs).with(t, &ts);
/// assert_eq!(rows.rows(), 3);
/// assert_eq!(rows.row_of(x, 1), Some(&[3.0, 4.0][..]));
/// assert_eq!(rows.slice(1, 3).row_of(t, 0), Some(&[1.0][..]));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StackedRows<'a> {
    rows: usize,
    arrays: Vec<(Symbol, &'a [f64])>,
}

impl<'a> StackedRows<'a> {
    /// `rows` rows without arrays yet.
    pub fn new(rows: usize) -> StackedRows<'a> {
        StackedRows {
            rows,
            arrays: Vec::new(),
        }
    }

    /// Adds an array's numbers for every row (replacing what was given for it).
    pub fn with(mut self, array: Symbol, values: &'a [f64]) -> StackedRows<'a> {
        self.arrays.retain(|a| a.0 != array);
        self.arrays.push((array, values));
        self
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The arrays given, with all their rows' numbers.
    pub fn arrays(&self) -> &[(Symbol, &'a [f64])] {
        &self.arrays
    }

    /// Numbers per row of each array (`None` for an array whose length is not a multiple of
    /// the rows, or when there are no rows).
    pub(crate) fn row_sizes(&self) -> Option<Vec<(Symbol, usize)>> {
        if self.rows == 0 {
            return None;
        }
        self.arrays
            .iter()
            .map(|&(a, v)| (v.len() % self.rows == 0).then_some((a, v.len() / self.rows)))
            .collect()
    }

    /// Row `row` of `array`, when it is given and the row exists.
    pub fn row_of(&self, array: Symbol, row: usize) -> Option<&'a [f64]> {
        let &(_, values) = self.arrays.iter().find(|a| a.0 == array)?;
        if row >= self.rows || values.len() % self.rows != 0 {
            return None;
        }
        let size = values.len() / self.rows;
        Some(&values[row * size..(row + 1) * size])
    }

    /// Rows `start..end` (clamped to the rows there are), still without copying.
    pub fn slice(&self, start: usize, end: usize) -> StackedRows<'a> {
        let end = end.min(self.rows);
        let start = start.min(end);
        let arrays = self
            .arrays
            .iter()
            .map(|&(a, v)| {
                let size = v.len().checked_div(self.rows).unwrap_or(0);
                (a, &v[start * size..end * size])
            })
            .collect();
        StackedRows {
            rows: end - start,
            arrays,
        }
    }
}
