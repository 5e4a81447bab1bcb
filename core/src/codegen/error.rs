//! Why a model cannot be emitted as a network module.

use crate::network::NetworkError;
use std::fmt;

/// Why a model cannot be emitted as a network module.
#[derive(Clone, PartialEq, Debug)]
pub enum RustError {
    /// Free-standing definitions: there is no network name, no params and no loss.
    NotANetwork,
    /// The network declares no `loss`.
    NoLoss(String),
    /// The network declares no `output`.
    NoOutput(String),
    /// The analysis differentiates something other than the network's loss with respect to
    /// its params.
    NotTheLossGradient(String),
    /// A name that is not a Rust identifier.
    InvalidName(String),
    /// An indexed network with a formula generated code does not cover yet (a power whose
    /// exponent is a variable, through the two-argument logarithm of its derivative).
    Unsupported(String),
    /// The emitted source does not lex as Rust: a bug in symdiff, reported rather than a panic.
    InvalidSource(String),
}

impl fmt::Display for RustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustError::NotANetwork => write!(
                f,
                "free-standing definitions are not a network: write `network NAME {{ ... }}` with \
                 `input`, `param`, `output` and `loss` to generate code"
            ),
            RustError::NoLoss(n) => write!(
                f,
                "network `{n}` has no `loss`: generated code needs one to differentiate (`loss E = ...`)"
            ),
            RustError::NoOutput(n) => write!(
                f,
                "network `{n}` has no `output`: `forward` needs one (`output y = ...`)"
            ),
            RustError::NotTheLossGradient(n) => write!(
                f,
                "network `{n}`: generated code differentiates the loss with respect to every param"
            ),
            RustError::Unsupported(n) => write!(
                f,
                "network `{n}`: code generation for indexed layers does not cover a power with a \
                 variable exponent yet; the symdiff CLI evaluates it"
            ),
            RustError::InvalidName(n) => write!(f, "`{n}` is not a valid Rust identifier"),
            RustError::InvalidSource(e) => write!(
                f,
                "symdiff emitted Rust that does not lex ({e}): this is a bug in symdiff, please report it"
            ),
        }
    }
}

impl std::error::Error for RustError {}

impl From<NetworkError> for RustError {
    fn from(e: NetworkError) -> RustError {
        match e {
            NetworkError::NotANetwork => RustError::NotANetwork,
            NetworkError::NoLoss(name) => RustError::NoLoss(name),
            NetworkError::NoOutput(name) => RustError::NoOutput(name),
        }
    }
}
