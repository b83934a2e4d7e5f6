//! Time zones: the canonical IANA zones grouped by region for the picker, the
//! country of each, reading a zone from a form, and naming a reader's zone.

use std::sync::LazyLock;

use chrono::NaiveDateTime;
use icu_time::zone::iana::IanaParserExtended;

use super::countries;
use crate::i18n::{Lang, Translator};

/// The regions of the tz database's names, in the picker's order, with the
/// message ids of their group labels.
const REGIONS: [(&str, &str); 10] = [
    ("Europe", "tz-region-europe"),
    ("America", "tz-region-america"),
    ("Africa", "tz-region-africa"),
    ("Asia", "tz-region-asia"),
    ("Australia", "tz-region-australia"),
    ("Pacific", "tz-region-pacific"),
    ("Atlantic", "tz-region-atlantic"),
    ("Indian", "tz-region-indian"),
    ("Antarctica", "tz-region-antarctica"),
    ("Arctic", "tz-region-arctic"),
];

/// One canonical zone of a region.
struct Zone {
    tz: chrono_tz::Tz,
    /// Index in `REGIONS`.
    region: usize,
    /// ISO 3166-1 code of its country, from its CLDR identifier.
    country: Option<String>,
}

/// The canonical zones CLDR knows and chrono-tz can compute, in tz-name order.
static ZONES: LazyLock<Vec<Zone>> = LazyLock::new(|| {
    let mut zones: Vec<Zone> = IanaParserExtended::new()
        .iter()
        .filter_map(|entry| {
            let region = REGIONS
                .iter()
                .position(|(r, _)| entry.canonical.split('/').next() == Some(r))?;
            let tz = entry.canonical.parse::<chrono_tz::Tz>().ok()?;
            let country = country_of(entry.time_zone.as_str());
            Some(Zone {
                tz,
                region,
                country,
            })
        })
        .collect();
    zones.sort_by(|a, b| a.tz.name().cmp(b.tz.name()));
    zones.dedup_by(|a, b| a.tz == b.tz);
    zones
});

/// CLDR identifiers that do not start with their zone's country: older
/// names, or a UN/LOCODE given before the territory had its own ISO code.
const IRREGULAR_IDS: &[(&str, &str)] = &[
    ("ancur", "CW"),
    ("fimhq", "AX"),
    ("gazastrp", "PS"),
    ("gpmsb", "MF"),
    ("gpsbh", "BL"),
    ("hebron", "PS"),
    ("jeruslm", "IL"),
];

/// The country of a CLDR zone identifier: most are UN/LOCODEs, the ISO
/// country code and then a place ("frpar" is Paris, in FR).
fn country_of(id: &str) -> Option<String> {
    if let Some((_, country)) = IRREGULAR_IDS.iter().find(|(known, _)| *known == id) {
        return Some((*country).to_owned());
    }
    (id.len() >= 5 && id.is_ascii()).then(|| id[..2].to_ascii_uppercase())
}

/// The canonical zones of the country `code`, in tz-name order.
pub(super) fn of_country(code: &str) -> Vec<chrono_tz::Tz> {
    ZONES
        .iter()
        .filter(|z| z.country.as_deref() == Some(code))
        .map(|z| z.tz)
        .collect()
}

/// The zone of a canonical name, UTC for CLDR's "Etc/UTC" and "Etc/GMT".
fn from_canonical(name: &str) -> Option<chrono_tz::Tz> {
    match name {
        "Etc/UTC" | "Etc/GMT" => Some(chrono_tz::UTC),
        _ => name.parse().ok(),
    }
}

/// The canonical name of a zone: "Asia/Kolkata" for "Asia/Calcutta". A zone
/// CLDR does not know, or whose canonical name chrono-tz lacks, stays as it is.
pub fn canonical(tz: chrono_tz::Tz) -> chrono_tz::Tz {
    from_canonical(IanaParserExtended::new().parse(tz.name()).canonical).unwrap_or(tz)
}

/// Why a zone typed or sent was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneError {
    Required,
    Unknown,
}

impl ZoneError {
    pub fn message_key(self) -> &'static str {
        match self {
            ZoneError::Required => "field-required",
            ZoneError::Unknown => "places-zone-unknown",
        }
    }
}

/// A zone as a form or a file sends it: an IANA name in any case, legacy
/// aliases included, stored under its canonical name ("asia/calcutta" is
/// Asia/Kolkata). A city alone ("Paris") is refused.
pub fn parse(raw: &str) -> Result<chrono_tz::Tz, ZoneError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ZoneError::Required);
    }
    if value.len() > 64 {
        return Err(ZoneError::Unknown);
    }
    if let Some(tz) = from_canonical(IanaParserExtended::new().parse(value).canonical) {
        return Ok(tz);
    }
    value
        .parse::<chrono_tz::Tz>()
        .map(canonical)
        .map_err(|_| ZoneError::Unknown)
}

/// The place of a zone as people read it: "New York" for America/New_York,
/// "Buenos Aires" for America/Argentina/Buenos_Aires, "UTC" for UTC.
pub fn city(tz: chrono_tz::Tz) -> String {
    let name = tz.name();
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

pub struct ZoneGroup {
    /// The group's label, translated.
    pub label: String,
    pub zones: Vec<ZoneOption>,
}

pub struct ZoneOption {
    /// The tz name, sent by the form.
    pub name: String,
    /// The place and its country: "Paris (France)", "Center, North Dakota
    /// (United States)".
    pub label: String,
}

fn label(zone: &Zone, lang: Lang) -> String {
    let mut parts: Vec<&str> = zone.tz.name().split('/').skip(1).collect();
    let place = parts.pop().unwrap_or_default().replace('_', " ");
    let country = zone
        .country
        .as_deref()
        .and_then(countries::find)
        .map(|c| (c.name(Lang::En), c.name(lang)));
    // "America/Indiana/Knox": the state tells two places apart; "Argentina"
    // in "America/Argentina/Salta" only repeats the country.
    let within: Vec<String> = parts
        .iter()
        .filter(|p| country.is_none_or(|(english, _)| **p != english))
        .map(|p| p.replace('_', " "))
        .collect();
    let mut label = place;
    for part in within.iter().rev() {
        label = format!("{label}, {part}");
    }
    match country {
        Some((_, name)) if !name.eq_ignore_ascii_case(&label) => format!("{label} ({name})"),
        _ => label,
    }
}

/// Every zone of the picker by region, then UTC, each group sorted the
/// reader's way. `chosen` is offered too when it is none of them (a legacy
/// alias stored earlier, or a refused value shown back), in a last group.
pub fn groups(chosen: &str, tr: &Translator) -> Vec<ZoneGroup> {
    let lang = tr.lang;
    let mut groups: Vec<ZoneGroup> = REGIONS
        .iter()
        .map(|(_, key)| ZoneGroup {
            label: tr.t(key),
            zones: Vec::new(),
        })
        .collect();
    for zone in ZONES.iter() {
        groups[zone.region].zones.push(ZoneOption {
            name: zone.tz.name().to_owned(),
            label: label(zone, lang),
        });
    }
    for group in &mut groups {
        group
            .zones
            .sort_by(|a, b| super::compare(lang, &a.label, &b.label));
    }
    groups.push(ZoneGroup {
        label: tr.t("places-zone-group-utc"),
        zones: vec![ZoneOption {
            name: "UTC".to_owned(),
            label: "UTC".to_owned(),
        }],
    });
    let listed = chosen.is_empty()
        || groups
            .iter()
            .any(|g| g.zones.iter().any(|z| z.name == chosen));
    if !listed {
        groups.push(ZoneGroup {
            label: tr.t("tz-region-other"),
            zones: vec![ZoneOption {
                name: chosen.to_owned(),
                label: chosen.replace('_', " "),
            }],
        });
    }
    groups
}

/// The value a zone select shows for a stored zone: its canonical name, so a
/// login saved as "Asia/Calcutta" finds Asia/Kolkata selected.
pub fn shown(stored: &str) -> String {
    match stored.parse::<chrono_tz::Tz>() {
        Ok(tz) => canonical(tz).name().to_owned(),
        Err(_) => stored.to_owned(),
    }
}

/// "Times are in Paris time (Europe/Paris)." for the top or foot of a page
/// that shows times.
pub fn times_note(tz: chrono_tz::Tz, tr: &Translator) -> String {
    if tz == chrono_tz::UTC {
        return tr.t("places-times-in-utc");
    }
    tr.with(
        "places-times-in",
        &[("city", &city(tz)), ("zone", tz.name())],
    )
}

/// A stored UTC time in the reader's zone, with the zone named:
/// "2026-03-05 10:05 (Paris)", "05/03/2026 10:05 (Paris)".
pub fn format_time_named(at: NaiveDateTime, tz: chrono_tz::Tz, lang: Lang) -> String {
    format!("{} ({})", crate::i18n::format_time(at, tz, lang), city(tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(groups: &[ZoneGroup]) -> Vec<&str> {
        groups
            .iter()
            .flat_map(|g| g.zones.iter().map(|z| z.name.as_str()))
            .collect()
    }

    fn label_of<'a>(groups: &'a [ZoneGroup], name: &str) -> Option<&'a str> {
        groups
            .iter()
            .flat_map(|g| &g.zones)
            .find(|z| z.name == name)
            .map(|z| z.label.as_str())
    }

    #[test]
    fn canonical_zones_are_grouped_by_region_and_aliases_left_out() {
        let tr = Lang::En.translator();
        let groups = groups("Europe/Paris", &tr);
        assert_eq!(groups[0].label, "Europe");
        assert!(groups[0].zones.iter().any(|z| z.name == "Europe/Paris"));
        let all = names(&groups);
        for kept in [
            "America/Argentina/Buenos_Aires",
            "Asia/Kolkata",
            "Europe/Kyiv",
            "UTC",
        ] {
            assert!(all.contains(&kept), "{kept}");
        }
        for alias in [
            "US/Eastern",
            "Etc/GMT+3",
            "Asia/Calcutta",
            "Europe/Kiev",
            "GB",
        ] {
            assert!(!all.contains(&alias), "{alias}");
        }
        assert_eq!(all.iter().filter(|n| **n == "Europe/Paris").count(), 1);
        assert_eq!(label_of(&groups, "Europe/Paris"), Some("Paris (France)"));
        assert_eq!(
            label_of(&groups, "America/New_York"),
            Some("New York (United States)")
        );
        assert_eq!(
            label_of(&groups, "America/Argentina/Buenos_Aires"),
            Some("Buenos Aires (Argentina)")
        );
        assert_eq!(
            label_of(&groups, "America/North_Dakota/New_Salem"),
            Some("New Salem, North Dakota (United States)")
        );
        assert_eq!(label_of(&groups, "Europe/Monaco"), Some("Monaco"));
        let french = super::groups("", &Lang::Fr.translator());
        assert_eq!(
            label_of(&french, "Europe/Berlin"),
            Some("Berlin (Allemagne)")
        );
    }

    #[test]
    fn every_zone_belongs_to_an_iso_country() {
        let lost: Vec<&str> = ZONES
            .iter()
            .filter(|z| z.country.as_deref().and_then(countries::find).is_none())
            .map(|z| z.tz.name())
            .collect();
        assert!(lost.is_empty(), "{lost:?}");
    }

    #[test]
    fn a_current_zone_outside_the_list_is_still_offered() {
        let tr = Lang::En.translator();
        assert!(names(&groups("Etc/GMT+3", &tr)).contains(&"Etc/GMT+3"));
        assert_eq!(
            names(&groups("UTC", &tr))
                .iter()
                .filter(|n| **n == "UTC")
                .count(),
            1
        );
        assert_eq!(shown("Asia/Calcutta"), "Asia/Kolkata");
        assert_eq!(shown("US/Eastern"), "America/New_York");
    }

    #[test]
    fn zones_are_read_in_any_case_and_stored_canonical() {
        assert_eq!(parse("Europe/Paris"), Ok(chrono_tz::Europe::Paris));
        assert_eq!(parse(" europe/paris "), Ok(chrono_tz::Europe::Paris));
        assert_eq!(parse("Asia/Calcutta"), Ok(chrono_tz::Asia::Kolkata));
        assert_eq!(parse("UTC"), Ok(chrono_tz::UTC));
        assert_eq!(parse("Paris"), Err(ZoneError::Unknown));
        assert_eq!(parse("Mars/Olympus"), Err(ZoneError::Unknown));
        assert_eq!(parse(""), Err(ZoneError::Required));
    }

    #[test]
    fn times_name_their_zone() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
            .and_then(|d| d.and_hms_opt(9, 5, 0))
            .expect("a time");
        assert_eq!(
            format_time_named(at, chrono_tz::Europe::Paris, Lang::Fr),
            "5 mars 2026, 10:05 (Paris)"
        );
        assert_eq!(
            times_note(chrono_tz::Europe::Paris, &Lang::En.translator()),
            "Times are in Paris time (Europe/Paris)."
        );
    }
}
