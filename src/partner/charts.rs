//! The home page's charts, drawn on the server as SVG: new customers per month
//! over the last twelve months. Bars carry their number and month as text, and a
//! hatch pattern rather than a colour tells the current month apart, so the chart
//! reads without colour and in either language.

use crate::auth::scope::PartnerScope;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;

use super::since::{sums_since, within_hours};
use crate::db::DbConnection;
use crate::db::schema::{customer_creation_days, customer_creations};
use diesel::sql_types::Bool;

pub const MONTHS: usize = 12;
const WIDTH: i64 = 600;
const HEIGHT: i64 = 200;
/// Room under the bars for the month names, above them for the numbers.
const BOTTOM: i64 = 24;
const TOP: i64 = 18;

pub struct Bar {
    pub month_key: String,
    pub year: i32,
    pub count: i64,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// The month still running: drawn hatched.
    pub current: bool,
}

impl Bar {
    pub fn label_x(&self) -> i64 {
        self.x + self.width / 2
    }

    pub fn count_y(&self) -> i64 {
        self.y - 4
    }
}

pub struct MonthlyChart {
    pub bars: Vec<Bar>,
    pub width: i64,
    pub height: i64,
    pub axis_y: i64,
    pub label_y: i64,
}

impl MonthlyChart {
    pub fn total(&self) -> i64 {
        self.bars.iter().map(|bar| bar.count).sum()
    }
}

/// The first day of the month `back` months before the one holding `today`.
pub(crate) fn month_start(today: NaiveDate, back: u32) -> Option<NaiveDate> {
    today
        .with_day(1)?
        .checked_sub_months(chrono::Months::new(back))
}

/// Midnight of `day` in `zone`, as the UTC time stored on accounts.
pub(crate) fn utc_midnight(day: NaiveDate, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    Some(
        zone.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .earliest()?
            .naive_utc(),
    )
}

/// The first instant of the month `back` months before today's, in UTC (UTC
/// midnight when the zone skips that midnight).
fn month_boundary(today: NaiveDate, back: i64, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    let day = if back >= 0 {
        month_start(today, back as u32)?
    } else {
        month_start(today, 0)?
            .checked_add_months(chrono::Months::new(back.unsigned_abs() as u32))?
    };
    Some(utc_midnight(day, zone).unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN)))
}

/// The customers a limited member reaches created from `from` until `until`.
fn created_in_reach(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<i64> {
    use crate::db::schema::customer_accounts;
    let mut query = customer_accounts::table
        .filter(customer_accounts::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .filter(customer_accounts::created_at.ge(from))
        .filter(customer_accounts::created_at.lt(until))
        .into_boxed();
    if let Some(in_reach) = scope.customer_filter() {
        query = query.filter(in_reach);
    }
    query.count().get_result(conn)
}

/// New customers of the partner in each of the last twelve months (the current
/// one included), months as the reader's time zone has them. For the whole
/// partner, a month's count is the customers created since its start less those
/// created since the next one's; the sums since each start are read from
/// `customer_creation_days` and `customer_creations` (kept by triggers,
/// migrations 12 and 25) in two statements for the year (`since`). The kept
/// sums are the whole partner's: a member limited to some groups has their
/// customers counted.
pub fn new_customers(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    today: NaiveDate,
    zone: chrono_tz::Tz,
) -> QueryResult<MonthlyChart> {
    if scope.reach().is_limited() {
        return monthly_chart(today, zone, |from, until| {
            created_in_reach(conn, scope, from, until)
        });
    }
    let since = created_since(conn, scope, &month_starts(today, zone))?;
    let mut counts = [0i64; MONTHS];
    for (n, count) in counts.iter_mut().enumerate() {
        *count = (since[n] - since[n + 1]).max(0);
    }
    Ok(drawn(today, counts))
}

/// The partner's customers created from each of `starts` on (the last is the
/// next month's start: none, unless an account says it was created later).
fn created_since(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    starts: &[NaiveDateTime],
) -> QueryResult<Vec<i64>> {
    use customer_creation_days as days;
    use customer_creations as hours;
    let partner = scope.partner_id().as_str();
    sums_since(
        conn,
        starts,
        |conn, earliest| {
            days::table
                .filter(days::partner_id.eq(partner))
                .filter(days::day.ge(earliest))
                .select((days::day, days::customers))
                .load(conn)
        },
        |conn, edges| match within_hours!(hours, partner, edges) {
            None => Ok(None),
            Some(within) => hours::table
                .filter(within)
                .select((hours::hour, hours::customers))
                .load(conn)
                .map(Some),
        },
        |sum: &mut i64, customers: &i32| *sum += i64::from(*customers),
    )
}

/// The first instants of the last twelve months and of the next one, in UTC.
fn month_starts(today: NaiveDate, zone: chrono_tz::Tz) -> [NaiveDateTime; MONTHS + 1] {
    // starts[n]: the start of the month 11 - n back; starts[12] the next month's.
    let mut starts = [NaiveDateTime::MIN; MONTHS + 1];
    for (n, start) in starts.iter_mut().enumerate() {
        *start =
            month_boundary(today, MONTHS as i64 - 1 - n as i64, zone).unwrap_or(NaiveDateTime::MIN);
    }
    starts
}

/// The chart of the last twelve months, each month's bar `count(start, end)`
/// of the customers created from its start (included) to its end (excluded),
/// in UTC: the home of a member limited to some groups counts the customers
/// it read once (`home_reach`).
pub fn monthly_chart(
    today: NaiveDate,
    zone: chrono_tz::Tz,
    mut count_between: impl FnMut(NaiveDateTime, NaiveDateTime) -> QueryResult<i64>,
) -> QueryResult<MonthlyChart> {
    let starts = month_starts(today, zone);
    let mut counts = [0i64; MONTHS];
    for (n, count) in counts.iter_mut().enumerate() {
        *count = count_between(starts[n], starts[n + 1])?;
    }
    Ok(drawn(today, counts))
}

/// The chart of the last twelve months' `counts`, the oldest first.
fn drawn(today: NaiveDate, counts: [i64; MONTHS]) -> MonthlyChart {
    let mut months = Vec::with_capacity(MONTHS);
    for (n, count) in counts.into_iter().enumerate() {
        let Some(start) = month_start(today, (MONTHS - 1 - n) as u32) else {
            continue;
        };
        months.push((start, count, n == MONTHS - 1));
    }
    let most = months
        .iter()
        .map(|(_, count, _)| *count)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = WIDTH / MONTHS as i64;
    let plot = HEIGHT - BOTTOM - TOP;
    let bars = months
        .into_iter()
        .enumerate()
        .map(|(n, (start, count, current))| {
            let height = count * plot / most;
            Bar {
                month_key: format!("month-{}", start.month()),
                year: start.year(),
                count,
                x: n as i64 * slot + 6,
                y: HEIGHT - BOTTOM - height,
                width: slot - 12,
                height,
                current,
            }
        })
        .collect();
    MonthlyChart {
        bars,
        width: WIDTH,
        height: HEIGHT,
        axis_y: HEIGHT - BOTTOM,
        label_y: HEIGHT - 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each month's new customers equal a plain sum of the hourly rows over
    /// the month as the reader's zone has it, whatever hour the creations and
    /// the month's start fall on; the year is read in two statements at most.
    #[test]
    fn each_month_holds_the_creations_of_its_hours_read_in_two_statements() {
        use crate::db::plans::{empty_sqlite, statements_of};
        use rand::{Rng, SeedableRng};
        let mut conn = empty_sqlite();
        let scope = PartnerScope::for_unit_tests("a-partner");
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let first = NaiveDate::from_ymd_opt(2025, 11, 1)
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .expect("an hour");
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let mut written = std::collections::HashSet::new();
        for _ in 0..2_000 {
            let hour = first + chrono::Duration::hours(rng.gen_range(0..9_600));
            if !written.insert(hour) {
                continue;
            }
            // Triggers keep the daily table in step with each write.
            diesel::insert_into(customer_creations::table)
                .values((
                    customer_creations::partner_id.eq("a-partner"),
                    customer_creations::hour.eq(hour),
                    customer_creations::customers.eq(rng.gen_range(1..=4)),
                ))
                .execute(&mut conn)
                .expect("a creation");
        }
        for zone in [
            chrono_tz::Asia::Kolkata,
            chrono_tz::Europe::Paris,
            chrono_tz::UTC,
        ] {
            let mut chart = None;
            let statements = statements_of(&mut conn, |conn| {
                chart = Some(new_customers(conn, &scope, today, zone).expect("a chart"));
            });
            // UTC's months start at midnight: no hour is read.
            let expected = if zone == chrono_tz::UTC { 1 } else { 2 };
            assert_eq!(statements.len(), expected, "{statements:#?}");
            let bars = chart.expect("a chart").bars;
            let starts = month_starts(today, zone);
            assert_eq!(bars.len(), MONTHS);
            for (n, bar) in bars.iter().enumerate() {
                let plain: Option<i64> = customer_creations::table
                    .filter(customer_creations::hour.ge(starts[n]))
                    .filter(customer_creations::hour.lt(starts[n + 1]))
                    .select(diesel::dsl::sum(customer_creations::customers))
                    .first(&mut conn)
                    .expect("a plain sum");
                assert_eq!(bar.count, plain.unwrap_or(0), "month {n} ({zone})");
            }
        }
    }
}
