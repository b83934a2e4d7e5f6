//! The home page's figures for a member an owner limited to some customer
//! groups (issue 21), from one read of the customers they reach.
//!
//! The whole partner's figures come from kept counts and sums by day, which
//! know nothing of groups; a limited member's were each counted on the
//! accounts instead, about twenty counts that each matched the reach again
//! (the state counts, two trial counts, one a month for the chart, the
//! licences): 158 ms of CPU a page for a group of 10,000 of 100,000
//! customers on the benchmark. Here the reached customers are read once, so
//! each figure counts exactly the customers of the list it links to:
//! - for groups kept by hand, from their members, which carry copies of their
//!   customers' columns (migration 37): one range of an index per group;
//! - for a rule-based group, with the list's own query (`list::matching`).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::auth::scope::PartnerScope;
use crate::customers::list::{self, View};
use crate::customers::{BillingType, LicenceStatus};
use crate::db::DbConnection;
use crate::db::schema::{customer_accounts, customer_group_members, licences};

/// (state, billing type, health level, customers, licence flags), as the
/// kept counts give them.
pub(super) type CountRow = (String, String, i32, i64, i32);

/// What the figures need of one reached customer.
#[derive(Debug, Clone, Queryable)]
struct ReachedCustomer {
    state: String,
    billing_type: String,
    health_level: i32,
    licence_flags: i32,
    trial_ends_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    /// Whether it has an active licence expiring in the home's window.
    licence_expiring: bool,
}

impl ReachedCustomer {
    fn trial_ends_on(&self) -> Option<NaiveDate> {
        (self.billing_type == BillingType::Trial.as_str())
            .then_some(self.trial_ends_on)
            .flatten()
    }
}

/// The customers a limited member reaches, read once for the whole page.
pub(super) struct Reached {
    customers: Vec<ReachedCustomer>,
}

impl Reached {
    /// The member's customers, each with whether it has an active licence
    /// expiring from `licences_from` to `licences_until`.
    pub(super) fn read(
        conn: &mut DbConnection,
        scope: &PartnerScope,
        licences_from: NaiveDate,
        licences_until: NaiveDate,
    ) -> QueryResult<Self> {
        let partner_id = scope.partner_id().as_str().to_owned();
        // As the list's licence filter (`expiring_licences!`): the licences
        // carry their customer's partner.
        // Which reached customers have a licence expiring is answered from
        // the partner's few expiring licences, held apart: probed from each
        // reached customer in SQL, it cost twice the read.
        let expiring: HashSet<String> = licences::table
            .filter(licences::partner_id.eq(partner_id.clone()))
            .filter(licences::status.eq(LicenceStatus::Active))
            .filter(licences::expires_on.between(licences_from, licences_until))
            .select(licences::customer_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let (reached, several): (Vec<(String, ReachedCustomer)>, bool) =
            match scope.reach().listed_groups() {
                // A rule-based group is a condition on the accounts: the
                // list's own query finds its customers, each once.
                None => {
                    let rows = list::matching(conn, scope, &View::default())
                        .select((
                            customer_accounts::id,
                            (
                                customer_accounts::state,
                                customer_accounts::billing_type,
                                customer_accounts::health_level,
                                customer_accounts::licence_flags,
                                customer_accounts::trial_ends_on,
                                customer_accounts::created_at,
                                false.into_sql::<Bool>(),
                            ),
                        ))
                        .load(conn)?;
                    (rows, false)
                }
                // Groups kept by hand: their members carry copies of what
                // is read here (migration 37), one range of an index each.
                Some(groups) => {
                    let several = groups.len() > 1;
                    let rows = customer_group_members::table
                        .filter(customer_group_members::group_id.eq_any(groups))
                        .filter(customer_group_members::partner_id.eq(partner_id))
                        .select((
                            customer_group_members::customer_id,
                            (
                                customer_group_members::state,
                                customer_group_members::billing_type,
                                customer_group_members::health_level,
                                customer_group_members::licence_flags,
                                customer_group_members::trial_ends_on,
                                customer_group_members::customer_created_at,
                                false.into_sql::<Bool>(),
                            ),
                        ))
                        .load(conn)?;
                    (rows, several)
                }
            };
        let mut seen = HashSet::new();
        let customers = reached
            .into_iter()
            // A customer in two of the groups is reached once.
            .filter(|(id, _)| !several || seen.insert(id.clone()))
            .map(|(id, customer)| ReachedCustomer {
                licence_expiring: expiring.contains(&id),
                ..customer
            })
            .collect();
        Ok(Reached { customers })
    }

    /// The reached customers by state, billing type, health and licence
    /// flags, as the kept counts hold the whole partner's.
    pub(super) fn counts(&self) -> Vec<CountRow> {
        let mut counts: HashMap<(&str, &str, i32, i32), i64> = HashMap::new();
        for c in &self.customers {
            let key = (
                c.state.as_str(),
                c.billing_type.as_str(),
                c.health_level,
                c.licence_flags,
            );
            *counts.entry(key).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|((state, billing, health, flags), n)| {
                (state.to_owned(), billing.to_owned(), health, n, flags)
            })
            .collect()
    }

    /// Trials ending from `from` to `to`, both included (`View::trials_ending`).
    pub(super) fn trials_ending(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.count(|c| {
            c.trial_ends_on()
                .is_some_and(|day| from <= day && day <= to)
        })
    }

    /// Trials whose last day is before `today` (`View::trials_ended`).
    pub(super) fn trials_ended(&self, today: NaiveDate) -> i64 {
        self.count(|c| c.trial_ends_on().is_some_and(|day| day < today))
    }

    /// Customers created from `from` (included) to `until` (excluded).
    pub(super) fn created_between(&self, from: NaiveDateTime, until: NaiveDateTime) -> i64 {
        self.count(|c| from <= c.created_at && c.created_at < until)
    }

    /// Reached customers with an active licence expiring in the window read.
    pub(super) fn licences_expiring(&self) -> i64 {
        self.count(|c| c.licence_expiring)
    }

    fn count(&self, keep: impl Fn(&ReachedCustomer) -> bool) -> i64 {
        self.customers.iter().filter(|c| keep(c)).count() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(
        licence_expiring: bool,
        billing: BillingType,
        trial_ends_on: Option<NaiveDate>,
    ) -> ReachedCustomer {
        ReachedCustomer {
            licence_expiring,
            state: "active".into(),
            billing_type: billing.as_str().into(),
            health_level: 0,
            licence_flags: 0,
            trial_ends_on,
            created_at: NaiveDate::from_ymd_opt(2026, 3, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("a time"),
        }
    }

    /// The customers of groups kept by hand are read from their members'
    /// copies: one range of an index, no account looked up.
    #[test]
    fn hand_kept_groups_are_read_from_their_members_alone() {
        use crate::db::plans::{empty_sqlite, steps_of};
        let mut conn = empty_sqlite();
        let scope = PartnerScope::limited_for_unit_tests("a-partner", &["g", "h"]);
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a day");
        let steps = steps_of(&mut conn, |conn| {
            Reached::read(conn, &scope, day, day).expect("a read");
        });
        assert!(
            steps
                .iter()
                .any(|step| step.contains("COVERING INDEX customer_group_members_copies")),
            "{steps:#?}"
        );
        assert!(
            !steps.iter().any(|step| step.contains("customer_accounts")),
            "{steps:#?}"
        );
    }

    #[test]
    fn figures_count_as_the_list_filters() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("a day");
        let reached = Reached {
            customers: vec![
                customer(true, BillingType::Trial, Some(day(7))),
                customer(false, BillingType::Trial, Some(day(21))),
                customer(false, BillingType::Trial, Some(day(6))),
                customer(false, BillingType::MonthlyUsage, None),
            ],
        };
        assert_eq!(reached.trials_ending(day(7), day(21)), 2);
        assert_eq!(reached.trials_ended(day(7)), 1);
        assert_eq!(reached.licences_expiring(), 1);
        let counts = reached.counts();
        assert_eq!(counts.iter().map(|row| row.3).sum::<i64>(), 4);
        assert_eq!(counts.len(), 2, "{counts:?}");
        let start = NaiveDate::from_ymd_opt(2026, 3, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a time");
        assert_eq!(
            reached.created_between(start, start + chrono::Duration::days(1)),
            4
        );
        assert_eq!(
            reached.created_between(start - chrono::Duration::days(1), start),
            0
        );
    }
}
