//! Command-line arguments (clap) and dispatch to one module per subcommand.
//!
//! Every subcommand returns its whole output as a `String`, or a [`Failure`] whose text is
//! printed to stderr with exit status 1; nothing is printed half-way.

mod assign;
mod check;
mod codegen;
mod data;
mod dataset;
mod eval;
mod explain;
mod grad;
mod graph;
mod indexed;
mod json;
mod learner;
mod load;
mod metrics;
mod name_error;
mod number;
mod output;
mod params;
mod per_row;
mod predict;
mod train;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt;
use std::path::PathBuf;

pub use assign::Assignment;

/// Symbolic differentiation the way backpropagation is taught.
#[derive(Parser, Debug)]
#[command(name = "symdiff", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the derived gradient formulas (and their values with --at or --data).
    Grad(GradArgs),
    /// Evaluate every vertex at a point.
    Eval(EvalArgs),
    /// Explain each derivative as the lecture does: chain, local partials, result, numbers.
    Explain(explain::ExplainArgs),
    /// Draw the variable-dependency graph with each edge's local partial (DOT or SVG).
    Graph(graph::GraphArgs),
    /// Print the Rust module `network!` expands to, formatted.
    Codegen(codegen::CodegenArgs),
    /// Check the symbolic gradient against central finite differences.
    Check(check::CheckArgs),
    /// Train a network's params on a CSV table (minibatches, SGD, momentum or Adam).
    Train(train::TrainArgs),
    /// A trained network's outputs (and loss, when the table has targets) for every row.
    Predict(predict::PredictArgs),
}

/// Which model, which derivative.
#[derive(Args, Debug, Clone)]
pub struct Selection {
    /// The vertex to differentiate (default: the loss, or the one definition nothing uses).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,
    /// The variables, comma-separated (default: every param, or every input).
    #[arg(long, value_name = "NAMES", value_delimiter = ',')]
    pub wrt: Option<Vec<String>>,
    /// The network to use when the file holds several (default: the first).
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
}

/// Where to evaluate.
#[derive(Args, Debug, Clone)]
pub struct PointArgs {
    /// Values as `name=value,name=value`; params default to their initial values in the file.
    #[arg(long, value_name = "ASSIGN", value_parser = assign::parse_assignment)]
    pub at: Option<Assignment>,
    /// A CSV table (header row of input and target names): values and gradients are summed
    /// over its rows.
    #[arg(long, value_name = "FILE.csv")]
    pub data: Option<PathBuf>,
    /// Param values of a network with indexed layers, as JSON: `{"w1": [[...], ...], "c": 0.5}`
    /// (nested row-major lists of the declared shapes).
    #[arg(long, value_name = "FILE.json")]
    pub params: Option<PathBuf>,
    /// The seed of the file's random initializers (`uniform`, `normal`, `glorot`, `he`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

#[derive(Args, Debug)]
struct GradArgs {
    /// The `.sd` file.
    file: PathBuf,
    #[command(flatten)]
    selection: Selection,
    #[command(flatten)]
    point: PointArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = grad::GradFormat::Text)]
    format: grad::GradFormat,
    /// Print a derivative as a path sum while it has at most this many paths; past that, in
    /// factored form.
    #[arg(long, value_name = "N", default_value_t = symdiff::core::DEFAULT_MAX_PATHS)]
    max_paths: u128,
}

#[derive(Args, Debug)]
struct EvalArgs {
    /// The `.sd` file.
    file: PathBuf,
    #[command(flatten)]
    selection: Selection,
    #[command(flatten)]
    point: PointArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With --data: one line per row (CSV, or a JSON list) instead of the sum over the rows.
    #[arg(long, requires = "data")]
    per_row: bool,
}

/// An output format.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The lecture's notation.
    Text,
    /// One JSON object.
    Json,
}

/// An input error: its message, already rendered, goes to stderr with exit status 1.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.trim_end();
        writeln!(f, "{text}")
    }
}

/// Runs one command and returns its standard output.
pub fn run(cli: Cli) -> Result<String, Failure> {
    match cli.command {
        Command::Grad(a) => grad::run(&a.file, &a.selection, &a.point, a.format, a.max_paths),
        Command::Eval(a) => eval::run(&a.file, &a.selection, &a.point, a.format, a.per_row),
        Command::Explain(a) => explain::run(&a),
        Command::Graph(a) => graph::run(&a),
        Command::Codegen(a) => codegen::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Train(a) => train::run(&a),
        Command::Predict(a) => predict::run(&a),
    }
}

/// Whether a `train` run was stopped by Ctrl-C (its params saved): the exit status is then 130,
/// as shells expect of an interrupted command.
pub fn interrupted() -> bool {
    train::interrupt::interrupted()
}
