//! Webhooks: a partner's owners register HTTPS endpoints and choose events;
//! each event is written, in the transaction of the change that causes it, as
//! one delivery row per subscribed endpoint ([`emit`]), so a rolled-back change
//! emits nothing and a committed one is never lost. A worker ([`worker`])
//! claims due deliveries with a lease like the email outbox, POSTs the stored
//! body signed with the endpoint's secret ([`signing`]), retries with backoff,
//! and disables an endpoint that keeps failing, telling the partner's owners
//! ([`disable`]). Only public addresses are reached ([`address`]).

pub mod address;
pub mod disable;
pub mod endpoint_pages;
pub mod endpoints;
pub mod log;
mod outcome;
pub mod pages;
pub mod signing;
pub mod worker;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::ids::PartnerId;

crate::db::codes::stored_code!(
    /// What happened, as a webhook's `type` names it.
    EventType {
        CustomerCreated => "customer.created",
        CustomerActivated => "customer.activated",
        CustomerRenamed => "customer.renamed",
        CustomerDissociated => "customer.dissociated",
        AssistanceEnabled => "assistance.enabled",
        AssistanceDisabled => "assistance.disabled",
        CustomerOpened => "customer.opened",
        OrderPlaced => "order.placed",
        RequestOpened => "request.opened",
        RequestAnswered => "request.answered",
        MonitorDown => "monitor.down",
        MonitorRecovered => "monitor.recovered",
    }
);

crate::db::codes::stored_code!(
    /// A delivery waits (pending), is being sent under a claim (sending), was
    /// accepted (delivered), was given up (failed), or stopped with its
    /// endpoint (cancelled).
    DeliveryState {
        Pending => "pending",
        Sending => "sending",
        Delivered => "delivered",
        Failed => "failed",
        Cancelled => "cancelled",
    }
);

/// An event about to be emitted: its type and the `data` of its payload (the
/// objects' ids and names).
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: EventType,
    pub data: Value,
}

impl Event {
    /// An event about one customer account.
    pub fn customer(kind: EventType, customer_id: &str, name: &str) -> Self {
        Event {
            kind,
            data: json!({ "customer": { "id": customer_id, "name": name } }),
        }
    }

    /// `customer.renamed`: the new name, and the one it replaced.
    pub fn renamed(customer_id: &str, name: &str, previous_name: &str) -> Self {
        Event {
            kind: EventType::CustomerRenamed,
            data: json!({
                "customer": { "id": customer_id, "name": name },
                "previous_name": previous_name,
            }),
        }
    }
}

/// The event types an endpoint subscribes to, as stored: their codes
/// separated by single spaces.
pub fn events_text(kinds: &[EventType]) -> String {
    kinds
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The event types of a stored list; a code this version does not know is
/// skipped.
pub fn events_of(text: &str) -> Vec<EventType> {
    text.split(' ').filter_map(EventType::parse).collect()
}

/// The body every attempt sends, built once.
fn payload(event_id: &str, now: NaiveDateTime, partner_id: &PartnerId, event: &Event) -> String {
    json!({
        "id": event_id,
        "type": event.kind.as_str(),
        "created_at": now.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "partner_id": partner_id.as_str(),
        "data": event.data,
    })
    .to_string()
}

/// Writes one delivery of `event` for each enabled endpoint of the partner that
/// subscribes to it. Call inside the transaction of the change that causes the
/// event, then wake the worker (`AppState::webhooks_wake`) once it commits.
/// Returns how many deliveries were written.
pub fn emit(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    event: &Event,
) -> QueryResult<usize> {
    let endpoints: Vec<(String, String)> = webhook_endpoints::table
        .filter(webhook_endpoints::partner_id.eq(partner_id))
        .filter(webhook_endpoints::disabled_at.is_null())
        .select((webhook_endpoints::id, webhook_endpoints::events))
        .load(conn)?;
    let subscribed: Vec<String> = endpoints
        .into_iter()
        .filter(|(_, events)| events_of(events).contains(&event.kind))
        .map(|(id, _)| id)
        .collect();
    if subscribed.is_empty() {
        return Ok(0);
    }
    let event_id = uuid::Uuid::new_v4().to_string();
    let body = payload(&event_id, now, partner_id, event);
    for endpoint_id in &subscribed {
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(uuid::Uuid::new_v4().to_string()),
                webhook_deliveries::endpoint_id.eq(endpoint_id),
                webhook_deliveries::partner_id.eq(partner_id),
                webhook_deliveries::event_id.eq(&event_id),
                webhook_deliveries::event_type.eq(event.kind.as_str()),
                webhook_deliveries::payload.eq(&body),
                webhook_deliveries::state.eq(DeliveryState::Pending),
                webhook_deliveries::attempts.eq(0),
                webhook_deliveries::next_attempt_at.eq(now),
                webhook_deliveries::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(subscribed.len())
}

/// Emits `event` for the partner of a customer, if it has one (a customer the
/// partner let go, or one of the operator's own, has none).
pub fn emit_for_customer(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: Option<&PartnerId>,
    event: &Event,
) -> QueryResult<usize> {
    match partner_id {
        Some(partner_id) => emit(conn, now, partner_id, event),
        None => Ok(0),
    }
}
