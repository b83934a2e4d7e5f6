//! Dashboard figures over a period, from the hourly rollups only: availability,
//! average and p95 response time per monitor, the SLA verdict, and the series
//! the charts draw.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::results::{BUCKET_BOUNDS, BUCKETS, hour_of};
use crate::accounts::FieldError;
use crate::db::DbConnection;
use crate::db::schema::monitor_rollups;

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

type FigureRow = (
    String,
    (i64, i64, i64, i64, i64),
    (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64),
);

/// Each monitor's figures over the period: (monitor id, figures).
pub fn figures(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    period: &Period,
) -> QueryResult<Vec<(String, Figures)>> {
    if monitor_ids.is_empty() {
        return Ok(Vec::new());
    }
    let total =
        |column: &str| sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"));
    let rows: Vec<FigureRow> = monitor_rollups::table
        .filter(monitor_rollups::monitor_id.eq_any(monitor_ids))
        .filter(monitor_rollups::hour.ge(period.from))
        .filter(monitor_rollups::hour.lt(period.to))
        .group_by(monitor_rollups::monitor_id)
        .select((
            monitor_rollups::monitor_id,
            (
                total("checks"),
                total("successes"),
                total("timed"),
                total("response_sum"),
                sql::<BigInt>("CAST(COALESCE(MAX(response_max), 0) AS BIGINT)"),
            ),
            (
                total("h0"),
                total("h1"),
                total("h2"),
                total("h3"),
                total("h4"),
                total("h5"),
                total("h6"),
                total("h7"),
                total("h8"),
                total("h9"),
                total("h10"),
                total("h11"),
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, (checks, successes, timed, response_sum, response_max), h)| {
                (
                    id,
                    Figures {
                        checks,
                        successes,
                        timed,
                        response_sum,
                        response_max,
                        histogram: [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7, h.8, h.9, h.10, h.11],
                    },
                )
            },
        )
        .collect())
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

/// The period cut in slots of `period.slot_hours()`, each with the monitors' totals.
pub fn series(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    period: &Period,
) -> QueryResult<Vec<Slot>> {
    let slot = Duration::hours(period.slot_hours());
    let mut slots = Vec::new();
    let mut start = period.from;
    while start < period.to {
        slots.push(Slot {
            start,
            checks: 0,
            successes: 0,
            timed: 0,
            response_sum: 0,
        });
        start += slot;
    }
    if monitor_ids.is_empty() {
        return Ok(slots);
    }
    let total =
        |column: &str| sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"));
    let rows: Vec<(NaiveDateTime, (i64, i64, i64, i64))> = monitor_rollups::table
        .filter(monitor_rollups::monitor_id.eq_any(monitor_ids))
        .filter(monitor_rollups::hour.ge(period.from))
        .filter(monitor_rollups::hour.lt(period.to))
        .group_by(monitor_rollups::hour)
        .select((
            monitor_rollups::hour,
            (
                total("checks"),
                total("successes"),
                total("timed"),
                total("response_sum"),
            ),
        ))
        .load(conn)?;
    let slot_hours = period.slot_hours();
    for (hour, (checks, successes, timed, response_sum)) in rows {
        let index = (hour - period.from).num_hours() / slot_hours;
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| slots.get_mut(i)) {
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
}
