//! The layering ARCHITECTURE.md states, checked on the source: dependencies between the
//! modules of the product crate point one way at every level (no two sibling modules
//! reach each other through `crate::` or `super::` paths), and the crates depend on
//! each other in one direction only.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

type ModulePath = Vec<String>;

fn api_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `http/graphql.rs` is `[http, graphql]`, `http/mod.rs` is `[http]`, `lib.rs` is `[]`.
fn module_of(root: &Path, file: &Path) -> ModulePath {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut path: ModulePath = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
        path.pop();
    }
    path
}

fn identifier(text: &[u8], mut at: usize) -> (String, usize) {
    let start = at;
    while at < text.len() && (text[at].is_ascii_alphanumeric() || text[at] == b'_') {
        at += 1;
    }
    (String::from_utf8_lossy(&text[start..at]).into_owned(), at)
}

fn skip_spaces(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && text[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// The paths of a use tree starting at `at` (`a::b`, `{a::b, c::{d, e}}`), each as
/// segments; returns where the tree ends.
fn use_tree(text: &[u8], at: usize) -> (Vec<ModulePath>, usize) {
    let at = skip_spaces(text, at);
    if text.get(at) == Some(&b'{') {
        let mut paths = Vec::new();
        let mut at = at + 1;
        loop {
            at = skip_spaces(text, at);
            match text.get(at) {
                None => return (paths, at),
                Some(b'}') => return (paths, at + 1),
                Some(b',') => at += 1,
                Some(_) => {
                    let (mut inner, end) = use_tree(text, at);
                    paths.append(&mut inner);
                    at = if end == at { at + 1 } else { end };
                }
            }
        }
    }
    let (name, end) = identifier(text, at);
    if name.is_empty() {
        return (Vec::new(), at);
    }
    if text[end..].starts_with(b"::") {
        let (rest, end) = use_tree(text, end + 2);
        if rest.is_empty() {
            return (vec![vec![name]], end);
        }
        let paths = rest
            .into_iter()
            .map(|mut p| {
                p.insert(0, name.clone());
                p
            })
            .collect();
        return (paths, end);
    }
    (vec![vec![name]], end)
}

/// The module paths a file refers to, made absolute; inline `mod tests` blocks are left
/// out, as the shared `module-cycles` tool does.
fn references(text: &str, module: &ModulePath) -> Vec<ModulePath> {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (prefix, relative) in [("crate::", false), ("super::", true)] {
        let mut from = 0;
        while let Some(offset) = text[from..].find(prefix) {
            let at = from + offset;
            from = at + prefix.len();
            let glued = at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            if glued || (relative && at >= 2 && &bytes[at - 2..at] == b"::") {
                continue;
            }
            let base: ModulePath = if relative {
                // `super` of `a/b.rs` and of `a/b/mod.rs` (both module `a::b`) is `a`.
                module[..module.len().saturating_sub(1)].to_vec()
            } else {
                Vec::new()
            };
            let (paths, _) = use_tree(bytes, from);
            for path in paths {
                let mut absolute = base.clone();
                absolute.extend(path.into_iter().filter(|s| s != "self"));
                found.push(absolute);
            }
        }
    }
    found
}

/// For every module, the edges between its child modules: `a → b` when something under
/// `a` refers to something under `b`.
fn sibling_edges() -> BTreeMap<ModulePath, BTreeMap<String, BTreeSet<String>>> {
    let root = api_src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut edges: BTreeMap<ModulePath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        if file.file_name().is_some_and(|n| n == "main.rs") {
            continue; // the binary: its `crate::` is another crate
        }
        let module = module_of(&root, &file);
        let text = std::fs::read_to_string(&file).unwrap();
        for target in references(&text, &module) {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if let (Some(from), Some(to)) = (module.get(common), target.get(common))
                && to.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            {
                edges
                    .entry(module[..common].to_vec())
                    .or_default()
                    .entry(from.clone())
                    .or_default()
                    .insert(to.clone());
            }
        }
    }
    edges
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(node) = todo.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    false
}

#[test]
fn no_two_modules_of_the_product_import_each_other() {
    let mut cycles = Vec::new();
    for (parent, graph) in sibling_edges() {
        for (from, targets) in &graph {
            for to in targets {
                if from < to && reaches(&graph, to, from) {
                    cycles.push(format!("{}: {from} <-> {to}", parent.join("::")));
                }
            }
        }
    }

    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_relative_paths() {
    let module = vec!["http".to_owned(), "graphql".to_owned()];
    let text =
        "use super::{negotiate::MediaType, problem};\nuse crate::{auth::Principal, graphql};\n";

    let found = references(text, &module);

    for expected in [
        vec!["http", "negotiate", "MediaType"],
        vec!["http", "problem"],
        vec!["auth", "Principal"],
        vec!["graphql"],
    ] {
        assert!(
            found.iter().any(|p| p == &expected),
            "{expected:?} in {found:?}"
        );
    }
}

fn dependencies(manifest: &str) -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(manifest)).unwrap();
    let table: toml::Table = text.parse().unwrap();
    ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|section| table.get(*section).and_then(|v| v.as_table()))
        .flat_map(|deps| deps.keys().cloned())
        .collect()
}

#[test]
fn crates_depend_on_each_other_one_way() {
    let product = dependencies("../api/Cargo.toml");
    let entities = dependencies("../entities/Cargo.toml");

    assert!(!product.contains("passerelle-fixtures"), "{product:?}");
    assert!(!product.contains("passerelle-tests"), "{product:?}");
    assert!(
        entities.is_disjoint(
            &["async-graphql", "axum", "passerelle"]
                .map(str::to_owned)
                .into()
        ),
        "{entities:?}"
    );
}
