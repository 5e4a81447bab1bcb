//! A `--data` table laid out for a network: each row's inputs, then its targets, as two
//! row-major matrices in declaration order (arrays element by element, row-major) — the layout of
//! generated code's `gradient_batch(p, x, t)`. Columns are matched by header name; the others
//! are ignored with one warning naming them.

use super::data::{self, Table};
use super::Failure;
use std::path::Path;
use symdiff::core::indexed::ArrayValues;

/// The columns a network reads: its inputs and its targets, in the order of the matrices.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Input column names (`x_t`, or `x[1]`, `x[2]`, ... for an array).
    pub inputs: Vec<String>,
    /// Target column names.
    pub targets: Vec<String>,
}

/// Whether the targets must be in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targets {
    /// Training: every target column is needed.
    Required,
    /// Prediction: all target columns or none.
    Optional,
}

/// Rows of inputs and targets.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// The number of rows.
    pub rows: usize,
    /// Inputs, `rows × inputs.len()`, row-major.
    pub x: Vec<f64>,
    /// Targets, `rows × targets.len()`, row-major; `None` when the table has none.
    pub t: Option<Vec<f64>>,
    /// Numbers per row of `x`.
    pub x_width: usize,
    /// Numbers per row of `t`.
    pub t_width: usize,
    /// Each input and target array's numbers for every row, one row after another, as the
    /// indexed evaluator reads them (filled by the indexed learner; empty for scalar networks).
    pub stacked: ArrayValues,
}

impl Dataset {
    /// Row `r`'s inputs.
    pub fn x_row(&self, r: usize) -> &[f64] {
        &self.x[r * self.x_width..(r + 1) * self.x_width]
    }

    /// Row `r`'s targets, when the table has them.
    pub fn t_row(&self, r: usize) -> Option<&[f64]> {
        let t = self.t.as_ref()?;
        Some(&t[r * self.t_width..(r + 1) * self.t_width])
    }

    /// The rows `rows`, in that order.
    pub fn subset(&self, rows: &[usize]) -> Dataset {
        let gather = |m: &[f64], w| symdiff::runtime::batches::gather_rows(m, w, rows);
        Dataset {
            rows: rows.len(),
            x: gather(&self.x, self.x_width),
            t: self.t.as_ref().map(|t| gather(t, self.t_width)),
            x_width: self.x_width,
            t_width: self.t_width,
            stacked: {
                let mut stacked = ArrayValues::new();
                for array in self.stacked.symbols() {
                    let values = self.stacked.get(array).unwrap_or(&[]);
                    stacked.set(array, gather(values, values.len() / self.rows.max(1)));
                }
                stacked
            },
        }
    }
}

/// Reads `path` and picks the layout's columns.
pub fn read(path: &Path, layout: &Layout, targets: Targets) -> Result<Dataset, Failure> {
    let table = data::read(path)?;
    from_table(&path.display().to_string(), &table, layout, targets)
}

/// Picks the layout's columns out of a table: an error names the columns it lacks (and what
/// it has), a warning the columns nobody reads.
pub fn from_table(
    shown: &str,
    table: &Table,
    layout: &Layout,
    targets: Targets,
) -> Result<Dataset, Failure> {
    let inputs = positions(shown, table, &layout.inputs, "input")?;
    let present = layout
        .targets
        .iter()
        .filter(|c| table.column(c).is_some())
        .count();
    let target_positions = match (targets, present) {
        (Targets::Optional, 0) => None,
        _ => Some(positions(shown, table, &layout.targets, "target")?),
    };
    let unused: Vec<String> = table
        .columns
        .iter()
        .filter(|c| !layout.inputs.contains(c) && !layout.targets.contains(c))
        .map(|c| format!("`{c}`"))
        .collect();
    if !unused.is_empty() {
        eprintln!(
            "warning: {shown}: ignoring column{} {}, which the network does not read",
            if unused.len() == 1 { "" } else { "s" },
            unused.join(", ")
        );
    }
    let gather = |cols: &[usize]| -> Vec<f64> {
        let mut out = Vec::with_capacity(cols.len() * table.rows.len());
        for row in &table.rows {
            out.extend(cols.iter().map(|&c| row[c]));
        }
        out
    };
    Ok(Dataset {
        rows: table.rows.len(),
        x: gather(&inputs),
        t: target_positions.as_deref().map(gather),
        x_width: layout.inputs.len(),
        t_width: layout.targets.len(),
        stacked: ArrayValues::new(),
    })
}

/// The position of each named column, or an error naming the first ones missing.
fn positions(
    shown: &str,
    table: &Table,
    names: &[String],
    what: &str,
) -> Result<Vec<usize>, Failure> {
    let missing: Vec<String> = names
        .iter()
        .filter(|n| table.column(n).is_none())
        .map(|n| format!("`{n}`"))
        .collect();
    if missing.is_empty() {
        return Ok(names.iter().filter_map(|n| table.column(n)).collect());
    }
    let shown_missing = match missing.len() {
        n if n > 6 => format!("{}, ... ({n} in all)", missing[..5].join(", ")),
        _ => missing.join(", "),
    };
    let has: Vec<String> = table.columns.iter().map(|c| format!("`{c}`")).collect();
    let has = match has.len() {
        n if n > 12 => format!("{}, ... ({n} in all)", has[..10].join(", ")),
        _ => has.join(", "),
    };
    Err(Failure(format!(
        "error: {shown} has no column for {what}{} {shown_missing} (its columns: {has})",
        if missing.len() == 1 { "" } else { "s" },
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            inputs: vec!["x[1]".into(), "x[2]".into()],
            targets: vec!["t".into()],
        }
    }

    fn table(text: &str) -> Table {
        data::parse("d.csv", text.as_bytes()).unwrap()
    }

    #[test]
    fn columns_are_matched_by_name_in_any_order() {
        let t = table("t,id,x[2],x[1]\n1,7,2,3\n0,8,5,6\n");
        let d = from_table("d.csv", &t, &layout(), Targets::Required).unwrap();
        assert_eq!(d.x, [3.0, 2.0, 6.0, 5.0]);
        assert_eq!(d.t, Some(vec![1.0, 0.0]));
        assert_eq!(d.x_row(1), [6.0, 5.0]);
        let s = d.subset(&[1]);
        assert_eq!((s.rows, s.x, s.t), (1, vec![6.0, 5.0], Some(vec![0.0])));
    }

    #[test]
    fn a_missing_column_is_named() {
        let t = table("x[1],t\n1,2\n");
        let e = from_table("d.csv", &t, &layout(), Targets::Required).unwrap_err();
        assert_eq!(
            e.0,
            "error: d.csv has no column for input `x[2]` (its columns: `x[1]`, `t`)"
        );
        let t = table("x[1],x[2]\n1,2\n");
        let d = from_table("d.csv", &t, &layout(), Targets::Optional).unwrap();
        assert_eq!(d.t, None);
        assert!(from_table("d.csv", &t, &layout(), Targets::Required).is_err());
    }
}
