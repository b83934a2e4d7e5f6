//! What no page may show people (issue 17): a Fluent message id instead of its
//! text, Fluent's own "unknown key" fallback or an argument left unfilled, and
//! the stored codes (`helpdesk_agent`, `monthly_usage`, `service_outage`) that
//! messages exist to name. The browser sweep runs it on the visible text of
//! every page, as every persona, in both languages.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

/// Every message id of both languages' Fluent files, but for those that are
/// also words of the messages themselves ("sign-in").
fn message_ids() -> &'static BTreeSet<String> {
    static IDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids = BTreeSet::new();
        let mut words = String::new();
        for lang in ["en", "fr"] {
            let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(lang);
            for entry in std::fs::read_dir(folder).expect("the locales folder") {
                let path = entry.expect("a locales entry").path();
                let text = std::fs::read_to_string(&path).expect("a Fluent file");
                for line in text.lines().filter(|line| !line.starts_with('#')) {
                    let value = line.split_once(" =").map_or(line, |(_, value)| value);
                    words.push_str(value);
                    words.push('\n');
                }
                ids.extend(
                    text.lines()
                        .filter(|line| !line.starts_with([' ', '#', '.', '\t', '}', '[', '*']))
                        .filter_map(|line| line.split_once(" ="))
                        .map(|(id, _)| id.trim().to_owned()),
                );
            }
        }
        ids.retain(|id| !words.contains(id.as_str()));
        ids
    })
}

fn pattern(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(source).expect("a valid pattern"))
}

/// The problems in `text`, the words people read on a page; empty when none.
pub fn unresolved(text: &str) -> Vec<String> {
    static KEY: OnceLock<Regex> = OnceLock::new();
    static CODE: OnceLock<Regex> = OnceLock::new();
    let mut problems = Vec::new();
    if text.contains("Unknown localization key") {
        problems.push("a message id Fluent does not know".to_owned());
    }
    if text.contains("{$") || text.contains("{ $") {
        problems.push("a message argument left unfilled".to_owned());
    }
    let ids = message_ids();
    for found in pattern(&KEY, r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b").find_iter(text) {
        if ids.contains(found.as_str()) {
            problems.push(format!(
                "the message id `{}` instead of its text",
                found.as_str()
            ));
        }
    }
    // snake_case words are stored codes; an address or a file name that
    // happens to hold an underscore is not (its neighbours say so).
    for found in pattern(&CODE, r"\b[a-z]+(?:_[a-z]+)+\b").find_iter(text) {
        let before = text[..found.start()].chars().next_back();
        let after = text[found.end()..].chars().next();
        let in_address = [before, after]
            .into_iter()
            .flatten()
            .any(|c| matches!(c, '@' | '.' | '/' | '-' | '_'));
        if !in_address {
            problems.push(format!("the raw code `{}`", found.as_str()));
        }
    }
    problems
}

#[test]
fn the_scan_finds_ids_codes_and_unfilled_arguments_and_passes_plain_text() {
    assert!(unresolved("Customers 1–50 of 300 · Sales agent → Helpdesk agent").is_empty());
    assert!(unresolved("ada_lovelace@contoso.example wrote").is_empty());
    assert_eq!(unresolved("Role: helpdesk_agent").len(), 1);
    assert_eq!(unresolved("annual → monthly_usage").len(), 1);
    assert_eq!(unresolved("customers-title").len(), 1);
    assert_eq!(unresolved("Unknown localization key: \"x\"").len(), 1);
    assert_eq!(unresolved("Page {$page} of 3").len(), 1);
}
