//! Reading a `.sd` file, choosing the model, building the analysis and the points to evaluate
//! at: the steps every subcommand shares.

use super::{data, Failure, PointArgs, Selection};
use std::path::Path;
use symdiff::core::{Analysis, Model, Point};

/// Reads and parses a file, prints its warnings to stderr, and picks the model `selection`
/// asks for.
pub fn model(file: &Path, selection: &Selection) -> Result<Model, Failure> {
    let origin = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("error: cannot read {origin}: {e}")))?;
    model_from_text(&origin, &text, selection)
}

/// Parses source text (a file's, or an embedded example's) and picks the model.
pub fn model_from_text(origin: &str, text: &str, selection: &Selection) -> Result<Model, Failure> {
    let parsed =
        symdiff::grammar::parse(origin, text).map_err(|d| Failure(d.render(origin, text)))?;
    for warning in &parsed.warnings {
        eprint!("{}", warning.render(origin, text));
    }
    let mut models = parsed.models;
    if models.is_empty() {
        return Err(Failure(format!(
            "error: {origin} defines nothing to differentiate"
        )));
    }
    let index = match (&selection.network, &selection.of) {
        (Some(name), _) => models
            .iter()
            .position(|m| m.name() == Some(name.as_str()))
            .ok_or_else(|| {
                let names: Vec<&str> = models.iter().filter_map(|m| m.name()).collect();
                Failure(format!(
                    "error: --network names `{name}`, but {origin} defines: {}",
                    names.join(", ")
                ))
            })?,
        (None, Some(of)) => models
            .iter()
            .position(|m| m.vertex_named(of).is_some())
            .unwrap_or(0),
        (None, None) => 0,
    };
    Ok(models.swap_remove(index))
}

/// Differentiates the selected vertex.
pub fn analysis(model: Model, selection: &Selection, max_paths: u128) -> Result<Analysis, Failure> {
    Ok(Analysis::new(
        model,
        selection.of.as_deref(),
        selection.wrt.as_deref(),
        max_paths,
    )?)
}

/// The points to evaluate at: one per `--data` row (each also taking `--at`), or the one point
/// of `--at`; `None` when neither is given.
pub fn points(analysis: &Analysis, args: &PointArgs) -> Result<Option<Vec<Point>>, Failure> {
    let mut base = analysis.default_point();
    if let Some(at) = &args.at {
        for (name, value) in &at.0 {
            analysis.assign(&mut base, name, *value)?;
        }
    }
    match &args.data {
        Some(path) => {
            let table = data::read(path)?;
            let mut points = Vec::with_capacity(table.rows.len());
            for row in &table.rows {
                let mut p = base.clone();
                for (name, value) in table.columns.iter().zip(row) {
                    analysis.assign(&mut p, name, *value).map_err(|e| {
                        let e = super::name_error::describe(&e);
                        Failure(format!("error: {}: column `{name}`: {e}", path.display()))
                    })?;
                }
                points.push(p);
            }
            Ok(Some(points))
        }
        None if args.at.is_some() => Ok(Some(vec![base])),
        None => Ok(None),
    }
}
