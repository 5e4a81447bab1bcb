//! Params in and out of `train`: `--init` read and checked against the declared shapes, `--save`
//! checked for writability before training and written atomically after it, and the last
//! finite params of a diverged run written beside `--save` as `NAME.last-good.json`.

use super::TrainArgs;
use crate::cli::learner::{Learner, Shape};
use crate::cli::params::{read_params, write_params, write_params_atomically};
use crate::cli::Failure;
use std::path::{Path, PathBuf};

/// The params to start from: the file's initial values (random initializers drawn with
/// `seed`), overridden by `--init` where it gives a param; an error names the params left
/// without a value.
pub fn initial_params(
    learner: &Learner,
    init: Option<&Path>,
    seed: u64,
) -> Result<Vec<f64>, Failure> {
    let shape = learner.shape();
    let mut each = learner.initial_each(seed);
    if let Some(path) = init {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure(format!("error: cannot read {}: {e}", path.display())))?;
        let given =
            read_params(path, &text, &shape.params).map_err(|e| Failure(format!("error: {e}")))?;
        for (name, values) in given {
            let k = shape.params.iter().position(|(n, _)| *n == name);
            each[k.expect("read_params checks the names")] = Some(values);
        }
    }
    let missing: Vec<String> = shape
        .params
        .iter()
        .zip(&each)
        .filter(|(_, v)| v.is_none())
        .map(|((n, _), _)| n.clone())
        .collect();
    if !missing.is_empty() {
        return Err(no_value(shape, &missing, init));
    }
    Ok(each.into_iter().flatten().flatten().collect())
}

fn no_value(shape: &Shape, missing: &[String], init: Option<&Path>) -> Failure {
    let names: Vec<String> = missing.iter().map(|n| format!("`{n}`")).collect();
    let (them, has) = match missing.len() {
        1 => ("it", "has"),
        _ => ("them", "have"),
    };
    let where_ = match init {
        Some(p) => format!("neither the file nor {} gives {them} one", p.display()),
        None => format!("give {them} one in the file (`param w = 0.5`) or with --init P.json"),
    };
    Failure(format!(
        "error: param{} {} of `{}` {has} no initial value: {where_}",
        if missing.len() == 1 { "" } else { "s" },
        names.join(", "),
        shape.name
    ))
}

/// Fails before training when `--save` could not be written: its folder missing or not
/// writable, or the path a folder.
pub fn check_writable(path: &Path) -> Result<(), Failure> {
    let fail = |why: String| {
        Failure(format!(
            "error: --save {}: {why}; nothing was trained",
            path.display()
        ))
    };
    if path.is_dir() {
        return Err(fail("is a folder, not a file".to_string()));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let probe = folder.join(format!(".symdiff-save-probe.{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(fail(format!("cannot write in {}: {e}", folder.display()))),
    }
}

/// Writes `params` to `path` in one step; returns the path.
pub fn save(shape: &Shape, path: &Path, params: &[f64]) -> Result<PathBuf, Failure> {
    write_params_atomically(path, &write_params(&shape.split(params))).map_err(|e| {
        Failure(format!(
            "error: cannot save the params to {}: {e}",
            path.display()
        ))
    })?;
    Ok(path.to_path_buf())
}

/// `p.json` → `p.last-good.json`.
pub fn last_good_path(save: &Path) -> PathBuf {
    let stem = save
        .file_stem()
        .map_or("params".into(), |s| s.to_string_lossy().into_owned());
    let extension = save
        .extension()
        .map_or("json".into(), |e| e.to_string_lossy().into_owned());
    save.with_file_name(format!("{stem}.last-good.{extension}"))
}

/// The failure of a diverged run, after writing its last finite params beside `--save`.
pub fn diverged(
    shape: &Shape,
    args: &TrainArgs,
    params: &[f64],
    epoch: usize,
    batch: Option<usize>,
    what: &str,
) -> Failure {
    let place = match batch {
        Some(b) => format!("epoch {epoch}, batch {b}"),
        None => format!("the end of epoch {epoch}"),
    };
    let kept = match &args.save {
        Some(path) => {
            let good = last_good_path(path);
            match save(shape, &good, params) {
                Ok(_) => format!(
                    "the last finite params are saved to {}; {} is left as it was",
                    good.display(),
                    path.display()
                ),
                Err(e) => e.0.trim_start_matches("error: ").to_string(),
            }
        }
        None => "no --save was given, so the params were not saved".to_string(),
    };
    let lr = args.lr.unwrap_or(args.optimizer.default_lr());
    Failure(format!(
        "error: training stopped at {place}: {what}\n  {kept}\n  \
         (a smaller --lr often helps: this run used {} with lr {})",
        args.optimizer.name(),
        crate::cli::metrics::short(lr)
    ))
}
