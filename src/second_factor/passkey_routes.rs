//! The passkey ceremonies, each a pair of JSON requests made by
//! `static/passkeys.js`: `start` answers the options for
//! `navigator.credentials.create/get` and keeps their state (the challenge) in
//! the server-side session; `finish` takes the browser's answer, checks it
//! against that state, which is used up either way, and answers where to go.
//!
//! - Adding a passkey on `/account/security`.
//! - The second step of a sign-in, instead of a code.
//! - Step-up, instead of a code.
//! - Signing in with a passkey alone (a discoverable credential: no username
//!   typed). It counts as password and second factor together.
//!
//! Every check of an assertion goes through the throttling gate as a second
//! factor, keyed by the username of the login it is for (for a sign-in without
//! a username: of the credential's login, or one fixed key when the credential
//! is unknown) and the client's address.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential,
};
use webauthn_rs_proto::ResidentKeyRequirement;

use super::challenge::{PENDING_MINUTES, awaiting, complete_sign_in};
use super::pages::{ChangeError, tell};
use super::passkeys::{self, Stored};
use super::{Proof, has_factor};
use crate::audit::Action;
use crate::auth::client_address::ClientAddress;
use crate::auth::identity::SignedIn;
use crate::auth::session::{SignInClient, TypedSession};
use crate::auth::throttle::{self, Gate, Kind};
use crate::db::schema::logins;
use crate::db::{self, DbConnection, DbError};
use crate::i18n::Translator;
use crate::state::AppState;
use crate::web::{Layout, PageError, local_path};

/// The session keys of the four ceremonies.
const REGISTER: &str = "register";
const SECOND_STEP: &str = "second_step";
const STEP_UP: &str = "step_up";
const PASSWORDLESS: &str = "passwordless";
/// The throttling key of assertions by credentials nobody has registered.
const UNKNOWN_CREDENTIAL_KEY: &str = "(unknown passkey)";
const LABEL_MAX_CHARS: usize = 100;

/// A ceremony's state as the session keeps it: for whom (none when signing in
/// without a username), since when.
#[derive(Serialize, Deserialize)]
struct Ceremony<T> {
    login_id: Option<String>,
    issued_at: i64,
    state: T,
}

impl<T> Ceremony<T> {
    fn is_fresh(&self, now: NaiveDateTime) -> bool {
        let age = now.and_utc().timestamp() - self.issued_at;
        (0..=PENDING_MINUTES * 60).contains(&age)
    }
}

/// What the script is told when a step is refused: a message for the person
/// and, when it is no use trying again here, where to go.
#[derive(Serialize)]
struct Refusal {
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect: Option<&'static str>,
}

/// Where to go once a ceremony succeeded.
#[derive(Serialize)]
struct Done {
    redirect: String,
    /// The first factor was just added: the script asks for recovery codes.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    recovery_codes: bool,
}

fn refuse(tr: &Translator, status: StatusCode, key: &str) -> HttpResponse {
    HttpResponse::build(status).json(Refusal {
        error: tr.t(key),
        redirect: None,
    })
}

fn start_over(tr: &Translator) -> HttpResponse {
    HttpResponse::BadRequest().json(Refusal {
        error: tr.t("passkey-start-over"),
        redirect: Some("/login"),
    })
}

fn done(redirect: String) -> HttpResponse {
    HttpResponse::Ok().json(Done {
        redirect,
        recovery_codes: false,
    })
}

fn keep<T: Serialize>(
    session: &TypedSession,
    purpose: &str,
    login_id: Option<String>,
    now: NaiveDateTime,
    state: T,
) -> Result<(), PageError> {
    session
        .set_passkey_ceremony(
            purpose,
            &Ceremony {
                login_id,
                issued_at: now.and_utc().timestamp(),
                state,
            },
        )
        .map_err(PageError::internal)
}

/// The state of the ceremony for `purpose`, if one was started in this session
/// for `login_id`, recently; taken out of the session in any case.
fn take<T: serde::de::DeserializeOwned>(
    session: &TypedSession,
    purpose: &str,
    login_id: Option<&str>,
    now: NaiveDateTime,
) -> Option<T> {
    let ceremony: Ceremony<T> = session.take_passkey_ceremony(purpose)?;
    (ceremony.login_id.as_deref() == login_id && ceremony.is_fresh(now)).then_some(ceremony.state)
}

fn webauthn(state: &AppState) -> Result<Arc<Webauthn>, PageError> {
    // Without a domain name the portal offers no passkeys.
    state.webauthn.clone().ok_or(PageError::NotFound)
}

// ---------------------------------------------------------------------------
// Adding a passkey

pub async fn register_start(
    state: web::Data<AppState>,
    SignedIn(identity): SignedIn,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let webauthn = webauthn(&state)?;
    let login = identity.login;
    let user = passkeys::user_handle(&login.id)
        .ok_or_else(|| PageError::internal(anyhow::anyhow!("a login id is not a UUID")))?;
    let login_id = login.id.clone();
    let existing = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        Ok(passkeys::passkeys_of(conn, &login_id)?)
    })
    .await?;
    let exclude = existing
        .iter()
        .map(|s| s.passkey.cred_id().clone())
        .collect::<Vec<_>>();
    let display_name = if login.full_name.is_empty() {
        &login.username
    } else {
        &login.full_name
    };
    let (mut options, registration) = webauthn
        .start_passkey_registration(user, &login.username, display_name, Some(exclude))
        .map_err(PageError::internal)?;
    // A passkey that can also sign in without a username: the authenticator
    // keeps it (a discoverable credential).
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    keep::<PasskeyRegistration>(
        &session,
        REGISTER,
        Some(login.id),
        state.clock.now(),
        registration,
    )?;
    Ok(HttpResponse::Ok().json(options))
}

#[derive(Deserialize)]
pub struct NewPasskey {
    label: String,
    credential: RegisterPublicKeyCredential,
}

pub async fn register_finish(
    state: web::Data<AppState>,
    layout: Layout,
    SignedIn(identity): SignedIn,
    session: TypedSession,
    body: web::Json<NewPasskey>,
) -> Result<HttpResponse, PageError> {
    let webauthn = webauthn(&state)?;
    let now = state.clock.now();
    let NewPasskey { label, credential } = body.into_inner();
    let login_id = identity.login.id;
    let Some(registration) = take::<PasskeyRegistration>(&session, REGISTER, Some(&login_id), now)
    else {
        return Ok(refuse(
            &layout.tr,
            StatusCode::BAD_REQUEST,
            "passkey-start-again",
        ));
    };
    let label = label.trim().to_owned();
    if label.is_empty() || label.chars().count() > LABEL_MAX_CHARS {
        return Ok(refuse(
            &layout.tr,
            StatusCode::BAD_REQUEST,
            "passkey-label-required",
        ));
    }
    let passkey = match webauthn.finish_passkey_registration(&credential, &registration) {
        Ok(passkey) => passkey,
        Err(error) => {
            tracing::warn!(%error, "passkey registration refused");
            return Ok(refuse(
                &layout.tr,
                StatusCode::BAD_REQUEST,
                "passkey-refused",
            ));
        }
    };
    let settings = state.settings.clone();
    let added = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<bool>, ChangeError> {
            // One credential, one login.
            if passkeys::is_registered(conn, passkey.cred_id().as_ref())? {
                return Ok(None);
            }
            let first = !has_factor(conn, &login_id)?;
            passkeys::add(conn, now, &login_id, &label, &passkey)?;
            tell(
                conn,
                &settings,
                now,
                &login_id,
                Action::SecondFactorAdded,
                "email-passkey-added",
            )?;
            Ok(Some(first))
        })
    })
    .await
    .map_err(PageError::internal)?;
    let Some(first) = added else {
        return Ok(refuse(
            &layout.tr,
            StatusCode::CONFLICT,
            "passkey-already-registered",
        ));
    };
    // Adding is presenting the factor.
    session
        .second_factor_presented(now.and_utc().timestamp())
        .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-passkey-added").send();
    Ok(HttpResponse::Ok().json(Done {
        redirect: "/account/security".to_owned(),
        recovery_codes: first,
    }))
}

// ---------------------------------------------------------------------------
// Presenting a passkey

/// What an assertion came to.
enum Asserted {
    /// Right, by a passkey of this login.
    Right(String),
    Wrong,
    Throttled,
}

/// The ceremony an assertion answers.
enum Expected {
    /// A passkey of this login (second step, step-up).
    Login(String, PasskeyAuthentication),
    /// Any passkey of an active login (signing in without a username).
    Anyone(DiscoverableAuthentication),
}

/// Checks an assertion through the throttling gate; a right one updates the
/// passkey's counter and last use.
async fn check(
    state: &AppState,
    client: ClientAddress,
    expected: Expected,
    credential: PublicKeyCredential,
) -> Result<Asserted, PageError> {
    let webauthn = webauthn(state)?;
    let now = state.clock.now();
    let brake = state.settings.failure_brake_per_minute;
    let asserted = db::run(&state.pool, move |conn| -> Result<Asserted, DbError> {
        let stored = passkeys::find(conn, credential.raw_id.as_ref())?;
        let for_login = match &expected {
            Expected::Login(login_id, _) => Some(login_id.clone()),
            Expected::Anyone(_) => stored.as_ref().map(|s| s.login_id.clone()),
        };
        let key = match &for_login {
            Some(login_id) => username_key(conn, login_id)?,
            None => None,
        }
        .unwrap_or_else(|| UNKNOWN_CREDENTIAL_KEY.to_owned());
        let reservation =
            match throttle::reserve(conn, Kind::SecondFactor, &key, &client, brake, now)? {
                Gate::Open(reservation) => reservation,
                Gate::Throttled(reason) => {
                    tracing::warn!(reason = reason.as_str(), "passkey throttled");
                    return Ok(Asserted::Throttled);
                }
            };
        let verified = match stored {
            Some(stored) => verify(conn, &webauthn, expected, &credential, stored)?,
            None => None,
        };
        db::write_transaction(conn, |conn| match verified {
            Some((stored, result)) => {
                let login_id = stored.login_id.clone();
                passkeys::used(conn, now, stored, &result)?;
                reservation.succeeded(conn)?;
                Ok(Asserted::Right(login_id))
            }
            None => {
                reservation.failed();
                Ok(Asserted::Wrong)
            }
        })
    })
    .await?;
    Ok(asserted)
}

fn username_key(conn: &mut DbConnection, login_id: &str) -> QueryResult<Option<String>> {
    logins::table
        .find(login_id)
        .select(logins::username_key)
        .first(conn)
        .optional()
}

/// The passkey and the result of its assertion, when the assertion is right
/// for the expected ceremony.
fn verify(
    conn: &mut DbConnection,
    webauthn: &Webauthn,
    expected: Expected,
    credential: &PublicKeyCredential,
    stored: Stored,
) -> QueryResult<Option<(Stored, webauthn_rs::prelude::AuthenticationResult)>> {
    let result = match expected {
        Expected::Login(login_id, authentication) => {
            if stored.login_id != login_id {
                tracing::warn!("a passkey of another login was presented");
                return Ok(None);
            }
            webauthn.finish_passkey_authentication(credential, &authentication)
        }
        Expected::Anyone(authentication) => {
            // The user handle the authenticator returns must be the login's.
            let handle = webauthn
                .identify_discoverable_authentication(credential)
                .ok()
                .map(|(handle, _)| handle);
            if handle.is_none() || handle != passkeys::user_handle(&stored.login_id) {
                tracing::warn!("a passkey answered for another user handle");
                return Ok(None);
            }
            let state: Option<String> = logins::table
                .find(&stored.login_id)
                .select(logins::state)
                .first(conn)
                .optional()?;
            if state.as_deref() != Some("active") {
                return Ok(None);
            }
            let key = DiscoverableKey::from(&stored.passkey);
            webauthn.finish_discoverable_authentication(credential, authentication, &[key])
        }
    };
    match result {
        Ok(result) if result.user_verified() => Ok(Some((stored, result))),
        Ok(_) => Ok(None),
        Err(error) => {
            tracing::warn!(%error, "passkey assertion refused");
            Ok(None)
        }
    }
}

fn refused(tr: &Translator, asserted: &Asserted) -> HttpResponse {
    match asserted {
        Asserted::Throttled => refuse(tr, StatusCode::TOO_MANY_REQUESTS, "signin-throttled"),
        _ => refuse(tr, StatusCode::BAD_REQUEST, "passkey-refused"),
    }
}

/// Options for a passkey of this login; None when it has none.
async fn authentication_options(
    state: &AppState,
    login_id: String,
) -> Result<
    Option<(
        webauthn_rs::prelude::RequestChallengeResponse,
        PasskeyAuthentication,
    )>,
    PageError,
> {
    let webauthn = webauthn(state)?;
    let stored = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        Ok(passkeys::passkeys_of(conn, &login_id)?)
    })
    .await?;
    if stored.is_empty() {
        return Ok(None);
    }
    let keys: Vec<_> = stored.into_iter().map(|s| s.passkey).collect();
    webauthn
        .start_passkey_authentication(&keys)
        .map(Some)
        .map_err(PageError::internal)
}

// The second step of a sign-in.

pub async fn second_step_start(
    state: web::Data<AppState>,
    layout: Layout,
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
    layout: Layout,
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
        return Ok(refuse(
            &layout.tr,
            StatusCode::BAD_REQUEST,
            "passkey-start-again",
        ));
    };
    let expected = Expected::Login(login_id.clone(), authentication);
    let asserted = check(&state, client, expected, body.into_inner()).await?;
    if !matches!(asserted, Asserted::Right(_)) {
        return Ok(refused(&layout.tr, &asserted));
    }
    let signing_in = SignInClient::of(&req, client);
    let destination = complete_sign_in(
        &state,
        &session,
        &signing_in,
        login_id,
        &next,
        Proof::Passkey,
    )
    .await?;
    Ok(done(destination))
}

// Step-up.

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn step_up_start(
    state: web::Data<AppState>,
    layout: Layout,
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
    layout: Layout,
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
        return Ok(refuse(
            &layout.tr,
            StatusCode::BAD_REQUEST,
            "passkey-start-again",
        ));
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
    layout: Layout,
    session: TypedSession,
    client: ClientAddress,
    query: web::Query<NextQuery>,
    body: web::Json<PublicKeyCredential>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some(authentication) =
        take::<DiscoverableAuthentication>(&session, PASSWORDLESS, None, now)
    else {
        return Ok(refuse(
            &layout.tr,
            StatusCode::BAD_REQUEST,
            "passkey-start-again",
        ));
    };
    let expected = Expected::Anyone(authentication);
    let asserted = check(&state, client, expected, body.into_inner()).await?;
    let Asserted::Right(login_id) = asserted else {
        tracing::warn!(client = %client, "sign-in with a passkey failed");
        return Ok(refused(&layout.tr, &asserted));
    };
    let next = query.next.clone().unwrap_or_default();
    let signing_in = SignInClient::of(&req, client);
    let destination = complete_sign_in(
        &state,
        &session,
        &signing_in,
        login_id,
        &next,
        Proof::Passkey,
    )
    .await?;
    Ok(done(destination))
}
