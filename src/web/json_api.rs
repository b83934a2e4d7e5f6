//! What the JSON APIs (`/api/v1`) answer when they refuse: one error type for
//! the operator's API and the accounts' monitoring API, mapped to a status and
//! a JSON body in one place, and the bearer token both read.

use actix_web::dev::ServiceRequest;
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("missing or invalid API token")]
    Unauthorized,
    #[error("the body is not a JSON object")]
    BadJson,
    /// Each faulty field, named as in the request (`results[2].response_ms`),
    /// with a problem code.
    #[error("invalid fields")]
    Invalid(Vec<(String, &'static str)>),
    /// Each faulty field with its problem code and a message in the reader's
    /// language (the partner API).
    #[error("invalid fields")]
    Explained(Vec<FieldProblem>),
    /// The token may not do this; the code says why (`missing_scope`,
    /// `role_not_allowed`, `organisation_suspended`).
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// An `Idempotency-Key` already used with another request.
    #[error("idempotency key reused with another request")]
    KeyReused,
    /// The kind of thing not found ("customer", "monitor", …).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The request does not fit the resource's state; the code says why.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A NUL byte or invalid UTF-8 in the path, query or body.
    #[error("malformed input")]
    Malformed,
    #[error("request body too large")]
    TooLarge,
    /// The token spent its budget of requests; it may ask again after this
    /// many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

/// Every refusal's body, as the OpenAPI document describes it (the answers
/// are built in `error_response`); which fields are present depends on `error`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `unauthorized`, `forbidden`, `not_found`, `invalid_json`,
    /// `invalid_fields`, `idempotency_key_reused`, `idempotency_key_in_use`,
    /// `malformed_input`, `too_large`, `rate_limited`, `unavailable` or
    /// `internal`; a 409 on a state that forbids the action names it
    /// (`not_a_trial`, `missing_usage_subscription`, `missing_subscription_owner`,
    /// `reservation_not_active`, `already_resolved`, …).
    pub error: String,
    /// With `forbidden`: `missing_scope`, `role_not_allowed` or
    /// `organisation_suspended`.
    pub reason: Option<String>,
    /// With `not_found`: the kind of thing not found.
    pub resource: Option<String>,
    /// With `idempotency_key_reused`: what to do.
    pub message: Option<String>,
    /// With `rate_limited`: seconds to wait, as in `Retry-After`.
    pub retry_after: Option<u64>,
    /// With `invalid_fields`: each faulty field.
    pub fields: Option<Vec<FieldProblemBody>>,
}

/// A faulty field of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblemBody {
    /// As in the request; inside a batch with its place (`results[2].response_ms`).
    pub field: String,
    /// `required`, `too_long`, `invalid`, `taken`, `unknown`, `must_be_a_string`,
    /// `must_be_a_boolean`, `must_be_an_integer`, `must_be_an_array`,
    /// `must_be_an_object`, `out_of_range`, `empty`, `too_many`,
    /// `in_the_future`, `too_old`.
    pub problem: String,
    /// The problem in the request's language (`Accept-Language`); the partner
    /// API's answers only.
    pub message: Option<String>,
}

/// One faulty field of a request, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub problem: &'static str,
    pub message: String,
}

impl ApiError {
    /// One faulty field.
    pub fn field(field: impl Into<String>, problem: &'static str) -> ApiError {
        ApiError::Invalid(vec![(field.into(), problem)])
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::BadJson => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) | ApiError::Explained(_) | ApiError::KeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Malformed => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(cause) if crate::web::errors::is_outage(cause) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            ApiError::Unauthorized => json!({"error": "unauthorized"}),
            ApiError::BadJson => json!({"error": "invalid_json"}),
            ApiError::Invalid(fields) => json!({
                "error": "invalid_fields",
                "fields": fields
                    .iter()
                    .map(|(field, problem)| json!({"field": field, "problem": problem}))
                    .collect::<Vec<_>>(),
            }),
            ApiError::Explained(fields) => json!({
                "error": "invalid_fields",
                "fields": fields
                    .iter()
                    .map(|f| json!({"field": f.field, "problem": f.problem, "message": f.message}))
                    .collect::<Vec<_>>(),
            }),
            ApiError::Forbidden(reason) => json!({"error": "forbidden", "reason": reason}),
            ApiError::KeyReused => json!({
                "error": "idempotency_key_reused",
                "message": "This Idempotency-Key was used with another request in the last 24 hours; use a new key.",
            }),
            ApiError::NotFound(what) => json!({"error": "not_found", "resource": what}),
            ApiError::Conflict(code) => json!({"error": code}),
            ApiError::Malformed => json!({"error": "malformed_input"}),
            ApiError::TooLarge => json!({"error": "too_large"}),
            ApiError::RateLimited(seconds) => {
                json!({"error": "rate_limited", "retry_after": seconds})
            }
            ApiError::Internal(cause) if crate::web::errors::is_outage(cause) => {
                json!({"error": "unavailable"})
            }
            ApiError::Internal(_) => json!({"error": "internal"}),
        };
        let mut response = HttpResponse::build(self.status_code()).json(body);
        if let ApiError::Internal(cause) = self {
            // Logged with the request's id by `render_error_page`.
            response
                .extensions_mut()
                .insert(crate::web::errors::Cause(format!("{cause:#}")));
        }
        if let ApiError::RateLimited(seconds) = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(*seconds));
        }
        if let ApiError::Unauthorized = self {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(error: crate::db::DbError) -> Self {
        ApiError::Internal(error.into())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        ApiError::Internal(error.into())
    }
}

impl From<crate::email::outbox::OutboxError> for ApiError {
    fn from(error: crate::email::outbox::OutboxError) -> Self {
        ApiError::Internal(error.into())
    }
}

/// Looks the request's bearer token up with `lookup` (on the database thread)
/// and puts the client it names into the request for the handler; answers 401
/// without a token or for one `lookup` does not know.
pub async fn authenticate<T: Clone + Send + 'static>(
    req: &ServiceRequest,
    lookup: fn(&mut DbConnection, &str) -> diesel::QueryResult<Option<T>>,
) -> Result<(), HttpResponse> {
    let refuse = || ApiError::Unauthorized.error_response();
    let presented = bearer_token(req).ok_or_else(refuse)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("state missing")).error_response())?;
    let found = crate::db::run(&state.pool, move |conn| {
        lookup(conn, &presented).map_err(ApiError::from)
    })
    .await
    .map_err(|e| e.error_response())?;
    let client = found.ok_or_else(refuse)?;
    req.extensions_mut().insert(client);
    Ok(())
}

/// The client [`authenticate`] put into the request.
pub fn client_of<T: Clone + 'static>(req: &HttpRequest) -> std::future::Ready<Result<T, ApiError>> {
    std::future::ready(
        req.extensions()
            .get::<T>()
            .cloned()
            .ok_or(ApiError::Unauthorized),
    )
}

/// The token of `Authorization: Bearer …`, if one of a sane length is there.
pub fn bearer_token(req: &ServiceRequest) -> Option<String> {
    req.headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}
