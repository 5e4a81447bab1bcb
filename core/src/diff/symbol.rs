//! The partial-derivative symbol (`∂E/∂w1`), the name every adjoint is given, and the
//! notation that chooses its characters.

/// Which characters a text printer uses.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Notation {
    /// `·`, `π`, `∂`
    #[default]
    Unicode,
    /// `*`, `pi`, `d`
    Ascii,
}

/// The partial-derivative symbol `∂E/∂w1` (ASCII: `dE/dw1`), as the adjoints are named.
///
/// ```
/// use symdiff_core::{partial_symbol, Notation};
/// assert_eq!(partial_symbol("E", "w1", Notation::Unicode), "∂E/∂w1");
/// assert_eq!(partial_symbol("E", "w1", Notation::Ascii), "dE/dw1");
/// ```
pub fn partial_symbol(of: &str, wrt: &str, notation: Notation) -> String {
    let d = match notation {
        Notation::Unicode => "∂",
        Notation::Ascii => "d",
    };
    [d, of, "/", d, wrt].concat()
}
