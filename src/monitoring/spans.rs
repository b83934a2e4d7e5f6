//! A period's sums read from the two rollup levels: its whole UTC days from the
//! daily rollups, and the hours before its first midnight and after its last
//! from the hourly ones. A day's row holds the sum of its hours, so the answers
//! are those of the hourly rows alone, from about 24 times fewer rows: a
//! 90-day dashboard of 50 monitors reads some 4,500 daily rows and at most 2,300
//! hourly ones instead of 108,000 hourly ones.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::daily::midnight;
use super::stats::Figures;
use crate::db::DbConnection;
use crate::db::schema::{monitor_daily_rollups, monitor_rollups};

/// Where the sums of `[from, to)` are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spans {
    /// The whole UTC days inside, `[first, end)` (the daily rollups).
    pub days: Option<(NaiveDate, NaiveDate)>,
    /// The hours left over, each `[from, to)` (the hourly rollups): none, the
    /// partial first day, the partial last day, or the whole period when it
    /// holds no whole day.
    pub hours: Vec<(NaiveDateTime, NaiveDateTime)>,
}

/// The first midnight at or after `at`.
pub fn next_midnight(at: NaiveDateTime) -> NaiveDateTime {
    let start = midnight(at.date());
    if start == at {
        at
    } else {
        start + Duration::days(1)
    }
}

/// Splits `[from, to)` into whole UTC days and the hours around them.
pub fn split(from: NaiveDateTime, to: NaiveDateTime) -> Spans {
    let first = next_midnight(from);
    let end = midnight(to.date());
    if first >= end {
        let hours = if from < to {
            vec![(from, to)]
        } else {
            Vec::new()
        };
        return Spans { days: None, hours };
    }
    let hours = [(from, first), (end, to)]
        .into_iter()
        .filter(|(start, stop)| start < stop)
        .collect();
    Spans {
        days: Some((first.date(), end.date())),
        hours,
    }
}

type FigureRow = (
    String,
    (i64, i64, i64, i64, i64),
    (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64),
);

fn figures_of(row: FigureRow) -> (String, Figures) {
    let (id, (checks, successes, timed, response_sum, response_max), h) = row;
    let figures = Figures {
        checks,
        successes,
        timed,
        response_sum,
        response_max,
        histogram: [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7, h.8, h.9, h.10, h.11],
    };
    (id, figures)
}

/// `SUM(column)` as a BIGINT on both backends (PostgreSQL sums BIGINTs as NUMERIC).
fn total(column: &str) -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>(&format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT)"))
}

/// Each monitor's figures from one rollup table over `[$from, $to)` of its key
/// column: one row per monitor with results, the sums added up in SQL.
macro_rules! figure_rows {
    ($conn:expr, $table:ident, $key:ident, $ids:expr, $from:expr, $to:expr) => {
        $table::table
            .filter($table::monitor_id.eq_any($ids))
            .filter($table::$key.ge($from))
            .filter($table::$key.lt($to))
            .group_by($table::monitor_id)
            .select((
                $table::monitor_id,
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
            .load::<FigureRow>($conn)
    };
}

/// Each monitor's figures over `[from, to)`: (monitor id, figures), one entry
/// per part read, to be added up by the caller.
pub fn figures_by_monitor(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(String, Figures)>> {
    let spans = split(from, to);
    let mut rows = Vec::new();
    if let Some((first, end)) = spans.days {
        rows.extend(figure_rows!(
            conn,
            monitor_daily_rollups,
            day,
            monitor_ids,
            first,
            end
        )?);
    }
    for (start, stop) in spans.hours {
        rows.extend(figure_rows!(
            conn,
            monitor_rollups,
            hour,
            monitor_ids,
            start,
            stop
        )?);
    }
    Ok(rows.into_iter().map(figures_of).collect())
}

/// The sums a chart needs, over all the monitors: checks, successes, timed
/// results and the sum of their response times.
pub type Sums = (i64, i64, i64, i64);

/// The monitors' sums over `[from, to)` by hour, from the hourly rollups only:
/// (hour, sums) for each hour with results.
pub fn sums_by_hour(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(NaiveDateTime, Sums)>> {
    monitor_rollups::table
        .filter(monitor_rollups::monitor_id.eq_any(monitor_ids))
        .filter(monitor_rollups::hour.ge(from))
        .filter(monitor_rollups::hour.lt(to))
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
        .load(conn)
}

/// The monitors' sums over `[from, to)` by whole day where it can, by hour
/// elsewhere: (the day's midnight or the hour, sums). For charts whose slots
/// are made of whole UTC days (the partial first and last days aside).
pub fn sums_by_day(
    conn: &mut DbConnection,
    monitor_ids: &[String],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<(NaiveDateTime, Sums)>> {
    let spans = split(from, to);
    let mut rows = Vec::new();
    if let Some((first, end)) = spans.days {
        let days: Vec<(NaiveDate, Sums)> = monitor_daily_rollups::table
            .filter(monitor_daily_rollups::monitor_id.eq_any(monitor_ids))
            .filter(monitor_daily_rollups::day.ge(first))
            .filter(monitor_daily_rollups::day.lt(end))
            .group_by(monitor_daily_rollups::day)
            .select((
                monitor_daily_rollups::day,
                (
                    total("checks"),
                    total("successes"),
                    total("timed"),
                    total("response_sum"),
                ),
            ))
            .load(conn)?;
        rows.extend(days.into_iter().map(|(day, sums)| (midnight(day), sums)));
    }
    for (start, stop) in spans.hours {
        rows.extend(sums_by_hour(conn, monitor_ids, start, stop)?);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .unwrap_or_default()
    }

    fn date(day: u32) -> NaiveDate {
        at(day, 0).date()
    }

    #[test]
    fn a_period_splits_into_whole_days_and_the_hours_around_them() {
        assert_eq!(
            split(at(1, 10), at(4, 7)),
            Spans {
                days: Some((date(2), date(4))),
                hours: vec![(at(1, 10), at(2, 0)), (at(4, 0), at(4, 7))],
            }
        );
        assert_eq!(
            split(at(1, 0), at(3, 0)),
            Spans {
                days: Some((date(1), date(3))),
                hours: vec![],
            },
            "midnight to midnight: days only"
        );
        assert_eq!(
            split(at(1, 10), at(2, 9)),
            Spans {
                days: None,
                hours: vec![(at(1, 10), at(2, 9))],
            },
            "no whole day: hours only"
        );
        assert_eq!(
            split(at(1, 0), at(2, 5)),
            Spans {
                days: Some((date(1), date(2))),
                hours: vec![(at(2, 0), at(2, 5))],
            }
        );
        assert_eq!(split(at(1, 5), at(1, 5)).hours, vec![]);
    }
}
