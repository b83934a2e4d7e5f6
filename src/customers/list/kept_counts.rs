//! The counts of the home's figures that the list's own query would read
//! customer by customer, summed instead from tables the triggers keep (the
//! replaceable schema, checked by `partnerdesk check`); each equals the total
//! of the list view its figure links to. A member limited to some groups has
//! them counted on the list's query: the kept tables are the whole partner's.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::query::{day_of, matching};
use super::view::View;
use crate::auth::scope::PartnerScope;
use crate::db::schema::{customer_expiry_dates, customer_trial_ends};
use crate::db::{DbConnection, MultiBackend};

/// How many of the partner's customers have an active licence expiring from
/// `from` to `to`: the count of `View::licences_expiring`. Each customer's
/// first date in the period is the one whose previous date, if any, lies
/// before it, so the count is one range of `customer_expiry_dates`' key with
/// nothing to make distinct (migration 40).
pub fn count_licences_expiring(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<i64> {
    if scope.reach().is_limited() {
        // Counted on the accounts the member reaches, as the list does.
        let view = View::licences_expiring(from, to);
        return matching(conn, scope, &view).count().get_result(conn);
    }
    customer_expiry_dates::table
        .filter(customer_expiry_dates::partner_id.eq(scope.partner_id().as_str()))
        .filter(customer_expiry_dates::expires_on.between(from, to))
        .filter(
            customer_expiry_dates::previous_expiry
                .is_null()
                .or(customer_expiry_dates::previous_expiry.lt(from)),
        )
        .count()
        .get_result(conn)
}

/// How many of the partner's trials end from `from` to `to`, both included:
/// the count of `View::trials_ending`, summed over the kept trial ends by day
/// (migration 41) rather than counted over the customers.
pub fn count_trials_ending(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<i64> {
    trials_counted(conn, scope, &View::trials_ending(from, to), |days| {
        days.filter(customer_trial_ends::day.between(from, to))
    })
}

/// How many of the partner's trials ended before the UTC day of `now`,
/// unconverted: the count of `View::trials_ended().at(now)`, summed as
/// `count_trials_ending` is.
pub fn count_trials_ended(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    now: chrono::NaiveDateTime,
) -> QueryResult<i64> {
    let view = View::trials_ended().at(now);
    let before = day_of(&view);
    trials_counted(conn, scope, &view, |days| {
        days.filter(customer_trial_ends::day.lt(before))
    })
}

type TrialEnds<'a> = customer_trial_ends::BoxedQuery<'a, MultiBackend>;

/// The partner's trial customers on the kept days that `within` keeps; for a
/// member limited to some groups, `view` counted on the list's query.
fn trials_counted<'a>(
    conn: &mut DbConnection,
    scope: &'a PartnerScope,
    view: &View,
    within: impl FnOnce(TrialEnds<'a>) -> TrialEnds<'a>,
) -> QueryResult<i64> {
    if scope.reach().is_limited() {
        return matching(conn, scope, view).count().get_result(conn);
    }
    let days = customer_trial_ends::table
        .filter(customer_trial_ends::partner_id.eq(scope.partner_id().as_str()))
        .into_boxed();
    let sum: Option<i64> = within(days)
        .select(diesel::dsl::sum(customer_trial_ends::customers))
        .get_result(conn)?;
    Ok(sum.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::plans::{empty_sqlite, steps_of};

    /// Each count is one range of its kept table's key: no account or
    /// licence is read, and nothing is made distinct (counting the licences'
    /// distinct customers built a temporary B-tree of all of them, half of the
    /// home's database time at 100,000 customers).
    #[test]
    fn each_count_is_one_range_of_its_kept_table() {
        let mut conn = empty_sqlite();
        let owner = PartnerScope::for_unit_tests("a-partner");
        let today = NaiveDate::from_ymd_opt(2026, 12, 8).expect("a day");
        let now = today.and_hms_opt(9, 0, 0).expect("an instant");
        let later = today + chrono::Duration::days(30);
        let steps = steps_of(&mut conn, |conn| {
            count_licences_expiring(conn, &owner, today, later).expect("a count");
            count_trials_ending(conn, &owner, today, later).expect("a count");
            count_trials_ended(conn, &owner, now).expect("a count");
        });
        assert_eq!(
            steps,
            [
                "SEARCH customer_expiry_dates USING PRIMARY KEY \
                 (partner_id=? AND expires_on>? AND expires_on<?)",
                "SEARCH customer_trial_ends USING PRIMARY KEY (partner_id=? AND day>? AND day<?)",
                "SEARCH customer_trial_ends USING PRIMARY KEY (partner_id=? AND day<?)",
            ],
        );
    }
}
