//! A customer's monitor going down or recovering, told to its partner's
//! webhooks while the customer shares it (`console::monitor_sharing`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{customer_accounts, monitors};
use crate::ids::PartnerId;
use crate::webhooks::{self, Event, EventType};

/// After a batch of results moved a monitor's failures in a row from `before`
/// to `after`: tells the customer's partner that the monitor went down (its
/// latest check failed, the one before had not) or recovered, when the
/// customer shares it. Call in the batch's transaction; a batch that goes down
/// and back up again tells nothing, as the monitor's state did not change.
pub fn tell_partner(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    monitor_id: &str,
    (before, after): (i32, i32),
    checked_at: NaiveDateTime,
) -> QueryResult<usize> {
    let kind = match (before > 0, after > 0) {
        (false, true) => EventType::MonitorDown,
        (true, false) => EventType::MonitorRecovered,
        _ => return Ok(0),
    };
    type Row = (String, String, String, Option<PartnerId>);
    let found: Option<Row> = monitors::table
        .inner_join(customer_accounts::table)
        .filter(monitors::id.eq(monitor_id))
        .filter(customer_accounts::shares_monitor_events)
        .select((
            monitors::name,
            customer_accounts::id,
            customer_accounts::name,
            customer_accounts::partner_id,
        ))
        .first(conn)
        .optional()?;
    let Some((monitor_name, customer_id, customer_name, partner_id)) = found else {
        return Ok(0);
    };
    let event = Event {
        kind,
        data: serde_json::json!({
            "customer": { "id": customer_id, "name": customer_name },
            "monitor": { "id": monitor_id, "name": monitor_name },
            "checked_at": checked_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }),
    };
    webhooks::emit_for_customer(conn, now, partner_id.as_ref(), &event)
}
