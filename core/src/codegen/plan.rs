//! The plan of a network's module, decided before any code is written: which network, which
//! values each function returns, which adjoints the gradient computes, and every identifier.
//!
//! The later stages only write what the plan says: [`super::bodies`] the statements of
//! `forward`, `loss` and `gradient`, [`super::split`] their bounded parts, and the item writers
//! ([`super::structs`], [`super::functions`], [`super::docs`]) the module around them.

use super::names::{Names, Var};
use super::RustError;
use crate::analysis::Analysis;
use crate::dag::{NodeId, Symbol};
use crate::hash::FxHashSet;
use crate::model::{Model, Role};

/// What the module computes and how everything in it is spelled.
pub(super) struct Plan<'a> {
    /// The analysis of the network's loss with respect to its params.
    pub analysis: &'a Analysis,
    /// The network's model.
    pub model: &'a Model,
    /// The network's name, as the user wrote it.
    pub network: &'a str,
    /// The module's identifier (the network's name, checked and made raw like a user's name).
    pub module: String,
    /// What `forward` returns.
    pub output: Symbol,
    /// What `loss` returns and `gradient` differentiates.
    pub loss: Symbol,
    /// The fields of `Params`, `Input` and `Target`, in declaration order.
    pub params: Vec<Symbol>,
    /// See [`Plan::params`].
    pub inputs: Vec<Symbol>,
    /// See [`Plan::params`].
    pub targets: Vec<Symbol>,
    /// The adjoints the params' gradients need, in the order they are computed (an adjoint
    /// inlined into all its users is not among them).
    pub adjoints: Vec<(Var, NodeId)>,
    /// Per param, the adjoint that is its gradient (`None`: the gradient is 0).
    pub gradient_vars: Vec<Option<Var>>,
    /// Every identifier of the module: the user's names, the adjoints' `d_` names, and the
    /// functions' arguments.
    pub names: Names,
    /// The spellings of the functions' arguments.
    pub args: Arguments,
}

/// The identifiers of the generated functions' arguments, spelled so that no user name
/// shadows them: a definition named `params` is bound by a `let` in the body, and a load after
/// it must still read the argument.
pub(super) struct Arguments {
    /// `params: &Params`
    pub params: String,
    /// `input: &Input`
    pub input: String,
    /// `target: &Target`
    pub target: String,
    /// The parts' `&mut` state (see [`super::split`]).
    pub state: String,
    /// The gradient the parts of a split `gradient` write into.
    pub grad: String,
}

impl Arguments {
    /// The argument a leaf is read from: `params.w`, `input.x`, `target.t`.
    pub fn source_of(&self, model: &Model, leaf: Symbol) -> &str {
        match model.vertex(leaf).map(|v| v.role) {
            Some(Role::Param) => &self.params,
            Some(Role::Target) => &self.target,
            _ => &self.input,
        }
    }

    /// `params: &Params, input: &Input`: `forward`'s arguments.
    pub fn forward(&self) -> String {
        format!("{}: &Params, {}: &Input", self.params, self.input)
    }

    /// `params, input`: the same, passed on.
    pub fn forward_names(&self) -> String {
        format!("{}, {}", self.params, self.input)
    }

    /// `params: &Params, input: &Input, target: &Target`: `loss`'s and `gradient`'s.
    pub fn all(&self) -> String {
        format!(
            "{}: &Params, {}: &Input, {}: &Target",
            self.params, self.input, self.target
        )
    }

    /// `params, input, target`: the same, passed on.
    pub fn all_names(&self) -> String {
        format!("{}, {}, {}", self.params, self.input, self.target)
    }
}

impl<'a> Plan<'a> {
    /// The plan of `analysis`'s network, or why it cannot be emitted: free-standing
    /// definitions, no loss or output, or an analysis that is not the loss's gradient with
    /// respect to every param (checked again here for analyses built another way than
    /// [`Analysis::for_network`]).
    pub fn new(analysis: &'a Analysis) -> Result<Plan<'a>, RustError> {
        let model = &analysis.model;
        let network = model.name().ok_or(RustError::NotANetwork)?;
        let (output, loss) = output_and_loss(analysis, network)?;
        let params = model.with_role(Role::Param);
        let module = Names::new([(Symbol(0), network)])?
            .ident(Symbol(0))
            .to_string();
        let mut names = Names::new(
            model
                .vertices()
                .map(|v| (v.symbol, model.name_of(v.symbol))),
        )?;
        let adjoints = &analysis.derivation.adjoints;
        for a in &adjoints.entries {
            names.bind(a.symbol, &["d_", model.name_of(a.vertex)].concat());
        }
        let args = Arguments {
            params: names.fresh("params"),
            input: names.fresh("input"),
            target: names.fresh("target"),
            state: names.fresh("state"),
            grad: names.fresh("grad"),
        };
        Ok(Plan {
            analysis,
            model,
            network,
            module,
            output,
            loss,
            adjoints: adjoints
                .live(&params, &model.dag)
                .into_iter()
                .map(|a| (Var::Symbol(a.symbol), analysis.evaluated_adjoint(a)))
                .collect(),
            gradient_vars: params
                .iter()
                .map(|&p| adjoints.get(p).map(|a| Var::Symbol(a.symbol)))
                .collect(),
            inputs: model.with_role(Role::Input),
            targets: model.with_role(Role::Target),
            params,
            names,
            args,
        })
    }

    /// The params' identifiers, in declaration order.
    pub fn param_idents(&self) -> Vec<&str> {
        self.params.iter().map(|&s| self.names.ident(s)).collect()
    }
}

/// The network's output and loss, after checking that the analysis differentiates the loss
/// with respect to every param.
fn output_and_loss(analysis: &Analysis, network: &str) -> Result<(Symbol, Symbol), RustError> {
    let model = &analysis.model;
    let loss = analysis.of();
    if model.vertex(loss).map(|v| v.role) != Some(Role::Loss) {
        return Err(match model.with_role(Role::Loss).is_empty() {
            true => RustError::NoLoss(network.to_string()),
            false => RustError::NotTheLossGradient(network.to_string()),
        });
    }
    let wrt: FxHashSet<Symbol> = analysis.wrt().iter().copied().collect();
    if model
        .with_role(Role::Param)
        .iter()
        .any(|p| !wrt.contains(p))
    {
        return Err(RustError::NotTheLossGradient(network.to_string()));
    }
    match model.with_role(Role::Output).first() {
        Some(&output) => Ok((output, loss)),
        None => Err(RustError::NoOutput(network.to_string())),
    }
}
