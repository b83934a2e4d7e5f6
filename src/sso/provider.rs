//! Talking to an organisation's provider with the `openidconnect` crate:
//! discovery, the authorization request (code flow, PKCE with S256, `state`,
//! `nonce`), the code exchange and the ID token's checks (issuer, audience,
//! signature by the provider's published keys, expiry read on the
//! application's clock, nonce).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
pub use openidconnect::core::CoreProviderMetadata;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreJsonWebKeySet};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, JsonWebKeySet, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, reqwest,
};

use crate::outbound::{self, PublicAddresses};

/// Where a provider publishes its configuration, under the issuer.
const CONFIGURATION: &str = ".well-known/openid-configuration";

/// How long the provider has to answer one request.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why talking to the provider failed; logged, never shown as is.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the issuer URL is not valid: {0}")]
    Issuer(String),
    #[error("the provider's configuration could not be read: {0}")]
    Discovery(String),
    #[error("the code was not exchanged: {0}")]
    Exchange(String),
    #[error("the provider sent no ID token")]
    NoIdToken,
    #[error("the ID token was refused: {0}")]
    IdToken(String),
}

/// What the browser is sent to, and what must come back with it.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What a checked ID token says of the person.
#[derive(Debug)]
pub struct Verified {
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
}

/// The HTTP client for the provider: no redirects followed (a provider could
/// otherwise point the server anywhere), a deadline per request, and public
/// addresses only unless `local_allowed` (`outbound`).
fn http_client(local_allowed: bool) -> Result<reqwest::Client, ProviderError> {
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT);
    let builder = if local_allowed {
        builder
    } else {
        builder.dns_resolver(Arc::new(PublicAddresses))
    };
    builder
        .build()
        .map_err(|e| ProviderError::Discovery(e.to_string()))
}

/// Checks the issuer's address before anything is fetched from it: https at a
/// public address, unless the operator allows local providers (`local_allowed`:
/// development and tests), which may also be reached over http.
pub fn issuer_url(raw: &str, local_allowed: bool) -> Result<IssuerUrl, ProviderError> {
    let parsed = url::Url::parse(raw.trim()).map_err(|e| ProviderError::Issuer(e.to_string()))?;
    let scheme_ok = parsed.scheme() == "https" || (local_allowed && parsed.scheme() == "http");
    if !scheme_ok || parsed.host().is_none() || parsed.query().is_some() {
        return Err(ProviderError::Issuer(format!("{raw} is not an https URL")));
    }
    if !local_allowed && !outbound::may_fetch(&parsed) {
        return Err(ProviderError::Issuer(format!(
            "{raw} is not a public address"
        )));
    }
    IssuerUrl::new(raw.trim().to_owned()).map_err(|e| ProviderError::Issuer(e.to_string()))
}

/// The provider's configuration from `<issuer>/.well-known/openid-configuration`,
/// which must name the same issuer, then its signing keys. What the
/// configuration points the server at is checked as the issuer was.
pub async fn discover(
    issuer: IssuerUrl,
    local_allowed: bool,
) -> Result<CoreProviderMetadata, ProviderError> {
    let failed = |e: &dyn std::error::Error| ProviderError::Discovery(error_chain(e));
    let http = http_client(local_allowed)?;
    let address = issuer.join(CONFIGURATION).map_err(|e| failed(&e))?;
    let body = http
        .get(address)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| failed(&e))?
        .bytes()
        .await
        .map_err(|e| failed(&e))?;
    let metadata: CoreProviderMetadata = serde_json::from_slice(&body).map_err(|e| failed(&e))?;
    if metadata.issuer() != &issuer {
        return Err(ProviderError::Discovery(format!(
            "the configuration names another issuer: {}",
            metadata.issuer().as_str()
        )));
    }
    let fetched = [
        Some(metadata.jwks_uri().url()),
        metadata.token_endpoint().map(|t| t.url()),
    ];
    if !local_allowed
        && fetched
            .into_iter()
            .flatten()
            .any(|u| !outbound::may_fetch(u))
    {
        return Err(ProviderError::Discovery(
            "the configuration points at an address that is not public".into(),
        ));
    }
    let keys: CoreJsonWebKeySet = JsonWebKeySet::fetch_async(metadata.jwks_uri(), &http)
        .await
        .map_err(|e| failed(&e))?;
    Ok(metadata.set_jwks(keys))
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Where to send the browser: a new `state`, `nonce` and PKCE verifier each time.
pub fn authorize(
    metadata: CoreProviderMetadata,
    client_id: &str,
    redirect_uri: &str,
) -> Result<Authorization, ProviderError> {
    let redirect = RedirectUrl::new(redirect_uri.to_owned())
        .map_err(|e| ProviderError::Issuer(e.to_string()))?;
    let client =
        CoreClient::from_provider_metadata(metadata, ClientId::new(client_id.to_owned()), None)
            .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    Ok(Authorization {
        url: url.to_string(),
        state: state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
    })
}

/// What the callback needs to redeem a code.
pub struct Redemption<'a> {
    pub client_id: &'a str,
    pub client_secret: String,
    pub redirect_uri: &'a str,
    pub code: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub now: DateTime<Utc>,
}

/// Redeems the code at the token endpoint and checks the ID token that comes
/// back: signed by one of the provider's keys, issued by it, for this client,
/// not expired at `now`, carrying the nonce this browser was given.
pub async fn redeem(
    metadata: CoreProviderMetadata,
    redemption: Redemption<'_>,
    local_allowed: bool,
) -> Result<Verified, ProviderError> {
    let redirect = RedirectUrl::new(redemption.redirect_uri.to_owned())
        .map_err(|e| ProviderError::Issuer(e.to_string()))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(redemption.client_id.to_owned()),
        Some(ClientSecret::new(redemption.client_secret)),
    )
    .set_redirect_uri(redirect);
    let http = http_client(local_allowed)?;
    let response = client
        .exchange_code(AuthorizationCode::new(redemption.code))
        .map_err(|e| ProviderError::Exchange(error_chain(&e)))?
        .set_pkce_verifier(PkceCodeVerifier::new(redemption.pkce_verifier))
        .request_async(&http)
        .await
        .map_err(|e| ProviderError::Exchange(error_chain(&e)))?;
    let id_token = response.id_token().ok_or(ProviderError::NoIdToken)?;
    let now = redemption.now;
    let verifier = client.id_token_verifier().set_time_fn(move || now);
    let claims = id_token
        .claims(&verifier, &Nonce::new(redemption.nonce))
        .map_err(|e| ProviderError::IdToken(error_chain(&e)))?;
    Ok(Verified {
        email: claims.email().map(|e| e.as_str().to_owned()),
        email_verified: claims.email_verified(),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
    })
}
