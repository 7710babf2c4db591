//! The dependency rule, measured from the source: which top-level module may name which.
//!
//! Read from `crate::module` paths in the code of `src/` (comments and `#[cfg(test)]` modules
//! left out), the modules form layers with no cycle among them:
//!
//! ```text
//! leaves   record, spatial                 (name no other module of the crate)
//! domains  names → boundaries → addresses; signs → names; cemetery → boundaries
//! model    the layer catalogue, versions, changesets, the current state
//! above    queries, registry, store, io, publish, web, cli …
//! ```
//!
//! A change that makes a leaf or a domain reach up, or closes a circle, fails here with the
//! files that do it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LEAVES: [&str; 2] = ["record", "spatial"];
const DOMAINS: [&str; 5] = ["names", "boundaries", "addresses", "signs", "cemetery"];

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its unit-test module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The first path segments after each `crate::`, also inside `crate::{a::…, b}`.
fn named_modules(text: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Only the top level of the group: `a::{x, y}, b` names a and b.
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 0 => {
                        out.push(ident(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident(rest));
        }
    }
    out
}

/// For each module, the modules it names, with the files that name them.
fn graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        if !modules.contains(&from) {
            continue;
        }
        let text = code(&std::fs::read_to_string(file).unwrap());
        let named = named_modules(&text);
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        for to in named {
            if to != from && modules.contains(&to) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle_through(
    graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    start: &str,
) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let here = path.last().unwrap().clone();
        for next in graph.get(&here).into_iter().flat_map(|m| m.keys()) {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    walk(graph, start, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let graph = graph();
    for module in graph.keys() {
        if let Some(cycle) = cycle_through(&graph, module) {
            let how: Vec<String> = cycle
                .windows(2)
                .map(|w| format!("{} → {} ({:?})", w[0], w[1], graph[&w[0]][&w[1]]))
                .collect();
            panic!("import cycle: {}", how.join("; "));
        }
    }
}

#[test]
fn leaves_and_domains_reach_only_downwards() {
    let graph = graph();
    let mut wrong = Vec::new();
    for leaf in LEAVES {
        for (to, files) in graph.get(leaf).into_iter().flatten() {
            wrong.push(format!("{leaf} names {to} in {files:?}"));
        }
    }
    for domain in DOMAINS {
        for (to, files) in graph.get(domain).into_iter().flatten() {
            if !LEAVES.contains(&to.as_str()) && !DOMAINS.contains(&to.as_str()) {
                wrong.push(format!("{domain} names {to} in {files:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Files a person can hold in mind: none over 800 lines (split a growing file along its
/// seams, as `publish/map/` and `registry/cemetery/` are).
#[test]
fn no_source_file_is_over_800_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut long: Vec<(usize, String)> = files
        .iter()
        .map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines, f.strip_prefix(&src).unwrap().display().to_string())
        })
        .filter(|(lines, _)| *lines > 800)
        .collect();
    long.sort();
    assert!(long.is_empty(), "files over 800 lines: {long:?}");
}

/// Each layer declared once: outside its domain's folder and the demo, the layers that kept
/// their facts scattered (a sign, a marker, a plot, a grave, a zone) are named as a variant
/// (`Layer::Plot`, `Body::Plot`) in at most 4 files: the catalogue, `Body`, and what still
/// reads columns by layer (the file import).
#[test]
fn a_layer_is_named_in_few_files_outside_its_domain() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut over = Vec::new();
    for (variant, domain) in [
        ("Sign", "signs"),
        ("Marker", "boundaries"),
        ("Plot", "cemetery"),
        ("Grave", "cemetery"),
        ("Zone", "cemetery"),
    ] {
        let naming: Vec<String> = files
            .iter()
            .filter(|f| !matches!(module_of(&src, f).as_str(), m if m == domain || m == "demo"))
            .filter(|f| {
                let text = code(&std::fs::read_to_string(f).unwrap());
                ["Layer::", "Body::"].iter().any(|p| {
                    text.match_indices(&format!("{p}{variant}")).any(|(i, m)| {
                        !text[i + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    })
                })
            })
            .map(|f| f.strip_prefix(&src).unwrap().display().to_string())
            .collect();
        if naming.len() > 4 {
            over.push((variant, naming));
        }
    }
    assert!(
        over.is_empty(),
        "layers named in more than 4 files: {over:#?}"
    );
}
