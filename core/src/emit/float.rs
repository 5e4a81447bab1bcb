//! How every printer writes a float: the shortest decimal that reads back as the same `f64`, in
//! exponent form when very large or very small. The cut-offs live here only; the text and LaTeX
//! printers and the explanations all ask [`FloatText::new`].

use std::fmt;

/// Magnitudes from this one up print in exponent form.
const LARGE: f64 = 1e16;
/// Magnitudes below this one (except zero) print in exponent form.
const SMALL: f64 = 1e-4;

/// A float with the form it prints in; `Display` writes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum FloatText {
    /// Plain decimal digits: `0.25`, `-3`, `-0`, `NaN`.
    Plain(f64),
    /// Exponent form: `1.5e-7`, `2e16`, `inf`.
    Exponent(f64),
}

impl FloatText {
    /// The form `x` prints in.
    pub(crate) fn new(x: f64) -> FloatText {
        if x != 0.0 && (x.abs() >= LARGE || x.abs() < SMALL) {
            FloatText::Exponent(x)
        } else {
            FloatText::Plain(x)
        }
    }
}

impl fmt::Display for FloatText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FloatText::Plain(x) => write!(f, "{x}"),
            FloatText::Exponent(x) => write!(f, "{x:e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FloatText;

    #[test]
    fn plain_between_the_cut_offs_and_exponent_outside() {
        let text = |x: f64| FloatText::new(x).to_string();
        assert_eq!(text(0.25), "0.25");
        assert_eq!(text(-0.0), "-0");
        assert_eq!(text(1e-4), "0.0001");
        assert_eq!(text(9.5e-5), "9.5e-5");
        assert_eq!(text(1e15), "1000000000000000");
        assert_eq!(text(-1e16), "-1e16");
        assert_eq!(text(f64::INFINITY), "inf");
        assert_eq!(text(f64::NAN), "NaN");
    }
}
