//! The layering of symdiff-core, enforced: every `crate::` path in a module's code (comments and
//! `#[cfg(test)]` modules aside) names a module of a lower layer, or its own. An import against
//! the pipeline (the differentiator reaching for a printer, a printer for the explainer) fails
//! here, naming the file, the line and the two layers.
//!
//! The crates themselves (grammar -> core -> macros, CLI) are layered by Cargo, which rejects a
//! dependency cycle; this test is about the modules inside core. ARCHITECTURE.md states the
//! same table.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first; a module may use its own layer's modules only where the layer
/// says so (the DAG's parts are one data structure and use each other).
const LAYERS: &[(&str, &[&str], bool)] = &[
    // (layer, modules, modules of the layer may use each other)
    ("numbers", &["op", "rational", "hash", "numerics"], true),
    (
        "dag",
        &["dag", "children", "symbols", "marks", "fraction"],
        true,
    ),
    ("simplify", &["simplify"], false),
    ("model", &["model", "derived", "stabilize"], true),
    ("depgraph", &["depgraph"], false),
    ("diff", &["diff"], false),
    ("eval", &["eval"], false),
    ("analysis", &["analysis", "network", "indexed"], true),
    ("printers", &["emit"], false),
    ("reasons", &["undefined"], false),
    ("readers", &["explain", "codegen"], false),
];

/// Test support (`testing.rs`, compiled only for tests) may be used from anywhere, and uses
/// anything.
const ANYWHERE: &[&str] = &["testing"];

fn layer_of(module: &str) -> Option<(usize, bool)> {
    LAYERS
        .iter()
        .position(|(_, modules, _)| modules.contains(&module))
        .map(|k| (k, LAYERS[k].2))
}

/// Whether `from` may use `to`.
fn allowed(from: &str, to: &str) -> bool {
    if from == to || ANYWHERE.contains(&to) {
        return true;
    }
    match (layer_of(from), layer_of(to)) {
        (Some((a, within)), Some((b, _))) => b < a || (a == b && within),
        _ => false,
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file of `core/src` belongs to (`diff/adjoint.rs` -> `diff`).
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).expect("under src");
    let first = rel.components().next().expect("a component");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate root's re-exports: `Dag` -> `dag`, `Text` -> `emit`.
fn reexports() -> HashMap<String, String> {
    let lib = fs::read_to_string(src().join("lib.rs")).expect("lib.rs");
    let mut map = HashMap::new();
    for statement in lib.split(';') {
        let statement = statement.trim();
        let Some(rest) = statement.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let item = item.trim();
            let name = item.rsplit(" as ").next().unwrap_or(item).trim();
            let name = name.rsplit("::").next().unwrap_or(name);
            if !name.is_empty() {
                map.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    map
}

/// The code of a file without comments and without its `#[cfg(test)]` module (which, by the
/// codebase's convention, comes last).
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|l| l.trim_start().starts_with("mod "))
        {
            break;
        }
        // A comment line stays as an empty line, so that line numbers stay the file's.
        if !trimmed.starts_with("//") {
            out.push_str(line.split(" // ").next().unwrap_or(line));
        }
        out.push('\n');
    }
    out
}

/// Every module a piece of code names through `crate::`, with the line it is named on.
fn used_modules(code: &str, reexports: &HashMap<String, String>) -> Vec<(usize, String)> {
    let mut used = Vec::new();
    let resolve = |name: &str| reexports.get(name).cloned().unwrap_or(name.to_string());
    for (k, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::C}`: up to the closing brace, on this line or the next ones.
                let end = group.find('}').unwrap_or(group.len());
                let mut items: Vec<&str> = group[..end].split(',').collect();
                if end == group.len() {
                    items.extend(code.lines().skip(k + 1).take_while(|l| !l.contains('}')));
                }
                for item in items {
                    let first = item.trim().split("::").next().unwrap_or("").trim();
                    let first = first.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
                    if !first.is_empty() && first != "self" {
                        used.push((k + 1, resolve(first)));
                    }
                }
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.push((k + 1, resolve(&name)));
            }
        }
    }
    used
}

#[test]
fn every_import_points_down_the_pipeline() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let reexports = reexports();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in files.iter().filter(|f| !f.ends_with("lib.rs")) {
        let from = module_of(file);
        if ANYWHERE.contains(&from.as_str()) {
            continue;
        }
        assert!(
            layer_of(&from).is_some() || ANYWHERE.contains(&from.as_str()),
            "{} is in no layer: add `{from}` to LAYERS here and in ARCHITECTURE.md",
            file.display()
        );
        let code = code_of(&fs::read_to_string(file).expect("readable"));
        for (line, to) in used_modules(&code, &reexports) {
            checked += 1;
            if !allowed(&from, &to) {
                wrong.push(format!(
                    "{}:{line}: `{from}` uses `{to}`, a module of the same or a later layer",
                    file.display()
                ));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} paths found: the scan is broken"
    );
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_finds_paths_groups_and_reexports() {
    let reexports: HashMap<String, String> = [("Text".to_string(), "emit".to_string())]
        .into_iter()
        .collect();
    let code = code_of(
        "use crate::dag::{Dag, Node};\n// use crate::explain::X;\nuse crate::{simplify, Text};\nfn f() { crate::emit::Dot::new(); }\n#[cfg(test)]\nmod tests {\n use crate::codegen;\n}\n",
    );
    let used: Vec<String> = used_modules(&code, &reexports)
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    assert_eq!(used, ["dag", "simplify", "emit", "emit"]);
    assert!(allowed("diff", "simplify") && allowed("explain", "emit"));
    assert!(!allowed("diff", "emit") && !allowed("emit", "explain"));
    assert!(!allowed("explain", "codegen") && !allowed("simplify", "diff"));
    assert!(allowed("dag", "marks") && allowed("marks", "dag"));
}
