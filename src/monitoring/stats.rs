//! Dashboard figures over a period, from the rollups only (whole days from the
//! daily ones, the rest from the hourly ones: `spans.rs`): availability,
//! average and p95 response time per monitor, the SLA verdict, and the series
//! the charts draw.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::results::{BUCKET_BOUNDS, BUCKETS, hour_of};
use super::spans;
use crate::accounts::FieldError;
use crate::db::DbConnection;

/// The periods a dashboard is shown for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    Day,
    Week,
    Month,
    Quarter,
    Custom,
}

impl PeriodChoice {
    pub const ALL: [PeriodChoice; 5] = [
        PeriodChoice::Day,
        PeriodChoice::Week,
        PeriodChoice::Month,
        PeriodChoice::Quarter,
        PeriodChoice::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodChoice::Day => "24h",
            PeriodChoice::Week => "7d",
            PeriodChoice::Month => "30d",
            PeriodChoice::Quarter => "90d",
            PeriodChoice::Custom => "custom",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            PeriodChoice::Day => "dashboard-period-24h",
            PeriodChoice::Week => "dashboard-period-7d",
            PeriodChoice::Month => "dashboard-period-30d",
            PeriodChoice::Quarter => "dashboard-period-90d",
            PeriodChoice::Custom => "dashboard-period-custom",
        }
    }

    fn hours(self) -> i64 {
        match self {
            PeriodChoice::Day => 24,
            PeriodChoice::Week => 24 * 7,
            PeriodChoice::Month => 24 * 30,
            PeriodChoice::Quarter | PeriodChoice::Custom => 24 * 90,
        }
    }
}

/// A period in whole hours (UTC): `from` included, `to` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub choice: PeriodChoice,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// A day typed as YYYY-MM-DD.
pub fn day(raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::Required);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| FieldError::Invalid)
}

/// The longest custom period.
pub const CUSTOM_MAX_DAYS: i64 = 366;

/// Problems with a custom period, by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    From(FieldError),
    To(FieldError),
    /// `to` before `from`.
    Reversed,
    TooLong,
    /// Starts after today.
    Future,
}

impl Period {
    /// The last `choice` up to and including the current hour.
    pub fn last(choice: PeriodChoice, now: NaiveDateTime) -> Period {
        let to = hour_of(now) + Duration::hours(1);
        Period {
            choice,
            from: to - Duration::hours(choice.hours()),
            to,
        }
    }

    /// A custom period from day `from` to day `to`, both included (YYYY-MM-DD).
    pub fn custom(from: &str, to: &str, now: NaiveDateTime) -> Result<Period, PeriodError> {
        let from = day(from).map_err(PeriodError::From)?;
        let to = day(to).map_err(PeriodError::To)?;
        if to < from {
            return Err(PeriodError::Reversed);
        }
        if (to - from).num_days() + 1 > CUSTOM_MAX_DAYS {
            return Err(PeriodError::TooLong);
        }
        if from > now.date() {
            return Err(PeriodError::Future);
        }
        Ok(Period {
            choice: PeriodChoice::Custom,
            from: from.and_hms_opt(0, 0, 0).unwrap_or_default(),
            to: (to + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default(),
        })
    }

    pub fn hours(&self) -> i64 {
        (self.to - self.from).num_hours()
    }

    /// The hours per chart slot: about 24 to 90 slots whatever the period.
    pub fn slot_hours(&self) -> i64 {
        match self.hours() {
            h if h <= 48 => 1,
            h if h <= 24 * 7 => 6,
            h => 24 * ((h / 24 + 89) / 90).max(1),
        }
    }
}

/// A monitor's figures over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub checks: i64,
    pub successes: i64,
    pub timed: i64,
    pub response_sum: i64,
    pub response_max: i64,
    pub histogram: [i64; BUCKETS],
}

impl Figures {
    /// Availability in thousandths of a percent, rounded down (so a single
    /// failure never shows as 100 %); `None` without checks.
    pub fn availability(&self) -> Option<i64> {
        (self.checks > 0).then(|| self.successes * 100_000 / self.checks)
    }

    /// Whether availability reaches `target` (thousandths of a percent), exactly.
    pub fn meets(&self, target: i64) -> Option<bool> {
        (self.checks > 0).then(|| self.successes * 100_000 >= target * self.checks)
    }

    pub fn average_ms(&self) -> Option<i64> {
        (self.timed > 0).then(|| (self.response_sum + self.timed / 2) / self.timed)
    }

    /// The 95th percentile, as the upper bound of its bucket (never above the
    /// slowest response seen).
    pub fn p95_ms(&self) -> Option<i64> {
        if self.timed == 0 {
            return None;
        }
        let rank = (self.timed * 95 + 99) / 100;
        let mut seen = 0;
        for (index, count) in self.histogram.iter().enumerate() {
            seen += count;
            if seen >= rank {
                let bound = BUCKET_BOUNDS
                    .get(index)
                    .copied()
                    .unwrap_or(self.response_max);
                return Some(bound.min(self.response_max));
            }
        }
        Some(self.response_max)
    }

    pub fn add(&mut self, other: &Figures) {
        self.checks += other.checks;
        self.successes += other.successes;
        self.timed += other.timed;
        self.response_sum += other.response_sum;
        self.response_max = self.response_max.max(other.response_max);
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram) {
            *mine += theirs;
        }
    }
}

/// Each monitor's figures over the period: (monitor id, figures), for the
/// monitors with results in it.
pub fn figures(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    period: &Period,
) -> QueryResult<Vec<(String, Figures)>> {
    if monitor_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_monitor: BTreeMap<String, Figures> = BTreeMap::new();
    for (id, part) in spans::figures_by_monitor(conn, monitor_ids, period.from, period.to)? {
        by_monitor.entry(id).or_default().add(&part);
    }
    Ok(by_monitor.into_iter().collect())
}

/// One slot of a chart: its start, checks, successes, timed results and the
/// sum of their response times, over all the monitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: NaiveDateTime,
    pub checks: i64,
    pub successes: i64,
    pub timed: i64,
    pub response_sum: i64,
}

impl Slot {
    pub fn availability(&self) -> Option<i64> {
        (self.checks > 0).then(|| self.successes * 100_000 / self.checks)
    }

    pub fn average_ms(&self) -> Option<i64> {
        (self.timed > 0).then(|| (self.response_sum + self.timed / 2) / self.timed)
    }
}

/// Where the chart slots of the period start. Slots of a day or more start at
/// UTC midnights, so each is made of whole days of the daily rollups; the first
/// runs from the period's start to its first midnight when that is mid-day.
pub fn slot_starts(period: &Period) -> Vec<NaiveDateTime> {
    let slot = Duration::hours(period.slot_hours());
    let mut starts = Vec::new();
    let mut start = period.from;
    if period.slot_hours() >= 24 {
        let midnight = spans::next_midnight(period.from);
        if midnight > period.from && midnight < period.to {
            starts.push(period.from);
            start = midnight;
        }
    }
    while start < period.to {
        starts.push(start);
        start += slot;
    }
    starts
}

/// The period cut in slots (see [`slot_starts`]), each with the monitors' totals.
pub fn series(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    period: &Period,
) -> QueryResult<Vec<Slot>> {
    let starts = slot_starts(period);
    let mut slots: Vec<Slot> = starts
        .iter()
        .map(|start| Slot {
            start: *start,
            checks: 0,
            successes: 0,
            timed: 0,
            response_sum: 0,
        })
        .collect();
    if monitor_ids.is_empty() {
        return Ok(slots);
    }
    let rows = if period.slot_hours() >= 24 {
        spans::sums_by_day(conn, monitor_ids, period.from, period.to)?
    } else {
        spans::sums_by_hour(conn, monitor_ids, period.from, period.to)?
    };
    for (at, (checks, successes, timed, response_sum)) in rows {
        // The slot that starts last at or before `at`: a day's row lies wholly in one.
        let index = starts.partition_point(|start| *start <= at).checked_sub(1);
        if let Some(slot) = index.and_then(|i| slots.get_mut(i)) {
            slot.checks += checks;
            slot.successes += successes;
            slot.timed += timed;
            slot.response_sum += response_sum;
        }
    }
    Ok(slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p95_and_availability_from_figures() {
        let mut f = Figures {
            checks: 4,
            successes: 3,
            timed: 20,
            response_sum: 20 * 100,
            response_max: 900,
            ..Figures::default()
        };
        f.histogram[1] = 19; // ≤ 100 ms
        f.histogram[6] = 1; // ≤ 1000 ms
        assert_eq!(f.availability(), Some(75_000));
        assert_eq!(f.p95_ms(), Some(100));
        f.histogram[1] = 18;
        f.histogram[6] = 2;
        assert_eq!(f.p95_ms(), Some(900), "capped by the slowest seen");
        assert_eq!(f.meets(75_000), Some(true));
        assert_eq!(f.meets(75_001), Some(false));
    }

    #[test]
    fn custom_periods_are_checked() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 21)
            .and_then(|d| d.and_hms_opt(10, 30, 0))
            .unwrap_or_default();
        assert_eq!(
            Period::custom("2026-11-20", "2026-11-19", now),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            Period::custom("", "2026-11-19", now),
            Err(PeriodError::From(FieldError::Required))
        );
        assert_eq!(
            Period::custom("2026-11-01", "nope", now),
            Err(PeriodError::To(FieldError::Invalid))
        );
        let p = Period::custom("2026-11-01", "2026-11-02", now);
        assert_eq!(p.map(|p| p.hours()), Ok(48));
        let last = Period::last(PeriodChoice::Day, now);
        assert_eq!(last.hours(), 24);
        assert_eq!(last.to.format("%H:%M").to_string(), "11:00");
    }

    #[test]
    fn day_sized_slots_start_at_midnight() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 21)
            .and_then(|d| d.and_hms_opt(10, 30, 0))
            .unwrap_or_default();
        let quarter = Period::last(PeriodChoice::Quarter, now);
        let starts = slot_starts(&quarter);
        assert_eq!(starts.len(), 91, "a partial day at each end");
        assert_eq!(starts.first(), Some(&quarter.from));
        assert!(
            starts[1..]
                .iter()
                .all(|s| s.format("%H:%M").to_string() == "00:00")
        );
        assert_eq!(starts.last().map(|s| s.date()), Some(now.date()));
        let week = Period::last(PeriodChoice::Week, now);
        assert_eq!(
            slot_starts(&week).len(),
            28,
            "six-hour slots from the start"
        );
        let custom = Period::custom("2026-11-01", "2026-11-20", now);
        assert_eq!(custom.map(|p| slot_starts(&p).len()), Ok(20));
    }
}
