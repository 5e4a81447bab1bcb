//! `--collapse`: one vertex per layer of a scalar network. Vertices whose names share a prefix
//! and differ only by trailing indices (`x1`…`x10`, `w1_1_1`…`w1_10_10`), in the same role and
//! the same column, become one vertex named `first…last (count)`; the edges between two such
//! groups become one edge, labelled by their common partial if they share one, else by how many
//! partials it stands for.

use super::layers::depths;
use super::scene::{Link, Scene, Vertex};
use std::collections::HashMap;

/// The name a vertex is grouped by: without its trailing `_digits` indices (`w1_2_3` → `w1`),
/// or else without its trailing digits (`x10` → `x`).
fn prefix(name: &str) -> &str {
    let mut stem = name;
    while let Some((head, index)) = stem.rsplit_once('_') {
        if head.is_empty() || index.is_empty() || !index.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        stem = head;
    }
    if stem.len() < name.len() {
        return stem;
    }
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed.is_empty() {
        name
    } else {
        trimmed
    }
}

/// The scene with every layer of like-named vertices drawn as one.
pub(super) fn collapse(scene: &Scene) -> Scene {
    let depth = depths(scene);
    let mut group_of = vec![0usize; scene.vertices.len()];
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<(&str, u8, usize), usize> = HashMap::new();
    for (v, vertex) in scene.vertices.iter().enumerate() {
        let key = (prefix(&vertex.name), vertex.role as u8, depth[v]);
        let g = *by_key.entry(key).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[g].push(v);
        group_of[v] = g;
    }
    let vertices = members.iter().map(|m| group_vertex(scene, m)).collect();
    Scene {
        vertices,
        links: group_links(scene, &group_of),
        collapsed: true,
        ..scene.clone()
    }
}

/// The vertex standing for `members`: itself when alone, else `first…last (count)`.
fn group_vertex(scene: &Scene, members: &[usize]) -> Vertex {
    let first = &scene.vertices[members[0]];
    let Some(&last) = members.last().filter(|_| members.len() > 1) else {
        return first.clone();
    };
    Vertex {
        name: format!(
            "{}…{} ({})",
            first.name,
            scene.vertices[last].name,
            members.len()
        ),
        role: first.role,
        members: members.len(),
    }
}

/// One edge per pair of groups, in the order of their first edge.
fn group_links(scene: &Scene, group_of: &[usize]) -> Vec<Link> {
    let mut links: Vec<(Link, usize)> = Vec::new();
    let mut by_pair: HashMap<(usize, usize), usize> = HashMap::new();
    for l in &scene.links {
        let pair = (group_of[l.from], group_of[l.to]);
        match by_pair.get(&pair) {
            Some(&i) => {
                let (link, count) = &mut links[i];
                *count += 1;
                link.highlighted |= l.highlighted;
                if link.label != l.label {
                    link.label.clear();
                }
            }
            None => {
                by_pair.insert(pair, links.len());
                let (from, to) = pair;
                links.push((
                    Link {
                        from,
                        to,
                        ..l.clone()
                    },
                    1,
                ));
            }
        }
    }
    (links.into_iter())
        .map(|(mut link, count)| {
            if link.label.is_empty() {
                link.label = format!("{count} partials");
            }
            link
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::prefix;

    #[test]
    fn prefixes_drop_trailing_indices() {
        for (name, stem) in [
            ("w1_2_3", "w1"),
            ("h1_10", "h1"),
            ("x10", "x"),
            ("x_t", "x_t"),
            ("E", "E"),
            ("_1", "_"),
            ("12", "12"),
        ] {
            assert_eq!(prefix(name), stem, "{name}");
        }
    }
}
