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
const CONTEXT_KEY: &str = "partner.customer_context";

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
    pub fn of(req: &HttpRequest) -> Self {
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
        // The socket's peer: the throttling work's proxy-aware client address plugs in here.
        let address = req.peer_addr().map(|peer| peer.ip().to_string());
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
        self.0.remove(CONTEXT_KEY);
        self.0.insert(MEMBERSHIP_KEY, membership_id)?;
        self.0.insert(CSRF_KEY, random_token())
    }

    /// The customer a partner member has chosen to work on (B3), if any.
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

    /// Back to the partner membership, in a new session.
    pub fn leave_assisted(&self) -> Result<(), actix_session::SessionInsertError> {
        self.0.renew();
        self.0.remove(ASSISTING_KEY);
        self.0.insert(CSRF_KEY, random_token())
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
