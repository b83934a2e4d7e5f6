//! Customers by state over time, for the home page: the partner's customers in
//! each state at the end of each of the last twelve months (months as the
//! reader's time zone has them), the last bar being today. Today's numbers are
//! the list's own counts; each earlier month end is today's minus the changes
//! since, read from `customer_state_changes` (kept by triggers on every write of
//! a customer's state or partner, in the same transaction; migration 12) and its
//! sums by day, `customer_state_days` (migration 25), summed on the database.
//!
//! Drawn as stacked bars: each state has its own pattern (not only a colour), a
//! legend names them, every bar carries its total, each segment its number when
//! there is room, and a table below gives every figure.

use crate::auth::scope::PartnerScope;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use super::charts::{MONTHS, month_start, utc_midnight};
use crate::customers::CustomerState;
use crate::db::DbConnection;
use crate::db::schema::{customer_state_changes, customer_state_days};
use crate::monitoring::spans;

const WIDTH: i64 = 600;
const HEIGHT: i64 = 220;
const BOTTOM: i64 = 24;
const TOP: i64 = 18;
/// A segment shows its number when it is at least this tall.
const LABELLED: i64 = 14;

/// The states bottom up, and the id of each one's pattern.
pub const STACK: [(CustomerState, &str); 3] = [
    (CustomerState::Active, "state-active"),
    (CustomerState::Suspended, "state-suspended"),
    (CustomerState::Creating, "state-creating"),
];

pub struct Segment {
    pub state: CustomerState,
    pub pattern: &'static str,
    pub count: i64,
    pub y: i64,
    pub height: i64,
}

impl Segment {
    pub fn labelled(&self) -> bool {
        self.height >= LABELLED
    }

    pub fn label_y(&self) -> i64 {
        self.y + self.height / 2 + 4
    }
}

pub struct StateBar {
    pub month_key: String,
    pub year: i32,
    /// `YYYY-MM`, for tests and scripts.
    pub month: String,
    /// Today's bar rather than a month end.
    pub current: bool,
    pub x: i64,
    pub width: i64,
    pub total: i64,
    pub top: i64,
    pub segments: Vec<Segment>,
}

impl StateBar {
    pub fn label_x(&self) -> i64 {
        self.x + self.width / 2
    }

    pub fn total_y(&self) -> i64 {
        self.top - 4
    }

    /// The number of customers in `state` (for the table and data attributes).
    pub fn count(&self, state: &CustomerState) -> i64 {
        self.segments
            .iter()
            .find(|s| s.state == *state)
            .map_or(0, |s| s.count)
    }
}

pub struct StateChart {
    pub bars: Vec<StateBar>,
    pub width: i64,
    pub height: i64,
    pub axis_y: i64,
    pub label_y: i64,
    pub states: [(CustomerState, &'static str); 3],
}

impl StateChart {
    pub fn now_total(&self) -> i64 {
        self.bars.last().map_or(0, |bar| bar.total)
    }
}

/// Midnight at the start of `day` in `zone`, in UTC; UTC midnight when the
/// zone skips that midnight.
fn boundary(day: NaiveDate, zone: chrono_tz::Tz) -> NaiveDateTime {
    utc_midnight(day, zone).unwrap_or_else(|| day.and_time(NaiveTime::MIN))
}

/// The partner's customers by state at the end of each of the last twelve
/// months; `now` holds today's counts in the order of `CustomerState::ALL`.
pub fn load(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    now: [i64; 3],
    today: NaiveDate,
    zone: chrono_tz::Tz,
) -> QueryResult<StateChart> {
    // The end of the month `back` months ago (1..=11) is the start of the month
    // after it.
    let mut ends = [NaiveDateTime::MIN; MONTHS - 1];
    for (n, end) in ends.iter_mut().enumerate() {
        let back = n as u32; // the month after the one `n + 1` months back
        *end = month_start(today, back)
            .map(|day| boundary(day, zone))
            .unwrap_or(NaiveDateTime::MIN);
    }
    // changes[state][n]: the net change in month n + 1 back (until now for
    // n = 0), its whole UTC days summed from the daily table and the hours at its
    // edges from the hourly one.
    let mut changes = [[0i64; MONTHS - 1]; 3];
    for n in 0..MONTHS - 1 {
        let to = n.checked_sub(1).map(|previous| ends[previous]);
        for (state, sum) in changes_between(conn, scope, ends[n], to)? {
            if let Some(index) = CustomerState::ALL.iter().position(|s| s.as_str() == state) {
                changes[index][n] += sum.unwrap_or(0);
            }
        }
    }
    // From the month's own changes to the changes since its end.
    for state in changes.iter_mut() {
        for n in 1..MONTHS - 1 {
            state[n] += state[n - 1];
        }
    }
    // counts[m][state], m = 0 the oldest month, 11 today.
    let mut months: Vec<(NaiveDate, [i64; 3])> = Vec::with_capacity(MONTHS);
    for back in (0..MONTHS as u32).rev() {
        let Some(start) = month_start(today, back) else {
            continue;
        };
        let mut counts = now;
        if back > 0 {
            for (index, count) in counts.iter_mut().enumerate() {
                *count = (*count - changes[index][back as usize - 1]).max(0);
            }
        }
        months.push((start, counts));
    }
    Ok(draw(months))
}

/// The partner's net changes by state from `from` to `to` (none: until now),
/// `from` included: the whole UTC days inside from `customer_state_days`, the
/// hours before the first midnight and after the last from
/// `customer_state_changes`; a day's row is the sum of its hours (kept by
/// triggers, migration 25), so the sums are those of the hours alone, from
/// about a twentieth of the rows.
fn changes_between(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    from: NaiveDateTime,
    to: Option<NaiveDateTime>,
) -> QueryResult<Vec<(String, Option<i64>)>> {
    let (days, hours) = match to {
        Some(to) => {
            let spans = spans::split(from, to);
            // The last whole day, included.
            let days = spans
                .days
                .and_then(|(first, end)| Some((first, end.pred_opt()?)));
            (days, spans.hours)
        }
        None => {
            let first = spans::next_midnight(from);
            let edge = (from < first).then_some((from, first));
            // Every day from the first: none is written after the year 9999.
            let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
            (Some((first.date(), last)), edge.into_iter().collect())
        }
    };
    let mut rows = Vec::new();
    if let Some((first, last)) = days {
        rows.extend(
            customer_state_days::table
                .filter(customer_state_days::partner_id.eq(scope.partner_id()))
                .filter(customer_state_days::day.ge(first))
                .filter(customer_state_days::day.le(last))
                .group_by(customer_state_days::state)
                .select((
                    customer_state_days::state,
                    diesel::dsl::sum(customer_state_days::delta),
                ))
                .load::<(String, Option<i64>)>(conn)?,
        );
    }
    for (start, stop) in hours {
        rows.extend(
            customer_state_changes::table
                .filter(customer_state_changes::partner_id.eq(scope.partner_id()))
                .filter(customer_state_changes::hour.ge(start))
                .filter(customer_state_changes::hour.lt(stop))
                .group_by(customer_state_changes::state)
                .select((
                    customer_state_changes::state,
                    diesel::dsl::sum(customer_state_changes::delta),
                ))
                .load::<(String, Option<i64>)>(conn)?,
        );
    }
    Ok(rows)
}

fn draw(months: Vec<(NaiveDate, [i64; 3])>) -> StateChart {
    let most = months
        .iter()
        .map(|(_, counts)| counts.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = WIDTH / MONTHS as i64;
    let plot = HEIGHT - BOTTOM - TOP;
    let last = months.len().saturating_sub(1);
    let bars = months
        .into_iter()
        .enumerate()
        .map(|(n, (start, counts))| {
            let total: i64 = counts.iter().sum();
            let mut bottom = HEIGHT - BOTTOM;
            let mut below = 0;
            let segments = STACK
                .iter()
                .map(|&(state, pattern)| {
                    let index = CustomerState::ALL
                        .iter()
                        .position(|s| *s == state)
                        .unwrap_or(0);
                    let count = counts[index];
                    // Heights from the running total, so rounding never adds up
                    // to more than the bar.
                    let height = (below + count) * plot / most - below * plot / most;
                    below += count;
                    bottom -= height;
                    Segment {
                        state,
                        pattern,
                        count,
                        y: bottom,
                        height,
                    }
                })
                .collect();
            StateBar {
                month_key: format!("month-{}", start.month()),
                year: start.year(),
                month: start.format("%Y-%m").to_string(),
                current: n == last,
                x: n as i64 * slot + 6,
                width: slot - 12,
                total,
                top: bottom,
                segments,
            }
        })
        .collect();
    StateChart {
        bars,
        width: WIDTH,
        height: HEIGHT,
        axis_y: HEIGHT - BOTTOM,
        label_y: HEIGHT - 8,
        states: STACK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_stack_up_to_the_bar_without_overflowing() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a day");
        let chart = draw(vec![(day, [1, 7, 2]), (day, [0, 0, 0])]);
        let bar = &chart.bars[0];
        assert_eq!(bar.total, 10);
        let heights: i64 = bar.segments.iter().map(|s| s.height).sum();
        assert_eq!(
            heights,
            HEIGHT - BOTTOM - TOP,
            "the tallest bar fills the plot"
        );
        assert_eq!(bar.count(&CustomerState::Active), 7);
        assert_eq!(bar.segments[0].state, CustomerState::Active, "bottom up");
        assert!(chart.bars[1].current);
        assert_eq!(chart.bars[1].top, HEIGHT - BOTTOM);
    }
}
