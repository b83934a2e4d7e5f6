//! Whether the customer tells its partner when one of its monitors goes down or
//! recovers: the partner's `monitor.down` and `monitor.recovered` webhooks carry
//! the monitor's name and the time of the check, which are the customer's to
//! share. Its administrators decide, on the page about its partner; it is off
//! until they turn it on.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::db::schema::{customer_accounts, monitors};
use crate::db::{DbConnection, DbError};
use crate::ids::PartnerId;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::{PageError, see_other};
use crate::webhooks::{self, Event, EventType};

#[derive(Deserialize)]
pub struct SharingForm {
    share: Option<String>,
}

/// `POST /customer/assistance/monitor-events`: share (`share` ticked) or stop.
pub async fn change(
    state: web::Data<AppState>,
    member: CustomerMember,
    form: web::Form<SharingForm>,
) -> Result<HttpResponse, PageError> {
    let share = form.share.is_some();
    let changed = CustomerChange::run(&state, &member, move |conn, change| {
        let changed = diesel::update(
            customer_accounts::table
                .filter(customer_accounts::id.eq(change.customer_id()))
                .filter(customer_accounts::shares_monitor_events.ne(share)),
        )
        .set(customer_accounts::shares_monitor_events.eq(share))
        .execute(conn)?;
        if changed > 0 {
            let action = if share {
                Action::MonitorEventsShared
            } else {
                Action::MonitorEventsUnshared
            };
            change.record(conn, action, change.name(), "")?;
        }
        Ok::<_, DbError>(changed > 0)
    })
    .await?;
    if changed {
        FlashMessage::success(if share {
            "flash-monitor-events-shared"
        } else {
            "flash-monitor-events-unshared"
        })
        .send();
    }
    Ok(see_other("/customer/assistance"))
}

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
