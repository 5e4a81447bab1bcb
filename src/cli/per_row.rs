//! `eval --data FILE.csv --per-row`: one line per row of the table instead of the sum, as CSV
//! (text format) or a JSON list. A scalar network's row shows every vertex (inputs, targets,
//! params, definitions); an indexed network's row shows its output's elements and its loss.

use super::indexed::values::Values;
use super::{json, Failure, Format};
use serde_json::{json, Map, Value};
use symdiff::core::indexed::{element_name, positions, IndexedAnalysis};
use symdiff::core::{Analysis, Point};

/// A table of named columns, one row of numbers per data row.
struct PerRow {
    columns: Vec<String>,
    rows: Vec<Vec<f64>>,
}

impl PerRow {
    fn render(&self, format: Format) -> Result<String, Failure> {
        match format {
            Format::Text => {
                let fail = |e: csv::Error| Failure(format!("error: cannot write the table: {e}"));
                let mut writer = csv::Writer::from_writer(Vec::new());
                let mut header = vec!["row".to_string()];
                header.extend(self.columns.iter().cloned());
                writer.write_record(&header).map_err(fail)?;
                for (k, row) in self.rows.iter().enumerate() {
                    let mut record = vec![(k + 1).to_string()];
                    record.extend(row.iter().map(f64::to_string));
                    writer.write_record(&record).map_err(fail)?;
                }
                let bytes = writer
                    .into_inner()
                    .map_err(|e| Failure(format!("error: cannot write the table: {e}")))?;
                Ok(String::from_utf8(bytes).expect("the table is UTF-8"))
            }
            Format::Json => {
                let rows: Vec<Value> = self
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(k, row)| {
                        let mut object = Map::new();
                        object.insert("row".into(), json!(k + 1));
                        for (name, &v) in self.columns.iter().zip(row) {
                            object.insert(name.clone(), super::number::json(v));
                        }
                        Value::Object(object)
                    })
                    .collect();
                Ok(json::pretty(&json!({ "rows": rows })))
            }
        }
    }
}

/// Every vertex of a scalar model at each point (one per data row).
pub fn scalar(analysis: &Analysis, points: &[Point], format: Format) -> Result<String, Failure> {
    let model = &analysis.model;
    let mut symbols = model.leaves();
    symbols.extend(model.definitions().iter().map(|&(s, _)| s));
    let columns = symbols
        .iter()
        .map(|&s| model.name_of(s).to_string())
        .collect();
    let rows = points
        .iter()
        .map(|p| {
            let e = analysis.evaluate(p);
            symbols.iter().map(|&s| e.point.get(s)).collect()
        })
        .collect();
    PerRow { columns, rows }.render(format)
}

/// An indexed network's output elements and loss at each data row.
pub fn indexed(
    analysis: &IndexedAnalysis,
    values: &Values,
    format: Format,
) -> Result<String, Failure> {
    let model = &analysis.model;
    let output = model.output();
    let loss = analysis.derivation.of;
    let mut columns: Vec<String> = match output {
        Some(o) => positions(&model.shape(o))
            .iter()
            .map(|p| element_name(model.dag.name(o), p))
            .collect(),
        None => Vec::new(),
    };
    columns.push(model.dag.name(loss).to_string());
    let rows = values
        .rows
        .iter()
        .map(|row| {
            let mut all = values.shared.clone();
            all.extend(row);
            let e = analysis.evaluate(&all);
            let mut out: Vec<f64> = output
                .and_then(|o| e.values.get(o))
                .map_or(Vec::new(), <[f64]>::to_vec);
            out.push(e.loss);
            out
        })
        .collect();
    PerRow { columns, rows }.render(format)
}
