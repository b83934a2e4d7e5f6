//! Acting inside one tenant: a change made by a partner member in their
//! organisation (`PartnerChange`) or by a customer account's person in that
//! account (`CustomerChange`), each run in one write transaction in the
//! person's name, and the lookups every feature shares about who owns what.

mod changes;
pub mod kinds;
pub mod purchase_permission;
mod tenant;

pub use tenant::Tenant;

pub use changes::{
    Change as MemberChange, ChangeMaker, CustomerChange, LogsTo, Member, PartnerChange,
};

/// The role of a customer account's administrator, as stored.
pub const ADMINISTRATOR_ROLE: &str = "administrator";

use crate::accounts::MembershipKind;
use crate::accounts::MembershipState;
use crate::ids::{CustomerId, PartnerId};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::audit::Action;
use crate::db::DbConnection;
use crate::db::schema::{activity_log, customer_accounts, memberships};
use kinds::CustomerState;

/// The partner a customer account belongs to now (none once dissociated), for
/// entries in its activity log.
pub fn partner_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Option<PartnerId>> {
    customer_accounts::table
        .find(customer_id)
        .select(customer_accounts::partner_id)
        .first(conn)
}

/// Called when a login activates or accepts an invitation: the accounts it
/// administers and that were waiting for it become Active. Returns them:
/// (id, name, partner), for the caller's `customer.activated` events.
pub fn activate_accounts_administered_by(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
) -> QueryResult<Vec<(String, String, Option<PartnerId>)>> {
    let administered = memberships::table
        .filter(memberships::login_id.eq(login_id))
        .filter(memberships::scope.eq(MembershipKind::Customer))
        // An administrator's invitation still waiting does not count.
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(memberships::role.eq(ADMINISTRATOR_ROLE))
        .filter(memberships::customer_id.is_not_null())
        .select(memberships::customer_id.assume_not_null());
    let waiting: Vec<(String, String, Option<PartnerId>)> = customer_accounts::table
        .filter(customer_accounts::state.eq(CustomerState::Creating.as_str()))
        .filter(customer_accounts::id.eq_any(administered))
        .select((
            customer_accounts::id,
            customer_accounts::name,
            customer_accounts::partner_id,
        ))
        .load(conn)?;
    let ids: Vec<&String> = waiting.iter().map(|(id, ..)| id).collect();
    diesel::update(
        customer_accounts::table
            .filter(customer_accounts::state.eq(CustomerState::Creating.as_str()))
            .filter(customer_accounts::id.eq_any(ids)),
    )
    .set((
        customer_accounts::state.eq(CustomerState::Active.as_str()),
        customer_accounts::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(waiting)
}

/// How long after a request for assistance the next one for the same customer
/// waits.
pub const ONE_REQUEST_PER: Duration = Duration::hours(24);

/// When assistance was last asked for this customer, if within a day of `now`.
pub fn assistance_asked_since(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    activity_log::table
        .filter(activity_log::customer_id.eq(customer_id))
        .filter(activity_log::action.eq(Action::AssistanceRequested.as_str()))
        .filter(activity_log::occurred_at.gt(now - ONE_REQUEST_PER))
        .select(diesel::dsl::max(activity_log::occurred_at))
        .first::<Option<NaiveDateTime>>(conn)
}

/// A monitor's last result older than this says nothing about now.
pub const STALE_AFTER: Duration = Duration::hours(1);
