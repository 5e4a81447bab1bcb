//! Reading a `.sd` file, choosing the model, building the analysis and the points to evaluate
//! at: the steps every subcommand shares.

use super::{data, Failure, PointArgs, Selection};
use std::path::Path;
use symdiff::core::indexed::IndexedModel;
use symdiff::core::{Analysis, Model, Point, Role, Symbol};

/// The network a command works on: scalar, or with indexed layers.
#[derive(Debug)]
pub enum Network {
    /// Every vertex a scalar (the lecture's first slides).
    Scalar(Model),
    /// Arrays and definitions with indices (the last slides' Σ formulas).
    Indexed(IndexedModel),
}

/// Reads and parses a file, prints its warnings to stderr, and picks the model `selection`
/// asks for; a network with indexed layers is an error naming `command`, which does not take
/// one (yet).
pub fn model(file: &Path, selection: &Selection, command: &str) -> Result<Model, Failure> {
    match network(file, selection)? {
        Network::Scalar(model) => Ok(model),
        Network::Indexed(model) => Err(not_indexed(&model, command)),
    }
}

/// The error of a command that does not take indexed layers.
pub fn not_indexed(model: &IndexedModel, command: &str) -> Failure {
    Failure(format!(
        "error: `{command}` does not take networks with indexed layers here (`{}` has them)",
        model.name()
    ))
}

/// Reads and parses a file, prints its warnings to stderr, and picks the network `selection`
/// asks for.
pub fn network(file: &Path, selection: &Selection) -> Result<Network, Failure> {
    let origin = file.display().to_string();
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("error: cannot read {origin}: {e}")))?;
    network_from_text(&origin, &text, selection)
}

/// Parses source text (a file's, or an embedded example's) and picks the model.
pub fn model_from_text(origin: &str, text: &str, selection: &Selection) -> Result<Model, Failure> {
    match network_from_text(origin, text, selection)? {
        Network::Scalar(model) => Ok(model),
        Network::Indexed(model) => Err(not_indexed(&model, "this command")),
    }
}

/// Parses source text and picks the network: by `--network`, else the one that defines `--of`,
/// else the first (scalar models first, as the file's free definitions come first).
pub fn network_from_text(
    origin: &str,
    text: &str,
    selection: &Selection,
) -> Result<Network, Failure> {
    let parsed =
        symdiff::grammar::parse(origin, text).map_err(|d| Failure(d.render(origin, text)))?;
    for warning in &parsed.warnings {
        eprint!("{}", warning.render(origin, text));
    }
    let mut models = parsed.models;
    let mut indexed = parsed.indexed;
    if models.is_empty() && indexed.is_empty() {
        return Err(Failure(format!(
            "error: {origin} defines nothing to differentiate"
        )));
    }
    if let Some(name) = &selection.network {
        if let Some(k) = models.iter().position(|m| m.name() == Some(name.as_str())) {
            return Ok(Network::Scalar(models.swap_remove(k)));
        }
        if let Some(k) = indexed.iter().position(|m| m.name() == name.as_str()) {
            return Ok(Network::Indexed(indexed.swap_remove(k)));
        }
        let names: Vec<&str> = models
            .iter()
            .filter_map(|m| m.name())
            .chain(indexed.iter().map(|m| m.name()))
            .collect();
        return Err(Failure(format!(
            "error: --network names `{name}`, but {origin} defines: {}",
            names.join(", ")
        )));
    }
    if models.is_empty() {
        return Ok(Network::Indexed(indexed.swap_remove(0)));
    }
    let index = match &selection.of {
        Some(of) => models
            .iter()
            .position(|m| m.vertex_named(of).is_some())
            .unwrap_or(0),
        None => 0,
    };
    Ok(Network::Scalar(models.swap_remove(index)))
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
/// of `--at`, or, for a vertex that depends on nothing, the file's own point; `None` when no
/// point is given and one is needed.
///
/// Every input, target and param the differentiated vertex depends on must have a value there:
/// a name without one is an error that says where to give it, never a silent unknown. A param
/// without an initial value in the file is such a name until `--at` or `--data` gives it.
pub fn points(analysis: &Analysis, args: &PointArgs) -> Result<Option<Vec<Point>>, Failure> {
    let points = points_as_given(analysis, args)?;
    if let Some(missing) = points.as_ref().and_then(|p| missing(analysis, &p[0], args)) {
        return Err(Failure(format!("error: {missing}")));
    }
    Ok(points)
}

/// [`points`], but a name without a value at a single `--at` point is not an error: the
/// values come out unknown (the CLI contract's JSON `null` of `grad`), and the message that
/// says why is returned beside them. A table without a needed column is still an error.
pub fn points_or_unknown(
    analysis: &Analysis,
    args: &PointArgs,
) -> Result<(Option<Vec<Point>>, Option<String>), Failure> {
    if args.data.is_some() {
        return Ok((points(analysis, args)?, None));
    }
    let points = points_as_given(analysis, args)?;
    let missing = points.as_ref().and_then(|p| missing(analysis, &p[0], args));
    Ok((points, missing))
}

/// The points of `--data` and `--at` (or the file's own, for a vertex that depends on nothing),
/// whether or not they give every name a value.
fn points_as_given(analysis: &Analysis, args: &PointArgs) -> Result<Option<Vec<Point>>, Failure> {
    let base = at_point(analysis, args)?;
    Ok(Some(match &args.data {
        Some(path) => data_points(analysis, base, args, path)?,
        None if args.at.is_some() || analysis.needed_leaves().is_empty() => vec![base],
        None => return Ok(None),
    }))
}

/// The file's initial values, then `--at`.
fn at_point(analysis: &Analysis, args: &PointArgs) -> Result<Point, Failure> {
    let mut base = analysis.default_point();
    for (name, value) in args.at.iter().flat_map(|at| &at.0) {
        analysis.assign(&mut base, name, *value)?;
    }
    Ok(base)
}

/// One point per row of the table: `base` with the row's columns assigned. A column the model
/// does not name is ignored with one warning; a column that `--at` also gives is an error (which
/// value was meant is not for symdiff to guess).
fn data_points(
    analysis: &Analysis,
    base: Point,
    args: &PointArgs,
    path: &Path,
) -> Result<Vec<Point>, Failure> {
    let table = data::read(path)?;
    let shown = path.display();
    let model = &analysis.model;
    let (used, ignored): (Vec<usize>, Vec<usize>) =
        (0..table.columns.len()).partition(|&c| model.vertex_named(&table.columns[c]).is_some());
    if !ignored.is_empty() {
        let names: Vec<String> = ignored
            .iter()
            .map(|&c| format!("`{}`", table.columns[c]))
            .collect();
        eprintln!(
            "warning: {shown}: ignoring column{} {}, which the model does not use",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        );
    }
    let at_names: Vec<&str> = args
        .at
        .iter()
        .flat_map(|at| &at.0)
        .map(|(n, _)| n.as_str())
        .collect();
    if let Some(&c) = used
        .iter()
        .find(|&&c| at_names.contains(&table.columns[c].as_str()))
    {
        return Err(Failure(format!(
            "error: `{}` is given both by --at and by a column of {shown}: give it once",
            table.columns[c]
        )));
    }
    let mut points = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut p = base.clone();
        for &c in &used {
            let name = &table.columns[c];
            analysis.assign(&mut p, name, row[c]).map_err(|e| {
                let e = super::name_error::describe(&e);
                Failure(format!("error: {shown}: column `{name}`: {e}"))
            })?;
        }
        points.push(p);
    }
    Ok(points)
}

/// What is wrong when `point` leaves an input, target or param the differentiated vertex needs
/// without a value: which names, and where they could have come from.
fn missing(analysis: &Analysis, point: &Point, args: &PointArgs) -> Option<String> {
    let model = &analysis.model;
    let missing: Vec<Symbol> = analysis
        .needed_leaves()
        .into_iter()
        .filter(|&s| point.get(s).is_nan())
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<String> = missing
        .iter()
        .map(|&s| format!("`{}`", model.name_of(s)))
        .collect();
    let of = model.name_of(analysis.of());
    let them = if missing.len() == 1 { "it" } else { "them" };
    let source = match &args.data {
        Some(path) => format!(
            "{} has no column for {them}, and --at does not give {them}",
            path.display()
        ),
        None => format!("give {them} with --at NAME=VALUE"),
    };
    let param_without_init = missing
        .iter()
        .any(|&s| model.vertex(s).is_some_and(|v| v.role == Role::Param));
    let why = match param_without_init {
        true => " (a param without an initial value in the file has no value until given one)",
        false => "",
    };
    Some(format!(
        "no value for {}, which {of} depends on: {source}{why}",
        names.join(", ")
    ))
}
