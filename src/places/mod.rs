//! Countries and time zones, for every page that asks for one or shows a time.
//!
//! No list here is kept by hand: the countries are the ISO 3166-1 list of the
//! `rust_iso3166` crate, named in English and French by Unicode's CLDR (ICU4X's
//! display names); the time zones are the IANA zones of `chrono-tz` that CLDR
//! holds as canonical (ICU4X's `IanaParserExtended`: "Asia/Kolkata", not the
//! legacy "Asia/Calcutta", "US/Eastern" or "Etc/GMT+3"), each tied to its
//! country by its CLDR identifier ("frpar" is Europe/Paris, in FR). The one
//! choice made here is which zone a country with several proposes
//! ([`countries::PRIMARY_ZONES`]). Names are sorted the reader's way by ICU4X's
//! collator ("Égypte" with the E's in French).
//!
//! The module depends on `i18n` only, so any feature can use it.

pub mod countries;
pub mod zones;

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::locale;

use crate::i18n::Lang;

/// A collator for each language: French and English order words alike at
/// this level (accents matter only between otherwise equal words).
static COLLATORS: LazyLock<[Option<CollatorBorrowed<'static>>; 2]> = LazyLock::new(|| {
    let make = |prefs: CollatorPreferences| {
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Tertiary);
        CollatorBorrowed::try_new(prefs, options).ok()
    };
    [make(locale!("en").into()), make(locale!("fr").into())]
});

/// Compares two names as a reader of `lang` expects them in a list:
/// "Égypte" between "Équateur"'s neighbours, not after "Zimbabwe". Falls back
/// to code-point order should the collation data be missing.
pub fn compare(lang: Lang, left: &str, right: &str) -> Ordering {
    let index = match lang {
        Lang::En => 0,
        Lang::Fr => 1,
    };
    match &COLLATORS[index] {
        Some(collator) => collator.compare(left, right).then_with(|| left.cmp(right)),
        None => left.cmp(right),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_the_readers_way() {
        let mut names = vec![
            "Zimbabwe",
            "Égypte",
            "Espagne",
            "Eswatini",
            "Afrique du Sud",
        ];
        names.sort_by(|a, b| compare(Lang::Fr, a, b));
        assert_eq!(
            names,
            [
                "Afrique du Sud",
                "Égypte",
                "Espagne",
                "Eswatini",
                "Zimbabwe"
            ]
        );
    }
}
