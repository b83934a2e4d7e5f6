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

super::results::rollup_level!(
    /// The figures of one monitor's UTC day: the same columns as [`Rollup`].
    DailyRollup in monitor_daily_rollups by day: NaiveDate, from Rollup
);

/// Midnight (UTC) of `day`.
pub fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_time(chrono::NaiveTime::MIN)
}

impl DailyRollup {
    /// The day's figures as a rollup whose hour is the day's midnight, so that
    /// [`Rollup::merge`] does the adding for both levels.
    fn as_rollup(&self) -> Rollup {
        Rollup::with_figures_of(self, midnight(self.day))
    }

    fn of(rollup: &Rollup) -> DailyRollup {
        DailyRollup::with_figures_of(rollup, rollup.hour.date())
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
