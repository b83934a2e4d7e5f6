//! Check results and error-log entries as they arrive, and the hourly (and
//! daily, `daily.rs`) rollups kept up to date in the same transaction, so
//! dashboards never read raw rows.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, Timelike};
use diesel::prelude::*;

use super::daily::DailyRollup;
use crate::db::DbConnection;
use crate::db::schema::{monitor_errors, monitor_results, monitor_rollups, monitors};

/// Upper bounds (ms, inclusive) of the response-time buckets `h0..h10`; `h11`
/// holds everything slower.
pub const BUCKET_BOUNDS: [i64; 11] = [50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000];
pub const BUCKETS: usize = 12;

pub fn bucket_of(ms: i64) -> usize {
    BUCKET_BOUNDS
        .iter()
        .position(|bound| ms <= *bound)
        .unwrap_or(BUCKETS - 1)
}

/// One check result, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResult {
    pub checked_at: NaiveDateTime,
    pub success: bool,
    pub response_ms: Option<i32>,
    pub message: Option<String>,
}

/// One error-log entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct NewErrorEntry {
    pub logged_at: NaiveDateTime,
    pub severity: &'static str,
    pub message: String,
}

/// The start of the hour `at` falls in.
pub fn hour_of(at: NaiveDateTime) -> NaiveDateTime {
    at.with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_minute(0))
        .unwrap_or(at)
}

/// Declares one level of the rollups: a row per monitor and period (an hour, a
/// UTC day) holding the same figures at every level, and the copy of another
/// level's figures into a row of this one.
macro_rules! rollup_level {
    ($(#[$doc:meta])* $name:ident in $table:ident by $period:ident: $period_type:ty, from $other:ident) => {
        $crate::monitoring::results::rollup_level!(@declare [$(#[$doc])*] $name, $table,
            $period: $period_type, $other, [checks, successes, timed, response_sum,
            response_max, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11]);
    };
    (@declare [$(#[$doc:meta])*] $name:ident, $table:ident, $period:ident: $period_type:ty,
        $other:ident, [$($figure:ident),*]) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset,
        )]
        #[diesel(table_name = $table)]
        pub struct $name {
            pub monitor_id: String,
            pub $period: $period_type,
            $(pub $figure: i64,)*
        }

        impl $name {
            /// The row of `$period` holding the figures of `other`.
            pub(super) fn with_figures_of(other: &$other, $period: $period_type) -> $name {
                $name {
                    monitor_id: other.monitor_id.clone(),
                    $period,
                    $($figure: other.$figure,)*
                }
            }
        }
    };
}
pub(crate) use rollup_level;

rollup_level!(
    /// The figures of one monitor's hour.
    Rollup in monitor_rollups by hour: NaiveDateTime, from DailyRollup
);

impl Rollup {
    pub fn empty(monitor_id: &str, hour: NaiveDateTime) -> Rollup {
        Rollup {
            monitor_id: monitor_id.to_owned(),
            hour,
            ..Rollup::default()
        }
    }

    fn bucket_mut(&mut self, index: usize) -> &mut i64 {
        match index {
            0 => &mut self.h0,
            1 => &mut self.h1,
            2 => &mut self.h2,
            3 => &mut self.h3,
            4 => &mut self.h4,
            5 => &mut self.h5,
            6 => &mut self.h6,
            7 => &mut self.h7,
            8 => &mut self.h8,
            9 => &mut self.h9,
            10 => &mut self.h10,
            _ => &mut self.h11,
        }
    }

    /// Counts one result in.
    pub fn add(&mut self, success: bool, response_ms: Option<i32>) {
        self.checks += 1;
        if success {
            self.successes += 1;
        }
        if let Some(ms) = response_ms {
            let ms = i64::from(ms);
            self.timed += 1;
            self.response_sum += ms;
            self.response_max = self.response_max.max(ms);
            *self.bucket_mut(bucket_of(ms)) += 1;
        }
    }

    /// Adds another rollup's figures (of the same monitor and hour).
    pub fn merge(&mut self, other: &Rollup) {
        self.checks += other.checks;
        self.successes += other.successes;
        self.timed += other.timed;
        self.response_sum += other.response_sum;
        self.response_max = self.response_max.max(other.response_max);
        for (index, count) in other.histogram().into_iter().enumerate() {
            *self.bucket_mut(index) += count;
        }
    }

    pub fn histogram(&self) -> [i64; BUCKETS] {
        [
            self.h0, self.h1, self.h2, self.h3, self.h4, self.h5, self.h6, self.h7, self.h8,
            self.h9, self.h10, self.h11,
        ]
    }
}

/// What a batch did: results stored, and results already there (same monitor
/// and check time: an agent resending a batch), ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub accepted: usize,
    pub duplicates: usize,
}

const INSERT_CHUNK: usize = 400;

/// Serialises the writers of one monitor's results, so two batches never both
/// read a rollup and one overwrite the other's sum, nor both insert a result.
/// SQLite's write transactions are already serial (BEGIN IMMEDIATE); PostgreSQL
/// locks the monitor's row, and `db::write_transaction` begins READ COMMITTED so
/// that what follows the lock sees what its previous holder committed.
fn lock_monitor(conn: &mut DbConnection, monitor_id: &str) -> QueryResult<()> {
    crate::db::lock_row(conn, crate::db::LockTarget::Monitor(monitor_id))
}

/// Stores a monitor's results with their rollups and the monitor's latest
/// state. Call inside a write transaction; the monitor is the caller's to check.
pub fn record_results(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    monitor_id: &str,
    results: &[NewResult],
) -> QueryResult<Recorded> {
    lock_monitor(conn, monitor_id)?;
    let mut fresh: BTreeMap<NaiveDateTime, &NewResult> = BTreeMap::new();
    for result in results {
        fresh.entry(result.checked_at).or_insert(result);
    }
    let times: Vec<NaiveDateTime> = fresh.keys().copied().collect();
    for chunk in times.chunks(INSERT_CHUNK) {
        let existing: Vec<NaiveDateTime> = monitor_results::table
            .filter(monitor_results::monitor_id.eq(monitor_id))
            .filter(monitor_results::checked_at.eq_any(chunk))
            .select(monitor_results::checked_at)
            .load(conn)?;
        for at in existing {
            fresh.remove(&at);
        }
    }
    let accepted: Vec<&NewResult> = fresh.into_values().collect();
    let duplicates = results.len() - accepted.len();
    for chunk in accepted.chunks(INSERT_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    monitor_results::monitor_id.eq(monitor_id),
                    monitor_results::checked_at.eq(r.checked_at),
                    monitor_results::success.eq(r.success),
                    monitor_results::response_ms.eq(r.response_ms),
                    monitor_results::message.eq(r.message.as_deref()),
                    monitor_results::received_at.eq(now),
                )
            })
            .collect();
        super::insert_many!(conn, monitor_results::table, rows)?;
    }
    let mut hours: BTreeMap<NaiveDateTime, Rollup> = BTreeMap::new();
    for r in &accepted {
        let hour = hour_of(r.checked_at);
        hours
            .entry(hour)
            .or_insert_with(|| Rollup::empty(monitor_id, hour))
            .add(r.success, r.response_ms);
    }
    add_to_rollups(conn, hours.into_values().collect())?;
    if let Some(latest) = accepted.iter().max_by_key(|r| r.checked_at) {
        diesel::update(
            monitors::table.filter(monitors::id.eq(monitor_id)).filter(
                monitors::last_checked_at
                    .is_null()
                    .or(monitors::last_checked_at.le(latest.checked_at)),
            ),
        )
        .set((
            monitors::last_checked_at.eq(latest.checked_at),
            monitors::last_success.eq(latest.success),
        ))
        .execute(conn)?;
    }
    Ok(Recorded {
        accepted: accepted.len(),
        duplicates,
    })
}

/// Adds each rollup to the stored one of its monitor and hour, or stores it;
/// and to its monitor's day.
pub fn add_to_rollups(conn: &mut DbConnection, rollups: Vec<Rollup>) -> QueryResult<()> {
    // The daily level takes what is added, before it is merged with the stored hours.
    super::daily::add_hours(conn, &rollups)?;
    let mut new_rows = Vec::new();
    for mut rollup in rollups {
        let stored: Option<Rollup> = monitor_rollups::table
            .find((&rollup.monitor_id, rollup.hour))
            .select(Rollup::as_select())
            .first(conn)
            .optional()?;
        match stored {
            Some(stored) => {
                rollup.merge(&stored);
                diesel::update(monitor_rollups::table.find((&stored.monitor_id, stored.hour)))
                    .set(&rollup)
                    .execute(conn)?;
            }
            None => new_rows.push(rollup),
        }
    }
    insert_hourly(conn, &new_rows)
}

/// Inserts hourly rollups known to be new, and adds them to their days (the
/// demo and the benchmark seed with it).
pub fn insert_rollups(conn: &mut DbConnection, rows: &[Rollup]) -> QueryResult<()> {
    super::daily::add_hours(conn, rows)?;
    insert_hourly(conn, rows)
}

fn insert_hourly(conn: &mut DbConnection, rows: &[Rollup]) -> QueryResult<()> {
    for chunk in rows.chunks(40) {
        super::insert_many!(conn, monitor_rollups::table, chunk)?;
    }
    Ok(())
}

/// Stores a monitor's error-log entries. Call inside a write transaction.
pub fn record_errors(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    monitor_id: &str,
    entries: &[NewErrorEntry],
) -> QueryResult<usize> {
    for chunk in entries.chunks(INSERT_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|e| {
                (
                    monitor_errors::id.eq(uuid::Uuid::new_v4().to_string()),
                    monitor_errors::monitor_id.eq(monitor_id),
                    monitor_errors::logged_at.eq(e.logged_at),
                    monitor_errors::severity.eq(e.severity),
                    monitor_errors::message.eq(&e.message),
                    monitor_errors::received_at.eq(now),
                )
            })
            .collect();
        super::insert_many!(conn, monitor_errors::table, rows)?;
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_and_rollups_add_up() {
        assert_eq!(bucket_of(0), 0);
        assert_eq!(bucket_of(50), 0);
        assert_eq!(bucket_of(51), 1);
        assert_eq!(bucket_of(5000), 10);
        assert_eq!(bucket_of(5001), 11);
        let mut r = Rollup::default();
        r.add(true, Some(120));
        r.add(false, None);
        r.add(true, Some(80));
        assert_eq!((r.checks, r.successes, r.timed), (3, 2, 2));
        assert_eq!((r.response_sum, r.response_max), (200, 120));
        assert_eq!(r.h1 + r.h2, 2);
    }
}
