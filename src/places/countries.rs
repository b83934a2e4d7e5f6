//! The ISO 3166-1 countries (249 of them), their names in English and French
//! from CLDR, and the time zones of each from CLDR's zone identifiers.

use std::sync::LazyLock;

use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::locale;
use icu_locale_core::subtags::Region;

use super::zones;
use crate::i18n::Lang;

/// The zone proposed for a country that has several: its capital's, or its
/// most populous region's when the capital's zone is not the one most people
/// live in. A unit test checks every country with several zones is here, so
/// a tz release that splits a country cannot go unnoticed.
pub const PRIMARY_ZONES: &[(&str, &str)] = &[
    ("AQ", "Antarctica/McMurdo"),
    ("AR", "America/Argentina/Buenos_Aires"),
    ("AU", "Australia/Sydney"),
    ("BR", "America/Sao_Paulo"),
    ("CA", "America/Toronto"),
    ("CD", "Africa/Kinshasa"),
    ("CL", "America/Santiago"),
    ("CN", "Asia/Shanghai"),
    ("CY", "Asia/Nicosia"),
    ("DE", "Europe/Berlin"),
    ("EC", "America/Guayaquil"),
    ("ES", "Europe/Madrid"),
    ("FM", "Pacific/Pohnpei"),
    ("GL", "America/Nuuk"),
    ("ID", "Asia/Jakarta"),
    ("KI", "Pacific/Tarawa"),
    ("KZ", "Asia/Almaty"),
    ("MH", "Pacific/Majuro"),
    ("MN", "Asia/Ulaanbaatar"),
    ("MX", "America/Mexico_City"),
    ("MY", "Asia/Kuala_Lumpur"),
    ("NZ", "Pacific/Auckland"),
    ("PF", "Pacific/Tahiti"),
    ("PG", "Pacific/Port_Moresby"),
    ("PS", "Asia/Hebron"),
    ("PT", "Europe/Lisbon"),
    ("RU", "Europe/Moscow"),
    ("UA", "Europe/Kyiv"),
    ("UM", "Pacific/Midway"),
    ("US", "America/New_York"),
    ("UZ", "Asia/Tashkent"),
];

pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: &'static str,
    name_en: String,
    name_fr: String,
    /// The country's zones (canonical tz names), the proposed one first; none
    /// for the few uninhabited territories CLDR gives no zone (BV, HM).
    pub zones: Vec<chrono_tz::Tz>,
}

impl Country {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Fr => &self.name_fr,
        }
    }

    /// The time zone proposed for a customer in this country.
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        self.zones.first().copied()
    }
}

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(load);

/// The countries' positions in `COUNTRIES`, sorted by name in each language.
static SORTED: LazyLock<[Vec<usize>; 2]> = LazyLock::new(|| {
    let sorted = |lang: Lang| {
        let mut order: Vec<usize> = (0..COUNTRIES.len()).collect();
        order.sort_by(|a, b| {
            super::compare(lang, COUNTRIES[*a].name(lang), COUNTRIES[*b].name(lang))
        });
        order
    };
    [sorted(Lang::En), sorted(Lang::Fr)]
});

fn load() -> Vec<Country> {
    let names = |lang| RegionDisplayNames::try_new(lang, DisplayNamesOptions::default()).ok();
    let english = names(locale!("en").into());
    let french = names(locale!("fr").into());
    let name_of = |names: &Option<RegionDisplayNames>, code: &str| {
        Region::try_from_str(code)
            .ok()
            .and_then(|region| names.as_ref()?.of(region).map(str::to_owned))
            .unwrap_or_else(|| code.to_owned())
    };
    rust_iso3166::ALL_ALPHA2
        .iter()
        .map(|code| {
            let mut zones = zones::of_country(code);
            if let Some((_, primary)) = PRIMARY_ZONES.iter().find(|(c, _)| c == code)
                && let Some(at) = zones.iter().position(|z| z.name() == *primary)
            {
                let primary = zones.remove(at);
                zones.insert(0, primary);
            }
            Country {
                code,
                name_en: name_of(&english, code),
                name_fr: name_of(&french, code),
                zones,
            }
        })
        .collect()
}

pub fn all() -> &'static [Country] {
    &COUNTRIES
}

/// The country of an ISO 3166-1 alpha-2 code, in any case.
pub fn find(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// The countries sorted by their name in `lang`, for a select.
pub fn sorted_for(lang: Lang) -> impl Iterator<Item = &'static Country> {
    let order = match lang {
        Lang::En => &SORTED[0],
        Lang::Fr => &SORTED[1],
    };
    order.iter().map(|i| &COUNTRIES[*i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_iso_country_is_named_in_both_languages() {
        assert_eq!(all().len(), 249);
        for country in all() {
            assert_ne!(country.name(Lang::En), country.code, "{}", country.code);
            assert_ne!(country.name(Lang::Fr), country.code, "{}", country.code);
        }
        let de = find("de").expect("Germany");
        assert_eq!(
            (de.name(Lang::En), de.name(Lang::Fr)),
            ("Germany", "Allemagne")
        );
        assert_eq!(find("CI").map(|c| c.name(Lang::En)), Some("Côte d’Ivoire"));
        assert!(find("XX").is_none());
        assert!(find("EU").is_none());
    }

    #[test]
    fn countries_propose_their_capitals_zone() {
        let zone = |code: &str| find(code).and_then(Country::zone).map(|z| z.name());
        assert_eq!(zone("FR"), Some("Europe/Paris"));
        assert_eq!(zone("US"), Some("America/New_York"));
        assert_eq!(zone("AR"), Some("America/Argentina/Buenos_Aires"));
        assert_eq!(zone("IN"), Some("Asia/Kolkata"));
        assert_eq!(zone("HR"), Some("Europe/Zagreb"));
        // Every inhabited country has a zone.
        let without: Vec<&str> = all()
            .iter()
            .filter(|c| c.zones.is_empty())
            .map(|c| c.code)
            .collect();
        assert!(
            without.iter().all(|c| ["BV", "HM"].contains(c)),
            "{without:?}"
        );
    }

    #[test]
    fn every_country_with_several_zones_has_its_primary_chosen() {
        let undecided: Vec<String> = all()
            .iter()
            .filter(|c| c.zones.len() > 1)
            .filter(|c| {
                PRIMARY_ZONES
                    .iter()
                    .find(|(code, _)| *code == c.code)
                    .is_none_or(|(_, zone)| c.zones[0].name() != *zone)
            })
            .map(|c| {
                let names: Vec<&str> = c.zones.iter().map(|z| z.name()).collect();
                format!("{}: {}", c.code, names.join(", "))
            })
            .collect();
        assert!(undecided.is_empty(), "{undecided:#?}");
        for (code, _) in PRIMARY_ZONES {
            assert!(find(code).is_some_and(|c| c.zones.len() > 1), "{code}");
        }
    }

    #[test]
    fn names_are_sorted_the_readers_way() {
        let french: Vec<&str> = sorted_for(Lang::Fr).map(|c| c.name(Lang::Fr)).collect();
        let egypt = french.iter().position(|n| *n == "Égypte");
        let spain = french.iter().position(|n| *n == "Espagne");
        let zimbabwe = french.iter().position(|n| *n == "Zimbabwe");
        assert!(egypt < spain && spain < zimbabwe, "{french:?}");
        assert_eq!(sorted_for(Lang::En).next().map(|c| c.code), Some("AF"));
    }
}
