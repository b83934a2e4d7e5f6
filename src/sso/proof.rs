//! Proving the organisation's claimed domains by a sign-in: the owner signs in
//! at the provider, and the verified address they come back with proves its
//! domain, when the organisation claims it and no other organisation proved
//! it first (a DNS proof, `dns.rs`, can take it back from a provider's word).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Organisation;
use super::flow::{self, Purpose, refused, verified_address};
use super::pages::{Manager, actor_of};
use super::signing_in::Arrival;
use crate::audit::Action;
use crate::auth::session::TypedSession;
use crate::db::schema::sso_domains;
use crate::db::{self, DbConnection, DbError};
use crate::state::AppState;
use crate::web::{PageContext, PageError, see_other};

/// `sso_domains.proven_by` of a domain proven by a sign-in.
pub const PROVEN_BY_PROVIDER: &str = "provider";

/// Sends the owner to the provider: the address they come back with proves
/// its domain, if the organisation claims it.
pub async fn prove(
    state: web::Data<AppState>,
    layout: PageContext,
    session: TypedSession,
    manager: Manager,
) -> Result<HttpResponse, PageError> {
    let organisation = manager.organisation.clone();
    let connection = db::run(&state.pool, move |conn| {
        super::connection_of(conn, &organisation).map_err(DbError::from)
    })
    .await?;
    let page = manager.organisation.sso_page();
    let Some(connection) = connection else {
        FlashMessage::error("sso-not-configured").send();
        return Ok(see_other(page));
    };
    let login_id = Some(manager.login_id().to_owned());
    flow::begin(
        &state,
        layout,
        &session,
        &connection,
        Purpose::Prove,
        login_id,
        page,
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
    let organisation = arrival.connection.organisation;
    let page = organisation.sso_page();
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            prove_domain(conn, now, &organisation, &prover, &domain)
        })
    })
    .await;
    told(outcome, page)
}

/// The owner's page again, saying how a proof (by a sign-in or by DNS) went;
/// another organisation proving the domain in the same instant is told as
/// a domain taken.
pub(super) fn told(
    outcome: Result<Result<(), &'static str>, DbError>,
    page: &'static str,
) -> Result<HttpResponse, PageError> {
    let outcome = match outcome {
        Err(error) if error.is_unique_violation() => Err("sso-domain-taken"),
        other => other?,
    };
    match outcome {
        Ok(()) => FlashMessage::success("flash-sso-domain-proven").send(),
        Err(key) => FlashMessage::error(key).send(),
    }
    Ok(see_other(page))
}

fn prove_domain(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    organisation: &Organisation,
    prover: &str,
    domain: &str,
) -> Result<Result<(), &'static str>, DbError> {
    let Some((membership_id, name)) = organisation.owner(conn, prover)? else {
        return Ok(Err("sso-start-again"));
    };
    if super::proven_elsewhere(conn, organisation, domain)? {
        return Ok(Err("sso-domain-taken"));
    }
    let updated = diesel::update(
        sso_domains::table
            .filter(super::owned_by!(sso_domains, organisation))
            .filter(sso_domains::domain.eq(domain))
            .filter(sso_domains::proven_at.is_null()),
    )
    .set((
        sso_domains::proven_at.eq(Some(now)),
        sso_domains::proven_by.eq(Some(PROVEN_BY_PROVIDER)),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Ok(Err(if super::has_proven(conn, organisation, domain)? {
            "sso-domain-already-proven"
        } else {
            "sso-domain-not-claimed"
        }));
    }
    let actor = (prover.to_owned(), name, membership_id);
    organisation.log(
        conn,
        now,
        actor_of(&actor),
        Action::SsoDomainProven,
        domain,
        PROVEN_BY_PROVIDER,
    )?;
    Ok(Ok(()))
}
