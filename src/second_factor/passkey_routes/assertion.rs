//! Checking a passkey's assertion, for every ceremony that presents one.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use diesel::prelude::*;
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, PasskeyAuthentication, PublicKeyCredential,
};

use super::{refuse, webauthn};
use crate::auth::client_address::ClientAddress;
use crate::auth::throttle::{self, Gate, Kind};
use crate::db::schema::logins;
use crate::db::{self, DbConnection, DbError};
use crate::i18n::Translator;
use crate::second_factor::passkeys::{self, Stored};
use crate::state::AppState;
use crate::web::PageError;

/// The throttling key of assertions by credentials nobody has registered.
const UNKNOWN_CREDENTIAL_KEY: &str = "(unknown passkey)";

/// What an assertion came to.
pub(super) enum Asserted {
    /// Right, by a passkey of this login.
    Right(String),
    Wrong,
    Throttled,
}

/// The ceremony an assertion answers.
pub(super) enum Expected {
    /// A passkey of this login (second step, step-up).
    Login(String, PasskeyAuthentication),
    /// Any passkey of an active login (signing in without a username).
    Anyone(DiscoverableAuthentication),
}

/// Checks an assertion through the throttling gate; a right one updates the
/// passkey's counter and last use.
pub(super) async fn check(
    state: &AppState,
    client: ClientAddress,
    expected: Expected,
    credential: PublicKeyCredential,
) -> Result<Asserted, PageError> {
    let webauthn = webauthn(state)?;
    let now = state.clock.now();
    let brake = state.settings.failure_brake_per_minute;
    let metrics = state.metrics.clone();
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
                reservation.failed(&metrics);
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

pub(super) fn refused(tr: &Translator, asserted: &Asserted) -> HttpResponse {
    match asserted {
        Asserted::Throttled => refuse(tr, StatusCode::TOO_MANY_REQUESTS, "signin-throttled"),
        _ => refuse(tr, StatusCode::BAD_REQUEST, "passkey-refused"),
    }
}

/// Options for a passkey of this login; None when it has none.
pub(super) async fn authentication_options(
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
