//! `--at name=value,name=value`: parsed by clap (a malformed value is a usage error, status 2);
//! the names are checked against the model later (an unknown name is an input error, status 1).
//!
//! For indexed networks a name may be an element (`w1[2,1]=0.5`, 1-based) and a value a whole
//! small array (`x=[1,2,3]`, `w=[[1,2],[3,4]]`), which is spelled out here by element
//! (`x[1]=1,x[2]=2,x[3]=3`). Commas inside brackets do not separate pairs.

/// The pairs of one `--at`, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment(pub Vec<(String, f64)>);

/// Parses `x_t=1,y_t=1,w1=0.5`, `w1[2,1]=0.5` and `x=[1,2,3]`.
pub fn parse_assignment(text: &str) -> Result<Assignment, String> {
    let mut pairs = Vec::new();
    for part in split_outside_brackets(text)
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not of the form name=value"))?;
        let (name, value) = (name.trim(), value.trim());
        if value.starts_with('[') {
            let values = parse_list(value).map_err(|e| format!("`{part}`: {e}"))?;
            for (position, v) in values {
                let at: Vec<String> = position.iter().map(usize::to_string).collect();
                pairs.push((format!("{name}[{}]", at.join(",")), v));
            }
            continue;
        }
        let value: f64 = value
            .parse()
            .map_err(|_| format!("`{value}` is not a number (in `{part}`)"))?;
        if !value.is_finite() {
            return Err(format!("`{part}`: the value must be a finite number"));
        }
        let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        pairs.push((name, value));
    }
    if pairs.is_empty() {
        return Err("expected name=value pairs separated by commas".to_string());
    }
    Ok(Assignment(pairs))
}

/// `text` split at the commas that are not inside `[...]`.
fn split_outside_brackets(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A nested list of numbers, each with its 1-based position (`[[1,2],[3,4]]` gives
/// `([1,1], 1)`, `([1,2], 2)`, ...). Every row must have the same length.
fn parse_list(text: &str) -> Result<Vec<(Vec<usize>, f64)>, String> {
    let mut out = Vec::new();
    let mut position: Vec<usize> = Vec::new();
    let mut number = String::new();
    let flush = |number: &mut String, position: &[usize], out: &mut Vec<(Vec<usize>, f64)>| {
        let cell = number.trim();
        if cell.is_empty() {
            return Ok(());
        }
        let v: f64 = cell
            .parse()
            .map_err(|_| format!("`{cell}` is not a number"))?;
        if !v.is_finite() {
            return Err(format!("`{cell}`: the value must be a finite number"));
        }
        out.push((position.to_vec(), v));
        number.clear();
        Ok(())
    };
    for c in text.chars() {
        match c {
            '[' => {
                if let Some(last) = position.last_mut() {
                    *last += 1;
                }
                position.push(0);
            }
            ']' => {
                if !number.trim().is_empty() {
                    *position.last_mut().ok_or("unbalanced `]`")? += 1;
                }
                flush(&mut number, &position, &mut out)?;
                position.pop().ok_or("unbalanced `]`")?;
            }
            ',' => {
                if !number.trim().is_empty() {
                    *position.last_mut().ok_or("a number outside brackets")? += 1;
                }
                flush(&mut number, &position, &mut out)?;
            }
            c => {
                if position.is_empty() {
                    return Err("text after the closing `]`".to_string());
                }
                number.push(c);
            }
        }
    }
    if !position.is_empty() {
        return Err("an unclosed `[`".to_string());
    }
    let ranks: Vec<usize> = out.iter().map(|(p, _)| p.len()).collect();
    if ranks.windows(2).any(|w| w[0] != w[1]) {
        return Err("rows nested to different depths".to_string());
    }
    Ok(out)
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

    #[test]
    fn elements_and_arrays_are_spelled_out_by_element() {
        assert_eq!(
            parse_assignment("w1[2,1]=0.5,x=[1, 2],w=[[1,2],[3,4]]").unwrap(),
            Assignment(vec![
                ("w1[2,1]".into(), 0.5),
                ("x[1]".into(), 1.0),
                ("x[2]".into(), 2.0),
                ("w[1,1]".into(), 1.0),
                ("w[1,2]".into(), 2.0),
                ("w[2,1]".into(), 3.0),
                ("w[2,2]".into(), 4.0),
            ])
        );
        assert!(parse_assignment("x=[1,[2]]").is_err());
        assert!(parse_assignment("x=[1,2").is_err());
    }
}
