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

mod assertion;
mod presenting;
mod register;

pub use presenting::{
    second_step_finish, second_step_start, sign_in_finish, sign_in_start, step_up_finish,
    step_up_start,
};
pub use register::{NewPasskey, register_finish, register_start};

use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use webauthn_rs::Webauthn;

use super::challenge::PENDING_MINUTES;
use crate::auth::session::TypedSession;
use crate::i18n::Translator;
use crate::state::AppState;
use crate::web::PageError;

/// The session keys of the four ceremonies.
const REGISTER: &str = "register";
const SECOND_STEP: &str = "second_step";
const STEP_UP: &str = "step_up";
const PASSWORDLESS: &str = "passwordless";

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

/// The ceremony's state is missing or stale: the person starts this step again.
fn start_again(tr: &Translator) -> HttpResponse {
    refuse(tr, StatusCode::BAD_REQUEST, "passkey-start-again")
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
