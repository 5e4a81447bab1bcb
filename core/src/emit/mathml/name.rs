//! Users' names as MathML: digits and underscores become subscripts (`w1` → `w` with subscript
//! `1`, `y_t` → `y` with subscript `t`), an element's subscripts (`w1[j,i]`) follow in brackets,
//! and adjoint names (`∂E/∂h1`) become partial-derivative fractions: the same reading of names as
//! the LaTeX printer's `latex_name`.

/// Text escaped for XML (names come from the user).
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A user's name as MathML: `w1` → `<msub><mi>w</mi><mn>1</mn></msub>`, `∂E/∂w1` → a
/// partial-derivative fraction, `w1[j,i]` → `w1` followed by `[j,i]`.
///
/// ```
/// use symdiff_core::emit::mathml_name;
/// assert_eq!(mathml_name("w1"), "<msub><mi>w</mi><mn>1</mn></msub>");
/// assert_eq!(mathml_name("y_t"), "<msub><mi>y</mi><mi>t</mi></msub>");
/// assert_eq!(mathml_name("x"), "<mi>x</mi>");
/// ```
pub fn mathml_name(text: &str) -> String {
    if let Some(rest) = text.strip_prefix('∂') {
        if let Some((of, wrt)) = rest.split_once("/∂") {
            return partial(&mathml_name(of), &mathml_name(wrt));
        }
    }
    if let Some((base, rest)) = text.split_once('[') {
        let inner = rest.strip_suffix(']').unwrap_or(rest);
        let mut out = format!("<mrow>{}<mo stretchy=\"false\">[</mo>", mathml_name(base));
        for (i, part) in inner.split(',').enumerate() {
            if i > 0 {
                out.push_str("<mo separator=\"true\">,</mo>");
            }
            out.push_str(&atom(part.trim()));
        }
        out.push_str("<mo stretchy=\"false\">]</mo></mrow>");
        return out;
    }
    let (base, sub) = match text.split_once('_') {
        Some((base, sub)) if !base.is_empty() && !sub.is_empty() => (base, sub.replace('_', ",")),
        _ => {
            let digits = text.len() - text.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (base, sub) = text.split_at(text.len() - digits);
            if base.is_empty() {
                (text, String::new())
            } else {
                (base, sub.to_string())
            }
        }
    };
    if sub.is_empty() {
        identifier(base)
    } else {
        format!("<msub>{}{}</msub>", identifier(base), atom(&sub))
    }
}

/// The partial-derivative fraction of two MathML names: `∂of/∂wrt`.
///
/// ```
/// use symdiff_core::emit::mathml::partial;
/// assert_eq!(
///     partial("<mi>E</mi>", "<mi>y</mi>"),
///     "<mfrac><mrow><mi>∂</mi><mi>E</mi></mrow><mrow><mi>∂</mi><mi>y</mi></mrow></mfrac>"
/// );
/// ```
pub fn partial(of: &str, wrt: &str) -> String {
    format!("<mfrac><mrow><mi>∂</mi>{of}</mrow><mrow><mi>∂</mi>{wrt}</mrow></mfrac>")
}

/// A name's base: one letter in italics (MathML's default for a one-letter `mi`), a longer one
/// in italics too, as the LaTeX printer's `\mathit`.
fn identifier(base: &str) -> String {
    if base.chars().count() > 1 {
        format!("<mi mathvariant=\"italic\">{}</mi>", escape(base))
    } else {
        format!("<mi>{}</mi>", escape(base))
    }
}

/// A subscript: digits as a number, anything else as an identifier.
fn atom(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == ',') {
        format!("<mn>{}</mn>", escape(text))
    } else {
        format!("<mi>{}</mi>", escape(text))
    }
}
