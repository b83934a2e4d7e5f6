//! The pages of "open customer": the partner user's form with its reason, entering
//! the customer's console, and leaving it.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::auth::scope::Owned;
use crate::ids::{CustomerId, PartnerId};
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use super::{EndReason, NewSession};
use crate::audit::{Action, Actor};
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::auth::session::TypedSession;
use crate::customers::{self, Customer, CustomerError, fields};
use crate::db::schema::{logins, memberships};
use crate::db::{self, DbConnection};
use crate::email::messages::AccountOpenedEmail;
use crate::email::outbox;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, see_other};

const REASON_MAX: usize = 200;

#[derive(Template)]
#[template(path = "assisted/open.html")]
struct OpenPage {
    layout: PageContext,
    customer: Customer,
    ended: Option<EndReason>,
    reason: String,
    errors: FieldErrors,
    max_minutes: i64,
}

#[derive(Deserialize)]
pub struct OpenQuery {
    ended: Option<String>,
}

pub async fn form(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    query: web::Query<OpenQuery>,
) -> Result<HttpResponse, PageError> {
    let customer = customers::find_for_page(&state, &member, path.into_inner()).await?;
    render(&OpenPage {
        layout,
        customer: customer.into_inner(),
        ended: query.ended.as_deref().and_then(EndReason::parse),
        reason: String::new(),
        errors: FieldErrors::default(),
        max_minutes: super::MAX_MINUTES,
    })
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    reason: String,
}

/// Tells the administrators who asked for it that the account was opened.
fn notify_administrators(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    now: chrono::NaiveDateTime,
    customer: &Customer,
    partner: &str,
    person: &str,
    reason: &str,
) -> Result<(), CustomerError> {
    let recipients: Vec<(String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(&customer.id))
        .filter(memberships::role.eq(crate::customers::create::ADMINISTRATOR_ROLE))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(memberships::notify_on_open.eq(true))
        .filter(logins::state.eq(LoginState::Active))
        .select((logins::email, logins::full_name, logins::language))
        .load(conn)?;
    for (email, full_name, language) in recipients {
        let message = AccountOpenedEmail {
            tr: Lang::from_code(&language).unwrap_or_default().translator(),
            full_name,
            account: customer.name.clone(),
            partner: partner.to_owned(),
            person: person.to_owned(),
            reason: reason.to_owned(),
            activity_link: settings.link("/customer/activity"),
        };
        outbox::enqueue(conn, now, &email, &message)?;
    }
    Ok(())
}

pub async fn open(
    PageOf(state, layout, member): PartnerPage,
    session: TypedSession,
    path: web::Path<String>,
    form: web::Form<OpenForm>,
) -> Result<HttpResponse, PageError> {
    let customer = customers::find_for_page(&state, &member, path.into_inner()).await?;
    if !customer.partner_assistance {
        // The form is not offered then; only a stale page or a forged request gets here.
        return Err(PageError::Forbidden);
    }
    let reason = match fields::required_text(&form.reason, REASON_MAX) {
        Ok(reason) => reason,
        Err(error) => {
            let errors = FieldErrors::one("reason", error.message_key());
            return render(&OpenPage {
                layout,
                customer: customer.into_inner(),
                ended: None,
                reason: form.reason.clone(),
                errors,
                max_minutes: super::MAX_MINUTES,
            });
        }
    };
    let session_id = start_session(&state, &member, customer, reason)
        .await
        .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    session
        .enter_assisted(&session_id)
        .map_err(PageError::internal)?;
    Ok(see_other("/customer"))
}

/// Starts the assisted session in one write transaction, with its entry in the
/// customer's log and the emails to the administrators who asked for them.
async fn start_session(
    state: &AppState,
    member: &PartnerMember,
    customer: Owned<Customer>,
    reason: String,
) -> Result<String, CustomerError> {
    let now = state.clock.now();
    let settings = state.settings.clone();
    let scope = member.scope().clone();
    let partner_name = member.membership.tenant_name.clone();
    let (login_id, name, membership_id) = member.actor_parts();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<String, CustomerError> {
            let id = super::start(
                conn,
                now,
                &NewSession {
                    customer_id: &customer.id,
                    partner_id: scope.partner_id(),
                    partner_membership_id: &membership_id,
                    login_id: &login_id,
                    reason: &reason,
                },
            )?;
            let actor = Actor {
                login_id: Some(&login_id),
                name: &name,
                membership_id: Some(&membership_id),
                on_behalf_of: Some(&partner_name),
                api_token_id: None,
            };
            customers::record_on_account(
                conn,
                now,
                (&customer.id, Some(scope.partner_id())),
                actor,
                Action::CustomerOpened,
                &customer.name,
                &reason,
            )?;
            let mut event = crate::webhooks::Event::customer(
                crate::webhooks::EventType::CustomerOpened,
                &customer.id,
                &customer.name,
            );
            event.data["opened_by"] = serde_json::json!({ "name": name, "reason": reason });
            crate::webhooks::emit(conn, now, scope.partner_id(), &event)?;
            notify_administrators(
                conn,
                &settings,
                now,
                &customer,
                &partner_name,
                &name,
                &reason,
            )?;
            Ok(id)
        })
    })
    .await
}

/// Leaves the customer's console for the partner's list, in a new session.
pub async fn leave(
    state: web::Data<AppState>,
    member: CustomerMember,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let assisting = member
        .identity
        .assisting
        .clone()
        .ok_or(PageError::NotFound)?;
    let now = state.clock.now();
    let login_id = member.identity.login.id.clone();
    let name = member.identity.login.full_name.clone();
    let customer_id = assisting.customer_id.clone();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<(), CustomerError> {
            super::end(conn, now, &assisting.session_id, EndReason::Left)?;
            let actor = Actor {
                login_id: Some(&login_id),
                name: &name,
                membership_id: Some(&assisting.partner_membership_id),
                on_behalf_of: Some(&assisting.partner_name),
                api_token_id: None,
            };
            customers::record_on_account(
                conn,
                now,
                (
                    &CustomerId::new(assisting.customer_id.as_str()),
                    Some(&PartnerId::new(assisting.partner_id.as_str())),
                ),
                actor,
                Action::CustomerLeft,
                &assisting.customer_name,
                "",
            )?;
            Ok(())
        })
    })
    .await
    .map_err(PageError::internal)?;
    session.leave_assisted().map_err(PageError::internal)?;
    FlashMessage::info("flash-assisted-left").send();
    Ok(see_other(&format!("/partner/customers/{customer_id}")))
}
