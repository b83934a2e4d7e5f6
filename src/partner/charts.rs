//! The home page's charts, drawn on the server as SVG: new customers per month
//! over the last twelve months. Bars carry their number and month as text, and a
//! hatch pattern rather than a colour tells the current month apart, so the chart
//! reads without colour and in either language.

use crate::auth::scope::PartnerScope;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{customer_creation_days, customer_creations};
use crate::monitoring::spans;

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

/// The partner's customers created from `from` until `until`: sums over the
/// kept days and hours; the kept sums are the whole partner's, so a member
/// limited to some groups has their customers counted.
fn created_between(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<i64> {
    if scope.reach().is_limited() {
        return created_in_reach(conn, scope, from, until);
    }
    let spans = spans::split(from, until);
    let mut sum = 0;
    if let Some((first, end)) = spans.days {
        let days: Option<i64> = customer_creation_days::table
            .filter(customer_creation_days::partner_id.eq(scope.partner_id()))
            .filter(customer_creation_days::day.ge(first))
            .filter(customer_creation_days::day.lt(end))
            .select(diesel::dsl::sum(customer_creation_days::customers))
            .first(conn)?;
        sum += days.unwrap_or(0);
    }
    for (start, stop) in spans.hours {
        let hours: Option<i64> = customer_creations::table
            .filter(customer_creations::partner_id.eq(scope.partner_id()))
            .filter(customer_creations::hour.ge(start))
            .filter(customer_creations::hour.lt(stop))
            .select(diesel::dsl::sum(customer_creations::customers))
            .first(conn)?;
        sum += hours.unwrap_or(0);
    }
    Ok(sum.max(0))
}

/// New customers of the partner in each of the last twelve months (the current
/// one included), months as the reader's time zone has them: sums over the days
/// of `customer_creation_days` and the hours of `customer_creations` (kept by
/// triggers, migrations 12 and 25).
pub fn new_customers(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    today: NaiveDate,
    zone: chrono_tz::Tz,
) -> QueryResult<MonthlyChart> {
    monthly_chart(today, zone, |from, until| {
        created_between(conn, scope, from, until)
    })
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
    // starts[n]: the start of the month 11 - n back; starts[12] the next month's.
    let mut starts = [NaiveDateTime::MIN; MONTHS + 1];
    for (n, start) in starts.iter_mut().enumerate() {
        *start =
            month_boundary(today, MONTHS as i64 - 1 - n as i64, zone).unwrap_or(NaiveDateTime::MIN);
    }
    // For the whole partner (`created_between`), a month's whole UTC days
    // from the sums by day, the hours at its edges from the hourly table: a
    // day's row is the sum of its hours (kept by triggers, migration 25), so
    // the counts are those of the hours alone.
    let mut counts = [0i64; MONTHS];
    for (n, count) in counts.iter_mut().enumerate() {
        *count = count_between(starts[n], starts[n + 1])?;
    }
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
    Ok(MonthlyChart {
        bars,
        width: WIDTH,
        height: HEIGHT,
        axis_y: HEIGHT - BOTTOM,
        label_y: HEIGHT - 8,
    })
}
