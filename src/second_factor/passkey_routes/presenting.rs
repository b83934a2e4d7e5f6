//! Presenting a passkey: the second step of a sign-in, step-up, and signing in
//! with a passkey alone.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, PasskeyAuthentication, PublicKeyCredential,
};

use super::assertion::{Asserted, Expected, authentication_options, check, refused};
use super::{
    PASSWORDLESS, SECOND_STEP, STEP_UP, done, keep, refuse, start_again, start_over, take, webauthn,
};
use crate::auth::client_address::ClientAddress;
use crate::auth::identity::SignedIn;
use crate::auth::session::{SignInClient, TypedSession};
use crate::second_factor::Proof;
use crate::second_factor::challenge::{NextQuery, awaiting, complete_sign_in, stepped_up};
use crate::state::AppState;
use crate::web::{PageContext, PageError, PageOf};

/// Offers the login's passkeys for the ceremony `purpose`, whose challenge
/// the session keeps.
async fn offer_passkeys(
    state: &AppState,
    layout: &PageContext,
    session: &TypedSession,
    purpose: &str,
    login_id: String,
) -> Result<HttpResponse, PageError> {
    let Some((options, authentication)) = authentication_options(state, login_id.clone()).await?
    else {
        return Ok(refuse(&layout.tr, StatusCode::BAD_REQUEST, "passkey-none"));
    };
    keep(
        session,
        purpose,
        Some(login_id),
        state.clock.now(),
        authentication,
    )?;
    Ok(HttpResponse::Ok().json(options))
}

/// Checks a passkey presented as (ceremony purpose, login id, credential)
/// against the challenge the session keeps for that login; `Err` holds the
/// answer to a refusal.
async fn login_presented(
    state: &AppState,
    layout: &PageContext,
    session: &TypedSession,
    client: ClientAddress,
    (purpose, login_id, credential): (&str, &str, PublicKeyCredential),
) -> Result<Result<(), HttpResponse>, PageError> {
    let now = state.clock.now();
    let Some(authentication) = take::<PasskeyAuthentication>(session, purpose, Some(login_id), now)
    else {
        return Ok(Err(start_again(&layout.tr)));
    };
    let expected = Expected::Login(login_id.to_owned(), authentication);
    let asserted = check(state, client, expected, credential).await?;
    if !matches!(asserted, Asserted::Right(_)) {
        return Ok(Err(refused(&layout.tr, &asserted)));
    }
    Ok(Ok(()))
}

// The second step of a sign-in.

pub async fn second_step_start(
    state: web::Data<AppState>,
    layout: PageContext,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some((login_id, _)) = awaiting(&session, now) else {
        return Ok(start_over(&layout.tr));
    };
    offer_passkeys(&state, &layout, &session, SECOND_STEP, login_id).await
}

pub async fn second_step_finish(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    layout: PageContext,
    session: TypedSession,
    client: ClientAddress,
    body: web::Json<PublicKeyCredential>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some((login_id, next)) = awaiting(&session, now) else {
        return Ok(start_over(&layout.tr));
    };
    let presented = (SECOND_STEP, login_id.as_str(), body.into_inner());
    if let Err(refusal) = login_presented(&state, &layout, &session, client, presented).await? {
        return Ok(refusal);
    }
    let signing_in = SignInClient::of(&req, client);
    signed_in(&state, &session, &signing_in, login_id, &next).await
}

// Step-up.

pub async fn step_up_start(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    offer_passkeys(&state, &layout, &session, STEP_UP, identity.login.id).await
}

pub async fn step_up_finish(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
    client: ClientAddress,
    query: web::Query<NextQuery>,
    body: web::Json<PublicKeyCredential>,
) -> Result<HttpResponse, PageError> {
    let presented = (STEP_UP, identity.login.id.as_str(), body.into_inner());
    if let Err(refusal) = login_presented(&state, &layout, &session, client, presented).await? {
        return Ok(refusal);
    }
    stepped_up(&state, &session)?;
    Ok(done(query.page()))
}

// Signing in with a passkey alone.

pub async fn sign_in_start(
    state: web::Data<AppState>,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let webauthn = webauthn(&state)?;
    let (mut options, authentication) = webauthn
        .start_discoverable_authentication()
        .map_err(PageError::internal)?;
    // Asked for by a button, not offered in the username field's autofill.
    options.mediation = None;
    keep(
        &session,
        PASSWORDLESS,
        None,
        state.clock.now(),
        authentication,
    )?;
    Ok(HttpResponse::Ok().json(options))
}

pub async fn sign_in_finish(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    layout: PageContext,
    session: TypedSession,
    client: ClientAddress,
    query: web::Query<NextQuery>,
    body: web::Json<PublicKeyCredential>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some(authentication) =
        take::<DiscoverableAuthentication>(&session, PASSWORDLESS, None, now)
    else {
        return Ok(start_again(&layout.tr));
    };
    let expected = Expected::Anyone(authentication);
    let asserted = check(&state, client, expected, body.into_inner()).await?;
    let Asserted::Right(login_id) = asserted else {
        tracing::warn!(client = %client, "sign-in with a passkey failed");
        return Ok(refused(&layout.tr, &asserted));
    };
    let next = query.next.clone().unwrap_or_default();
    let signing_in = SignInClient::of(&req, client);
    signed_in(&state, &session, &signing_in, login_id, &next).await
}

/// Signs the person in with the passkey as their proof; answers where to go.
async fn signed_in(
    state: &AppState,
    session: &TypedSession,
    signing_in: &SignInClient,
    login_id: String,
    next: &str,
) -> Result<HttpResponse, PageError> {
    let destination =
        complete_sign_in(state, session, signing_in, login_id, next, Proof::Passkey).await?;
    Ok(done(destination))
}
