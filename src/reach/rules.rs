//! Rule-based customer groups (issue 21): a group defined by conditions over
//! the customer's fields rather than kept by hand. Its members are never
//! stored: the conditions are part of the query that reads the group (the
//! list's group filter, the reach of a limited staff member, the groups'
//! counts), so a customer whose country changes is in or out on the next
//! request, and no job can let a group drift.
//!
//! The conditions are SQL over `customer_accounts`, with every value bound,
//! so that they apply to any query that reads that table, joined or not.

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text};

use crate::db::MultiBackend;
use crate::db::derived::licence_flags;
use crate::db::schema::customer_group_rules;

/// A condition on the customers of a query that reads `customer_accounts`.
pub type Predicate<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>>;

/// The longest reference prefix a rule may ask for.
pub const PREFIX_MAX: usize = 50;

/// The conditions of a rule-based group, as stored: every one given must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = customer_group_rules)]
// A condition left out when the rule is changed is no longer asked.
#[diesel(treat_none_as_null = true)]
pub struct GroupRule {
    /// An ISO 3166 code.
    pub country: Option<String>,
    pub billing_type: Option<String>,
    pub state: Option<String>,
    /// A licence in this status (as the list's licence filter).
    pub licence_status: Option<String>,
    /// An active or trial licence of this product.
    pub product: Option<String>,
    pub health_level: Option<i32>,
    /// Created on or after this day (UTC).
    pub created_from: Option<NaiveDate>,
    /// Created on or before this day (UTC).
    pub created_until: Option<NaiveDate>,
    /// The reference number starts with this text (case as typed).
    pub reference_prefix: Option<String>,
    /// A member of this hand-kept group of the partner.
    pub in_group_id: Option<String>,
}

/// A condition that matches nobody.
pub fn nobody<QS: 'static>() -> Predicate<QS> {
    Box::new(sql::<Bool>("1 = 0"))
}

/// Every one of `parts`; nobody when there is none.
pub fn all_of<QS: 'static>(parts: Vec<Predicate<QS>>) -> Predicate<QS> {
    parts
        .into_iter()
        .reduce(|a, b| Box::new(a.and(b)))
        .unwrap_or_else(nobody)
}

/// Any one of `parts`; nobody when there is none.
pub fn any_of<QS: 'static>(parts: Vec<Predicate<QS>>) -> Predicate<QS> {
    parts
        .into_iter()
        .reduce(|a, b| Box::new(a.or(b)))
        .unwrap_or_else(nobody)
}

/// The customers a hand-kept group holds, as a list of its members: where
/// the query starts from another table (requests, monitors), SQLite keeps
/// starting from that table's own index.
pub fn listed_in<QS: 'static>(group_id: &str) -> Predicate<QS> {
    Box::new(
        sql::<Bool>(
            "customer_accounts.id IN (SELECT customer_id FROM customer_group_members \
             WHERE group_id = ",
        )
        .bind::<Text, _>(group_id.to_owned())
        .sql(")"),
    )
}

/// The customers a hand-kept group holds, as a probe of its members for each
/// account read: for the reads of the accounts themselves, which stop at a
/// page or look at one customer. As a list (`listed_in`), SQLite read every
/// member into a temporary index first, 10,000 of them for the five names of
/// the limited home or a list page of fifty.
pub fn probed_in<QS: 'static>(group_id: &str) -> Predicate<QS> {
    Box::new(
        sql::<Bool>(
            "EXISTS (SELECT 1 FROM customer_group_members \
             WHERE customer_group_members.customer_id = customer_accounts.id \
             AND customer_group_members.group_id = ",
        )
        .bind::<Text, _>(group_id.to_owned())
        .sql(")"),
    )
}

fn text_is<QS: 'static>(column: &'static str, value: &str) -> Predicate<QS> {
    Box::new(
        sql::<Bool>(&format!("customer_accounts.{column} = ")).bind::<Text, _>(value.to_owned()),
    )
}

impl GroupRule {
    /// Whether the rule asks anything at all.
    pub fn is_empty(&self) -> bool {
        *self == GroupRule::default()
    }

    /// The rule as a condition on `customer_accounts`; nobody for a rule that
    /// asks nothing (none is stored so).
    pub fn predicate<QS: 'static>(&self) -> Predicate<QS> {
        let mut parts: Vec<Predicate<QS>> = Vec::new();
        if let Some(country) = &self.country {
            parts.push(text_is("country", country));
        }
        if let Some(billing) = &self.billing_type {
            parts.push(text_is("billing_type", billing));
        }
        if let Some(state) = &self.state {
            parts.push(text_is("state", state));
        }
        if let Some(level) = self.health_level {
            parts.push(Box::new(
                sql::<Bool>("customer_accounts.health_level = ").bind::<Integer, _>(level),
            ));
        }
        let bit = match self.licence_status.as_deref() {
            Some("active") => Some(licence_flags::ACTIVE),
            Some("trial") => Some(licence_flags::TRIAL),
            Some("expired") => Some(licence_flags::EXPIRED),
            _ => None,
        };
        if let Some(bit) = bit {
            parts.push(Box::new(
                sql::<Bool>("(customer_accounts.licence_flags & ")
                    .bind::<Integer, _>(bit)
                    .sql(") <> 0"),
            ));
        }
        if let Some(product) = &self.product {
            parts.push(Box::new(
                sql::<Bool>(
                    "customer_accounts.id IN (SELECT customer_id FROM licences \
                     WHERE status IN ('active', 'trial') AND product = ",
                )
                .bind::<Text, _>(product.clone())
                .sql(")"),
            ));
        }
        if let Some(from) = self.created_from {
            parts.push(Box::new(
                sql::<Bool>("customer_accounts.created_at >= ")
                    .bind::<diesel::sql_types::Timestamp, _>(from.and_time(chrono::NaiveTime::MIN)),
            ));
        }
        if let Some(until) = self.created_until.and_then(|day| day.succ_opt()) {
            parts.push(Box::new(
                sql::<Bool>("customer_accounts.created_at < ")
                    .bind::<diesel::sql_types::Timestamp, _>(
                        until.and_time(chrono::NaiveTime::MIN),
                    ),
            ));
        }
        if let Some(prefix) = &self.reference_prefix {
            // Compared as typed, the same on both backends (`LIKE` folds
            // case on SQLite only).
            let length = prefix.chars().count() as i32;
            parts.push(Box::new(
                sql::<Bool>("substr(customer_accounts.reference_number, 1, ")
                    .bind::<Integer, _>(length)
                    .sql(") = ")
                    .bind::<Text, _>(prefix.clone()),
            ));
        }
        if let Some(group) = &self.in_group_id {
            parts.push(listed_in(group));
        }
        all_of(parts)
    }
}
