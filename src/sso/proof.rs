//! Proving the organisation's claimed domains: the owner signs in at the
//! provider, and the verified address they come back with proves its domain,
//! when the organisation claims it and no other organisation proved it first.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::flow::{self, Purpose, refused, verified_address};
use super::pages::{PAGE, log, proven_elsewhere};
use super::signing_in::Arrival;
use crate::access::PartnerRole;
use crate::accounts::MembershipState;
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::auth::session::TypedSession;
use crate::db::schema::{memberships, sso_domains};
use crate::db::{self, DbConnection, DbError};
use crate::ids::PartnerId;
use crate::state::AppState;
use crate::web::{PageContext, PageError, see_other};

/// Sends the owner to the provider: the address they come back with proves
/// its domain, if the organisation claims it.
pub async fn prove(
    state: web::Data<AppState>,
    layout: PageContext,
    session: TypedSession,
    member: PartnerMember,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().clone();
    let connection = db::run(&state.pool, move |conn| {
        super::connection_of(conn, &partner_id).map_err(DbError::from)
    })
    .await?;
    let Some(connection) = connection else {
        FlashMessage::error("sso-not-configured").send();
        return Ok(see_other(PAGE));
    };
    let login_id = Some(member.identity.login.id.clone());
    flow::begin(
        &state,
        layout,
        &session,
        &connection,
        Purpose::Prove,
        login_id,
        PAGE,
    )
    .await
}

/// Back from the provider for a proof: the same owner, still an owner of the
/// organisation, and a verified address of a domain it claims.
pub(super) async fn proven(
    state: &AppState,
    layout: PageContext,
    session: &TypedSession,
    prover: String,
    arrival: Arrival,
) -> Result<HttpResponse, PageError> {
    if !flow::is_current(session, &prover) {
        return refused(layout, StatusCode::BAD_REQUEST, "sso-start-again");
    }
    let Some(domain) = verified_address(&arrival.verified).and_then(super::domain_of) else {
        return refused(layout, StatusCode::FORBIDDEN, "sso-email-unverified");
    };
    let now = state.clock.now();
    let partner_id = arrival.partner_id;
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            prove_domain(conn, now, &partner_id, &prover, &domain)
        })
    })
    .await?;
    match outcome {
        Ok(()) => FlashMessage::success("flash-sso-domain-proven").send(),
        Err(key) => FlashMessage::error(key).send(),
    }
    Ok(see_other(PAGE))
}

fn prove_domain(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    prover: &str,
    domain: &str,
) -> Result<Result<(), &'static str>, DbError> {
    let owner: Option<(String, String)> = memberships::table
        .inner_join(crate::db::schema::logins::table)
        .filter(memberships::login_id.eq(prover))
        .filter(memberships::partner_id.eq(partner_id.as_str()))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(memberships::role.eq(PartnerRole::Owner.as_str()))
        .select((memberships::id, crate::db::schema::logins::full_name))
        .first(conn)
        .optional()?;
    let Some((membership_id, name)) = owner else {
        return Ok(Err("sso-start-again"));
    };
    if proven_elsewhere(conn, partner_id, domain)? {
        return Ok(Err("sso-domain-taken"));
    }
    let updated = diesel::update(
        sso_domains::table
            .filter(sso_domains::partner_id.eq(partner_id.as_str()))
            .filter(sso_domains::domain.eq(domain))
            .filter(sso_domains::proven_at.is_null()),
    )
    .set(sso_domains::proven_at.eq(Some(now)))
    .execute(conn)?;
    if updated == 0 {
        return Ok(Err(if super::has_proven(conn, partner_id, domain)? {
            "sso-domain-already-proven"
        } else {
            "sso-domain-not-claimed"
        }));
    }
    let actor = (prover.to_owned(), name, membership_id);
    log(
        conn,
        now,
        partner_id,
        &actor,
        Action::SsoDomainProven,
        domain,
        "",
    )?;
    Ok(Ok(()))
}
