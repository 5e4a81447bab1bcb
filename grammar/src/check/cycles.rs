//! Definitions that depend on themselves, directly (`a = a + 1`) or through others
//! (`a = b; b = a`), found by an iterative depth-first search.

use super::table::Table;
use super::uses::Uses;
use crate::diagnostic::{Diagnostic, Lines};

/// Reports one cycle per group of definitions that depend on each other, naming it in
/// dependency order from its earliest definition: `a -> b -> a`.
pub(super) fn check(table: &Table<'_>, uses: &Uses, src: &Lines<'_>, out: &mut Vec<Diagnostic>) {
    let n = table.entries.len();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; n];
    let mut in_reported = vec![false; n];
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        // The DFS path: (definition, index of the next use to follow).
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&used) = uses.of(node).get(*next) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            *next += 1;
            let used = used as usize;
            // Only definitions can close a cycle: a declared name uses nothing.
            if table.entries[used].rhs.is_none() {
                continue;
            }
            match state[used] {
                State::New => {
                    state[used] = State::OnPath;
                    path.push((used, 0));
                }
                State::OnPath if !in_reported[used] => {
                    let from = path.iter().position(|&(p, _)| p == used).unwrap_or(0);
                    let cycle: Vec<usize> = path[from..].iter().map(|&(p, _)| p).collect();
                    for &c in &cycle {
                        in_reported[c] = true;
                    }
                    out.push(report(table, &cycle, src));
                }
                State::OnPath | State::Done => {}
            }
        }
    }
}

/// How many names of a cycle are spelled out; a longer cycle shows its ends and its length.
const SHOWN: usize = 8;

fn report(table: &Table<'_>, cycle: &[usize], src: &Lines<'_>) -> Diagnostic {
    // Start from the earliest definition in the source; keep the dependency order.
    let start = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
    let ordered: Vec<usize> = cycle[start..]
        .iter()
        .chain(&cycle[..start])
        .copied()
        .collect();
    let name = |i: usize| table.entries[ordered[i % ordered.len()]].name;
    let n = ordered.len();
    let names: Vec<&str> = if n <= SHOWN {
        (0..=n).map(name).collect()
    } else {
        let head = (0..SHOWN / 2).map(name);
        let tail = (n - SHOWN / 2..=n).map(name);
        head.chain(["..."]).chain(tail).collect()
    };
    let first = table.entries[ordered[0]];
    let mut d = Diagnostic::error(
        first.span.range(),
        format!("definitions form a cycle: {}", names.join(" -> ")),
    );
    if n > SHOWN {
        d = d.with_help(format!("note: the cycle runs through {n} definitions"));
    } else {
        for &i in &ordered[1..] {
            let e = table.entries[i];
            d = d.with_help(format!(
                "note: `{}` is defined at {}",
                e.name,
                src.line_col(e.span.range().start)
            ));
        }
    }
    d.with_help("help: a definition cannot depend on itself, directly or through others")
}
