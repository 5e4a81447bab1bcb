//! `--data FILE.csv`: a header row of names, then one row of numbers per training example, read
//! through the `csv` crate (quoted fields, CRLF line ends; lines starting with `#` are
//! comments). Every error names the file, and a bad cell its row and column.

use super::Failure;
use std::path::Path;

/// A numeric table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The header's names.
    pub columns: Vec<String>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<f64>>,
}

impl Table {
    /// The position of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// Reads a CSV file.
pub fn read(path: &Path) -> Result<Table, Failure> {
    let shown = path.display().to_string();
    let text =
        std::fs::read(path).map_err(|e| Failure(format!("error: cannot read {shown}: {e}")))?;
    parse(&shown, &text)
}

/// Parses CSV text. Errors: an empty file (no header), a header without rows, a name given
/// twice in the header, a row with another number of cells than the header (ragged), and a
/// cell that is not a finite number (named by its row, counted from 1 after the header, its
/// line, and its column's name).
pub fn parse(shown: &str, text: &[u8]) -> Result<Table, Failure> {
    let fail = |message: String| Failure(format!("error: {shown}: {message}"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .flexible(false)
        .from_reader(text);
    let header = reader.headers().map_err(|e| fail(describe(&e)))?.clone();
    let columns: Vec<String> = header.iter().map(str::to_string).collect();
    if columns.is_empty() || columns.iter().all(String::is_empty) {
        return Err(fail(
            "empty table: expected a header row of names".to_string(),
        ));
    }
    for (k, name) in columns.iter().enumerate() {
        if name.is_empty() {
            return Err(fail(format!("column {} of the header has no name", k + 1)));
        }
        if columns[..k].contains(name) {
            return Err(fail(format!("column `{name}` appears twice in the header")));
        }
    }
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| fail(describe(&e)))?;
        // Blank lines are skipped by the reader; a line of only commas is a row of empty cells.
        let line = record.position().map_or(0, |p| p.line());
        let row: Result<Vec<f64>, String> = record
            .iter()
            .zip(&columns)
            .map(|(cell, name)| match cell.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(format!(
                    "row {} (line {line}), column `{name}`: expected a finite number, found `{cell}`",
                    k + 1
                )),
            })
            .collect();
        rows.push(row.map_err(fail)?);
    }
    if rows.is_empty() {
        return Err(fail("the table has a header but no rows".to_string()));
    }
    Ok(Table { columns, rows })
}

/// The csv crate's error in our words.
fn describe(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            let row = pos.as_ref().map_or(0, |p| p.record());
            format!(
                "row {row} (line {line}) has {len} value{}, expected {expected_len} (one per column of the header)",
                if *len == 1 { "" } else { "s" }
            )
        }
        csv::ErrorKind::Utf8 { pos, .. } => {
            let line = pos.as_ref().map_or(0, |p| p.line());
            format!("line {line} is not valid UTF-8")
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse("d.csv", text.as_bytes()).unwrap_err().0
    }

    #[test]
    fn tables_parse_by_header() {
        let t = parse("d.csv", b"x1, x2,t\r\n3,1,-1\n\n# a comment\n4,3,\"1\"\n").unwrap();
        assert_eq!(t.columns, ["x1", "x2", "t"]);
        assert_eq!(t.rows, [[3.0, 1.0, -1.0], [4.0, 3.0, 1.0]]);
        assert_eq!(t.column("t"), Some(2));
    }

    #[test]
    fn a_bad_cell_is_named_by_row_and_column() {
        assert_eq!(
            error("x1,x2\n1,2\n3,oops\n"),
            "error: d.csv: row 2 (line 3), column `x2`: expected a finite number, found `oops`"
        );
        assert!(error("x1,x2\n1,inf\n").contains("found `inf`"));
        assert!(error("x1,x2\n1,\n").contains("column `x2`: expected a finite number, found ``"));
    }

    #[test]
    fn ragged_rows_empty_files_and_bare_headers_are_errors() {
        assert_eq!(
            error("x1,x2\n1,2\n1\n"),
            "error: d.csv: row 2 (line 3) has 1 value, expected 2 (one per column of the header)"
        );
        assert_eq!(
            error(""),
            "error: d.csv: empty table: expected a header row of names"
        );
        assert_eq!(
            error("x1,x2\n"),
            "error: d.csv: the table has a header but no rows"
        );
        assert_eq!(
            error("x,y,x\n1,2,3\n"),
            "error: d.csv: column `x` appears twice in the header"
        );
    }
}
