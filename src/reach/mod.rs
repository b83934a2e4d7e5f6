//! Which of a partner's customers a staff member reaches: all of them, or, for
//! a person an owner has limited to some customer groups, the customers of
//! those groups (issue 21). The reach travels in the [`PartnerScope`] built
//! from the session or the API token, and every read of customers, and of what
//! hangs on them, filters by it, so a limited person sees, searches, exports,
//! opens, orders for and counts only their groups' customers.
//!
//! Groups are read on each request, so a customer that leaves a group leaves
//! the reach on the next one.
//!
//! [`PartnerScope`]: crate::auth::scope::PartnerScope

use diesel::prelude::*;

pub mod rules;

use crate::access::PartnerRole;
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, customer_group_members, customer_group_rules, customer_groups,
    membership_groups, memberships,
};
use rules::{GroupRule, Predicate, any_of, listed_in, probed_in};

/// The customers a member reaches.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CustomerReach {
    /// Every customer of the partner.
    #[default]
    Whole,
    /// Only the customers of these groups of the partner (none when the list
    /// is empty: a limited person whose groups were deleted reaches nobody).
    Groups(Vec<ReachGroup>),
}

/// One group of a reach: its id, and its rule when it is rule-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachGroup {
    pub id: String,
    pub rule: Option<GroupRule>,
}

impl ReachGroup {
    /// The customers the group holds, as a condition on `customer_accounts`
    /// (a hand-kept group's members probed for each account, `probed_in`).
    pub fn predicate<QS: 'static>(&self) -> Predicate<QS> {
        match &self.rule {
            Some(rule) => rule.predicate(),
            None => probed_in(&self.id),
        }
    }

    /// As `predicate`, with a hand-kept group's members as a list
    /// (`listed_in`), which SQLite may start from: for a count of the whole
    /// group, or a query that starts from another table.
    pub fn predicate_as_list<QS: 'static>(&self) -> Predicate<QS> {
        match &self.rule {
            Some(rule) => rule.predicate(),
            None => listed_in(&self.id),
        }
    }
}

/// A condition on `customer_accounts`, boxed so that it joins any query of it.
pub type CustomerFilter = Predicate<customer_accounts::table>;

impl CustomerReach {
    pub fn is_limited(&self) -> bool {
        matches!(self, CustomerReach::Groups(_))
    }

    /// The ids of a limited reach's groups when every one is kept by hand
    /// (its members listed), so that the reach is a condition on the
    /// customer's id alone, which indexes kept beside the accounts can
    /// check; none for the whole partner or when a group is rule-based.
    pub fn listed_groups(&self) -> Option<Vec<String>> {
        match self {
            CustomerReach::Whole => None,
            CustomerReach::Groups(groups) => groups
                .iter()
                .map(|group| group.rule.is_none().then(|| group.id.clone()))
                .collect(),
        }
    }

    /// The condition a customer row meets when it is in the reach; none when
    /// the reach is the whole partner (its partner filter says it all).
    pub fn filter(&self) -> Option<CustomerFilter> {
        match self {
            CustomerReach::Whole => None,
            CustomerReach::Groups(groups) => {
                Some(any_of(groups.iter().map(ReachGroup::predicate).collect()))
            }
        }
    }

    /// As `filter`, for a query that joins `customer_accounts` to other
    /// tables (requests, monitors) and starts from them.
    pub fn filter_on<QS: 'static>(&self) -> Option<Predicate<QS>> {
        match self {
            CustomerReach::Whole => None,
            CustomerReach::Groups(groups) => Some(any_of(
                groups.iter().map(ReachGroup::predicate_as_list).collect(),
            )),
        }
    }
}

/// A group's row with its rule's: the rule's key says whether it has one
/// (every condition may be NULL, so the conditions alone cannot).
pub type GroupWithRule = (String, Option<String>, Option<GroupRule>);

/// The columns of `GroupWithRule`, for a query joining the rules on the left.
pub fn group_with_rule_columns() -> (
    customer_groups::id,
    diesel::dsl::Nullable<customer_group_rules::group_id>,
    diesel::dsl::AsSelect<Option<GroupRule>, crate::db::MultiBackend>,
) {
    (
        customer_groups::id,
        customer_group_rules::group_id.nullable(),
        Option::<GroupRule>::as_select(),
    )
}

impl ReachGroup {
    /// A group from its row with its rule's.
    pub fn of_row((id, rule_key, rule): GroupWithRule) -> Self {
        ReachGroup {
            id,
            rule: rule_key.and(rule),
        }
    }
}

/// The partner's group `group_id` with its rule, if it is the partner's.
pub fn group_of_partner(
    conn: &mut DbConnection,
    partner_id: &str,
    group_id: &str,
) -> QueryResult<Option<ReachGroup>> {
    let found: Option<GroupWithRule> = customer_groups::table
        .left_join(customer_group_rules::table)
        .filter(customer_groups::id.eq(group_id.to_owned()))
        .filter(customer_groups::partner_id.eq(partner_id.to_owned()))
        .select(group_with_rule_columns())
        .first(conn)
        .optional()?;
    Ok(found.map(ReachGroup::of_row))
}

/// The reach of a partner membership: the whole partner unless an owner
/// limited it, then its groups, which are the partner's own.
pub fn of_membership(conn: &mut DbConnection, membership_id: &str) -> QueryResult<CustomerReach> {
    let limited: Option<(bool, String, Option<String>)> = memberships::table
        .filter(memberships::id.eq(membership_id))
        .select((
            memberships::customers_scoped,
            memberships::role,
            memberships::partner_id,
        ))
        .first(conn)
        .optional()?;
    // Owners reach every customer, whatever was stored before they became one.
    let Some((true, role, partner_id)) = limited else {
        return Ok(CustomerReach::Whole);
    };
    match partner_id {
        Some(partner_id) if role != PartnerRole::Owner.as_str() => {
            groups_of_limited(conn, membership_id, &partner_id)
        }
        _ => Ok(CustomerReach::Whole),
    }
}

/// The reach of a membership of `partner_id` already known to be limited
/// (the identity reads the flag with the membership): its groups, which are
/// the partner's own.
pub fn groups_of_limited(
    conn: &mut DbConnection,
    membership_id: &str,
    partner_id: &str,
) -> QueryResult<CustomerReach> {
    let groups: Vec<GroupWithRule> = membership_groups::table
        .inner_join(customer_groups::table.left_join(customer_group_rules::table))
        .filter(membership_groups::membership_id.eq(membership_id))
        .filter(customer_groups::partner_id.eq(partner_id))
        .select(group_with_rule_columns())
        .order(customer_groups::id)
        .load(conn)?;
    Ok(CustomerReach::Groups(
        groups.into_iter().map(ReachGroup::of_row).collect(),
    ))
}

/// Whether `reach`, of the partner `partner_id`, holds its customer `customer_id`.
pub fn reaches(
    conn: &mut DbConnection,
    reach: &CustomerReach,
    partner_id: &str,
    customer_id: &str,
) -> QueryResult<bool> {
    let Some(in_reach) = reach.filter() else {
        return Ok(true);
    };
    let found: i64 = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id.to_owned()))
        .filter(customer_accounts::partner_id.eq(partner_id.to_owned()))
        .filter(in_reach)
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Puts a customer just created by `membership_id` into that member's groups
/// when an owner limited it to some: its creator keeps reaching it.
pub fn join_creator_groups(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    membership_id: &str,
    customer_id: &str,
) -> QueryResult<()> {
    let CustomerReach::Groups(groups) = of_membership(conn, membership_id)? else {
        return Ok(());
    };
    // A rule-based group takes it in by its rule, or not at all.
    for group_id in groups
        .into_iter()
        .filter(|g| g.rule.is_none())
        .map(|g| g.id)
    {
        diesel::insert_into(customer_group_members::table)
            .values((
                customer_group_members::group_id.eq(group_id),
                customer_group_members::customer_id.eq(customer_id),
                customer_group_members::added_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
