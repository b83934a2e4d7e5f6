//! Asking for assistance: while a customer keeps partner assistance off, "Open
//! customer" is not offered; the customer's details page says so, and a partner
//! user who may open customers can ask the customer's administrators by email
//! to turn it on. One request a day per customer at most (whoever asks), so
//! the administrators are not flooded; each is in both activity logs.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{Action, Actor};
use crate::auth::identity::PartnerMember;
use crate::customers::{self, CustomerError};
use crate::db::schema::{logins, memberships};
use crate::db::{self, DbConnection};
use crate::email::messages::AssistanceRequestEmail;
use crate::email::outbox;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::{PageError, see_other};

/// What became of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    /// Someone asked less than a day ago.
    AlreadyAsked,
    /// Assistance is on already: nothing to ask.
    NotNeeded,
    /// The account has no active administrator to ask.
    NobodyToAsk,
}

use crate::tenancy::assistance_asked_since;

fn ask(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    now: NaiveDateTime,
    member: &PartnerMember,
    customer_id: &CustomerId,
) -> Result<Outcome, CustomerError> {
    let customer = customers::find(conn, member.scope(), customer_id)?;
    if customer.partner_assistance {
        return Ok(Outcome::NotNeeded);
    }
    if assistance_asked_since(conn, &customer.id, now)?.is_some() {
        return Ok(Outcome::AlreadyAsked);
    }
    let administrators: Vec<(String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(&customer.id))
        .filter(memberships::role.eq(customers::create::ADMINISTRATOR_ROLE))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .select((logins::email, logins::full_name, logins::language))
        .load(conn)?;
    if administrators.is_empty() {
        return Ok(Outcome::NobodyToAsk);
    }
    let partner = member.membership.tenant_name.clone();
    let person = member.identity.login.full_name.clone();
    for (email, full_name, language) in administrators {
        let message = AssistanceRequestEmail {
            tr: Lang::from_code(&language).unwrap_or_default().translator(),
            full_name,
            account: customer.name.clone(),
            partner: partner.clone(),
            person: person.clone(),
            settings_link: settings.link("/customer/assistance"),
        };
        outbox::enqueue(conn, now, &email, &message)?;
    }
    let actor = Actor {
        on_behalf_of: Some(&partner),
        api_token_id: None,
        ..member.actor()
    };
    customers::record_on_account(
        conn,
        now,
        (&customer.id, Some(member.partner_id())),
        actor,
        Action::AssistanceRequested,
        &customer.name,
        "",
    )?;
    Ok(Outcome::Sent)
}

/// `POST /partner/customers/{customer_id}/assistance-request`.
pub async fn request(
    state: web::Data<AppState>,
    member: PartnerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let customer_id = path.into_inner();
    let now = state.clock.now();
    let settings = state.settings.clone();
    let for_customer = CustomerId::new(customer_id.clone());
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            ask(conn, &settings, now, &member, &for_customer)
        })
    })
    .await
    .map_err(customers::page_error)?;
    match outcome {
        Outcome::Sent => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-assistance-requested").send();
        }
        Outcome::AlreadyAsked => FlashMessage::info("flash-assistance-already-requested").send(),
        Outcome::NotNeeded => {}
        Outcome::NobodyToAsk => FlashMessage::error("flash-assistance-nobody-to-ask").send(),
    }
    Ok(see_other(&format!("/partner/customers/{customer_id}")))
}
