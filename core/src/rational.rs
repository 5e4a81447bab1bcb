//! Exact rational numbers: the coefficients and literals of symbolic formulas.
//!
//! `0.5` is kept as `1/2` and `1/2·(y_t - y)^2` stays exact through differentiation. Every
//! operation is checked: one that would overflow returns `None`, and the caller keeps the
//! operation symbolic instead of rounding.

use std::cmp::Ordering;
use std::fmt;

/// A reduced fraction `num/den` with `den > 0`.
///
/// ```
/// use symdiff_core::Rational;
/// let half = Rational::parse_decimal("0.5").unwrap();
/// assert_eq!(half, Rational::new(1, 2).unwrap());
/// assert_eq!(half.checked_add(half), Some(Rational::integer(1)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Rational {
    num: i64,
    den: i64,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One.
    pub const ONE: Rational = Rational { num: 1, den: 1 };
    /// Minus one.
    pub const MINUS_ONE: Rational = Rational { num: -1, den: 1 };

    /// The whole number `n`.
    pub const fn integer(n: i64) -> Rational {
        Rational { num: n, den: 1 }
    }

    /// `num/den` reduced; `None` when `den` is zero or the result does not fit.
    pub fn new(num: i64, den: i64) -> Option<Rational> {
        Self::from_i128(num as i128, den as i128)
    }

    fn from_i128(num: i128, den: i128) -> Option<Rational> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = -num;
            den = -den;
        }
        Some(Rational {
            num: i64::try_from(num).ok()?,
            den: i64::try_from(den).ok()?,
        })
    }

    /// Parses a decimal literal (`3`, `0.731`, `1e-3`, `2.5E2`) exactly; `None` when it does not
    /// fit an `i64` fraction (the caller keeps it as a float).
    pub fn parse_decimal(text: &str) -> Option<Rational> {
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        let digits = format!("{whole}{frac}");
        let mut num: i128 = 0;
        for c in digits.chars() {
            let d = c.to_digit(10)? as i128;
            num = num.checked_mul(10)?.checked_add(d)?;
        }
        let scale = exponent - frac.len() as i32;
        if scale.unsigned_abs() > 38 {
            return if num == 0 { Some(Rational::ZERO) } else { None };
        }
        let pow = 10i128.checked_pow(scale.unsigned_abs())?;
        if scale >= 0 {
            Self::from_i128(num.checked_mul(pow)?, 1)
        } else {
            Self::from_i128(num, pow)
        }
    }

    /// The numerator (carries the sign).
    pub fn numer(self) -> i64 {
        self.num
    }

    /// The denominator (always positive).
    pub fn denom(self) -> i64 {
        self.den
    }

    /// Whether this is a whole number.
    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Whether this is one.
    pub fn is_one(self) -> bool {
        self.num == 1 && self.den == 1
    }

    /// Whether this is below zero.
    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Rational) -> Option<Rational> {
        let (a, b, c, d) = self.wide(other);
        Self::from_i128(
            a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?,
            b.checked_mul(d)?,
        )
    }

    /// `self · other`, or `None` on overflow.
    pub fn checked_mul(self, other: Rational) -> Option<Rational> {
        let (a, b, c, d) = self.wide(other);
        Self::from_i128(a.checked_mul(c)?, b.checked_mul(d)?)
    }

    /// `-self`, or `None` on overflow.
    pub fn checked_neg(self) -> Option<Rational> {
        Some(Rational {
            num: self.num.checked_neg()?,
            den: self.den,
        })
    }

    /// `1/self`, or `None` for zero.
    pub fn checked_recip(self) -> Option<Rational> {
        Self::from_i128(self.den as i128, self.num as i128)
    }

    /// `self^exponent` for a whole exponent, or `None` on overflow or `0^negative`.
    pub fn checked_powi(self, exponent: i64) -> Option<Rational> {
        let base = if exponent < 0 {
            self.checked_recip()?
        } else {
            self
        };
        let e = u32::try_from(exponent.unsigned_abs()).ok()?;
        Self::from_i128(
            (base.num as i128).checked_pow(e)?,
            (base.den as i128).checked_pow(e)?,
        )
    }

    fn wide(self, other: Rational) -> (i128, i128, i128, i128) {
        (
            self.num as i128,
            self.den as i128,
            other.num as i128,
            other.den as i128,
        )
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rational {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b, c, d) = self.wide(*other);
        (a * d).cmp(&(c * b))
    }
}

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Rational::parse_decimal("0.731"), Rational::new(731, 1000));
        assert_eq!(Rational::parse_decimal("1e-3"), Rational::new(1, 1000));
        assert_eq!(
            Rational::parse_decimal("2.5E2"),
            Some(Rational::integer(250))
        );
        assert_eq!(Rational::parse_decimal("1e400"), None);
        assert_eq!(Rational::parse_decimal("0e400"), Some(Rational::ZERO));
    }

    #[test]
    fn arithmetic_reduces_and_checks_overflow() {
        let third = Rational::new(1, 3).unwrap();
        assert_eq!(
            third.checked_add(third).unwrap(),
            Rational::new(2, 3).unwrap()
        );
        assert_eq!(third.checked_powi(-2), Some(Rational::integer(9)));
        assert_eq!(
            Rational::integer(i64::MAX).checked_mul(Rational::integer(2)),
            None
        );
        assert_eq!(Rational::ZERO.checked_recip(), None);
        assert!(Rational::new(-1, 2).unwrap() < Rational::ZERO);
    }
}
