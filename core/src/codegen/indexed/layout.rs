//! Where values live in a generated kernel: every array is a flat slice (a param's row-major
//! elements, the `x`/`t` rows of a batch, a definition's buffer), read through a position
//! `offset + r·row + Σ index·stride` whose strides are all known when the code is written;
//! only the number of rows `n` is a run-time value.

use crate::dag::Symbol;
use crate::hash::FxHashMap;
use std::fmt::Write;

/// Where an array's values lie: a slice, the position of its first element, and, when it has
/// one value per row, the distance between rows.
#[derive(Clone, Debug)]
pub(super) struct Store {
    /// The slice's identifier (`p_w1`, `x`, `v_h`, `d_h`).
    pub slice: String,
    /// The position of element 0 (an input's place within a row of `x`).
    pub base: usize,
    /// The distance between two rows; `None` for one value shared by every row (a param).
    pub row: Option<usize>,
}

/// An operand read (or written) in place: element `(i₁, i₂, ...)` at
/// `offset + Σ iₖ·strideₖ`, the batch index among the axes when it has rows.
#[derive(Clone, Debug)]
pub(super) struct View {
    /// The slice's identifier.
    pub slice: String,
    /// The position of the element with every index 0.
    pub offset: usize,
    /// One axis per distinct index, its stride.
    pub axes: Vec<(Symbol, usize)>,
}

impl View {
    /// The view of `store` through an element's constant offset and index axes.
    pub fn of(store: &Store, batch: Symbol, offset: usize, axes: &[(Symbol, usize)]) -> View {
        let mut all = Vec::with_capacity(axes.len() + 1);
        if let Some(row) = store.row {
            all.push((batch, row));
        }
        all.extend_from_slice(axes);
        View {
            slice: store.slice.clone(),
            offset: store.base + offset,
            axes: all,
        }
    }

    /// Whether `index` is one of the axes.
    pub fn has(&self, index: Symbol) -> bool {
        self.axes.iter().any(|&(i, _)| i == index)
    }

    /// The stride of `index` (0 when it is not an axis).
    pub fn stride(&self, index: Symbol) -> usize {
        self.axes
            .iter()
            .find(|&&(i, _)| i == index)
            .map_or(0, |&(_, s)| s)
    }

    /// `slice[offset + i_j * 3 + i_i]`.
    pub fn read(&self, loops: &Loops) -> String {
        format!("{}[{}]", self.slice, self.position(loops))
    }

    /// `offset + i_j * 3 + i_i` (`0` when there is nothing to add).
    pub fn position(&self, loops: &Loops) -> String {
        let mut text = String::new();
        for &(index, stride) in &self.axes {
            if !text.is_empty() {
                text.push_str(" + ");
            }
            text.push_str(loops.var(index));
            if stride != 1 {
                let _ = write!(text, " * {stride}");
            }
        }
        if self.offset != 0 || text.is_empty() {
            if !text.is_empty() {
                text.push_str(" + ");
            }
            let _ = write!(text, "{}", self.offset);
        }
        text
    }
}

/// The loop variable and extent of every index: `r` over `0..n` for the rows, `i_j` over
/// `0..3` for an index `j` of extent 3.
#[derive(Clone, Debug, Default)]
pub(super) struct Loops {
    vars: FxHashMap<Symbol, (String, Option<usize>)>,
}

impl Loops {
    /// Names `index` (extent `None`: the rows, `0..n`).
    pub fn add(&mut self, index: Symbol, var: String, extent: Option<usize>) {
        self.vars.insert(index, (var, extent));
    }

    /// The loop variable of `index`.
    pub fn var(&self, index: Symbol) -> &str {
        &self.vars[&index].0
    }

    /// The extent's text: `n` for the rows, else the number.
    pub fn extent(&self, index: Symbol) -> String {
        match self.vars[&index].1 {
            Some(e) => e.to_string(),
            None => "n".to_string(),
        }
    }

    /// The extent when it is known before run time.
    pub fn fixed(&self, index: Symbol) -> Option<usize> {
        self.vars[&index].1
    }

    /// `n * 12` (or `12`, or `n`): the number of elements over `indices`.
    pub fn size(&self, indices: &[Symbol]) -> String {
        let fixed: usize = indices.iter().filter_map(|&i| self.fixed(i)).product();
        let rows = indices.iter().any(|&i| self.fixed(i).is_none());
        match (rows, fixed) {
            (true, 1) => "n".to_string(),
            (true, f) => format!("n * {f}"),
            (false, f) => f.to_string(),
        }
    }

    /// A row-major layout over `indices` (the rows, when present, first and outermost).
    pub fn row_major(&self, slice: &str, indices: &[Symbol]) -> View {
        let mut stride = 1;
        let mut axes = Vec::with_capacity(indices.len());
        for &i in indices.iter().rev() {
            axes.push((i, stride));
            stride *= self.fixed(i).unwrap_or(1);
        }
        axes.reverse();
        View {
            slice: slice.to_string(),
            offset: 0,
            axes,
        }
    }

    /// `for i_j in 0..3 {` per index, outermost first.
    pub fn open(&self, out: &mut String, indices: &[Symbol]) {
        for &i in indices {
            let _ = writeln!(out, "for {} in 0..{} {{", self.var(i), self.extent(i));
        }
    }

    /// The closing braces of [`Loops::open`].
    pub fn close(out: &mut String, indices: &[Symbol]) {
        for _ in indices {
            out.push_str("}\n");
        }
    }
}
