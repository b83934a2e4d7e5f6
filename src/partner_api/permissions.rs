//! A customer's permissions through the partner API: each with its state and
//! whether what turning it on needs is there, and turned on or off by the
//! commerce page's own function (the same prerequisites, the same entries in
//! the activity log; a request that changes nothing logs nothing).

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::orders::commerce_error;
use super::writes::{self, customer_id, json, read_body, refused};
use crate::auth::partner_tokens::PartnerClient;
use crate::commerce::permissions::{Toggled, set_buy_reservations};
use crate::customers::find;
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::state::AppState;
use crate::tenancy::purchase_permission::{
    BUY_RESERVATIONS, PurchasePermission, purchase_permission,
};
use crate::web::json_api::ApiError;

/// Something turning a permission on needs, and whether it is there.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PrerequisiteBody {
    /// `usage_subscription` (an active usage-based subscription) or
    /// `subscription_owner` (a person of the account holding the Owner role on
    /// one).
    pub prerequisite: String,
    pub met: bool,
}

/// One of a customer's permissions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PermissionBody {
    /// `buy_reservations`: the customer buys its own reservations, billed to
    /// the organisation.
    pub permission: String,
    pub enabled: bool,
    /// Every prerequisite met: it may be turned on.
    pub can_turn_on: bool,
    pub prerequisites: Vec<PrerequisiteBody>,
}

/// A customer's permissions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PermissionList {
    pub permissions: Vec<PermissionBody>,
}

/// A permission turned on or off.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PermissionRequest {
    pub enabled: Option<bool>,
}

fn body_of(state: PurchasePermission) -> PermissionBody {
    let met = |prerequisite: &str, met: bool| PrerequisiteBody {
        prerequisite: prerequisite.to_owned(),
        met,
    };
    PermissionBody {
        permission: BUY_RESERVATIONS.to_owned(),
        enabled: state.on,
        can_turn_on: state.can_turn_on(),
        prerequisites: vec![
            met("usage_subscription", state.has_usage_subscription),
            met("subscription_owner", state.has_subscription_owner),
        ],
    }
}

/// The permission's state on a customer the caller has found in its scope.
fn state_of(conn: &mut DbConnection, customer: &CustomerId) -> Result<PermissionBody, ApiError> {
    Ok(body_of(purchase_permission(conn, customer)?))
}

/// The first prerequisite missing, as a conflict's code.
fn missing(state: PurchasePermission) -> ApiError {
    if state.has_usage_subscription {
        ApiError::Conflict("missing_subscription_owner")
    } else {
        ApiError::Conflict("missing_usage_subscription")
    }
}

/// Lists a customer's permissions.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}/permissions",
    tag = "permissions",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "Every permission, its state and its prerequisites", body = PermissionList),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `permissions:read`, or its creator's role may not see customer permissions", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["permissions:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(path.into_inner())?;
    let scope = client.scope().clone();
    let permission = db::run(&state.pool, move |conn| {
        let customer = find(conn, &scope, &id)?;
        state_of(conn, &customer.id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PermissionList {
        permissions: vec![permission],
    }))
}

/// Turns a customer's permission on or off. Turning on needs every
/// prerequisite; asking for the state it is in changes nothing.
#[utoipa::path(
    put,
    path = "/api/v1/partner/customers/{customer_id}/permissions/{permission}",
    tag = "permissions",
    request_body = PermissionRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("permission" = String, Path, description = "`buy_reservations`"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "The permission's state now", body = PermissionBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `permissions:write`, or its creator's role may not turn customer permissions on and off", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation, or no such permission", body = super::openapi::ErrorBody),
        (status = 409, description = "`missing_usage_subscription` or `missing_subscription_owner`: turning on needs it; or another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "`enabled` missing or not a boolean, unknown fields; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["permissions:write"])),
)]
pub async fn set(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (customer, permission) = path.into_inner();
    let id = customer_id(customer)?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        if permission != BUY_RESERVATIONS {
            return Err(ApiError::NotFound("permission"));
        }
        let request: PermissionRequest = read_body(&sent, lang)?;
        let on = request
            .enabled
            .ok_or_else(|| refused("enabled", "field-required", lang))?;
        let toggled = set_buy_reservations(conn, change, &customer, on)
            .map_err(|e| commerce_error(e, lang))?;
        if let Toggled::Missing(state) = toggled {
            return Err(missing(state));
        }
        json(StatusCode::OK, state_of(conn, &customer.id)?)
    })
    .await
}
