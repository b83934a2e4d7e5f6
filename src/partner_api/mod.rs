//! The partner API (`/api/v1/partner/…`): what a partner's staff do in the
//! browser, for programs, authenticated by one of the organisation's tokens
//! (`Authorization: Bearer pdp_…`), never by a session. A token acts in its
//! organisation only, in its creator's name: every query is scoped by the
//! `PartnerScope` the token gives, and another organisation's customer answers
//! 404 like a missing one.
//!
//! `token_pages` is the owners' page that creates and revokes tokens,
//! `customers` the customers endpoints (`create` reads a new customer from JSON,
//! `cursor` pages the list), `customer_changes` renames, converts, changes the
//! term of and dissociates one, `groups` the customer groups, `permissions`
//! a customer's permissions, `health` its service health, `writes` is what every change shares (the
//! token's creator as the one acting, strict bodies), `idempotency` replays a write sent again with the
//! same `Idempotency-Key`, and `openapi` describes it all.

pub mod activity;
mod create;
mod cursor;
pub mod customer_changes;
pub mod customers;
pub mod groups;
pub mod health;
mod idempotency;
mod keyset;
pub mod openapi;
pub mod orders;
pub mod permissions;
pub mod reference;
pub mod request_writes;
pub mod requests;
pub mod reservations;
pub mod staff;
pub mod token_pages;
mod writes;

use actix_web::dev::ServiceRequest;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};

use crate::access::{Capability, Decision, TokenScope, decide_for_token};
use crate::auth::partner_tokens::{PartnerClient, partner_of};
use crate::state::AppState;
use crate::web::json_api::{self, ApiError};

/// The access check for `Access::ApiPartner` routes (called by
/// `routes::enforce`): a live token of a partner organisation (401 otherwise)
/// that holds `scope` and whose creator's role has `capability`, as `access`
/// decides for pages (403 otherwise). Puts the client into the request.
pub async fn authenticate(
    req: &ServiceRequest,
    scope: TokenScope,
    capability: Capability,
) -> Result<(), HttpResponse> {
    let refuse = |error: ApiError| error.error_response();
    let presented = json_api::bearer_token(req).ok_or_else(|| refuse(ApiError::Unauthorized))?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| refuse(ApiError::Internal(anyhow::anyhow!("state missing"))))?;
    let now = state.clock.now();
    let found = crate::db::run(&state.pool, move |conn| {
        partner_of(conn, now, &presented).map_err(ApiError::from)
    })
    .await
    .map_err(refuse)?;
    let client = found.ok_or_else(|| refuse(ApiError::Unauthorized))?;
    state
        .partner_api_budget
        .spend(&client.token_id)
        .map_err(|wait| refuse(ApiError::RateLimited(wait)))?;
    // 403 rather than 401: the token is right, its organisation may not act.
    if client.organisation_suspended {
        return Err(refuse(ApiError::Forbidden("organisation_suspended")));
    }
    if !client.scopes.contains(&scope) {
        return Err(refuse(ApiError::Forbidden("missing_scope")));
    }
    if decide_for_token(capability, client.role) != Decision::Allow {
        return Err(refuse(ApiError::Forbidden("role_not_allowed")));
    }
    req.extensions_mut().insert(client);
    Ok(())
}

impl FromRequest for PartnerClient {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        json_api::client_of(req)
    }
}
