//! Where tenant scopes and found rows may come from, read off the sources: a
//! scope is made only by `auth` (from the membership or token a request
//! presented) or, for an organisation or account the operator names, by the
//! command line and the demo; a row an update accepts (`Owned`) is made only
//! by a finder, right after its scoped query.

use std::path::{Path, PathBuf};

pub(crate) fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // The browser tests' JavaScript packages, installed in place.
            if !path.ends_with("node_modules") {
                rust_files(&path, found);
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// Every file of `src/`, as (path relative to `src/`, text).
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read a source file");
            let relative = path
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, text)
        })
        .collect()
}

/// The name of the function each occurrence of `needle` is written in.
fn enclosing_functions(text: &str, needle: &str) -> Vec<String> {
    text.match_indices(needle)
        .map(|(at, _)| {
            text[..at]
                .rmatch_indices("fn ")
                .find_map(|(start, _)| {
                    let name: String = text[start + 3..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    (!name.is_empty()).then_some(name)
                })
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn the_function_around_a_call_is_found() {
    let sample = "fn find_customer() {\n    Owned::found_in(scope, row)\n}\n\
                  fn rename() {\n    Owned::found_in(scope, row)\n}\n";
    assert_eq!(
        enclosing_functions(sample, "Owned::found_in("),
        ["find_customer", "rename"]
    );
}

#[test]
fn only_finders_make_an_owned_row() {
    let mut makers = Vec::new();
    for (path, text) in sources() {
        for function in enclosing_functions(&text, "Owned::found_in(") {
            makers.push(format!("{path}: {function}"));
        }
    }
    let strays: Vec<_> = makers
        .iter()
        .filter(|maker| {
            !maker
                .split(": ")
                .nth(1)
                .is_some_and(|f| f.starts_with("find"))
        })
        .collect();
    assert!(
        strays.is_empty(),
        "Owned rows made outside a finder: {strays:?}"
    );
    assert!(
        makers.iter().any(|maker| maker.starts_with("customers/")),
        "the customers' finder makes Owned rows: {makers:?}"
    );
}

#[test]
fn only_the_command_line_and_the_demo_name_a_tenant_for_the_operator() {
    let callers: Vec<String> = sources()
        .into_iter()
        .filter(|(path, text)| path != "auth/scope.rs" && text.contains("::for_operator("))
        .map(|(path, _)| path)
        .collect();
    let strays: Vec<_> = callers
        .iter()
        .filter(|path| {
            let file = path.rsplit('/').next().unwrap_or(path);
            !matches!(file, "cli.rs" | "demo.rs") && !path.starts_with("cli/")
        })
        .collect();
    assert!(
        strays.is_empty(),
        "scopes named for the operator outside the command line: {strays:?}"
    );
}

#[test]
fn scopes_are_made_from_credentials_only_in_auth() {
    let makers: Vec<String> = sources()
        .into_iter()
        .filter(|(_, text)| text.contains("of_credential("))
        .map(|(path, _)| path)
        .collect();
    assert!(
        makers.iter().all(|path| path.starts_with("auth/")),
        "{makers:?}"
    );
    assert!(
        makers.iter().any(|path| path == "auth/members.rs"),
        "{makers:?}"
    );
}
