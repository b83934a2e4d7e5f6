//! The distributor's side of distributor assistance: the page with the reason
//! form (`/partner/resellers/{reseller_id}/assist`), entering the reseller's
//! portal, and leaving it (`/partner/assist/leave`).

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::{EndReason, NewAssist};
use crate::audit::{self, Action, Actor};
use crate::auth::identity::PartnerMember;
use crate::auth::scope::PartnerScope;
use crate::auth::session::TypedSession;
use crate::customers::fields;
use crate::db::schema::partner_organisations;
use crate::db::{self, DbConnection, DbError};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, see_other};

const REASON_MAX: usize = 200;

/// A reseller directly under the member's organisation.
pub struct Reseller {
    pub id: String,
    pub name: String,
    /// Its owners let its distributor help in its portal.
    pub allows_assistance: bool,
}

/// The reseller `reseller_id` if it is directly under the member's
/// organisation and the member reaches the network at all; a member limited
/// to some customer groups reaches none of it (`network::network_of`).
pub fn direct_reseller(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    reseller_id: &str,
) -> QueryResult<Option<Reseller>> {
    if scope.reach().is_limited() {
        return Ok(None);
    }
    let row: Option<(String, String, bool)> = partner_organisations::table
        .filter(partner_organisations::id.eq(reseller_id))
        .filter(partner_organisations::parent_id.eq(scope.partner_id()))
        .select((
            partner_organisations::id,
            partner_organisations::name,
            partner_organisations::distributor_assistance,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, name, allows_assistance)| Reseller {
        id,
        name,
        allows_assistance,
    }))
}

#[derive(Template)]
#[template(path = "network/assist.html")]
struct AssistPage {
    layout: PageContext,
    reseller: Reseller,
    ended: Option<&'static str>,
    reason: String,
    errors: FieldErrors,
    max_minutes: i64,
}

#[derive(Deserialize)]
pub struct AssistQuery {
    ended: Option<String>,
}

async fn find_reseller(
    state: &crate::state::AppState,
    member: &PartnerMember,
    reseller_id: String,
) -> Result<Reseller, PageError> {
    let scope = member.scope().clone();
    db::run(&state.pool, move |conn| {
        direct_reseller(conn, &scope, &reseller_id).map_err(DbError::from)
    })
    .await?
    .ok_or(PageError::NotFound)
}

/// `GET /partner/resellers/{reseller_id}/assist`.
pub async fn form(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    query: web::Query<AssistQuery>,
) -> Result<HttpResponse, PageError> {
    let reseller = find_reseller(&state, &member, path.into_inner()).await?;
    render(&AssistPage {
        layout,
        reseller,
        ended: query
            .ended
            .as_deref()
            .and_then(EndReason::parse)
            .map(super::ended_message_key),
        reason: String::new(),
        errors: FieldErrors::default(),
        max_minutes: crate::assisted::MAX_MINUTES,
    })
}

#[derive(Deserialize)]
pub struct AssistForm {
    #[serde(default)]
    reason: String,
}

/// `POST /partner/resellers/{reseller_id}/assist`: enters the reseller's portal.
pub async fn start(
    PageOf(state, layout, member): PartnerPage,
    session: TypedSession,
    path: web::Path<String>,
    form: web::Form<AssistForm>,
) -> Result<HttpResponse, PageError> {
    let reseller = find_reseller(&state, &member, path.into_inner()).await?;
    if !reseller.allows_assistance {
        // The form is not offered then; only a stale page or a forged request gets here.
        return Err(PageError::Forbidden);
    }
    let reason = match fields::required_text(&form.reason, REASON_MAX) {
        Ok(reason) => reason,
        Err(error) => {
            return render(&AssistPage {
                layout,
                reseller,
                ended: None,
                reason: form.reason.clone(),
                errors: FieldErrors::one("reason", error.message_key()),
                max_minutes: crate::assisted::MAX_MINUTES,
            });
        }
    };
    let now = state.clock.now();
    let scope = member.scope().clone();
    let distributor_name = member.membership.tenant_name.clone();
    let (login_id, name, membership_id) = member.actor_parts();
    let started = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<String>, DbError> {
            // Read again inside the transaction: the owners may have just said no.
            match direct_reseller(conn, &scope, &reseller.id)? {
                Some(found) if found.allows_assistance => {}
                _ => return Ok(None),
            }
            let id = super::start(
                conn,
                now,
                &NewAssist {
                    reseller_id: &reseller.id,
                    distributor_id: scope.partner_id().as_str(),
                    distributor_membership_id: &membership_id,
                    login_id: &login_id,
                    reason: &reason,
                },
            )?;
            let actor = Actor {
                login_id: Some(&login_id),
                name: &name,
                membership_id: Some(&membership_id),
                on_behalf_of: Some(&distributor_name),
                api_token_id: None,
            };
            let logs = [reseller.id.as_str(), scope.partner_id().as_str()];
            record_in_both(
                conn,
                now,
                logs,
                actor,
                Action::ResellerAssistStarted,
                (&reseller.name, &reason),
            )?;
            Ok(Some(id))
        })
    })
    .await?;
    let Some(session_id) = started else {
        return Err(PageError::Forbidden);
    };
    session
        .enter_reseller_assist(&session_id)
        .map_err(PageError::internal)?;
    Ok(see_other("/partner"))
}

/// Records `action` in the reseller's and the distributor's logs; `about` is
/// (the reseller's name, details).
fn record_in_both(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    logs: [&str; 2],
    actor: Actor<'_>,
    action: Action,
    (target, details): (&str, &str),
) -> QueryResult<()> {
    for partner_id in logs {
        audit::record(
            conn,
            now,
            audit::Entry {
                partner_id: Some(partner_id),
                customer_id: None,
                actor,
                action,
                target,
                details,
            },
        )?;
    }
    Ok(())
}

/// `POST /partner/assist/leave`: back to the distributor's own portal, in a
/// new session.
pub async fn leave(
    state: web::Data<crate::state::AppState>,
    member: PartnerMember,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let assisting = member
        .identity
        .assisting_reseller
        .clone()
        .ok_or(PageError::NotFound)?;
    let now = state.clock.now();
    let (login_id, name, _) = member.actor_parts();
    let reseller_id = assisting.reseller_id.clone();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<(), DbError> {
            super::end(conn, now, &assisting.session_id, EndReason::Left)?;
            let actor = Actor {
                login_id: Some(&login_id),
                name: &name,
                membership_id: Some(&assisting.distributor_membership_id),
                on_behalf_of: Some(&assisting.distributor_name),
                api_token_id: None,
            };
            let logs = [
                assisting.reseller_id.as_str(),
                assisting.distributor_id.as_str(),
            ];
            record_in_both(
                conn,
                now,
                logs,
                actor,
                Action::ResellerAssistLeft,
                (&assisting.reseller_name, ""),
            )?;
            Ok(())
        })
    })
    .await?;
    session
        .leave_reseller_assist()
        .map_err(PageError::internal)?;
    FlashMessage::info("flash-reseller-assist-left").send();
    Ok(see_other(&format!(
        "/partner/resellers/{reseller_id}/assist"
    )))
}
