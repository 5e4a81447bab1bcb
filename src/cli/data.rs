//! `--data FILE.csv`: a header row of names, then one row of numbers per training example.

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

/// Reads a CSV file; blank lines and lines starting with `#` are skipped.
pub fn read(path: &Path) -> Result<Table, Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("error: cannot read {shown}: {e}")))?;
    parse(&shown, &text)
}

/// Parses CSV text; errors name the file, line and column.
pub fn parse(shown: &str, text: &str) -> Result<Table, Failure> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let Some((_, header)) = lines.next() else {
        return Err(Failure(format!(
            "error: {shown}: empty table: expected a header row of names"
        )));
    };
    let columns: Vec<String> = header.split(',').map(|c| c.trim().to_string()).collect();
    let mut rows = Vec::new();
    for (line, content) in lines {
        let cells: Vec<&str> = content.split(',').map(str::trim).collect();
        if cells.len() != columns.len() {
            return Err(Failure(format!(
                "error: {shown}:{line}: expected {} values (one per column of the header), found {}",
                columns.len(),
                cells.len()
            )));
        }
        let mut row = Vec::with_capacity(cells.len());
        let mut column = 1;
        for cell in cells {
            match cell.parse::<f64>() {
                Ok(v) if v.is_finite() => row.push(v),
                _ => {
                    return Err(Failure(format!(
                        "error: {shown}:{line}:{column}: expected a finite number, found `{cell}`"
                    )))
                }
            }
            column += cell.len() + 1;
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(Failure(format!(
            "error: {shown}: the table has a header but no rows"
        )));
    }
    Ok(Table { columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_errors_name_the_line() {
        let t = parse("d.csv", "x1,x2,t\n3,1,-1\n\n4,3,1\n").unwrap();
        assert_eq!(t.columns, ["x1", "x2", "t"]);
        assert_eq!(t.rows, [[3.0, 1.0, -1.0], [4.0, 3.0, 1.0]]);
        let e = parse("d.csv", "x1,x2\n1,2\n3,oops\n").unwrap_err();
        assert_eq!(
            e.0,
            "error: d.csv:3:3: expected a finite number, found `oops`"
        );
        assert!(parse("d.csv", "x1,x2\n1\n")
            .unwrap_err()
            .0
            .contains("d.csv:2"));
    }
}
