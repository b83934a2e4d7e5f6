//! Monitoring: a customer account's monitors, the check results and
//! error-log entries its agents post through the JSON API, hourly rollups kept
//! with the results, and dashboards computed from the rollups.
//!
//! Every query takes a [`scope::Viewer`]: the account's id, narrowed for a
//! sub-account's operators to what it was granted and made. A monitor,
//! dashboard or result outside it is simply not found.

/// Inserts many rows in one statement. Diesel's multi-row insert is not
/// available through the `MultiConnection` enum, so each backend gets its own.
macro_rules! insert_many {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
            $crate::db::DbConnection::Postgres(c) => {
                diesel::insert_into($table).values($rows).execute(c)
            }
        }
    };
}
pub(crate) use insert_many;

pub mod alert_definitions;
pub mod alert_pages;
pub mod alerts;
pub mod api;
pub mod api_bodies;
pub mod charts;
pub mod daily;
pub mod dashboard_pages;
pub mod dashboards;
pub mod demo;
pub mod monitors;
pub mod pages;
pub mod partner_events;
pub mod removal;
pub mod results;
pub mod scope;
pub mod spans;
pub mod stats;
pub mod token_pages;

use chrono::NaiveDateTime;

use crate::accounts::FieldError;

use crate::tenancy::STALE_AFTER;

/// What a monitor watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A web page, checked by URL.
    Web,
    /// A device, by host or device name.
    Device,
    /// An API endpoint, by URL.
    Api,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Web, Kind::Device, Kind::Api];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Web => "web",
            Kind::Device => "device",
            Kind::Api => "api",
        }
    }

    pub fn parse(value: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Web => "monitor-kind-web",
            Kind::Device => "monitor-kind-device",
            Kind::Api => "monitor-kind-api",
        }
    }
}

/// A monitor's state, derived from its latest check result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Up,
    Down,
    /// No result yet, or none for [`STALE_AFTER`].
    Unknown,
}

impl State {
    pub fn derive(
        last_checked_at: Option<NaiveDateTime>,
        last_success: Option<bool>,
        now: NaiveDateTime,
    ) -> State {
        match (last_checked_at, last_success) {
            (Some(at), Some(success)) if now - at <= STALE_AFTER => {
                if success {
                    State::Up
                } else {
                    State::Down
                }
            }
            _ => State::Unknown,
        }
    }

    pub fn parse(value: &str) -> Option<State> {
        [State::Up, State::Down, State::Unknown]
            .into_iter()
            .find(|s| s.as_str() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Up => "up",
            State::Down => "down",
            State::Unknown => "unknown",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            State::Up => "monitor-state-up",
            State::Down => "monitor-state-down",
            State::Unknown => "monitor-state-unknown",
        }
    }

    /// A shape that says the state without colour.
    pub fn icon(self) -> &'static str {
        match self {
            State::Up => "▲",
            State::Down => "▼",
            State::Unknown => "?",
        }
    }
}

/// How serious an error-log entry is.
pub const SEVERITIES: [&str; 4] = ["info", "warning", "error", "critical"];

pub const NAME_MAX: usize = 120;
pub const TARGET_MAX: usize = 2000;
pub const MESSAGE_MAX: usize = 2000;

/// A monitor's target for its kind: an http(s) URL with a host for web checks
/// and API endpoints; a host name, device name or IP address for devices.
pub fn parse_target(kind: Kind, raw: &str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    if value.chars().count() > TARGET_MAX {
        return Err(FieldError::TooLong);
    }
    match kind {
        Kind::Web | Kind::Api => {
            let url = url::Url::parse(value).map_err(|_| FieldError::Invalid)?;
            let scheme_ok = matches!(url.scheme(), "http" | "https");
            if !scheme_ok || url.host_str().is_none_or(str::is_empty) || !url.username().is_empty()
            {
                return Err(FieldError::Invalid);
            }
            Ok(value.to_owned())
        }
        Kind::Device => {
            if value.parse::<std::net::IpAddr>().is_ok() {
                return Ok(value.to_owned());
            }
            let labels_ok = value.len() <= 253
                && value.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && !label.starts_with('-')
                        && label
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                });
            if labels_ok {
                Ok(value.to_owned())
            } else {
                Err(FieldError::Invalid)
            }
        }
    }
}

/// An SLA target typed as a percentage ("99.9" or "99,9", at most three
/// decimals, above 0 and at most 100), in thousandths of a percent.
pub fn parse_sla_target(raw: &str) -> Result<i64, FieldError> {
    let value = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > 3
        || fraction.len() > 3
        || !digits(whole)
        || !digits(fraction)
    {
        return Err(FieldError::Invalid);
    }
    let whole: i64 = whole.parse().map_err(|_| FieldError::Invalid)?;
    let fraction: i64 = format!("{fraction:0<3}")
        .parse()
        .map_err(|_| FieldError::Invalid)?;
    let thousandths = whole * 1000 + fraction;
    if thousandths <= 0 || thousandths > 100_000 {
        return Err(FieldError::Invalid);
    }
    Ok(thousandths)
}

/// A percentage in thousandths shown with up to three decimals ("99.9").
pub fn format_thousandths(value: i64) -> String {
    let whole = value / 1000;
    let fraction = value % 1000;
    if fraction == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{fraction:03}")
            .trim_end_matches('0')
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn targets_are_checked_per_kind() {
        assert!(parse_target(Kind::Web, "https://shop.example/health").is_ok());
        assert_eq!(
            parse_target(Kind::Web, "ftp://x.example"),
            Err(FieldError::Invalid)
        );
        assert_eq!(
            parse_target(Kind::Api, "not a url"),
            Err(FieldError::Invalid)
        );
        assert_eq!(parse_target(Kind::Api, " "), Err(FieldError::Required));
        assert!(parse_target(Kind::Device, "srv-01.lan").is_ok());
        assert!(parse_target(Kind::Device, "10.0.0.7").is_ok());
        assert_eq!(
            parse_target(Kind::Device, "two words"),
            Err(FieldError::Invalid)
        );
    }

    #[test]
    fn sla_targets_parse_in_thousandths() {
        assert_eq!(parse_sla_target("99.9"), Ok(99_900));
        assert_eq!(parse_sla_target("99,95 %"), Ok(99_950));
        assert_eq!(parse_sla_target("100"), Ok(100_000));
        assert_eq!(parse_sla_target("100.1"), Err(FieldError::Invalid));
        assert_eq!(parse_sla_target("0"), Err(FieldError::Invalid));
        assert_eq!(parse_sla_target("99.9999"), Err(FieldError::Invalid));
        assert_eq!(parse_sla_target(""), Err(FieldError::Required));
        assert_eq!(format_thousandths(99_900), "99.9");
        assert_eq!(format_thousandths(100_000), "100");
    }

    #[test]
    fn state_comes_from_the_latest_recent_result() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .map(|d| d.naive_utc())
            .unwrap_or_default();
        assert_eq!(State::derive(None, None, now), State::Unknown);
        assert_eq!(State::derive(Some(now), Some(true), now), State::Up);
        assert_eq!(State::derive(Some(now), Some(false), now), State::Down);
        let old = now - Duration::hours(2);
        assert_eq!(State::derive(Some(old), Some(true), now), State::Unknown);
    }
}
