//! Whether a customer may buy its own reservations ("buy own reservations",
//! off by default), and what turning it on still needs: an active usage-based
//! subscription, and a person of the account holding the Owner role on one.
//! Turning it on or off is the commerce pages'.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::tenancy::kinds::SubscriptionState;
use diesel::prelude::*;

use super::kinds::OfferKind;
use crate::db::DbConnection;
use crate::db::schema::{
    customer_permissions, logins, memberships, subscription_owners, subscriptions,
};

pub const BUY_RESERVATIONS: &str = "buy_reservations";

/// The permission's state on a customer, with what turning it on still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PurchasePermission {
    pub on: bool,
    pub has_usage_subscription: bool,
    pub has_subscription_owner: bool,
}

impl PurchasePermission {
    pub fn can_turn_on(&self) -> bool {
        self.has_usage_subscription && self.has_subscription_owner
    }
}

pub fn is_on(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        customer_permissions::table
            .filter(customer_permissions::customer_id.eq(customer_id))
            .filter(customer_permissions::permission.eq(BUY_RESERVATIONS)),
    ))
    .get_result(conn)
}

/// The active usage subscriptions of the customer on which `membership_id` (or,
/// without one, any active person of the account) holds the Owner role.
pub fn owned_usage_subscriptions(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    membership_id: Option<&str>,
) -> QueryResult<Vec<(String, String)>> {
    let mut query = subscription_owners::table
        .inner_join(subscriptions::table)
        .inner_join(memberships::table.inner_join(logins::table))
        .filter(subscriptions::customer_id.eq(customer_id))
        .filter(subscriptions::kind.eq(OfferKind::UsageSubscription.as_str()))
        .filter(subscriptions::state.eq(SubscriptionState::Active))
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .into_boxed();
    if let Some(membership_id) = membership_id {
        query = query.filter(memberships::id.eq(membership_id.to_owned()));
    }
    query
        .select((subscriptions::id, subscriptions::name))
        .distinct()
        .order(subscriptions::name.asc())
        .load(conn)
}

pub fn purchase_permission(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<PurchasePermission> {
    let has_usage_subscription = !usage_subscriptions(conn, customer_id)?.is_empty();
    let has_subscription_owner = !owned_usage_subscriptions(conn, customer_id, None)?.is_empty();
    Ok(PurchasePermission {
        on: is_on(conn, customer_id)?,
        has_usage_subscription,
        has_subscription_owner,
    })
}

/// The active usage subscriptions of a customer, for choosing where a
/// reservation applies: (id, name).
pub fn usage_subscriptions(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Vec<(String, String)>> {
    subscriptions::table
        .filter(subscriptions::customer_id.eq(customer_id))
        .filter(subscriptions::kind.eq(OfferKind::UsageSubscription.as_str()))
        .filter(subscriptions::state.eq(SubscriptionState::Active))
        .order((subscriptions::created_at.asc(), subscriptions::id.asc()))
        .select((subscriptions::id, subscriptions::name))
        .load(conn)
}
