//! One formula as a page shows it: MathML for the eye and its LaTeX source beside it, kept
//! together as a [`Formula`] from the moment they are printed, so a line's copy button always
//! copies the line shown.

use crate::dag::{Dag, NodeId, Symbol};
use crate::emit::mathml::{escape, float as mathml_float, mathml_name, partial};
use crate::emit::{latex_name, Latex, MathMl};

/// A formula in both notations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Formula {
    /// Presentation MathML without the `<math>` element.
    pub mathml: String,
    /// The same in LaTeX.
    pub latex: String,
}

/// What separates the two notations when a formula travels as one string through the shared
/// line layout (`pieces::blocks`); it occurs in neither.
const SEPARATOR: char = '\u{1}';

impl Formula {
    /// An expression of the DAG.
    pub fn expr(dag: &Dag, id: NodeId) -> Formula {
        // Without the printer's outer `<mrow>`, so that a product printed factor by factor and
        // the same product printed whole are the same text, and one of the two lines is left
        // out as the text printer leaves it out.
        let mathml = MathMl::new(dag, id).to_string();
        let inner = mathml
            .strip_prefix("<mrow>")
            .and_then(|m| m.strip_suffix("</mrow>"))
            .unwrap_or(&mathml);
        Formula {
            mathml: inner.to_string(),
            latex: Latex::new(dag, id).to_string(),
        }
    }

    /// A name.
    pub fn name(dag: &Dag, s: Symbol) -> Formula {
        Formula {
            mathml: mathml_name(dag.name(s)),
            latex: latex_name(dag.name(s)),
        }
    }

    /// The partial symbol `∂of/∂wrt`.
    pub fn partial(dag: &Dag, of: Symbol, wrt: Symbol) -> Formula {
        let (of, wrt) = (Formula::name(dag, of), Formula::name(dag, wrt));
        Formula {
            mathml: partial(&of.mathml, &wrt.mathml),
            latex: crate::emit::latex::partial(&of.latex, &wrt.latex),
        }
    }

    /// A number as every printer writes it (`?` when unknown).
    pub fn number(x: f64) -> Formula {
        let mut mathml = String::new();
        let _ = mathml_float(&mut mathml, x);
        let latex = if x.is_nan() {
            "?".to_string()
        } else {
            let mut dag = Dag::new();
            let id = dag.float(x);
            Latex::new(&dag, id).to_string()
        };
        Formula { mathml, latex }
    }

    /// Plain words inside a formula.
    pub fn text(words: &str) -> Formula {
        Formula {
            mathml: format!("<mtext>{}</mtext>", escape(words)),
            latex: format!("\\text{{{words}}}"),
        }
    }

    /// Formulas side by side, joined by an operator (`·`, or nothing).
    pub fn join(parts: &[Formula], mathml_op: &str, latex_op: &str) -> Formula {
        let mathml: Vec<&str> = parts.iter().map(|p| p.mathml.as_str()).collect();
        let latex: Vec<&str> = parts.iter().map(|p| p.latex.as_str()).collect();
        Formula {
            mathml: mathml.join(mathml_op),
            latex: latex.join(latex_op),
        }
    }

    /// Both notations as one string, for the shared line layout.
    pub fn pack(&self) -> String {
        format!("{}{SEPARATOR}{}", self.mathml, self.latex)
    }

    /// A string made by [`Formula::pack`] back as a formula.
    pub fn unpack(packed: &str) -> Formula {
        let (mathml, latex) = packed.split_once(SEPARATOR).unwrap_or((packed, ""));
        Formula {
            mathml: mathml.to_string(),
            latex: latex.to_string(),
        }
    }

    /// A `<math>` element showing the formula, with its LaTeX as an annotation (which a
    /// browser does not show and a copy button reads).
    pub fn element(&self, display_block: bool) -> String {
        let display = if display_block {
            " display=\"block\""
        } else {
            ""
        };
        format!(
            "<math{display}><semantics><mrow>{}</mrow><annotation encoding=\"application/x-tex\">{}</annotation></semantics></math>",
            self.mathml,
            escape(&self.latex)
        )
    }
}
