//! Where an indexed network's numbers come from, in this order (later ones win): the file's
//! initializers (seeded, `--seed`), `--params FILE.json`, `--at` (scalars, elements such as
//! `w1[2,1]=0.5`, whole arrays written out by element), and `--data` (one row per example,
//! columns named `x[1], x[2], ...`). A needed array left without values is an error naming it.

use crate::cli::{data, params, Failure, PointArgs};
use std::path::Path;
use symdiff::core::indexed::{
    element_name, initial_values, positions, ArrayValues, IndexedAnalysis, Initializer,
    DEFAULT_SEED,
};
use symdiff::core::{Role, Symbol};

/// The values to evaluate at: the shared ones (params, and inputs given by `--at`) and, with
/// `--data`, one set of inputs and targets per row.
#[derive(Debug)]
pub struct Values {
    /// Params and whatever `--at` gives.
    pub shared: ArrayValues,
    /// One entry per `--data` row (empty without `--data`).
    pub rows: Vec<ArrayValues>,
    /// Where the params' values came from, for the output's "at" line.
    pub sources: Vec<String>,
}

impl Values {
    /// Whether the loss can be evaluated: every needed array has values (in the shared values
    /// or in every row).
    pub fn missing(&self, analysis: &IndexedAnalysis) -> Vec<Symbol> {
        analysis
            .needed()
            .into_iter()
            .filter(|&a| {
                self.shared.get(a).is_none()
                    && (self.rows.is_empty() || self.rows.iter().any(|r| r.get(a).is_none()))
            })
            .collect()
    }
}

/// Reads every source of values the arguments name.
pub fn read(analysis: &IndexedAnalysis, point: &PointArgs) -> Result<Values, Failure> {
    let model = &analysis.model;
    let seed = point.seed.unwrap_or(DEFAULT_SEED);
    let mut shared = ArrayValues::new();
    let mut sources = Vec::new();
    let mut initialized = Vec::new();
    let mut random = false;
    for array in model.arrays() {
        let name = model.dag.name(array.symbol);
        if let Some(values) = initial_values(array, name, seed) {
            shared.set(array.symbol, values);
            initialized.push(name.to_string());
            random |= !matches!(
                array.init,
                Some(Initializer::Constant(_) | Initializer::Values(_))
            );
        }
    }
    if !initialized.is_empty() {
        let seeded = if random {
            format!(" (seed {seed})")
        } else {
            String::new()
        };
        sources.push(format!(
            "{} from the file's initializers{seeded}",
            initialized.join(", ")
        ));
    }
    if let Some(path) = &point.params {
        let given = read_params_file(analysis, path)?;
        let names: Vec<String> = given.iter().map(|(n, _)| n.clone()).collect();
        for (name, values) in given {
            let symbol = model
                .dag
                .find_symbol(&name)
                .expect("read_params checks names");
            shared.set(symbol, values);
        }
        sources.push(format!("{} from {}", names.join(", "), path.display()));
    }
    if let Some(at) = &point.at {
        let mut names = Vec::new();
        for (name, value) in &at.0 {
            assign(analysis, &mut shared, name, *value)?;
            names.push(name.clone());
        }
        sources.push(format!("{} from --at", names.join(", ")));
    }
    let rows = match &point.data {
        Some(path) => rows(analysis, path, point)?,
        None => Vec::new(),
    };
    Ok(Values {
        shared,
        rows,
        sources,
    })
}

/// The `--params` file, checked against the declared shapes.
fn read_params_file(
    analysis: &IndexedAnalysis,
    path: &Path,
) -> Result<Vec<(String, Vec<f64>)>, Failure> {
    let model = &analysis.model;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("error: cannot read {}: {e}", path.display())))?;
    let shapes: Vec<(String, Vec<usize>)> = model
        .arrays()
        .iter()
        .map(|a| (model.dag.name(a.symbol).to_string(), a.shape.clone()))
        .collect();
    params::read_params(path, &text, &shapes).map_err(|e| Failure(format!("error: {e}")))
}

/// `name = value` for a scalar, an element (`w1[2,1]`), or an array written as `x=[1,2,3]`
/// (which `--at` parsing has already spelled out by element).
fn assign(
    analysis: &IndexedAnalysis,
    values: &mut ArrayValues,
    name: &str,
    value: f64,
) -> Result<(), Failure> {
    let model = &analysis.model;
    let (array, at) = element(analysis, name).ok_or_else(|| {
        let declared: Vec<String> = model
            .arrays()
            .iter()
            .map(|a| shown_shape(analysis, a.symbol))
            .collect();
        Failure(format!(
            "error: --at names `{name}`, which is not an input, target or param of {} (it declares {})",
            model.name(),
            declared.join(", ")
        ))
    })?;
    let shape = model.shape(array);
    let size: usize = shape.iter().product();
    let mut current = values
        .get(array)
        .map_or_else(|| vec![f64::NAN; size], <[f64]>::to_vec);
    current[at] = value;
    values.set(array, current);
    Ok(())
}

/// `x[3]`, `w1[3,3]`, `c`: an array's name with its declared shape.
pub fn shown_shape(analysis: &IndexedAnalysis, array: Symbol) -> String {
    let model = &analysis.model;
    let shape = model.shape(array);
    let name = model.dag.name(array);
    if shape.is_empty() {
        name.to_string()
    } else {
        let extents: Vec<String> = shape.iter().map(usize::to_string).collect();
        format!("{name}[{}]", extents.join(","))
    }
}

/// The array and row-major offset an element name (`w1[2,1]`, 1-based; `c` for a scalar)
/// names, when it names one of the declared arrays in range.
pub fn element(analysis: &IndexedAnalysis, name: &str) -> Option<(Symbol, usize)> {
    let model = &analysis.model;
    let (array, positions) = match name.split_once('[') {
        Some((array, rest)) => {
            let inner = rest.strip_suffix(']')?;
            let positions: Option<Vec<usize>> = inner
                .split(',')
                .map(|p| p.trim().parse::<usize>().ok())
                .collect();
            (array.trim(), positions?)
        }
        None => (name.trim(), Vec::new()),
    };
    let symbol = model.dag.find_symbol(array)?;
    let declared = model.array(symbol)?;
    if declared.shape.len() != positions.len() {
        return None;
    }
    let mut at = 0;
    for (&p, &extent) in positions.iter().zip(&declared.shape) {
        if p == 0 || p > extent {
            return None;
        }
        at = at * extent + (p - 1);
    }
    Some((symbol, at))
}

/// One set of input and target values per row of the table. Every column must name an element
/// of an input or target (`x[1]`); other columns are ignored with one warning; a row must give
/// every element of the arrays it gives.
fn rows(
    analysis: &IndexedAnalysis,
    path: &Path,
    point: &PointArgs,
) -> Result<Vec<ArrayValues>, Failure> {
    let model = &analysis.model;
    let table = data::read(path)?;
    let shown = path.display();
    let mut used: Vec<(usize, Symbol, usize)> = Vec::new();
    let mut ignored = Vec::new();
    for (c, column) in table.columns.iter().enumerate() {
        match element(analysis, column) {
            Some((array, at)) if model.array(array).is_some_and(|a| a.role != Role::Param) => {
                used.push((c, array, at));
            }
            _ => ignored.push(format!("`{column}`")),
        }
    }
    if !ignored.is_empty() {
        eprintln!(
            "warning: {shown}: ignoring column{} {}, which name no input or target element of {}",
            if ignored.len() == 1 { "" } else { "s" },
            ignored.join(", "),
            model.name()
        );
    }
    let mut arrays: Vec<Symbol> = Vec::new();
    for &(_, array, _) in &used {
        if !arrays.contains(&array) {
            arrays.push(array);
        }
    }
    if let Some(at) = &point.at {
        for (name, _) in &at.0 {
            if let Some((array, _)) = element(analysis, name) {
                if arrays.contains(&array) {
                    return Err(Failure(format!(
                        "error: `{name}` is given both by --at and by the columns of {shown}: give it once"
                    )));
                }
            }
        }
    }
    for &array in &arrays {
        let shape = model.shape(array);
        let have: Vec<usize> = used.iter().filter(|u| u.1 == array).map(|u| u.2).collect();
        let absent: Vec<String> = positions(&shape)
            .iter()
            .enumerate()
            .filter(|(k, _)| !have.contains(k))
            .map(|(_, at)| format!("`{}`", element_name(model.dag.name(array), at)))
            .take(5)
            .collect();
        if !absent.is_empty() {
            return Err(Failure(format!(
                "error: {shown} has columns for `{}` but none for {}{}",
                model.dag.name(array),
                absent.join(", "),
                if absent.len() == 5 { ", ..." } else { "" }
            )));
        }
    }
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut values = ArrayValues::new();
        for &array in &arrays {
            let size: usize = model.shape(array).iter().product();
            values.set(array, vec![0.0; size]);
        }
        let mut filled: Vec<(Symbol, Vec<f64>)> = arrays
            .iter()
            .map(|&a| (a, values.get(a).unwrap().to_vec()))
            .collect();
        for &(c, array, at) in &used {
            if let Some(slot) = filled.iter_mut().find(|(a, _)| *a == array) {
                slot.1[at] = row[c];
            }
        }
        for (array, v) in filled {
            values.set(array, v);
        }
        out.push(values);
    }
    Ok(out)
}
