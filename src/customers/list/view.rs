//! The list's view as the URL carries it: parsed once into typed filters, a
//! sort and a page, falling back to the defaults on anything unknown.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::customers::{BillingType, CustomerState, Health, LicenceStatus};

pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];
pub const DEFAULT_PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    State,
    Health,
    Created,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Name,
        SortKey::State,
        SortKey::Health,
        SortKey::Created,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::State => "state",
            SortKey::Health => "health",
            SortKey::Created => "created",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    /// Worst health and newest customers come first unless asked otherwise.
    pub(super) fn descending_by_default(self) -> bool {
        matches!(self, SortKey::Health | SortKey::Created)
    }
}

/// The view as it arrives in the URL; anything unknown is ignored rather than
/// refused, so an old bookmark still opens.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RawView {
    q: String,
    licence: String,
    billing: String,
    group: String,
    health: String,
    state: String,
    mine: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`: trials ending between these days, both included.
    trial_ends: String,
    /// `ended`: trials whose last day has passed and that were not converted.
    trial: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`: an active licence expiring between these days.
    licence_expires: String,
    /// `down`: customers with a monitor down now.
    monitors: String,
    /// `over`: customers with an active licence using more seats than it has.
    seats: String,
    sort: String,
    dir: String,
    page: String,
    per: String,
}

impl RawView {
    /// The parameters given a value the list does not know, by name. The page
    /// ignores them (an old bookmark still opens); the partner API refuses
    /// them, as a program that filters on a misspelt state would otherwise be
    /// handed every customer.
    pub fn unknown_values(&self) -> Vec<&'static str> {
        let checks: [(&'static str, &str, bool); 11] = [
            (
                "licence",
                &self.licence,
                LicenceStatus::parse(&self.licence).is_some(),
            ),
            (
                "billing",
                &self.billing,
                BillingType::parse(&self.billing).is_some(),
            ),
            (
                "health",
                &self.health,
                Health::parse(&self.health).is_some(),
            ),
            (
                "state",
                &self.state,
                CustomerState::parse(&self.state).is_some(),
            ),
            (
                "mine",
                &self.mine,
                matches!(self.mine.as_str(), "1" | "on" | "true"),
            ),
            (
                "trial_ends",
                &self.trial_ends,
                parse_day_range(&self.trial_ends).is_some(),
            ),
            ("trial", &self.trial, self.trial == "ended"),
            (
                "licence_expires",
                &self.licence_expires,
                parse_day_range(&self.licence_expires).is_some(),
            ),
            ("monitors", &self.monitors, self.monitors == "down"),
            ("seats", &self.seats, self.seats == "over"),
            ("sort", &self.sort, SortKey::parse(&self.sort).is_some()),
        ];
        let mut unknown: Vec<&'static str> = checks
            .into_iter()
            .filter(|(_, value, known)| !value.trim().is_empty() && !known)
            .map(|(name, _, _)| name)
            .collect();
        if !matches!(self.dir.as_str(), "" | "asc" | "desc") {
            unknown.push("dir");
        }
        unknown
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub q: String,
    pub licence: Option<LicenceStatus>,
    pub billing: Option<BillingType>,
    pub group: Option<String>,
    /// The rule of `group` when it is rule-based: read from the database
    /// (`list::with_group_rule`), never from the URL.
    pub group_rule: Option<crate::reach::rules::GroupRule>,
    pub health: Option<Health>,
    pub state: Option<CustomerState>,
    pub mine: bool,
    /// Trials ending between these days, both included.
    pub trial_ends: Option<(NaiveDate, NaiveDate)>,
    /// Trials whose last day is before the view's day, not converted.
    pub trials_ended: bool,
    /// Customers with an active licence expiring between these days, both included.
    pub licence_expires: Option<(NaiveDate, NaiveDate)>,
    /// Customers with a monitor down (its latest result a failure, no older than
    /// `tenancy::STALE_AFTER`) at `now`.
    pub monitors_down: bool,
    /// Customers with an active licence whose reported seats in use exceed its
    /// quantity (bit 16 of `licence_flags`).
    pub seats_over: bool,
    /// When the view is read, from the app's clock; not part of the URL.
    pub now: Option<NaiveDateTime>,
    pub sort: SortKey,
    pub descending: bool,
    pub page: i64,
    pub per_page: i64,
}

impl Default for View {
    fn default() -> Self {
        View::from(RawView::default())
    }
}

impl From<RawView> for View {
    fn from(raw: RawView) -> Self {
        let sort = SortKey::parse(&raw.sort).unwrap_or(SortKey::Name);
        let descending = match raw.dir.as_str() {
            "asc" => false,
            "desc" => true,
            _ => sort.descending_by_default(),
        };
        let q: String = raw.q.trim().chars().take(100).collect();
        View {
            q,
            licence: LicenceStatus::parse(&raw.licence),
            billing: BillingType::parse(&raw.billing),
            group: Some(raw.group.trim().to_owned()).filter(|g| !g.is_empty()),
            group_rule: None,
            health: Health::parse(&raw.health),
            state: CustomerState::parse(&raw.state),
            mine: matches!(raw.mine.as_str(), "1" | "on" | "true"),
            trial_ends: parse_day_range(&raw.trial_ends),
            trials_ended: raw.trial == "ended",
            licence_expires: parse_day_range(&raw.licence_expires),
            monitors_down: raw.monitors == "down",
            seats_over: raw.seats == "over",
            now: None,
            sort,
            descending,
            page: raw.page.parse::<i64>().unwrap_or(1).clamp(1, 1_000_000),
            per_page: raw
                .per
                .parse::<i64>()
                .ok()
                .filter(|p| PAGE_SIZES.contains(p))
                .unwrap_or(DEFAULT_PAGE_SIZE),
        }
    }
}

/// "2026-11-21..2026-12-05", with its start not after its end.
fn parse_day_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = text.trim().split_once("..")?;
    let from = NaiveDate::parse_from_str(from, "%Y-%m-%d").ok()?;
    let to = NaiveDate::parse_from_str(to, "%Y-%m-%d").ok()?;
    (from <= to).then_some((from, to))
}

impl View {
    /// The list of the trials ending from `from` to `to`, both included.
    pub fn trials_ending(from: NaiveDate, to: NaiveDate) -> View {
        View {
            trial_ends: Some((from, to)),
            ..View::default()
        }
    }

    /// The list of the trials that ended without being converted.
    pub fn trials_ended() -> View {
        View {
            trials_ended: true,
            ..View::default()
        }
    }

    /// The list of the customers with an active licence expiring from `from` to `to`.
    pub fn licences_expiring(from: NaiveDate, to: NaiveDate) -> View {
        View {
            licence_expires: Some((from, to)),
            ..View::default()
        }
    }

    /// The list of the customers with an active licence over its quantity.
    pub fn licences_over_quantity() -> View {
        View {
            seats_over: true,
            ..View::default()
        }
    }

    /// The list of the customers with a monitor down at `now`.
    pub fn monitors_down(now: NaiveDateTime) -> View {
        View {
            monitors_down: true,
            now: Some(now),
            ..View::default()
        }
    }

    /// This view as read at `now` (the app's clock).
    pub fn at(self, now: NaiveDateTime) -> View {
        View {
            now: Some(now),
            ..self
        }
    }

    /// Whether the view filters on something kept only on the accounts, their
    /// licences and monitors, not beside SQLite's trigram index nor in the counts.
    pub(super) fn filters_on_dates(&self) -> bool {
        self.trial_ends.is_some()
            || self.trials_ended
            || self.licence_expires.is_some()
            || self.monitors_down
    }

    pub fn is_filtered(&self) -> bool {
        !self.q.is_empty()
            || self.licence.is_some()
            || self.billing.is_some()
            || self.group.is_some()
            || self.health.is_some()
            || self.state.is_some()
            || self.mine
            || self.seats_over
            || self.filters_on_dates()
    }

    /// Whether the view searches a text and filters on nothing else.
    pub fn searches_text_only(&self) -> bool {
        let without_text = View {
            q: String::new(),
            ..self.clone()
        };
        !self.q.is_empty() && !without_text.is_filtered()
    }

    /// Whether a trial ending on `ends` has ended on the view's day.
    pub fn trial_has_ended(&self, ends: &Option<NaiveDate>) -> bool {
        match (ends, self.now) {
            (Some(ends), Some(now)) => *ends < now.date(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn view(query: &str) -> View {
        let raw: RawView = serde_urlencoded_from(query);
        View::from(raw)
    }

    fn serde_urlencoded_from(query: &str) -> RawView {
        let pairs: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let get = |k: &str| pairs.get(k).cloned().unwrap_or_default();
        RawView {
            q: get("q"),
            licence: get("licence"),
            billing: get("billing"),
            group: get("group"),
            health: get("health"),
            state: get("state"),
            mine: get("mine"),
            trial_ends: get("trial_ends"),
            trial: get("trial"),
            licence_expires: get("licence_expires"),
            monitors: get("monitors"),
            seats: get("seats"),
            sort: get("sort"),
            dir: get("dir"),
            page: get("page"),
            per: get("per"),
        }
    }

    #[test]
    fn a_view_survives_its_own_url() {
        let query = "q=north+wind&licence=trial&billing=monthly_usage&group=g1&health=incident&state=active&mine=1&trial_ends=2026-11-21..2026-12-05&trial=ended&licence_expires=2026-11-21..2026-12-21&monitors=down&seats=over&sort=created&dir=asc&page=3&per=25";
        let parsed = view(query);
        assert_eq!(view(&parsed.query_string()), parsed);
        assert!(parsed.trial_ends.is_some());
        assert!(parsed.trials_ended);
        assert!(parsed.monitors_down);
        assert!(parsed.seats_over);
        assert_eq!(parsed.per_page, 25);
        assert!(!parsed.descending);
    }

    #[test]
    fn unknown_values_fall_back_to_defaults() {
        let parsed = view(
            "sort=evil&per=100000&page=-4&licence=x&trial_ends=2026-12-05..2026-11-21&monitors=up&seats=under",
        );
        assert_eq!(parsed, View::default());
        assert_eq!(parsed.query_string(), "");
    }
}
