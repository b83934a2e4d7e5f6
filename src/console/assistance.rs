//! Partner assistance: whether the customer lets its partner open
//! its account. The customer's administrators turn it on or off; everyone in the
//! account sees its state and its history, which is read from the activity log.

use crate::ids::{CustomerId, PartnerId};
use crate::webhooks::{Event, EventType};
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::access::CustomerCapability;
use crate::audit::{Action, Actor};
use crate::auth::identity::CustomerMember;
use crate::db::schema::{activity_log, customer_accounts, memberships, partner_organisations};
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::{CustomerPage, PageContext, PageError, PageOf, render, see_other};

/// Turnings on and off shown on the page, newest first.
const HISTORY_SHOWN: i64 = 50;

pub struct HistoryEntry {
    pub at: String,
    pub person: String,
    pub turned_on: bool,
}

#[derive(Template)]
#[template(path = "console/assistance.html")]
struct AssistancePage {
    layout: PageContext,
    enabled: bool,
    partner: Option<String>,
    can_change: bool,
    /// Whether this administrator is emailed each time the partner opens the account.
    notify_on_open: bool,
    /// Whether the partner is told when a monitor goes down or recovers.
    shares_monitor_events: bool,
    history: Vec<HistoryEntry>,
}

pub async fn page(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let membership_id = member.membership.id.clone();
    let zone = member.identity.login.time_zone;
    let (account, entries, notify_on_open) = db::run(&state.pool, move |conn| {
        let account: (bool, Option<String>, bool) = customer_accounts::table
            .left_join(partner_organisations::table)
            .filter(customer_accounts::id.eq(&customer_id))
            .select((
                customer_accounts::partner_assistance,
                partner_organisations::name.nullable(),
                customer_accounts::shares_monitor_events,
            ))
            .first(conn)?;
        let entries: Vec<(NaiveDateTime, String, String)> = activity_log::table
            .filter(activity_log::customer_id.eq(&customer_id))
            .filter(activity_log::action.eq_any([
                Action::AssistanceTurnedOn.as_str(),
                Action::AssistanceTurnedOff.as_str(),
            ]))
            .order((activity_log::occurred_at.desc(), activity_log::id.desc()))
            .limit(HISTORY_SHOWN)
            .select((
                activity_log::occurred_at,
                activity_log::actor_name,
                activity_log::action,
            ))
            .load(conn)?;
        let notify_on_open: bool = memberships::table
            .filter(memberships::id.eq(&membership_id))
            .filter(memberships::customer_id.eq(&customer_id))
            .select(memberships::notify_on_open)
            .first(conn)
            .optional()?
            .unwrap_or(false);
        Ok::<_, DbError>((account, entries, notify_on_open))
    })
    .await?;
    let (enabled, partner, shares_monitor_events) = account;
    let history = entries
        .into_iter()
        .map(|(at, person, action)| HistoryEntry {
            at: format_time(at, zone, layout.lang),
            person,
            turned_on: action == Action::AssistanceTurnedOn.as_str(),
        })
        .collect();
    render(&AssistancePage {
        can_change: member.role.can(CustomerCapability::ManagePartnerAssistance),
        layout,
        enabled,
        partner,
        notify_on_open,
        shares_monitor_events,
        history,
    })
}

#[derive(Deserialize)]
pub struct NotifyForm {
    notify: Option<String>,
}

/// The administrator's own choice to be emailed each time the account is opened.
pub async fn change_notification(
    state: web::Data<AppState>,
    member: CustomerMember,
    form: web::Form<NotifyForm>,
) -> Result<HttpResponse, PageError> {
    let notify = form.notify.is_some();
    let membership_id = member.membership.id.clone();
    CustomerChange::run(&state, &member, move |conn, change| {
        let changed = diesel::update(
            memberships::table
                .filter(memberships::id.eq(&membership_id))
                .filter(memberships::customer_id.eq(change.customer_id()))
                .filter(memberships::notify_on_open.ne(notify)),
        )
        .set(memberships::notify_on_open.eq(notify))
        .execute(conn)?;
        if changed > 0 {
            let action = if notify {
                Action::OpenNotificationOn
            } else {
                Action::OpenNotificationOff
            };
            change.record(conn, action, change.name(), "")?;
        }
        Ok::<_, DbError>(())
    })
    .await?;
    FlashMessage::success(if notify {
        "flash-notify-on"
    } else {
        "flash-notify-off"
    })
    .send();
    Ok(see_other("/customer/assistance"))
}

#[derive(Deserialize)]
pub struct AssistanceForm {
    enabled: String,
}

pub async fn change(
    state: web::Data<AppState>,
    member: CustomerMember,
    form: web::Form<AssistanceForm>,
) -> Result<HttpResponse, PageError> {
    let enabled = match form.enabled.as_str() {
        "on" => true,
        "off" => false,
        _ => return Err(PageError::BadRequest),
    };
    let changed = CustomerChange::run(&state, &member, move |conn, change| {
        set_assistance(
            conn,
            change.now,
            change.customer_id(),
            enabled,
            change.actor(),
        )
    })
    .await?;
    if changed {
        FlashMessage::success(if enabled {
            "flash-assistance-on"
        } else {
            "flash-assistance-off"
        })
        .send();
    }
    Ok(see_other("/customer/assistance"))
}

/// Turns assistance on or off and records it for the customer and its partner.
/// Returns whether anything changed (choosing the current state again does not).
pub fn set_assistance(
    conn: &mut db::DbConnection,
    now: NaiveDateTime,
    customer_id: &CustomerId,
    enabled: bool,
    actor: Actor<'_>,
) -> Result<bool, DbError> {
    let (current, partner_id, name): (bool, Option<PartnerId>, String) = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id))
        .select((
            customer_accounts::partner_assistance,
            customer_accounts::partner_id,
            customer_accounts::name,
        ))
        .first(conn)?;
    if current == enabled {
        return Ok(false);
    }
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(customer_id)))
        .set((
            customer_accounts::partner_assistance.eq(enabled),
            customer_accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    let action = if enabled {
        Action::AssistanceTurnedOn
    } else {
        Action::AssistanceTurnedOff
    };
    crate::customers::record_on_account(
        conn,
        now,
        (customer_id, partner_id.as_ref()),
        actor,
        action,
        &name,
        "",
    )?;
    let kind = if enabled {
        EventType::AssistanceEnabled
    } else {
        EventType::AssistanceDisabled
    };
    let event = Event::customer(kind, customer_id.as_str(), &name);
    crate::webhooks::emit_for_customer(conn, now, partner_id.as_ref(), &event)?;
    Ok(true)
}
