//! Sums from each of several instants until now, for the home's charts: the
//! whole UTC days from each instant's first midnight on, from a table of sums
//! by day, and the hours before that midnight, from the table by hour. A day's
//! row is the sum of its hours (kept by triggers, migration 25), so the sums
//! are those of the hours alone. Each table is read once for all the instants
//! (a year of months), not once or twice for each.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use crate::db::DbConnection;
use crate::monitoring::spans;

/// A table's rows of the partner, each its day or hour and its value.
pub type Rows<At, V> = Vec<(At, V)>;

/// The sums from each of `starts` until now, each a `S` to which `add` adds
/// a row's value: the rows that `days` reads from the first day any sum reads
/// whole, then those that `hours` reads within the `Edges`' hours (none to
/// read when it has no condition for them).
pub fn sums_since<S: Clone + Default, V>(
    conn: &mut DbConnection,
    starts: &[NaiveDateTime],
    days: impl FnOnce(&mut DbConnection, NaiveDate) -> QueryResult<Rows<NaiveDate, V>>,
    hours: impl FnOnce(&mut DbConnection, &Edges) -> QueryResult<Option<Rows<NaiveDateTime, V>>>,
    add: impl Fn(&mut S, &V),
) -> QueryResult<Vec<S>> {
    let mut since = vec![S::default(); starts.len()];
    let edges = Edges::of(starts);
    let Some(earliest) = edges.earliest_day() else {
        return Ok(since);
    };
    for (day, value) in days(conn, earliest)? {
        for n in edges.holding_day(day) {
            add(&mut since[n], &value);
        }
    }
    for (hour, value) in hours(conn, &edges)?.unwrap_or_default() {
        for n in edges.holding_hour(hour) {
            add(&mut since[n], &value);
        }
    }
    Ok(since)
}

/// Each instant, and the first UTC midnight at or after it.
pub struct Edges(Vec<(NaiveDateTime, NaiveDateTime)>);

impl Edges {
    pub fn of(starts: &[NaiveDateTime]) -> Self {
        Edges(
            starts
                .iter()
                .map(|start| (*start, spans::next_midnight(*start)))
                .collect(),
        )
    }

    /// The first day that some sum reads whole: where the read of the days starts.
    pub fn earliest_day(&self) -> Option<NaiveDate> {
        self.0.iter().map(|(_, midnight)| midnight.date()).min()
    }

    /// The instants (by position) whose sums hold the row of `day`.
    pub fn holding_day(&self, day: NaiveDate) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(move |(_, (_, midnight))| day >= midnight.date())
            .map(|(n, _)| n)
    }

    /// The instants (by position) whose sums hold the row of `hour`.
    pub fn holding_hour(&self, hour: NaiveDateTime) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(move |(_, (start, midnight))| *start <= hour && hour < *midnight)
            .map(|(n, _)| n)
    }

    /// The hours read from the table by hour, `[instant, midnight)`, where not empty.
    pub fn hours(&self) -> impl Iterator<Item = (NaiveDateTime, NaiveDateTime)> + '_ {
        self.0
            .iter()
            .copied()
            .filter(|(start, midnight)| start < midnight)
    }
}

/// The rows of `$table` (keyed by partner and hour) of the partner `$partner`
/// within any of `$edges`' hours, as one condition: the partner is in each
/// branch, so that SQLite searches each range of the key (`MULTI-INDEX OR`)
/// rather than all the partner's hours. None when no hour is to be read.
macro_rules! within_hours {
    ($table:ident, $partner:expr, $edges:expr) => {{
        type Condition =
            Box<dyn BoxableExpression<$table::table, crate::db::MultiBackend, SqlType = Bool>>;
        let mut within: Option<Condition> = None;
        for (start, midnight) in $edges.hours() {
            let edge = $table::partner_id
                .eq($partner.to_owned())
                .and($table::hour.ge(start))
                .and($table::hour.lt(midnight));
            within = Some(match within {
                None => Box::new(edge),
                Some(others) => Box::new(others.or(edge)),
            });
        }
        within
    }};
}
pub(crate) use within_hours;
