//! The data region a customer's country picks: the data centre closest to the
//! customer. The countries themselves, every ISO 3166-1 one, are in
//! `crate::places::countries`.
//!
//! A country's region is, in this order: the settings' override
//! (`[data_regions]` in partnerdesk.toml, or `PARTNERDESK_DATA_REGIONS__FR=eu-west`),
//! the few defaults below, else one derived from where the country's proposed
//! time zone lies (see [`derived_region`] and the README).

use std::collections::BTreeMap;

use chrono::TimeZone;
use chrono_tz::OffsetComponents;

use crate::config::Settings;
pub use crate::places::countries::Country;

/// Countries whose region is not the one their part of the world gets.
const DEFAULT_REGIONS: &[(&str, &str)] = &[("CA", "ca-central"), ("GB", "uk-south")];

pub fn country(code: &str) -> Option<&'static Country> {
    crate::places::countries::find(code)
}

/// The data region for a customer residing in `country`: the settings'
/// override, else the default.
pub fn data_region(settings: &Settings, country: &Country) -> String {
    region_in(&settings.data_regions, country)
}

fn region_in(overrides: &BTreeMap<String, String>, country: &Country) -> String {
    overrides
        .get(country.code)
        .cloned()
        .unwrap_or_else(|| default_region(country).to_owned())
}

/// The region a country gets when the settings say nothing of it.
pub fn default_region(country: &Country) -> &'static str {
    DEFAULT_REGIONS
        .iter()
        .find(|(code, _)| *code == country.code)
        .map_or_else(|| derived_region(country.zone()), |(_, region)| region)
}

/// The region of a part of the world, from the tz region of the country's
/// zone and, where a tz region spans two data centres' sides, its standard
/// offset from UTC:
///
/// - Europe, Africa, the Arctic: `eu-central`;
/// - the Americas: `us-east`;
/// - Asia: `eu-central` up to UTC+4 (the Middle East, the Caucasus), else
///   `ap-southeast`; Australia and the Pacific: `ap-southeast`;
/// - the Atlantic islands: `us-east` at UTC−3 or west of it (Bermuda, the
///   Falklands), else `eu-central`; the Indian Ocean: `eu-central` up to UTC+4
///   (Madagascar, Réunion, Mauritius), else `ap-southeast`; Antarctica by its
///   stations' offsets likewise;
/// - no zone at all (Bouvet Island, Heard Island): `eu-central`.
pub fn derived_region(zone: Option<chrono_tz::Tz>) -> &'static str {
    let Some(zone) = zone else {
        return "eu-central";
    };
    // The standard offset, summer time aside, on a fixed day.
    let hours = zone
        .with_ymd_and_hms(2025, 1, 15, 12, 0, 0)
        .single()
        .map_or(0, |t| t.offset().base_utc_offset().num_minutes())
        / 60;
    match zone.name().split('/').next().unwrap_or_default() {
        "America" => "us-east",
        "Australia" | "Pacific" => "ap-southeast",
        "Asia" | "Indian" if hours <= 4 => "eu-central",
        "Asia" | "Indian" => "ap-southeast",
        "Atlantic" | "Antarctica" if hours <= -3 => "us-east",
        "Antarctica" if hours >= 5 => "ap-southeast",
        _ => "eu-central",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::countries;

    /// The 38 countries of the earlier hand-made list and the region each had.
    const EARLIER: &[(&str, &str)] = &[
        ("AR", "us-east"),
        ("AT", "eu-central"),
        ("AU", "ap-southeast"),
        ("BE", "eu-central"),
        ("BR", "us-east"),
        ("CA", "ca-central"),
        ("CH", "eu-central"),
        ("CL", "us-east"),
        ("CN", "ap-southeast"),
        ("CZ", "eu-central"),
        ("DE", "eu-central"),
        ("DK", "eu-central"),
        ("DZ", "eu-central"),
        ("ES", "eu-central"),
        ("FI", "eu-central"),
        ("FR", "eu-central"),
        ("GB", "uk-south"),
        ("GR", "eu-central"),
        ("HK", "ap-southeast"),
        ("IE", "eu-central"),
        ("IN", "ap-southeast"),
        ("IT", "eu-central"),
        ("JP", "ap-southeast"),
        ("LU", "eu-central"),
        ("MA", "eu-central"),
        ("MX", "us-east"),
        ("NL", "eu-central"),
        ("NO", "eu-central"),
        ("NZ", "ap-southeast"),
        ("PL", "eu-central"),
        ("PT", "eu-central"),
        ("RO", "eu-central"),
        ("SE", "eu-central"),
        ("SG", "ap-southeast"),
        ("SN", "eu-central"),
        ("TN", "eu-central"),
        ("US", "us-east"),
        ("ZA", "eu-central"),
    ];

    #[test]
    fn the_earlier_countries_keep_their_regions() {
        for (code, region) in EARLIER {
            let country = countries::find(code).expect("an ISO country");
            assert_eq!(default_region(country), *region, "{code}");
        }
    }

    #[test]
    fn other_countries_get_their_part_of_the_worlds_region() {
        let region = |code: &str| countries::find(code).map(default_region);
        assert_eq!(region("AE"), Some("eu-central"));
        assert_eq!(region("KR"), Some("ap-southeast"));
        assert_eq!(region("CO"), Some("us-east"));
        assert_eq!(region("FK"), Some("us-east"));
        assert_eq!(region("IS"), Some("eu-central"));
        assert_eq!(region("RE"), Some("eu-central"));
        assert_eq!(region("MV"), Some("ap-southeast"));
        assert_eq!(region("WS"), Some("ap-southeast"));
        assert_eq!(region("BV"), Some("eu-central"));
    }

    #[test]
    fn settings_override_the_default() {
        let overrides = BTreeMap::from([("FR".to_owned(), "eu-west".to_owned())]);
        let france = countries::find("FR").expect("France");
        assert_eq!(region_in(&overrides, france), "eu-west");
        let spain = countries::find("ES").expect("Spain");
        assert_eq!(region_in(&overrides, spain), "eu-central");
    }
}
