//! "Did you mean ...?": the closest known name to a misspelled one.

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
/// (at most one edit per three characters, and at least one character left in common). Ties go
/// to the earliest candidate, so suggestions follow source order. The CLI's `--params` uses it
/// too, so a misspelled param reads alike in a file and in JSON.
///
/// ```
/// assert_eq!(symdiff_grammar::closest("w_1", ["w1", "b1"]), Some("w1"));
/// assert_eq!(symdiff_grammar::closest("zzz", ["w1", "b1"]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let d = if candidate.eq_ignore_ascii_case(name) {
            0
        } else {
            distance(name, candidate)
        };
        if d <= limit && d < candidate.chars().count() && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_name() {
        assert_eq!(closest("s_1", ["x_t", "w1", "s1", "h"]), Some("s1"));
        assert_eq!(
            closest("sigmoidd", ["exp", "sigmoid", "sin"]),
            Some("sigmoid")
        );
        assert_eq!(closest("Relu", ["relu"]), Some("relu"));
        assert_eq!(closest("zzz", ["s1", "h"]), None);
        assert_eq!(closest("a", ["b"]), None);
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("ab", "ab"), 0);
    }
}
