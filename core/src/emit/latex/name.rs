//! Users' names as LaTeX: digits and underscores become subscripts (`w1` → `w_{1}`, `y_t` →
//! `y_{t}`), longer names are set in `\mathit`, and adjoint names (`∂E/∂h1`) become
//! partial-derivative fractions.

/// A user's name as LaTeX: `w1` → `w_{1}`, `y_t` → `y_{t}`, `w_3_2` → `w_{3,2}`, `loss` →
/// `\mathit{loss}`, and an adjoint name `∂E/∂h1` → `\frac{\partial E}{\partial h_{1}}`.
///
/// ```
/// use symdiff_core::emit::latex_name;
/// assert_eq!(latex_name("w1"), "w_{1}");
/// assert_eq!(latex_name("∂E/∂y_t"), "\\frac{\\partial E}{\\partial y_{t}}");
/// ```
pub fn latex_name(text: &str) -> String {
    if let Some(rest) = text.strip_prefix('∂') {
        if let Some((of, wrt)) = rest.split_once("/∂") {
            return partial(&latex_name(of), &latex_name(wrt));
        }
    }
    let (base, sub) = match text.split_once('_') {
        Some((base, sub)) if !base.is_empty() => (base.to_string(), sub.replace('_', ",")),
        _ => {
            let digits = text.len() - text.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (base, sub) = text.split_at(text.len() - digits);
            if base.is_empty() {
                (text.to_string(), String::new())
            } else {
                (base.to_string(), sub.to_string())
            }
        }
    };
    let base = if base.chars().count() > 1 {
        format!("\\mathit{{{}}}", base.replace('_', "\\_"))
    } else {
        base
    };
    if sub.is_empty() {
        base
    } else {
        format!("{base}_{{{sub}}}")
    }
}

/// The partial-derivative fraction of two LaTeX names.
///
/// ```
/// use symdiff_core::emit::latex::partial;
/// assert_eq!(partial("E", "w_{1}"), "\\frac{\\partial E}{\\partial w_{1}}");
/// ```
pub fn partial(of: &str, wrt: &str) -> String {
    format!("\\frac{{\\partial {of}}}{{\\partial {wrt}}}")
}
