//! The daily level of the rollups: one row per monitor and UTC day holding the
//! sum of that day's hourly rows. It is written with the hourly rows, in the
//! same transaction, so a long period can read its whole days here (24 times
//! fewer rows) and still give the figures the hourly rows would.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::results::Rollup;
use crate::db::DbConnection;
use crate::db::schema::monitor_daily_rollups;

/// The figures of one monitor's UTC day: the same columns as [`Rollup`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = monitor_daily_rollups)]
pub struct DailyRollup {
    pub monitor_id: String,
    pub day: NaiveDate,
    pub checks: i64,
    pub successes: i64,
    pub timed: i64,
    pub response_sum: i64,
    pub response_max: i64,
    pub h0: i64,
    pub h1: i64,
    pub h2: i64,
    pub h3: i64,
    pub h4: i64,
    pub h5: i64,
    pub h6: i64,
    pub h7: i64,
    pub h8: i64,
    pub h9: i64,
    pub h10: i64,
    pub h11: i64,
}

/// Midnight (UTC) of `day`.
pub fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_time(chrono::NaiveTime::MIN)
}

impl DailyRollup {
    /// The day's figures as a rollup whose hour is the day's midnight, so that
    /// [`Rollup::merge`] does the adding for both levels.
    fn as_rollup(&self) -> Rollup {
        Rollup {
            monitor_id: self.monitor_id.clone(),
            hour: midnight(self.day),
            checks: self.checks,
            successes: self.successes,
            timed: self.timed,
            response_sum: self.response_sum,
            response_max: self.response_max,
            h0: self.h0,
            h1: self.h1,
            h2: self.h2,
            h3: self.h3,
            h4: self.h4,
            h5: self.h5,
            h6: self.h6,
            h7: self.h7,
            h8: self.h8,
            h9: self.h9,
            h10: self.h10,
            h11: self.h11,
        }
    }

    fn of(rollup: &Rollup) -> DailyRollup {
        DailyRollup {
            monitor_id: rollup.monitor_id.clone(),
            day: rollup.hour.date(),
            checks: rollup.checks,
            successes: rollup.successes,
            timed: rollup.timed,
            response_sum: rollup.response_sum,
            response_max: rollup.response_max,
            h0: rollup.h0,
            h1: rollup.h1,
            h2: rollup.h2,
            h3: rollup.h3,
            h4: rollup.h4,
            h5: rollup.h5,
            h6: rollup.h6,
            h7: rollup.h7,
            h8: rollup.h8,
            h9: rollup.h9,
            h10: rollup.h10,
            h11: rollup.h11,
        }
    }
}

/// Adds new hourly figures (what a batch adds, not the stored hourly totals)
/// to the rows of their monitors' days. Call in the transaction that writes the
/// hourly rows, under the same per-monitor serialisation.
pub fn add_hours(conn: &mut DbConnection, hours: &[Rollup]) -> QueryResult<()> {
    let mut days: BTreeMap<(&str, NaiveDate), Rollup> = BTreeMap::new();
    for hour in hours {
        let day = hour.hour.date();
        days.entry((&hour.monitor_id, day))
            .or_insert_with(|| Rollup::empty(&hour.monitor_id, midnight(day)))
            .merge(hour);
    }
    let mut new_rows = Vec::new();
    for ((monitor_id, day), mut sum) in days {
        let stored: Option<DailyRollup> = monitor_daily_rollups::table
            .find((monitor_id, day))
            .select(DailyRollup::as_select())
            .first(conn)
            .optional()?;
        match stored {
            Some(stored) => {
                sum.merge(&stored.as_rollup());
                diesel::update(monitor_daily_rollups::table.find((monitor_id, day)))
                    .set(&DailyRollup::of(&sum))
                    .execute(conn)?;
            }
            None => new_rows.push(DailyRollup::of(&sum)),
        }
    }
    for chunk in new_rows.chunks(40) {
        super::insert_many!(conn, monitor_daily_rollups::table, chunk)?;
    }
    Ok(())
}
