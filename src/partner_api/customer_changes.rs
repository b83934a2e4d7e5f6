//! Changing one of the organisation's customers through the partner API: its
//! name, its billing (a trial converted, the term changed) and letting it go
//! (dissociating). Each change is the page's own domain function, run in the
//! token creator's name; the customer is found in the token's organisation
//! before the body is read.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::customers::{CustomerBody, body_of};
use super::writes::{self, NoFields, customer_id, json, read_body, refused};
use crate::accounts::DisplayName;
use crate::auth::partner_tokens::PartnerClient;
use crate::customers::billing::{
    BillingError, TermChange, change_subscription_term, convert_to_monthly_usage,
};
use crate::customers::details::{dissociate_customer, rename_customer};
use crate::customers::{Term, find};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::json_api::ApiError;

impl From<BillingError> for ApiError {
    fn from(error: BillingError) -> Self {
        match error {
            BillingError::NotATrial => ApiError::Conflict("not_a_trial"),
            BillingError::Customer(error) => error.into(),
        }
    }
}

/// What changes on a customer; a field left out stays as it is.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerChangeRequest {
    /// The account's name (trimmed, at most 200 characters, one line).
    #[schema(example = "Adatum Europe")]
    pub name: Option<String>,
}

/// The term to change to.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TermRequest {
    /// `monthly` or `annual`.
    #[schema(example = "annual")]
    pub term: Option<String>,
}

/// What choosing a term did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TermChangeBody {
    /// `unchanged`; `now` (no device is enrolled); `at_period_end` (the
    /// current period ends first); `cancelled` (the term in force was chosen
    /// again, calling off the change that waited for the period's end).
    pub change: String,
    /// With `at_period_end`: the day the new term begins; with `cancelled`:
    /// the day the called-off change would have begun.
    #[schema(format = Date)]
    pub effective_on: Option<String>,
    pub customer: CustomerBody,
}

/// The confirmation dissociating needs, as the page asks for it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DissociateRequest {
    /// Must be `true`: the organisation lets the customer go and stops seeing it.
    pub confirm: Option<bool>,
}

/// A customer let go.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DissociatedBody {
    pub id: String,
    pub dissociated: bool,
}

/// Renames a customer.
#[utoipa::path(
    patch,
    path = "/api/v1/partner/customers/{customer_id}",
    tag = "customers",
    request_body = CustomerChangeRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "The customer as changed", body = CustomerBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Faulty fields, each named and explained; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn change(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(path.into_inner())?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        let request: CustomerChangeRequest = read_body(&sent, lang)?;
        if let Some(name) = request.name {
            let name = DisplayName::parse(&name)
                .map_err(|problem| refused("name", problem.message_key(), lang))?;
            rename_customer(conn, change, &customer, &name)?;
        }
        let customer = find(conn, change.scope(), &id)?;
        json(
            StatusCode::OK,
            body_of(conn, change.scope(), &customer, change.now.date())?,
        )
    })
    .await
}

/// Converts a customer's trial to monthly usage, at once.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/billing/convert",
    tag = "customers",
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)"),
    ),
    request_body(content = Option<serde_json::Value>, description = "Nothing, or `{}`"),
    responses(
        (status = 200, description = "The customer, now billed by monthly usage", body = CustomerBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "`not_a_trial`: the customer is not on a trial; or another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Unknown fields; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn convert_trial(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(path.into_inner())?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        find(conn, change.scope(), &id)?;
        read_body::<NoFields>(&sent, lang)?;
        convert_to_monthly_usage(conn, change, &id)?;
        let customer = find(conn, change.scope(), &id)?;
        json(
            StatusCode::OK,
            body_of(conn, change.scope(), &customer, change.now.date())?,
        )
    })
    .await
}

/// Changes a customer's subscription term: at once while no device is
/// enrolled, otherwise at the end of the current period.
#[utoipa::path(
    put,
    path = "/api/v1/partner/customers/{customer_id}/term",
    tag = "customers",
    request_body = TermRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "What the choice did, and the customer", body = TermChangeBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "A missing or unknown term, unknown fields; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn change_term(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(path.into_inner())?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        let request: TermRequest = read_body(&sent, lang)?;
        let typed = request.term.unwrap_or_default();
        let term = match Term::parse(typed.trim()) {
            Some(term) => term,
            None if typed.trim().is_empty() => return Err(refused("term", "field-required", lang)),
            None => return Err(refused("term", "field-invalid", lang)),
        };
        let when = change_subscription_term(conn, change, &customer, term)?;
        let (change_code, effective_on) = match when {
            TermChange::Unchanged => ("unchanged", None),
            TermChange::Now => ("now", None),
            TermChange::AtPeriodEnd(on) => ("at_period_end", Some(on)),
            TermChange::Cancelled(_, on) => ("cancelled", Some(on)),
        };
        let customer = find(conn, change.scope(), &id)?;
        json(
            StatusCode::OK,
            TermChangeBody {
                change: change_code.to_owned(),
                effective_on: effective_on.map(|d| d.format("%Y-%m-%d").to_string()),
                customer: body_of(conn, change.scope(), &customer, change.now.date())?,
            },
        )
    })
    .await
}

/// Dissociates a customer: the organisation lets it go (its account, people
/// and data stay; the organisation's groups forget it). Afterwards the
/// customer answers 404 to the organisation.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/dissociate",
    tag = "customers",
    request_body = DissociateRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key and body within 24 hours answer the first answer again (`Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "Dissociated", body = DissociatedBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not dissociate customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "`confirm` is not `true`, unknown fields; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn dissociate(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(path.into_inner())?;
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        let request: DissociateRequest = read_body(&sent, lang)?;
        if request.confirm != Some(true) {
            return Err(refused(
                "confirm",
                "customer-dissociate-confirm-required",
                lang,
            ));
        }
        dissociate_customer(conn, change, &customer)?;
        json(
            StatusCode::OK,
            DissociatedBody {
                id: id.as_str().to_owned(),
                dissociated: true,
            },
        )
    })
    .await
}
