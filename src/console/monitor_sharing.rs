//! Whether the customer tells its partner when one of its monitors goes down or
//! recovers (`monitoring::partner_events`): the partner's `monitor.down` and
//! `monitor.recovered` webhooks carry the monitor's name and the time of the
//! check, which are the customer's to share. Its administrators decide, on the
//! page about its partner; it is off until they turn it on.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::db::DbError;
use crate::db::schema::customer_accounts;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::{PageError, see_other};

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
