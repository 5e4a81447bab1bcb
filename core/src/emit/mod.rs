//! Printers: one module per output format, each a borrowed view implementing `Display`, all
//! sharing one precedence table. Printers never simplify.

pub mod precedence;
mod text;

pub use text::{partial_symbol, Notation, Text};
