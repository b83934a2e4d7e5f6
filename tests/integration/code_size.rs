//! Files and functions a reader can hold in their head: no `.rs` file under
//! `src/` or `tests/` over 500 lines, no function over 80, read off the
//! sources as plain text.

use std::path::Path;

use crate::tenant_scope::rust_files;

const FILE_LINES_MAX: usize = 500;
const FUNCTION_LINES_MAX: usize = 80;

/// The name of the function a line declares, with its indentation: `fn`
/// after any of `pub`, `pub(…)`, `async`, `const`, `unsafe`.
fn declared_function(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    let mut rest = rest;
    if let Some(after) = rest.strip_prefix("pub(") {
        rest = after.split_once(") ")?.1;
    } else if let Some(after) = rest.strip_prefix("pub ") {
        rest = after;
    }
    for qualifier in ["async ", "const ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name = rest.strip_prefix("fn ")?;
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    (end > 0).then(|| (indent, &name[..end]))
}

/// Every function of `text` longer than `max` lines, with its length: from
/// its `fn` line to the closing brace at the same indentation. Declarations
/// without a body (ending in `;`) and one-line functions are not counted.
fn long_functions(text: &str, max: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some((indent, name)) = declared_function(line) else {
            continue;
        };
        let Some(open) = (start..lines.len()).find(|&i| {
            let line = lines[i].trim_end();
            line.ends_with('{') || line.ends_with(';') || line.ends_with('}')
        }) else {
            continue;
        };
        if !lines[open].trim_end().ends_with('{') {
            continue;
        }
        let closing = format!("{indent}}}");
        let close = (open + 1..lines.len())
            .find(|&i| lines[i].trim_end() == closing)
            .unwrap_or(lines.len() - 1);
        let length = close - start + 1;
        if length > max {
            found.push((name.to_owned(), length));
        }
    }
    found
}

#[test]
fn the_scanner_finds_a_long_function_and_passes_a_short_one() {
    let body = "    step();\n".repeat(5);
    let sample = format!(
        "pub(crate) async fn long(\n    a: u8,\n) -> u8 {{\n{body}    if a > 0 {{\n        a\n    }}\n}}\n\n\
         fn short() {{\n    step();\n}}\n\nfn declared();\nfn one_line() {{ step() }}\n\n\
         impl Thing {{\n    pub fn inner() {{\n{body}    }}\n}}\n"
    );
    assert_eq!(
        long_functions(&sample, 6),
        vec![("long".to_owned(), 12), ("inner".to_owned(), 7)]
    );
    assert_eq!(long_functions(&sample, 12), Vec::new());
}

#[test]
fn no_file_over_500_lines_and_no_function_over_80() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    let mut problems = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        let shown = path.strip_prefix(root).unwrap_or(path).display();
        let length = text.lines().count();
        if length > FILE_LINES_MAX {
            problems.push(format!("{shown}: {length} lines"));
        }
        for (name, length) in long_functions(&text, FUNCTION_LINES_MAX) {
            problems.push(format!("{shown}: fn {name}, {length} lines"));
        }
    }
    assert!(files.len() > 100, "{} files read", files.len());
    assert!(
        problems.is_empty(),
        "at most {FILE_LINES_MAX} lines a file and {FUNCTION_LINES_MAX} a function:\n{}",
        problems.join("\n")
    );
}
