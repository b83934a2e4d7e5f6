//! The "Where the code lives" table of docs/architecture.md (the README
//! points to it) names every top-level module of `src/`, and nothing else, so
//! a newcomer finds a feature's code in one guess.

use std::collections::BTreeSet;

fn read(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_module_table_names_every_top_level_module_and_only_those() {
    let modules: BTreeSet<String> = read("src/lib.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod "))
        .map(|name| name.trim_end_matches(';').to_owned())
        .collect();
    let readme = read("docs/architecture.md");
    let section = readme
        .split("## Where the code lives")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a 'Where the code lives' section");
    let listed: BTreeSet<String> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect();
    let missing: Vec<_> = modules.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&modules).collect();
    assert!(
        missing.is_empty(),
        "modules docs/architecture.md does not list: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "docs/architecture.md rows with no module: {stale:?}"
    );
    assert!(modules.len() > 20, "{modules:?}");
}

/// The top-level modules of `src/` each module's code names (`crate::x`, and
/// `crate::{x, y}`), comments left out.
fn module_imports() -> std::collections::BTreeMap<String, BTreeSet<String>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: Vec<String> = read("src/lib.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod "))
        .map(|name| name.trim_end_matches(';').to_owned())
        .collect();
    let mut imports = std::collections::BTreeMap::new();
    for module in &modules {
        let mut files = Vec::new();
        let single = root.join(format!("{module}.rs"));
        if single.exists() {
            files.push(single);
        }
        let mut folders = vec![root.join(module)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut named = BTreeSet::new();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("a source file");
            let code: String = text
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            named.extend(crate_paths(&code));
        }
        named.retain(|name| name != module && modules.contains(name));
        imports.insert(module.clone(), named);
    }
    imports
}

/// The first segment of every `crate::` path in `code`, braces included.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut segment_start = true;
            let mut name = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !name.is_empty() {
                            found.insert(std::mem::take(&mut name));
                        }
                        segment_start = true;
                    }
                    c if segment_start && (c.is_ascii_alphanumeric() || c == '_') => name.push(c),
                    _ if segment_start && !name.is_empty() => {
                        found.insert(std::mem::take(&mut name));
                        segment_start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                found.insert(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

/// Each import from one module to another that lies on a cycle: both ends are
/// in the same strongly connected component of the import graph.
fn edges_on_cycles(
    imports: &std::collections::BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(module) = todo.pop() {
            if module == to {
                return true;
            }
            if seen.insert(module.clone()) {
                todo.extend(imports.get(&module).into_iter().flatten().cloned());
            }
        }
        false
    };
    imports
        .iter()
        .flat_map(|(from, named)| named.iter().map(move |to| (from, to)))
        .filter(|(from, to)| reaches(to, from))
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect()
}

/// No top-level module imports one that imports it back, directly or through
/// others: the crate is layered (see docs/architecture.md).
#[test]
fn no_import_cycle_between_top_level_modules() {
    let on_cycles = edges_on_cycles(&module_imports());
    assert!(
        on_cycles.is_empty(),
        "imports that close a cycle between top-level modules: {on_cycles:?}"
    );
}

#[test]
fn a_cycle_through_a_third_module_is_found() {
    let graph = |edges: &[(&str, &str)]| {
        let mut imports = std::collections::BTreeMap::<String, BTreeSet<String>>::new();
        for (from, to) in edges {
            imports
                .entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
        }
        imports
    };
    let layered = graph(&[("web", "auth"), ("customers", "web"), ("customers", "auth")]);
    assert!(edges_on_cycles(&layered).is_empty());
    let cyclic = graph(&[
        ("web", "auth"),
        ("auth", "tenancy"),
        ("tenancy", "web"),
        ("customers", "web"),
    ]);
    let expected: BTreeSet<String> = ["web -> auth", "auth -> tenancy", "tenancy -> web"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(edges_on_cycles(&cyclic), expected);
}

#[test]
fn crate_paths_are_read_from_plain_and_grouped_imports() {
    let found = crate_paths(
        "use crate::db::{self, DbPool};\nuse crate::{customers, routes::ROUTES, web as pages};\nlet x = crate::i18n::Lang::En;",
    );
    let expected: BTreeSet<String> = ["db", "customers", "routes", "web", "i18n"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(found, expected);
}
