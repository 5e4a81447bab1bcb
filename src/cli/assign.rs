//! `--at name=value,name=value`: parsed by clap (a malformed value is a usage error, status 2);
//! the names are checked against the model later (an unknown name is an input error, status 1).

/// The pairs of one `--at`, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment(pub Vec<(String, f64)>);

/// Parses `x_t=1,y_t=1,w1=0.5`.
pub fn parse_assignment(text: &str) -> Result<Assignment, String> {
    let mut pairs = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not of the form name=value"))?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("`{}` is not a number (in `{part}`)", value.trim()))?;
        if !value.is_finite() {
            return Err(format!("`{part}`: the value must be a finite number"));
        }
        pairs.push((name.trim().to_string(), value));
    }
    if pairs.is_empty() {
        return Err("expected name=value pairs separated by commas".to_string());
    }
    Ok(Assignment(pairs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_parse_and_bad_values_are_refused() {
        assert_eq!(
            parse_assignment("x_t=1, w1=-0.5").unwrap(),
            Assignment(vec![("x_t".into(), 1.0), ("w1".into(), -0.5)])
        );
        assert!(parse_assignment("x_t").is_err());
        assert!(parse_assignment("x=abc").is_err());
        assert!(parse_assignment("x=nan").is_err());
    }
}
