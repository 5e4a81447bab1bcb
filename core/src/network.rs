//! A network's analysis as generated code needs it: the loss differentiated with respect to
//! every param, or the reason the model has none.

use crate::analysis::Analysis;
use crate::model::{Model, Role};
use std::fmt;

/// Why a model has no network loss to differentiate.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NetworkError {
    /// Free-standing definitions: there is no network name, no params and no loss.
    NotANetwork,
    /// The network (named) declares no `loss`.
    NoLoss(String),
    /// The network (named) declares no `output`.
    NoOutput(String),
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::NotANetwork => write!(f, "free-standing definitions are not a network"),
            NetworkError::NoLoss(n) => write!(f, "network `{n}` has no `loss`"),
            NetworkError::NoOutput(n) => write!(f, "network `{n}` has no `output`"),
        }
    }
}

impl std::error::Error for NetworkError {}

impl Analysis {
    /// A network's loss differentiated with respect to all its params (what `network!` and
    /// `symdiff codegen` compute), enumerating at most `max_paths` paths per param for the
    /// formulas in the docs; an error for free-standing definitions or a network without a
    /// loss or an output.
    ///
    /// ```
    /// use symdiff_core::{Analysis, ModelBuilder, NetworkError, Role};
    /// let mut b = ModelBuilder::network("tiny");
    /// b.declare("x", Role::Input, None).unwrap();
    /// b.declare("w", Role::Param, Some(1.0)).unwrap();
    /// let (x, w) = (b.dag.node_named("x"), b.dag.node_named("w"));
    /// let y = b.dag.mul(vec![x, w]);
    /// b.define("y", Role::Output, y).unwrap();
    /// let model = b.finish().unwrap();
    /// assert_eq!(
    ///     Analysis::for_network(model, 16).unwrap_err(),
    ///     NetworkError::NoLoss("tiny".to_string())
    /// );
    /// ```
    pub fn for_network(model: Model, max_paths: u128) -> Result<Analysis, NetworkError> {
        let Some(name) = model.name().map(str::to_string) else {
            return Err(NetworkError::NotANetwork);
        };
        let Some(&loss) = model.with_role(Role::Loss).first() else {
            return Err(NetworkError::NoLoss(name));
        };
        if model.with_role(Role::Output).is_empty() {
            return Err(NetworkError::NoOutput(name));
        }
        let params = model.with_role(Role::Param);
        Ok(Analysis::of_symbols(model, loss, &params, max_paths))
    }
}
