//! Printers: one module per output format, each a borrowed view implementing `Display`, all
//! sharing one precedence table. Printers never simplify.

mod dot;
pub(crate) mod float;
pub mod indexed;
pub mod latex;
pub mod mathml;
pub mod precedence;
mod sum;
mod svg;
mod text;

pub use dot::Dot;
pub use latex::{latex_name, Latex};
pub use mathml::{mathml_name, MathMl};
pub use svg::Svg;
pub use text::Text;
