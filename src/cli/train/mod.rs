//! `symdiff train FILE --data train.csv`: minibatch training of a network's params from the
//! command line, with seeded shuffles, a validation set, SGD, momentum or Adam, progress,
//! a summary, saved params and a loss plot.
//!
//! The loss of a batch is the MEAN of the network's loss over the batch's rows (as deep-learning
//! libraries do; `explain --data` keeps the lecture's sum), and its gradient the mean gradient.

mod fit;
mod history;
pub mod interrupt;
mod optimizer;
mod plot;
mod progress;
mod save;
mod summary;

use super::dataset::{self, Dataset, Targets};
use super::learner::Learner;
use super::metrics::short;
use super::{load, Failure, Format, Selection};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;
use symdiff::core::indexed::DEFAULT_SEED;

pub use fit::Stop;
pub use save::initial_params;

/// `symdiff train`'s arguments.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// The `.sd` file.
    pub file: PathBuf,
    /// The training table: a header row naming inputs and targets (`x[1]`, ... for arrays),
    /// one row per example.
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// A validation table, its loss reported after every epoch.
    #[arg(long, value_name = "FILE.csv", conflicts_with = "valid_split")]
    pub valid: Option<PathBuf>,
    /// Hold out this fraction of the --data rows (chosen with --seed) for validation.
    #[arg(long, value_name = "F", value_parser = fraction)]
    pub valid_split: Option<f64>,
    /// Passes over the training rows.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub epochs: usize,
    /// Rows per minibatch (the last of an epoch may have fewer); larger than the table means
    /// full-batch training.
    #[arg(long, value_name = "B", default_value_t = 32, value_parser = at_least_one)]
    pub batch_size: usize,
    /// The optimizer.
    #[arg(long, value_enum, default_value_t = optimizer::Choice::Adam)]
    pub optimizer: optimizer::Choice,
    /// The learning rate η (default: 0.001 for adam, 0.01 for sgd and momentum).
    #[arg(long, value_name = "ETA", value_parser = positive)]
    pub lr: Option<f64>,
    /// The seed of the shuffles, the validation split and the file's random initializers.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Initial params as JSON (as --save writes them); params it leaves out take the file's
    /// initial values.
    #[arg(long, value_name = "P.json")]
    pub init: Option<PathBuf>,
    /// Where to write the trained params (replaced in one step: never half-written).
    #[arg(long, value_name = "P.json")]
    pub save: Option<PathBuf>,
    /// Draw the training and validation loss per epoch as SVG.
    #[arg(long, value_name = "loss.svg")]
    pub plot: Option<PathBuf>,
    /// No progress bar: one line per epoch on stderr, as when stderr is not a terminal.
    #[arg(long)]
    pub quiet: bool,
    /// No progress bar: one line every N epochs on stderr.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub log_every: Option<usize>,
    /// The summary's format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The network to train when the file holds several (default: the first).
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
}

/// Runs `train`.
pub fn run(args: &TrainArgs) -> Result<String, Failure> {
    let Setup {
        mut learner,
        shape,
        train,
        valid,
        params,
        settings,
    } = Setup::new(args)?;
    let batches = train.rows.div_ceil(settings.batch_size);
    announce(args, &shape, &train, valid.as_ref(), &settings, batches);
    let mode = progress::Mode::choose(args.quiet, args.log_every);
    let mut progress = progress::Progress::new(mode, settings.epochs, batches, train.rows);
    interrupt::install();
    let started = Instant::now();
    let outcome = fit::fit(
        &mut learner,
        params,
        &train,
        valid.as_ref(),
        &settings,
        &mut progress,
    );
    let seconds = started.elapsed().as_secs_f64();
    progress.finish();
    let saved = keep(args, &shape, &outcome)?;
    if matches!(outcome.stop, Stop::Interrupted { .. }) {
        interrupt::mark_interrupted();
    }
    let report = summary::Summary::new(
        &mut learner,
        &outcome,
        &train,
        valid.as_ref(),
        &settings,
        seconds,
        saved,
    );
    Ok(match args.format {
        Format::Text => report.text(),
        Format::Json => super::json::pretty(&report.to_json()),
    })
}

/// Everything training starts from: the network, its rows, its initial params, the settings.
struct Setup {
    learner: Learner,
    shape: super::learner::Shape,
    train: Dataset,
    valid: Option<Dataset>,
    params: Vec<f64>,
    settings: fit::Settings,
}

impl Setup {
    /// Reads the network, the tables and `--init`, and checks `--save` can be written, before
    /// any training.
    fn new(args: &TrainArgs) -> Result<Setup, Failure> {
        let selection = Selection {
            of: None,
            wrt: None,
            network: args.network.clone(),
        };
        let learner = Learner::new(load::network(&args.file, &selection)?)?;
        let shape = learner.shape().clone();
        if shape.params.is_empty() {
            return Err(Failure(format!(
                "error: network `{}` has no params to train",
                shape.name
            )));
        }
        let seed = args.seed.unwrap_or(DEFAULT_SEED);
        let table = dataset::read(&args.data, &shape.layout, Targets::Required)?;
        let (mut train, mut valid) = split(args, table, &shape.layout, seed)?;
        learner.prepare(&mut train);
        if let Some(v) = valid.as_mut() {
            learner.prepare(v);
        }
        let params = save::initial_params(&learner, args.init.as_deref(), seed)?;
        if let Some(path) = &args.save {
            save::check_writable(path)?;
        }
        let settings = fit::Settings {
            epochs: args.epochs,
            batch_size: args.batch_size,
            optimizer: args.optimizer,
            lr: args.lr.unwrap_or(args.optimizer.default_lr()),
            seed,
        };
        Ok(Setup {
            learner,
            shape,
            train,
            valid,
            params,
            settings,
        })
    }
}

/// The first line on stderr: what is trained on what, how, and that the loss is a mean.
fn announce(
    args: &TrainArgs,
    shape: &super::learner::Shape,
    train: &Dataset,
    valid: Option<&Dataset>,
    settings: &fit::Settings,
    batches: usize,
) {
    eprintln!(
        "training {} on {}: {} rows{}, {} batch{} of up to {} per epoch, {} (lr {}), seed {}; \
         the loss is {} averaged over each batch's rows",
        shape.name,
        args.data.display(),
        train.rows,
        valid.map_or(String::new(), |v| format!(
            " (and {} for validation)",
            v.rows
        )),
        batches,
        if batches == 1 { "" } else { "es" },
        settings.batch_size.min(train.rows),
        settings.optimizer.name(),
        short(settings.lr),
        settings.seed,
        shape.loss
    );
}

/// Saves the params (`--save`, or next to it as the last good ones on divergence), then draws
/// the plot (`--plot`): a plot that cannot be written must not lose the params. The path the
/// params went to, when saved.
fn keep(
    args: &TrainArgs,
    shape: &super::learner::Shape,
    outcome: &fit::Outcome,
) -> Result<Option<PathBuf>, Failure> {
    let plotted = |saved: &str| -> Result<(), Failure> {
        let Some(path) = &args.plot else {
            return Ok(());
        };
        let svg = plot::svg(&outcome.history, &shape.name, &shape.loss);
        std::fs::write(path, svg).map_err(|e| {
            Failure(format!(
                "error: cannot write the plot {}: {e}{saved}",
                path.display()
            ))
        })
    };
    if let Stop::Diverged { epoch, batch, what } = &outcome.stop {
        let failure = save::diverged(shape, args, &outcome.params, *epoch, *batch, what);
        let _ = plotted("");
        return Err(failure);
    }
    let saved = match &args.save {
        Some(path) => Some(save::save(shape, path, &outcome.params)?),
        None => None,
    };
    let note = saved.as_ref().map_or(String::new(), |p| {
        format!(" (the trained params are saved to {})", p.display())
    });
    plotted(&note)?;
    Ok(saved)
}

/// `--batch-size`, `--log-every`: a whole number of at least 1 (else a usage error, exit 2).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number of at least 1".to_string()),
    }
}

/// `--lr`: a positive finite number.
fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err("expected a positive number".to_string()),
    }
}

/// `--valid-split`: a fraction strictly between 0 and 1.
fn fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err("expected a fraction of the rows, strictly between 0 and 1".to_string()),
    }
}

/// The training and validation rows: `--valid FILE`, or `--valid-split F` of the table
/// (a seeded choice of rows; the rest keep their order), or no validation.
fn split(
    args: &TrainArgs,
    table: Dataset,
    layout: &dataset::Layout,
    seed: u64,
) -> Result<(Dataset, Option<Dataset>), Failure> {
    if let Some(path) = &args.valid {
        let valid = dataset::read(path, layout, Targets::Required)?;
        return Ok((table, Some(valid)));
    }
    let Some(fraction) = args.valid_split else {
        return Ok((table, None));
    };
    let held = (fraction * table.rows as f64).round() as usize;
    if held == 0 || held >= table.rows {
        return Err(Failure(format!(
            "error: --valid-split {fraction} of {} rows leaves {} for validation and {} for \
             training: each needs at least one",
            table.rows,
            held,
            table.rows - held.min(table.rows)
        )));
    }
    let order = symdiff::runtime::batches::shuffled(table.rows, seed, "validation split");
    let mut valid_rows = order[..held].to_vec();
    let mut train_rows = order[held..].to_vec();
    valid_rows.sort_unstable();
    train_rows.sort_unstable();
    Ok((table.subset(&train_rows), Some(table.subset(&valid_rows))))
}
