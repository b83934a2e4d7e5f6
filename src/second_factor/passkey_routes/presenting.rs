//! Presenting a passkey: the second step of a sign-in, step-up, and signing in
//! with a passkey alone.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use serde::Deserialize;
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
use crate::second_factor::challenge::{awaiting, complete_sign_in};
use crate::state::AppState;
use crate::web::{PageContext, PageError, local_path};

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
    let Some((options, authentication)) = authentication_options(&state, login_id.clone()).await?
    else {
        return Ok(refuse(&layout.tr, StatusCode::BAD_REQUEST, "passkey-none"));
    };
    keep(&session, SECOND_STEP, Some(login_id), now, authentication)?;
    Ok(HttpResponse::Ok().json(options))
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
    let Some(authentication) =
        take::<PasskeyAuthentication>(&session, SECOND_STEP, Some(&login_id), now)
    else {
        return Ok(start_again(&layout.tr));
    };
    let expected = Expected::Login(login_id.clone(), authentication);
    let asserted = check(&state, client, expected, body.into_inner()).await?;
    if !matches!(asserted, Asserted::Right(_)) {
        return Ok(refused(&layout.tr, &asserted));
    }
    let signing_in = SignInClient::of(&req, client);
    signed_in(&state, &session, &signing_in, login_id, &next).await
}

// Step-up.

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn step_up_start(
    state: web::Data<AppState>,
    layout: PageContext,
    SignedIn(identity): SignedIn,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let login_id = identity.login.id;
    let Some((options, authentication)) = authentication_options(&state, login_id.clone()).await?
    else {
        return Ok(refuse(&layout.tr, StatusCode::BAD_REQUEST, "passkey-none"));
    };
    keep(
        &session,
        STEP_UP,
        Some(login_id),
        state.clock.now(),
        authentication,
    )?;
    Ok(HttpResponse::Ok().json(options))
}

pub async fn step_up_finish(
    state: web::Data<AppState>,
    layout: PageContext,
    SignedIn(identity): SignedIn,
    session: TypedSession,
    client: ClientAddress,
    query: web::Query<NextQuery>,
    body: web::Json<PublicKeyCredential>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let login_id = identity.login.id;
    let Some(authentication) =
        take::<PasskeyAuthentication>(&session, STEP_UP, Some(&login_id), now)
    else {
        return Ok(start_again(&layout.tr));
    };
    let expected = Expected::Login(login_id, authentication);
    let asserted = check(&state, client, expected, body.into_inner()).await?;
    if !matches!(asserted, Asserted::Right(_)) {
        return Ok(refused(&layout.tr, &asserted));
    }
    session
        .second_factor_presented(now.and_utc().timestamp())
        .map_err(PageError::internal)?;
    FlashMessage::info("flash-step-up-done").send();
    let next = local_path(query.next.as_deref().unwrap_or("/"));
    Ok(done(if next.len() > 1 { next } else { "/" }.to_owned()))
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
