//! `symdiff predict FILE --params P.json --data FILE.csv`: a trained network's outputs for
//! every row of a table, with the targets and the row's loss when the table has the target
//! columns, as CSV (metrics on stderr after the table) or one JSON object (metrics inside).

use super::dataset::{self, Targets};
use super::learner::Learner;
use super::metrics::{self, short};
use super::{load, Failure, Selection};
use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// How `predict` prints.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PredictFormat {
    /// A CSV table, one line per row (metrics on stderr).
    Csv,
    /// One JSON object: `rows` (one object per row) and `metrics`.
    Json,
}

/// `symdiff predict`'s arguments.
#[derive(Args, Debug)]
pub struct PredictArgs {
    /// The `.sd` file.
    pub file: PathBuf,
    /// The params, as `train --save` writes them; params it leaves out take the file's
    /// initial values.
    #[arg(long, value_name = "P.json")]
    pub params: PathBuf,
    /// The table: a header row naming the inputs (and, for a loss per row, the targets).
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PredictFormat::Csv)]
    pub format: PredictFormat,
    /// The seed of the file's random initializers (for params the params file leaves out).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// The network when the file holds several (default: the first).
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
}

/// One row's numbers.
pub struct Row {
    /// The outputs.
    pub outputs: Vec<f64>,
    /// The targets, when the table has them.
    pub targets: Option<Vec<f64>>,
    /// The loss, when the table has targets.
    pub loss: Option<f64>,
}

/// Runs `predict`.
pub fn run(args: &PredictArgs) -> Result<String, Failure> {
    let selection = Selection {
        of: None,
        wrt: None,
        network: args.network.clone(),
    };
    let mut learner = Learner::new(load::network(&args.file, &selection)?)?;
    let seed = args.seed.unwrap_or(symdiff::core::indexed::DEFAULT_SEED);
    let params = super::train::initial_params(&learner, Some(&args.params), seed)?;
    let shape = learner.shape().clone();
    let mut data = dataset::read(&args.data, &shape.layout, Targets::Optional)?;
    learner.prepare(&mut data);
    let rows: Vec<Row> = (0..data.rows)
        .map(|r| {
            let (outputs, loss) = learner.row(&params, &data, r);
            let targets = data.t_row(r).map(<[f64]>::to_vec);
            let loss = targets.as_ref().map(|_| loss);
            Row {
                outputs,
                targets,
                loss,
            }
        })
        .collect();
    let outputs: Vec<Vec<f64>> = rows.iter().map(|r| r.outputs.clone()).collect();
    let losses: Vec<f64> = rows.iter().map(|r| r.loss.unwrap_or(f64::NAN)).collect();
    let m = metrics::compute(&outputs, &losses, data.t.as_deref(), data.t_width);
    let columns = Columns {
        outputs: shape.outputs.clone(),
        targets: shape.layout.targets.clone(),
        loss: shape.loss.clone(),
    };
    match args.format {
        PredictFormat::Csv => {
            let table = csv_table(&columns, &rows)?;
            eprintln!("{}", metrics_line(&shape.loss, &m));
            Ok(table)
        }
        PredictFormat::Json => {
            let mut object = json!({ "rows": json_rows(&columns, &rows) });
            object["metrics"] = m.to_json();
            Ok(super::json::pretty(&object))
        }
    }
}

/// The column names of a prediction table.
pub struct Columns {
    /// The output elements.
    pub outputs: Vec<String>,
    /// The target elements.
    pub targets: Vec<String>,
    /// The loss.
    pub loss: String,
}

/// `row,y,y_t,E` then one line per row (the targets and loss only when present).
pub fn csv_table(columns: &Columns, rows: &[Row]) -> Result<String, Failure> {
    let has_targets = rows.first().is_some_and(|r| r.targets.is_some());
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["row".to_string()];
    header.extend(columns.outputs.iter().cloned());
    if has_targets {
        header.extend(columns.targets.iter().cloned());
        header.push(columns.loss.clone());
    }
    let fail = |e: csv::Error| Failure(format!("error: cannot write the table: {e}"));
    writer.write_record(&header).map_err(fail)?;
    for (k, row) in rows.iter().enumerate() {
        let mut record = vec![(k + 1).to_string()];
        record.extend(row.outputs.iter().map(f64::to_string));
        if let Some(t) = &row.targets {
            record.extend(t.iter().map(f64::to_string));
            record.push(row.loss.map_or(String::new(), |l| l.to_string()));
        }
        writer.write_record(&record).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Failure(format!("error: cannot write the table: {e}")))?;
    Ok(String::from_utf8(bytes).expect("the table is UTF-8"))
}

/// One object per row: `{"row": 1, "y": .., "y_t": .., "E": ..}`.
pub fn json_rows(columns: &Columns, rows: &[Row]) -> Value {
    let number = super::number::json;
    Value::Array(
        rows.iter()
            .enumerate()
            .map(|(k, row)| {
                let mut object = Map::new();
                object.insert("row".into(), json!(k + 1));
                for (name, &v) in columns.outputs.iter().zip(&row.outputs) {
                    object.insert(name.clone(), number(v));
                }
                if let Some(t) = &row.targets {
                    for (name, &v) in columns.targets.iter().zip(t) {
                        object.insert(name.clone(), number(v));
                    }
                }
                if let Some(l) = row.loss {
                    object.insert(columns.loss.clone(), number(l));
                }
                Value::Object(object)
            })
            .collect(),
    )
}

/// `569 rows: mean loss E 0.0812, accuracy 97.6%` (or `no targets: no loss or metrics`).
pub fn metrics_line(loss: &str, m: &metrics::Metrics) -> String {
    match m.loss {
        None => format!(
            "{}; the table has no target columns, so no loss or metrics",
            rows(m.rows)
        ),
        Some(l) => {
            let quality = m.quality().map_or(String::new(), |q| format!(", {q}"));
            format!("{}: mean loss {loss} {}{quality}", rows(m.rows), short(l))
        }
    }
}

/// `1 row`, `200 rows`.
fn rows(n: usize) -> String {
    match n {
        1 => "1 row".to_string(),
        n => format!("{n} rows"),
    }
}
