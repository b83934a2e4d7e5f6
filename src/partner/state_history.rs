//! Customers by state over time, for the home page: the partner's customers in
//! each state at the end of each of the last twelve months (months as the
//! reader's time zone has them), the last bar being today. Today's numbers are
//! the list's own counts; each earlier month end is today's minus the changes
//! since, read from `customer_state_changes` (kept by triggers on every write of
//! a customer's state or partner, in the same transaction; migration 12) and its
//! sums by day, `customer_state_days` (migration 25): one read of each for the
//! whole year, summed by month here.
//!
//! Drawn as stacked bars: each state has its own pattern (not only a colour), a
//! legend names them, every bar carries its total, each segment its number when
//! there is room, and a table below gives every figure.

use crate::auth::scope::PartnerScope;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use super::charts::{MONTHS, month_start, utc_midnight};
use super::since::{sums_since, within_hours};
use crate::customers::CustomerState;
use crate::db::DbConnection;
use crate::db::schema::{customer_state_changes, customer_state_days};
use diesel::sql_types::Bool;

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
    // since[n][state]: the net change from the end of month n + 1 back until now.
    let since = changes_since(conn, scope, &ends)?;
    // counts[m][state], m = 0 the oldest month, 11 today.
    let mut months: Vec<(NaiveDate, [i64; 3])> = Vec::with_capacity(MONTHS);
    for back in (0..MONTHS as u32).rev() {
        let Some(start) = month_start(today, back) else {
            continue;
        };
        let mut counts = now;
        if back > 0 {
            for (index, count) in counts.iter_mut().enumerate() {
                *count = (*count - since[back as usize - 1][index]).max(0);
            }
        }
        months.push((start, counts));
    }
    Ok(draw(months))
}

/// The partner's net changes by state from each of `starts` until now, in the
/// order of `CustomerState::ALL`: the whole UTC days from the first midnight at
/// or after each start, from `customer_state_days`, and the hours before that
/// midnight, from `customer_state_changes`. A day's row is the sum of its
/// hours (kept by triggers, migration 25), so these are the sums of the hours
/// alone, from about a twentieth of the rows, read in two queries for every
/// start rather than two or three a month.
fn changes_since(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    starts: &[NaiveDateTime],
) -> QueryResult<Vec<[i64; 3]>> {
    use customer_state_changes as hours;
    use customer_state_days as days;
    let partner = scope.partner_id().as_str();
    sums_since(
        conn,
        starts,
        |conn, earliest| {
            days::table
                .filter(days::partner_id.eq(partner))
                .filter(days::day.ge(earliest))
                .select((days::day, (days::state, days::delta)))
                .load(conn)
        },
        |conn, edges| match within_hours!(hours, partner, edges) {
            None => Ok(None),
            Some(within) => hours::table
                .filter(within)
                .select((hours::hour, (hours::state, hours::delta)))
                .load(conn)
                .map(Some),
        },
        |sums, (state, delta): &(String, i32)| add(sums, state, *delta),
    )
}

/// Adds a change of `delta` customers in `state` to the sums by state.
fn add(sums: &mut [i64; 3], state: &str, delta: i32) {
    if let Some(index) = CustomerState::ALL.iter().position(|s| s.as_str() == state) {
        sums[index] += i64::from(delta);
    }
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

    /// A year of history in a zone whose months start between UTC midnights is
    /// two statements, each one range of its table's key: no month adds a
    /// query, and nothing is sorted.
    #[test]
    fn the_year_is_two_reads_of_the_keys_whatever_the_zone() {
        use crate::db::plans::{empty_sqlite, plan_of, statements_of};
        let mut conn = empty_sqlite();
        let scope = PartnerScope::for_unit_tests("a-partner");
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let statements = statements_of(&mut conn, |conn| {
            load(conn, &scope, [3, 2, 1], today, chrono_tz::Asia::Kolkata).expect("a chart");
        });
        assert_eq!(statements.len(), 2, "{statements:#?}");
        // Each search is a range of the partner's days, or of its hours at one
        // month's edge (one branch of `MULTI-INDEX OR`), never all its hours.
        for (sql, range) in statements.iter().zip(["day>", "hour>"]) {
            let plan = plan_of(&mut conn, sql);
            let searches: Vec<&String> = plan.iter().filter(|s| s.starts_with("SEARCH")).collect();
            assert!(!searches.is_empty(), "{sql}: {plan:#?}");
            assert!(
                searches
                    .iter()
                    .all(|step| step.contains("PRIMARY KEY (partner_id=? AND")
                        && step.contains(range)),
                "{sql}: {plan:#?}"
            );
            assert!(
                plan.iter().all(|step| step.starts_with("SEARCH")
                    || step.starts_with("MULTI-INDEX OR")
                    || step.starts_with("INDEX ")),
                "{sql}: {plan:#?}"
            );
        }
    }

    /// The sums since each month's start equal those of the hourly rows alone,
    /// read plainly, whatever hour of the day the changes and the month's start
    /// fall on (Kolkata's months start at 18:30 UTC, Paris's at 22:00 or 23:00).
    #[test]
    fn the_sums_since_each_month_start_are_those_of_the_hours() {
        use crate::db::plans::empty_sqlite;
        use diesel::dsl::sum;
        use rand::{Rng, SeedableRng};
        let mut conn = empty_sqlite();
        let scope = PartnerScope::for_unit_tests("a-partner");
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let first = NaiveDate::from_ymd_opt(2025, 11, 1)
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .expect("an hour");
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut written = std::collections::HashSet::new();
        for _ in 0..2_000 {
            let hour = first + chrono::Duration::hours(rng.gen_range(0..9_600));
            let state = CustomerState::ALL[rng.gen_range(0..3)].as_str();
            if !written.insert((hour, state)) {
                continue;
            }
            // Triggers keep the daily table in step with each write.
            diesel::insert_into(customer_state_changes::table)
                .values((
                    customer_state_changes::partner_id.eq("a-partner"),
                    customer_state_changes::hour.eq(hour),
                    customer_state_changes::state.eq(state),
                    customer_state_changes::delta.eq(rng.gen_range(-3..=5)),
                ))
                .execute(&mut conn)
                .expect("a change");
        }
        for zone in [
            chrono_tz::Asia::Kolkata,
            chrono_tz::Europe::Paris,
            chrono_tz::UTC,
        ] {
            let starts: Vec<NaiveDateTime> = (0..MONTHS as u32 - 1)
                .filter_map(|back| month_start(today, back).map(|day| boundary(day, zone)))
                .collect();
            let since = changes_since(&mut conn, &scope, &starts).expect("the sums");
            for (start, sums) in starts.iter().zip(&since) {
                let mut plain = [0i64; 3];
                let rows: Vec<(String, Option<i64>)> = customer_state_changes::table
                    .filter(customer_state_changes::hour.ge(start))
                    .group_by(customer_state_changes::state)
                    .select((
                        customer_state_changes::state,
                        sum(customer_state_changes::delta),
                    ))
                    .load(&mut conn)
                    .expect("plain sums");
                for (state, delta) in rows {
                    let index = CustomerState::ALL.iter().position(|s| s.as_str() == state);
                    plain[index.expect("a state")] += delta.unwrap_or(0);
                }
                assert_eq!(*sums, plain, "since {start} ({zone})");
            }
        }
    }
}
