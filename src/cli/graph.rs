//! `symdiff graph`: the variable-dependency graph with each edge labelled by its local partial,
//! as DOT (for Graphviz) or as SVG laid out in-process (no Graphviz needed).

use super::{load, Failure, Selection};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, ValueEnum};
use std::path::PathBuf;
use symdiff::core::emit::{Dot, Svg};
use symdiff::core::{LabelledGraph, LocalPartials};

/// Arguments of `symdiff graph`.
#[derive(Args, Debug)]
pub struct GraphArgs {
    /// The `.sd` file.
    pub file: PathBuf,
    /// Highlight the edges on the paths that feed this derivative's variable.
    #[arg(long, value_name = "NAME")]
    pub wrt: Option<String>,
    /// The vertex whose derivative --wrt highlights (default: the loss, or the one definition
    /// nothing uses).
    #[arg(long, value_name = "NAME")]
    pub of: Option<String>,
    /// The network to draw when the file holds several (default: the first).
    #[arg(long, value_name = "NAME")]
    pub network: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Draw each layer of like-named vertices (`x1`…`x10`, `w1_1_1`…`w1_10_10`) as one vertex
    /// (SVG only).
    #[arg(long)]
    pub collapse: bool,
    /// For a network with indexed layers: draw every scalar element (`w1[2,1]`) instead of one
    /// node per array (small networks only).
    #[arg(long)]
    pub unroll: bool,
}

/// An output format of `graph`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A standalone SVG image.
    Svg,
}

/// Runs `graph`.
pub fn run(args: &GraphArgs) -> Result<String, Failure> {
    if args.collapse && args.format == GraphFormat::Dot {
        // A usage error, reported and exited on (status 2) as clap reports its own.
        let message = "--collapse draws SVG only: add --format svg";
        super::Cli::command()
            .error(ErrorKind::ArgumentConflict, message)
            .exit();
    }
    let selection = Selection {
        of: args.of.clone(),
        wrt: None,
        network: args.network.clone(),
    };
    let mut model = match load::network(&args.file, &selection)? {
        load::Network::Scalar(model) => model,
        load::Network::Indexed(model) => {
            let analysis = symdiff::core::indexed::IndexedAnalysis::new(model);
            return super::indexed::graph::run(analysis, args);
        }
    };
    let resolve = |model: &symdiff::core::Model, option: &str, name: &str| {
        model.vertex_named(name).map(|v| v.symbol).ok_or_else(|| {
            Failure(format!(
                "error: {option} names `{name}`, which the model does not define"
            ))
        })
    };
    let highlight = match &args.wrt {
        Some(wrt) => {
            let wrt = resolve(&model, "--wrt", wrt)?;
            let of = match &args.of {
                Some(of) => resolve(&model, "--of", of)?,
                None => model.default_of().ok_or_else(|| {
                    Failure("error: no loss to differentiate: pass --of with the vertex to differentiate".into())
                })?,
            };
            Some((of, wrt))
        }
        None => None,
    };
    let mut locals = LocalPartials::new(&mut model);
    let graph = LabelledGraph::new(&mut model, highlight, |model, user, used| {
        locals.get(model, user, used)
    });
    Ok(match args.format {
        GraphFormat::Dot => Dot::new(&model.dag, &graph).to_string(),
        GraphFormat::Svg => Svg::new(&model.dag, &graph)
            .collapsed(args.collapse)
            .to_string(),
    })
}
