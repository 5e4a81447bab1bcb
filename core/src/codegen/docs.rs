//! The rustdoc of `gradient`: the derived formulas in the lecture's notation.

use super::source::write_doc;
use crate::analysis::Analysis;
use crate::diff::{partial_symbol, Notation};
use crate::emit::Text;

/// `gradient`'s rustdoc lists at most this many formulas of each kind (gradients, adjoints):
/// beyond that a page of bullet points helps nobody, and `symdiff grad` prints every one.
pub(super) const MAX_DOC_FORMULAS: usize = 256;

/// The rustdoc of `gradient`: every param's derived formula in the lecture's notation (the first
/// [`MAX_DOC_FORMULAS`] of a larger network, with a count of the rest).
pub(super) fn write_gradient_docs(out: &mut String, analysis: &Analysis) {
    let model = &analysis.model;
    let dag = &model.dag;
    let of = model.name_of(analysis.of());
    write_doc(
        out,
        format_args!(
            "The loss `{of}` of one sample and its gradient, `∂{of}/∂w` for every param `w`:"
        ),
    );
    write_doc(out, "");
    let gradients = &analysis.derivation.gradients;
    let factored = gradients.iter().any(|g| g.path_sum.is_none());
    for g in gradients.iter().take(MAX_DOC_FORMULAS) {
        let symbol = partial_symbol(of, model.name_of(g.wrt), Notation::Unicode);
        let formula = Text::new(dag, g.formula());
        if g.path_sum.is_some() {
            write_doc(out, format_args!("- `{symbol} = {formula}`"));
        } else {
            write_doc(
                out,
                format_args!(
                    "- `{symbol} = {formula}` (factored form of {} paths)",
                    g.path_count
                ),
            );
        }
    }
    more(out, gradients.len(), "gradients");
    if factored {
        write_doc(out, "");
        write_doc(out, "where, accumulated backwards:");
        write_doc(out, "");
        let adjoints = &analysis.derivation.adjoints.entries;
        for a in adjoints.iter().take(MAX_DOC_FORMULAS) {
            write_doc(
                out,
                format_args!(
                    "- `{} = {}`",
                    model.name_of(a.symbol),
                    Text::new(dag, a.formula)
                ),
            );
        }
        more(out, adjoints.len(), "adjoints");
    }
    write_doc(out, "");
    write_doc(
        out,
        "The body is the factored form: one `let` per vertex forward, one `d_` adjoint per vertex backward.",
    );
}

/// `- ... and N more gradients (symdiff grad prints them all)` past [`MAX_DOC_FORMULAS`].
fn more(out: &mut String, total: usize, what: &str) {
    if total > MAX_DOC_FORMULAS {
        write_doc(
            out,
            format_args!(
                "- ... and {} more {what} (`symdiff grad` prints every formula)",
                total - MAX_DOC_FORMULAS
            ),
        );
    }
}
