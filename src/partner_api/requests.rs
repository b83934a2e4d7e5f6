//! `/api/v1/partner/requests` and `/customers/{customer_id}/requests`: the
//! service requests of the organisation's customers as the partner's request
//! pages list them (by status, by customer), paged by cursor over their
//! opening; one request with its messages. The writes are in
//! `request_writes`.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::keyset::{self, Keyset, rfc3339};
use super::orders::customer_in;
use crate::auth::partner_tokens::PartnerClient;
use crate::db::{self, DbConnection};
use crate::service_requests::{self as domain, Message, Request, RequestError, Scope, Status};
use crate::state::AppState;
use crate::web::json_api::ApiError;
use crate::web::operator_api::plausible;

impl From<RequestError> for ApiError {
    fn from(error: RequestError) -> Self {
        match error {
            RequestError::NotFound => ApiError::NotFound("request"),
            RequestError::Invalid => ApiError::field("status", "invalid"),
            other => ApiError::Internal(other.into()),
        }
    }
}

/// A message of a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageBody {
    pub author_name: String,
    /// `customer` or `partner`.
    pub side: String,
    pub body: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// A service request of one of the organisation's customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestBody {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub title: String,
    /// `technical`, `billing`, `account`, `service_outage` or `other`.
    pub category: String,
    pub description: String,
    /// `open`, `waiting` or `resolved`.
    pub status: String,
    pub opened_by_name: String,
    /// `customer` or `partner`.
    pub opened_by_side: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The latest message or status change, RFC 3339 UTC.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Oldest first; only when one request is read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<MessageBody>>,
}

impl RequestBody {
    pub(super) fn of(request: Request, messages: Option<Vec<Message>>) -> RequestBody {
        RequestBody {
            category: request.category().as_str().to_owned(),
            status: request.status().as_str().to_owned(),
            opened_by_side: request.opened_by().as_str().to_owned(),
            id: request.id,
            customer_id: request.customer_id.into_string(),
            customer_name: request.customer_name,
            title: request.title,
            description: request.description,
            opened_by_name: request.opened_by_name,
            created_at: rfc3339(request.created_at),
            updated_at: rfc3339(request.updated_at),
            messages: messages.map(|all| {
                all.into_iter()
                    .map(|m| MessageBody {
                        author_name: m.author_name,
                        side: m.side.as_str().to_owned(),
                        body: m.body,
                        created_at: rfc3339(m.created_at),
                    })
                    .collect()
            }),
        }
    }
}

/// A page of requests, newest opened first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestPage {
    pub requests: Vec<RequestBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    status: String,
    customer: String,
}

/// The status filter: none when empty, refused when not a status.
fn status_of(text: &str) -> Result<Option<Status>, ApiError> {
    match text.trim() {
        "" => Ok(None),
        code => Status::parse(code)
            .map(Some)
            .ok_or_else(|| ApiError::field("status", "invalid")),
    }
}

/// The requests of `scope` the query selects after the cursor, answered as a page.
async fn page(
    state: &AppState,
    client: &PartnerClient,
    req: &HttpRequest,
    path_customer: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let (cursor, limit) = keyset::paging(req)?;
    let query =
        web::Query::<ListQuery>::from_query(req.query_string()).map_err(|_| ApiError::Malformed)?;
    let status = status_of(&query.status)?;
    let customer = path_customer.or_else(|| {
        let chosen = query.customer.trim();
        (!chosen.is_empty()).then(|| chosen.to_owned())
    });
    let partner = client.scope().clone();
    let after: Option<(NaiveDateTime, String)> = cursor.map(|c| (c.at, c.id));
    let rows = db::run(&state.pool, move |conn| {
        let only = match customer {
            Some(id) => Some(customer_in(conn, &partner, &id)?.into_inner().id),
            None => None,
        };
        let scope = Scope::Partner(partner);
        let filters = (status, only.as_ref().map(|id| id.as_str()));
        Ok::<_, ApiError>(domain::opened_after(
            conn,
            &scope,
            filters,
            after.as_ref(),
            limit + 1,
        )?)
    })
    .await?;
    let (rows, next_cursor) = keyset::page_of(rows, limit, |r| Keyset {
        at: r.created_at,
        id: r.id.clone(),
    });
    Ok(HttpResponse::Ok().json(RequestPage {
        requests: rows.into_iter().map(|r| RequestBody::of(r, None)).collect(),
        next_cursor,
    }))
}

/// Lists the service requests of the organisation's customers.
#[utoipa::path(
    get,
    path = "/api/v1/partner/requests",
    tag = "requests",
    params(
        ("status" = Option<String>, Query, description = "`open`, `waiting` or `resolved`"),
        ("customer" = Option<String>, Query, description = "One customer's id"),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Requests per page, 50 when not given"),
    ),
    responses(
        (status = 200, description = "A page of requests, newest opened first", body = RequestPage),
        (status = 400, description = "A malformed query string", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `requests:read`, or its creator's role may not handle service requests", body = super::openapi::ErrorBody),
        (status = 404, description = "The `customer` is none of the organisation's (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 422, description = "Not a status, a cursor not made by this list, or a limit out of range", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["requests:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    page(&state, &client, &req, None).await
}

/// Lists one customer's service requests.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}/requests",
    tag = "requests",
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("status" = Option<String>, Query, description = "`open`, `waiting` or `resolved`"),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Requests per page, 50 when not given"),
    ),
    responses(
        (status = 200, description = "A page of the customer's requests, newest opened first", body = RequestPage),
        (status = 400, description = "A malformed query string", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `requests:read`, or its creator's role may not handle service requests", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 422, description = "Not a status, a cursor not made by this list, or a limit out of range", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["requests:read"])),
)]
pub async fn customer_list(
    state: web::Data<AppState>,
    client: PartnerClient,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    page(&state, &client, &req, Some(path.into_inner())).await
}

/// The request `id` of the organisation's customers with its messages.
pub(super) fn with_messages(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<RequestBody, ApiError> {
    let request = domain::find(conn, scope, id)?.into_inner();
    let messages = domain::messages(conn, &request.id)?;
    Ok(RequestBody::of(request, Some(messages)))
}

/// Reads one service request with its messages.
#[utoipa::path(
    get,
    path = "/api/v1/partner/requests/{request_id}",
    tag = "requests",
    params(("request_id" = String, Path, description = "The request's id")),
    responses(
        (status = 200, description = "The request with its messages, oldest first", body = RequestBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `requests:read`, or its creator's role may not handle service requests", body = super::openapi::ErrorBody),
        (status = 404, description = "No such request of the organisation's customers (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["requests:read"])),
)]
pub async fn read(
    state: web::Data<AppState>,
    client: PartnerClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    plausible(&id, "request")?;
    let scope = Scope::Partner(client.scope().clone());
    let request = db::run(&state.pool, move |conn| with_messages(conn, &scope, &id)).await?;
    Ok(HttpResponse::Ok().json(request))
}
