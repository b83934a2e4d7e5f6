//! The home page's charts, drawn on the server as SVG: new customers per month
//! over the last twelve months. Bars carry their number and month as text, and a
//! hatch pattern rather than a colour tells the current month apart, so the chart
//! reads without colour and in either language.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::customer_accounts;

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
fn month_start(today: NaiveDate, back: u32) -> Option<NaiveDate> {
    today
        .with_day(1)?
        .checked_sub_months(chrono::Months::new(back))
}

/// Midnight of `day` in `zone`, as the UTC time stored on accounts.
fn utc_midnight(day: NaiveDate, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    Some(
        zone.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .earliest()?
            .naive_utc(),
    )
}

/// New customers of the partner in each of the last twelve months (the current
/// one included), months as the reader's time zone has them; each month one
/// range of the (partner, created) index.
pub fn new_customers(
    conn: &mut DbConnection,
    partner_id: &str,
    today: NaiveDate,
    zone: chrono_tz::Tz,
) -> QueryResult<MonthlyChart> {
    let mut months = Vec::with_capacity(MONTHS);
    for back in (0..MONTHS as u32).rev() {
        let (Some(start), Some(end)) = (
            month_start(today, back),
            month_start(today, back).and_then(|s| s.checked_add_months(chrono::Months::new(1))),
        ) else {
            continue;
        };
        let (Some(from), Some(to)) = (utc_midnight(start, zone), utc_midnight(end, zone)) else {
            continue;
        };
        let count: i64 = customer_accounts::table
            .filter(customer_accounts::partner_id.eq(partner_id))
            .filter(customer_accounts::created_at.ge(from))
            .filter(customer_accounts::created_at.lt(to))
            .count()
            .get_result(conn)?;
        months.push((start, count, back == 0));
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
