//! A partner's endpoints: registering one (its secret shown once), rotating the
//! secret with an overlap, enabling and disabling, deleting, and redelivering
//! one delivery. Every function takes the partner's id and touches only its
//! rows: an endpoint of another partner is not found.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DeliveryState, EventType, events_text, signing};
use crate::db::DbConnection;
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::ids::PartnerId;

/// How long the previous secret keeps signing after a rotation.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;

/// An endpoint as the pages show it.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = webhook_endpoints)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub description: String,
    pub events: String,
    pub created_at: NaiveDateTime,
    pub last_success_at: Option<NaiveDateTime>,
    pub failing_since: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub disabled_at: Option<NaiveDateTime>,
    pub disabled_reason: Option<String>,
}

/// A new endpoint, its URL already checked (`address::check`).
pub struct NewEndpoint<'a> {
    pub url: &'a url::Url,
    pub description: &'a str,
    pub events: &'a [EventType],
    pub created_by_login_id: &'a str,
}

/// Registers an endpoint; returns its id and its secret, shown once.
pub fn register(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    new: &NewEndpoint<'_>,
) -> QueryResult<(String, String)> {
    let id = uuid::Uuid::new_v4().to_string();
    let secret = signing::new_secret();
    diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::id.eq(&id),
            webhook_endpoints::partner_id.eq(partner_id),
            webhook_endpoints::url.eq(new.url.as_str()),
            webhook_endpoints::description.eq(new.description),
            webhook_endpoints::events.eq(events_text(new.events)),
            webhook_endpoints::secret.eq(&secret),
            webhook_endpoints::created_by_login_id.eq(new.created_by_login_id),
            webhook_endpoints::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok((id, secret))
}

/// The partner's endpoint `id`, or none (another partner's is none too).
pub fn find(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
    id: &str,
) -> QueryResult<Option<Endpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::partner_id.eq(partner_id))
        .filter(webhook_endpoints::id.eq(id))
        .select(Endpoint::as_select())
        .first(conn)
        .optional()
}

/// The partner's endpoints, oldest first.
pub fn list(conn: &mut DbConnection, partner_id: &PartnerId) -> QueryResult<Vec<Endpoint>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::partner_id.eq(partner_id))
        .order((
            webhook_endpoints::created_at.asc(),
            webhook_endpoints::id.asc(),
        ))
        .select(Endpoint::as_select())
        .load(conn)
}

/// The partner's endpoints, oldest first, each with its last attempt at a
/// delivery.
pub fn list_with_last_delivery(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
) -> QueryResult<Vec<(Endpoint, Option<NaiveDateTime>)>> {
    let last: Vec<(String, Option<NaiveDateTime>)> = webhook_deliveries::table
        .filter(webhook_deliveries::partner_id.eq(partner_id))
        .group_by(webhook_deliveries::endpoint_id)
        .select((
            webhook_deliveries::endpoint_id,
            diesel::dsl::max(webhook_deliveries::last_attempt_at),
        ))
        .load(conn)?;
    let last: std::collections::HashMap<String, Option<NaiveDateTime>> = last.into_iter().collect();
    Ok(list(conn, partner_id)?
        .into_iter()
        .map(|endpoint| {
            let at = last.get(&endpoint.id).copied().flatten();
            (endpoint, at)
        })
        .collect())
}

/// A new secret for the endpoint; the current one keeps signing beside it for
/// `ROTATION_OVERLAP_HOURS`. Returns the new secret, or none when the
/// endpoint is not the partner's.
pub fn rotate_secret(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    id: &str,
) -> QueryResult<Option<String>> {
    let current: Option<String> = webhook_endpoints::table
        .filter(webhook_endpoints::partner_id.eq(partner_id))
        .filter(webhook_endpoints::id.eq(id))
        .select(webhook_endpoints::secret)
        .first(conn)
        .optional()?;
    let Some(current) = current else {
        return Ok(None);
    };
    let secret = signing::new_secret();
    diesel::update(webhook_endpoints::table.filter(webhook_endpoints::id.eq(id)))
        .set((
            webhook_endpoints::secret.eq(&secret),
            webhook_endpoints::previous_secret.eq(Some(current)),
            webhook_endpoints::previous_secret_expires_at
                .eq(Some(now + chrono::Duration::hours(ROTATION_OVERLAP_HOURS))),
        ))
        .execute(conn)?;
    Ok(Some(secret))
}

/// Enables a disabled endpoint: its failure window starts again. Deliveries
/// cancelled when it was disabled stay cancelled (redeliver one to resend it).
pub fn enable(conn: &mut DbConnection, partner_id: &PartnerId, id: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::partner_id.eq(partner_id))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .set((
        webhook_endpoints::disabled_at.eq(None::<NaiveDateTime>),
        webhook_endpoints::disabled_reason.eq(None::<String>),
        webhook_endpoints::failing_since.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Why an endpoint was disabled, stored as JSON so that each reader's page
/// words it in their language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum DisabledReason {
    /// Partnerdesk, after `days` without an accepted delivery.
    Failures { days: i64, last_error: String },
    /// One of the partner's people, from the endpoint's page.
    Person { name: String },
}

impl DisabledReason {
    fn stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The reason as stored; None for text stored before reasons were JSON,
    /// which the page then shows as it is.
    pub fn parse(stored: &str) -> Option<Self> {
        serde_json::from_str(stored).ok()
    }
}

/// Disables an endpoint for `reason`; its waiting deliveries are cancelled.
/// Returns whether it was enabled until now.
pub fn disable(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    id: &str,
    reason: &DisabledReason,
) -> QueryResult<bool> {
    let changed = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::partner_id.eq(partner_id))
            .filter(webhook_endpoints::id.eq(id))
            .filter(webhook_endpoints::disabled_at.is_null()),
    )
    .set((
        webhook_endpoints::disabled_at.eq(Some(now)),
        webhook_endpoints::disabled_reason.eq(Some(reason.stored())),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(id))
            .filter(
                webhook_deliveries::state.eq_any([DeliveryState::Pending, DeliveryState::Sending]),
            ),
    )
    .set((
        webhook_deliveries::state.eq(DeliveryState::Cancelled),
        webhook_deliveries::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(true)
}

/// Deletes an endpoint and its delivery log. Returns whether it existed.
pub fn delete(conn: &mut DbConnection, partner_id: &PartnerId, id: &str) -> QueryResult<bool> {
    diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::partner_id.eq(partner_id))
            .filter(webhook_deliveries::endpoint_id.eq(id)),
    )
    .execute(conn)?;
    let deleted = diesel::delete(
        webhook_endpoints::table
            .filter(webhook_endpoints::partner_id.eq(partner_id))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// A new attempt at delivery `delivery_id` of the partner's endpoint, now:
/// whatever its state, unless it is being sent. One attempt: a delivery past
/// the give-up window that fails again is failed again. Returns whether it
/// was found.
pub fn redeliver(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    endpoint_id: &str,
    delivery_id: &str,
) -> QueryResult<bool> {
    let changed = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::partner_id.eq(partner_id))
            .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
            .filter(webhook_deliveries::id.eq(delivery_id))
            .filter(webhook_deliveries::state.ne(DeliveryState::Sending)),
    )
    .set((
        webhook_deliveries::state.eq(DeliveryState::Pending),
        webhook_deliveries::next_attempt_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
