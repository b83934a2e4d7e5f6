//! A typed view of the session: who is signed in, which membership they act as,
//! and the CSRF token.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use rand::RngCore;
use rand::rngs::OsRng;

use super::session_store::{
    CLIENT_ADDRESS_KEY, LOGIN_KEY, MEMBERSHIP_KEY, PUBLIC_ID_KEY, SIGNED_IN_AT_KEY, USER_AGENT_KEY,
};

const CSRF_KEY: &str = "csrf";
const ASSISTING_KEY: &str = "auth.assisted_session_id";
const RESELLER_ASSIST_KEY: &str = "auth.reseller_assist_id";
const CONTEXT_KEY: &str = "partner.customer_context";
/// A login whose password was right and whose second factor is awaited, with
/// when that began and where to go next. "auth." keys are dropped with the
/// person if the session is ended meanwhile.
const PENDING_LOGIN_KEY: &str = "auth.pending_login";
const PENDING_SINCE_KEY: &str = "auth.pending_since";
const PENDING_NEXT_KEY: &str = "auth.pending_next";
/// When this session last presented a second factor (Unix seconds).
const SECOND_FACTOR_AT_KEY: &str = "auth.second_factor_at";
/// A TOTP secret shown for enrolment and not yet confirmed.
const ENROLMENT_KEY: &str = "auth.totp_enrolment";
/// A passkey ceremony under way (its challenge), one per purpose.
const PASSKEY_KEY_PREFIX: &str = "auth.passkey.";
/// A single sign-on under way: its `state`, `nonce` and PKCE verifier.
const SSO_KEY: &str = "auth.sso";

pub struct TypedSession(Session);

/// The longest User-Agent kept with a session; the rest is cut off.
const USER_AGENT_MAX_CHARS: usize = 400;

/// Where a sign-in comes from, kept with the session for the profile's list of
/// active sessions.
#[derive(Debug, Clone)]
pub struct SignInClient {
    pub user_agent: Option<String>,
    pub address: Option<String>,
}

impl SignInClient {
    pub fn of(req: &HttpRequest, client: crate::auth::client_address::ClientAddress) -> Self {
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| {
                ua.trim()
                    .chars()
                    .take(USER_AGENT_MAX_CHARS)
                    .collect::<String>()
            })
            .filter(|ua| !ua.is_empty());
        // The socket's peer, or the forwarded address past trusted proxies.
        let address = Some(client.ip().to_string());
        Self {
            user_agent,
            address,
        }
    }
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

impl TypedSession {
    pub fn of(session: Session) -> Self {
        Self(session)
    }

    pub fn login_id(&self) -> Option<String> {
        self.0.get::<String>(LOGIN_KEY).ok().flatten()
    }

    pub fn membership_id(&self) -> Option<String> {
        self.0.get::<String>(MEMBERSHIP_KEY).ok().flatten()
    }

    /// Why the session could not be loaded, when the database was out of
    /// reach (`session_store::UNREACHABLE_KEY`).
    pub fn database_unreachable(&self) -> Option<String> {
        self.0
            .get::<String>(crate::auth::session_store::UNREACHABLE_KEY)
            .ok()
            .flatten()
    }

    /// The session's CSRF token, made on first use.
    pub fn csrf_token(&self) -> String {
        if let Ok(Some(token)) = self.0.get::<String>(CSRF_KEY) {
            return token;
        }
        let token = random_token();
        let _ = self.0.insert(CSRF_KEY, &token);
        token
    }

    /// A new session id for a new person, with a new CSRF token, a new public id
    /// and where the sign-in came from.
    pub fn sign_in(
        &self,
        login_id: &str,
        signed_in_at: i64,
        client: &SignInClient,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(MEMBERSHIP_KEY);
        self.0.remove(ASSISTING_KEY);
        self.0.remove(RESELLER_ASSIST_KEY);
        self.0.remove(CONTEXT_KEY);
        self.0.remove(USER_AGENT_KEY);
        self.0.remove(CLIENT_ADDRESS_KEY);
        self.0.insert(LOGIN_KEY, login_id)?;
        self.0.insert(SIGNED_IN_AT_KEY, signed_in_at)?;
        self.0.insert(PUBLIC_ID_KEY, random_token())?;
        if let Some(user_agent) = &client.user_agent {
            self.0.insert(USER_AGENT_KEY, user_agent)?;
        }
        if let Some(address) = &client.address {
            self.0.insert(CLIENT_ADDRESS_KEY, address)?;
        }
        self.0.insert(CSRF_KEY, random_token())
    }

    /// When the person signed in (seconds since the epoch).
    pub fn signed_in_at(&self) -> Option<i64> {
        self.0.get::<i64>(SIGNED_IN_AT_KEY).ok().flatten()
    }

    /// The id naming this session on pages (the profile's list of sessions).
    pub fn public_id(&self) -> Option<String> {
        self.0.get::<String>(PUBLIC_ID_KEY).ok().flatten()
    }

    /// Gives a signed-in session older than public ids one; the store writes it
    /// when the request ends.
    pub fn ensure_public_id(&self) -> Result<String, actix_session::SessionInsertError> {
        if let Some(id) = self.public_id() {
            return Ok(id);
        }
        let id = random_token();
        self.0.insert(PUBLIC_ID_KEY, &id)?;
        Ok(id)
    }

    /// A new session id every time the person acts as another membership.
    pub fn choose_membership(
        &self,
        membership_id: &str,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(ASSISTING_KEY);
        self.0.remove(RESELLER_ASSIST_KEY);
        self.0.remove(CONTEXT_KEY);
        self.0.insert(MEMBERSHIP_KEY, membership_id)?;
        self.0.insert(CSRF_KEY, random_token())
    }

    /// The customer a partner member has chosen to work on, if any.
    pub fn customer_context(&self) -> Option<String> {
        self.0.get::<String>(CONTEXT_KEY).ok().flatten()
    }

    pub fn set_customer_context(
        &self,
        customer_id: &str,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.insert(CONTEXT_KEY, customer_id)
    }

    pub fn clear_customer_context(&self) {
        self.0.remove(CONTEXT_KEY);
    }

    /// The "open customer" session this browser is in, if any.
    pub fn assisted_session_id(&self) -> Option<String> {
        self.0.get::<String>(ASSISTING_KEY).ok().flatten()
    }

    /// Enters a customer's console through "open customer", in a new session.
    pub fn enter_assisted(
        &self,
        assisted_session_id: &str,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.insert(ASSISTING_KEY, assisted_session_id)?;
        self.0.insert(CSRF_KEY, random_token())
    }

    /// The reseller's portal this browser helps in ("distributor
    /// assistance"), if any.
    pub fn reseller_assist_id(&self) -> Option<String> {
        self.0.get::<String>(RESELLER_ASSIST_KEY).ok().flatten()
    }

    /// Enters a reseller's portal as its distributor's person, in a new session.
    pub fn enter_reseller_assist(
        &self,
        assist_id: &str,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(CONTEXT_KEY);
        self.0.insert(RESELLER_ASSIST_KEY, assist_id)?;
        self.0.insert(CSRF_KEY, random_token())
    }

    /// Back to the distributor's own portal, in a new session.
    pub fn leave_reseller_assist(&self) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(RESELLER_ASSIST_KEY);
        self.0.remove(CONTEXT_KEY);
        self.0.insert(CSRF_KEY, random_token())
    }

    /// Back to the partner membership, in a new session.
    pub fn leave_assisted(&self) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(ASSISTING_KEY);
        self.0.remove(RESELLER_ASSIST_KEY);
        self.0.insert(CSRF_KEY, random_token())
    }

    /// The password was right; the second factor comes next. A new session id,
    /// nobody signed in yet.
    pub fn await_second_factor(
        &self,
        login_id: &str,
        since: i64,
        next: &str,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(LOGIN_KEY);
        self.0.remove(SIGNED_IN_AT_KEY);
        self.0.remove(MEMBERSHIP_KEY);
        self.0.remove(ASSISTING_KEY);
        self.0.remove(RESELLER_ASSIST_KEY);
        self.0.remove(CONTEXT_KEY);
        self.0.insert(PENDING_LOGIN_KEY, login_id)?;
        self.0.insert(PENDING_SINCE_KEY, since)?;
        self.0.insert(PENDING_NEXT_KEY, next)?;
        self.0.insert(CSRF_KEY, random_token())
    }

    /// The login awaiting its second factor: (login id, since, next).
    pub fn awaiting_second_factor(&self) -> Option<(String, i64, String)> {
        let login = self.0.get::<String>(PENDING_LOGIN_KEY).ok().flatten()?;
        let since = self.0.get::<i64>(PENDING_SINCE_KEY).ok().flatten()?;
        let next = self
            .0
            .get::<String>(PENDING_NEXT_KEY)
            .ok()
            .flatten()
            .unwrap_or_default();
        Some((login, since, next))
    }

    /// Records that a second factor was presented now.
    pub fn second_factor_presented(
        &self,
        at: i64,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.remove(PENDING_LOGIN_KEY);
        self.0.remove(PENDING_SINCE_KEY);
        self.0.remove(PENDING_NEXT_KEY);
        self.0.insert(SECOND_FACTOR_AT_KEY, at)
    }

    pub fn second_factor_at(&self) -> Option<i64> {
        self.0.get::<i64>(SECOND_FACTOR_AT_KEY).ok().flatten()
    }

    pub fn enrolment_secret(&self) -> Option<String> {
        self.0.get::<String>(ENROLMENT_KEY).ok().flatten()
    }

    pub fn set_enrolment_secret(
        &self,
        secret: &str,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.insert(ENROLMENT_KEY, secret)
    }

    pub fn clear_enrolment_secret(&self) {
        self.0.remove(ENROLMENT_KEY);
    }

    /// Keeps the state of a passkey ceremony until its answer comes back.
    pub fn set_passkey_ceremony<T: serde::Serialize>(
        &self,
        purpose: &str,
        ceremony: &T,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0
            .insert(format!("{PASSKEY_KEY_PREFIX}{purpose}"), ceremony)
    }

    /// The state of a passkey ceremony, taken out: each challenge is answered
    /// once, right or wrong.
    pub fn take_passkey_ceremony<T: serde::de::DeserializeOwned>(
        &self,
        purpose: &str,
    ) -> Option<T> {
        self.0
            .remove_as::<T>(&format!("{PASSKEY_KEY_PREFIX}{purpose}"))
            .and_then(Result::ok)
    }

    /// Keeps what a sign-in through a provider must find again at its callback.
    pub fn set_sso_pending<T: serde::Serialize>(
        &self,
        pending: &T,
    ) -> Result<(), actix_session::SessionInsertError> {
        self.0.insert(SSO_KEY, pending)
    }

    /// What a sign-in through a provider left, taken out: each `state` is
    /// answered once, right or wrong.
    pub fn take_sso_pending<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.0.remove_as::<T>(SSO_KEY).and_then(Result::ok)
    }

    pub fn sign_out(&self) {
        self.0.purge();
    }
}

impl FromRequest for TypedSession {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(TypedSession(req.get_session())))
    }
}
