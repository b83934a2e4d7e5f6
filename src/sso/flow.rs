//! The browser's trip to the provider and back. Leaving, the session keeps a
//! new `state`, `nonce` and PKCE verifier with the organisation and the
//! purpose; at `/sso/callback` they are taken out before anything else, so a
//! `state` is answered once, right or wrong, and only in the browser it was
//! given to. Two purposes: signing in (from the sign-in page), and an owner
//! proving the organisation's claimed domains (from its single sign-on page).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::{Deserialize, Serialize};

use super::provider::{self, ProviderError, Redemption, Verified};
use super::{Connection, Organisation, sealed};
use crate::auth::client_address::ClientAddress;
use crate::auth::session::{SignInClient, TypedSession};
use crate::config::Settings;
use crate::state::AppState;
use crate::web::{PageContext, PageError, render_with_status};

/// Where the provider sends the browser back; registered with the provider.
pub const CALLBACK_PATH: &str = "/sso/callback";

/// How long the provider may take to send the browser back.
const PENDING_MINUTES: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    SignIn,
    /// An owner proves the organisation's claimed domains; `login_id` is theirs.
    Prove,
}

/// What the session keeps while the browser is at the provider.
#[derive(Serialize, Deserialize)]
struct Pending {
    purpose: Purpose,
    organisation: Organisation,
    /// The login that asked to prove domains (`Purpose::Prove`).
    login_id: Option<String>,
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    started_at: i64,
}

pub fn callback_url(settings: &Settings) -> String {
    settings.link(CALLBACK_PATH)
}

/// On the way to the provider. A redirect answering the sign-in form would
/// break the pages' `form-action 'self'`; this page moves on by itself.
#[derive(Template)]
#[template(path = "sso/leaving.html")]
struct LeavingPage {
    layout: PageContext,
    url: String,
}

#[derive(Template)]
#[template(path = "sso/refused.html")]
struct RefusedPage {
    layout: PageContext,
    message_key: &'static str,
}

/// The page saying why a sign-in through the provider did not happen.
pub fn refused(
    layout: PageContext,
    status: StatusCode,
    message_key: &'static str,
) -> Result<HttpResponse, PageError> {
    render_with_status(
        &RefusedPage {
            layout,
            message_key,
        },
        status,
    )
}

/// Sends the browser to the organisation's provider.
pub async fn begin(
    state: &AppState,
    layout: PageContext,
    session: &TypedSession,
    connection: &Connection,
    purpose: Purpose,
    login_id: Option<String>,
    next: &str,
) -> Result<HttpResponse, PageError> {
    let authorization = match leave_for(state, connection).await {
        Ok(authorization) => authorization,
        Err(error) => {
            tracing::warn!(organisation = %connection.organisation, error = %error, "identity provider out of reach");
            return refused(layout, StatusCode::BAD_GATEWAY, "sso-provider-unreachable");
        }
    };
    let pending = Pending {
        purpose,
        organisation: connection.organisation.clone(),
        login_id,
        state: authorization.state,
        nonce: authorization.nonce,
        pkce_verifier: authorization.pkce_verifier,
        next: next.to_owned(),
        started_at: state.clock.now().and_utc().timestamp(),
    };
    session
        .set_sso_pending(&pending)
        .map_err(PageError::internal)?;
    crate::web::render(&LeavingPage {
        layout,
        url: authorization.url,
    })
}

/// The provider's configuration and keys, read afresh.
async fn configuration_of(
    state: &AppState,
    connection: &Connection,
) -> Result<provider::CoreProviderMetadata, ProviderError> {
    let local_allowed = state.settings.sso_allow_http_issuers;
    let issuer = provider::issuer_url(&connection.issuer_url, local_allowed)?;
    provider::discover(issuer, local_allowed).await
}

async fn leave_for(
    state: &AppState,
    connection: &Connection,
) -> Result<provider::Authorization, ProviderError> {
    let metadata = configuration_of(state, connection).await?;
    provider::authorize(
        metadata,
        &connection.client_id,
        &callback_url(&state.settings),
    )
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
}

pub async fn callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: PageContext,
    session: TypedSession,
    client: ClientAddress,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, PageError> {
    let pending = session.take_sso_pending::<Pending>();
    let now = state.clock.now();
    let fresh = |p: &Pending| now.and_utc().timestamp() - p.started_at <= PENDING_MINUTES * 60;
    let Some(pending) = pending.filter(|p| {
        fresh(p)
            && query
                .state
                .as_deref()
                .is_some_and(|given| crate::auth::tokens::same_secret(given, &p.state))
    }) else {
        tracing::warn!(client = %client, "single sign-on callback without a matching state");
        return refused(layout, StatusCode::BAD_REQUEST, "sso-start-again");
    };
    let Some(code) = query.code.clone() else {
        // The provider said no (the person cancelled, or was refused there).
        return refused(layout, StatusCode::FORBIDDEN, "sso-provider-refused");
    };
    let lookup = pending.organisation.clone();
    let connection = crate::db::run(&state.pool, move |conn| {
        super::connection_of(conn, &lookup).map_err(crate::db::DbError::from)
    })
    .await?;
    let Some(connection) = connection else {
        return refused(layout, StatusCode::FORBIDDEN, "sso-not-configured");
    };
    let Some(secret) = sealed::open(&state.settings.secret_key, &connection.client_secret_sealed)
    else {
        tracing::warn!(organisation = %connection.organisation, "the stored client secret cannot be opened");
        return refused(layout, StatusCode::BAD_GATEWAY, "sso-secret-unreadable");
    };
    let verified = match verify(&state, &connection, secret, code, &pending).await {
        Ok(verified) => verified,
        Err(error) => {
            tracing::warn!(organisation = %connection.organisation, client = %client, error = %error, "single sign-on refused");
            return refused(layout, StatusCode::FORBIDDEN, "sso-token-refused");
        }
    };
    let signing_in = SignInClient::of(&req, client);
    let arrival = super::signing_in::Arrival {
        connection,
        verified,
        next: pending.next,
    };
    match pending.purpose {
        Purpose::SignIn => {
            super::signing_in::sign_in(&state, layout, &session, &signing_in, arrival).await
        }
        Purpose::Prove => {
            let prover = pending.login_id.unwrap_or_default();
            super::proof::proven(&state, layout, &session, prover, arrival).await
        }
    }
}

async fn verify(
    state: &AppState,
    connection: &Connection,
    client_secret: String,
    code: String,
    pending: &Pending,
) -> Result<Verified, ProviderError> {
    let metadata = configuration_of(state, connection).await?;
    let local_allowed = state.settings.sso_allow_http_issuers;
    let redirect_uri = callback_url(&state.settings);
    provider::redeem(
        metadata,
        Redemption {
            client_id: &connection.client_id,
            client_secret,
            redirect_uri: &redirect_uri,
            code,
            pkce_verifier: pending.pkce_verifier.clone(),
            nonce: pending.nonce.clone(),
            now: state.clock.now().and_utc(),
        },
        local_allowed,
    )
    .await
}

/// The verified address of the person, when the provider vouches for it:
/// `email_verified` must be exactly true.
pub fn verified_address(verified: &Verified) -> Option<&str> {
    match (&verified.email, verified.email_verified) {
        (Some(email), Some(true)) => Some(email.as_str()),
        _ => None,
    }
}

/// Used by the owner's page and the sign-in page alike: whether `login_id`
/// is the one in this session (a proof started by one owner is not finished
/// by whoever signs in next in the same browser).
pub fn is_current(session: &TypedSession, login_id: &str) -> bool {
    session.login_id().is_some_and(|id| id == login_id)
}
