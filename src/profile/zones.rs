//! The time zone picker: the zones of chrono-tz grouped by region, for
//! `<optgroup>`s. Legacy aliases (`US/Eastern`, `Etc/GMT+1`, `GB`…) are left
//! out of the list but still accepted, and shown under "Other" when they are
//! the person's current zone.

/// The regions of the tz database's canonical names, with their message ids.
const REGIONS: [(&str, &str); 10] = [
    ("Africa", "tz-region-africa"),
    ("America", "tz-region-america"),
    ("Antarctica", "tz-region-antarctica"),
    ("Arctic", "tz-region-arctic"),
    ("Asia", "tz-region-asia"),
    ("Atlantic", "tz-region-atlantic"),
    ("Australia", "tz-region-australia"),
    ("Europe", "tz-region-europe"),
    ("Indian", "tz-region-indian"),
    ("Pacific", "tz-region-pacific"),
];

pub struct ZoneGroup {
    pub label_key: &'static str,
    pub zones: Vec<ZoneOption>,
}

pub struct ZoneOption {
    /// The tz name, sent by the form.
    pub name: String,
    /// The name within its region as people read it ("Argentina/Buenos Aires").
    pub label: String,
}

/// Every zone of the picker, by region, with `chosen` present even when it is
/// not one of them (a legacy alias, or a refused value shown back).
pub fn groups(chosen: &str) -> Vec<ZoneGroup> {
    let mut groups: Vec<ZoneGroup> = REGIONS
        .iter()
        .map(|(_, label_key)| ZoneGroup {
            label_key,
            zones: Vec::new(),
        })
        .collect();
    let mut listed = false;
    for zone in chrono_tz::TZ_VARIANTS {
        let name = zone.name();
        let Some((region, place)) = name.split_once('/') else {
            continue;
        };
        if let Some(index) = REGIONS.iter().position(|(r, _)| *r == region) {
            listed |= name == chosen;
            groups[index].zones.push(ZoneOption {
                name: name.to_owned(),
                label: place.replace('_', " "),
            });
        }
    }
    for group in &mut groups {
        group.zones.sort_by(|a, b| a.label.cmp(&b.label));
    }
    let mut other = vec![ZoneOption {
        name: "UTC".to_owned(),
        label: "UTC".to_owned(),
    }];
    if !listed && chosen != "UTC" && !chosen.is_empty() {
        other.push(ZoneOption {
            name: chosen.to_owned(),
            label: chosen.replace('_', " "),
        });
    }
    groups.push(ZoneGroup {
        label_key: "tz-region-other",
        zones: other,
    });
    groups
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

    #[test]
    fn canonical_zones_are_grouped_by_region_and_aliases_left_out() {
        let groups = groups("Europe/Paris");
        let europe = groups
            .iter()
            .find(|g| g.label_key == "tz-region-europe")
            .expect("a Europe group");
        assert!(europe.zones.iter().any(|z| z.name == "Europe/Paris"));
        let all = names(&groups);
        assert!(all.contains(&"America/Argentina/Buenos_Aires"));
        assert!(all.contains(&"UTC"));
        assert!(!all.contains(&"US/Eastern"));
        assert!(!all.contains(&"Etc/GMT+1"));
        assert_eq!(all.iter().filter(|n| **n == "Europe/Paris").count(), 1);
        let buenos_aires = groups
            .iter()
            .flat_map(|g| &g.zones)
            .find(|z| z.name == "America/Argentina/Buenos_Aires")
            .map(|z| z.label.as_str());
        assert_eq!(buenos_aires, Some("Argentina/Buenos Aires"));
    }

    #[test]
    fn a_current_zone_outside_the_regions_is_still_offered() {
        let all = groups("US/Eastern");
        assert!(names(&all).contains(&"US/Eastern"));
        assert_eq!(
            names(&groups("UTC"))
                .iter()
                .filter(|n| **n == "UTC")
                .count(),
            1
        );
    }
}
