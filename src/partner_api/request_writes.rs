//! Service requests written through the partner API, with the partner pages'
//! functions (`service_requests::open`, `add_message`, `set_status`): the same
//! fields and limits, the same activity log entries (naming the token) and the
//! same emails to the customer's side.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::orders::customer_in;
use super::requests::{RequestBody, with_messages};
use super::writes::{self, refused, refused_all};
use crate::auth::partner_tokens::PartnerClient;
use crate::i18n::Lang;
use crate::service_requests::views::{MessageForm, RequestForm};
use crate::service_requests::{self as domain, Author, Scope, Side, Status};
use crate::state::AppState;
use crate::web::json_api::ApiError;
use crate::web::operator_api::plausible;

/// The token's creator, writing from the partner's side through the token.
fn author_of(client: &PartnerClient) -> Author {
    Author {
        login_id: client.creator_login_id.clone(),
        name: client.creator_name.clone(),
        membership_id: client.creator_membership_id.clone(),
        side: Side::Partner,
        api_token_id: Some(client.token_id.clone()),
        on_behalf_of: None,
    }
}

/// A request to open on a customer's behalf, as the page's form takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewRequestBody {
    /// Up to 120 characters.
    pub title: Option<String>,
    /// `technical`, `billing`, `account`, `service_outage` or `other`.
    pub category: Option<String>,
    /// Up to 4000 characters.
    pub description: Option<String>,
}

/// Opens a service request on a customer's behalf; its people are emailed.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/requests",
    tag = "requests",
    request_body = NewRequestBody,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`) without opening another request"),
    ),
    responses(
        (status = 201, description = "Opened; the request", body = RequestBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `requests:write`, or its creator's role may not handle service requests", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered; send it again", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Faulty fields, or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["requests:write"])),
)]
pub async fn open(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (customer_id, sent, author) = (path.into_inner(), body.clone(), author_of(&client));
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = customer_in(conn, change.scope(), &customer_id)?;
        let request: NewRequestBody = writes::read_body(&sent, lang)?;
        let form = RequestForm {
            title: request.title.unwrap_or_default(),
            category: request.category.unwrap_or_default(),
            description: request.description.unwrap_or_default(),
        };
        let new = form.parse().map_err(|errors| refused_all(&errors, lang))?;
        let scope = Scope::Partner(change.scope().clone());
        let id = domain::open(
            conn,
            change.now,
            &change.settings,
            &scope,
            &customer.id,
            &author,
            &new,
        )?;
        let opened = with_messages(conn, &scope, &id)?;
        Ok((StatusCode::CREATED, writes::json_of(opened)?))
    })
    .await
}

/// A reply to a request.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReplyBody {
    /// Up to 4000 characters.
    pub body: Option<String>,
}

/// The new status of a request.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StatusBody {
    /// `open`, `waiting` or `resolved`.
    pub status: Option<String>,
}

/// What is done to a request, once it is found.
#[derive(Clone, Copy)]
enum Act {
    Reply,
    Status,
}

/// Finds the request the path names among the organisation's customers' (404
/// otherwise, locked until the change ends), then reads the body and acts.
async fn on_request(
    state: &AppState,
    client: &PartnerClient,
    (req, body, lang): (&HttpRequest, Bytes, Lang),
    id: String,
    act: Act,
) -> Result<HttpResponse, ApiError> {
    plausible(&id, "request")?;
    let (sent, author) = (body.clone(), author_of(client));
    writes::change(state, client, req, &body, "", move |conn, change| {
        let scope = Scope::Partner(change.scope().clone());
        let request = domain::find_for_change(conn, &scope, &id)?;
        let (now, settings) = (change.now, &change.settings);
        let status = match act {
            Act::Reply => {
                let reply: ReplyBody = writes::read_body(&sent, lang)?;
                let form = MessageForm {
                    body: reply.body.unwrap_or_default(),
                };
                let text = form.parse().map_err(|errors| refused_all(&errors, lang))?;
                domain::add_message(conn, now, settings, &request, &author, &text)?;
                StatusCode::CREATED
            }
            Act::Status => {
                let wanted: StatusBody = writes::read_body(&sent, lang)?;
                let code = wanted.status.unwrap_or_default();
                let status = Status::parse(code.trim())
                    .ok_or_else(|| refused("status", "field-choose", lang))?;
                domain::set_status(conn, now, settings, &request, &author, status)?;
                StatusCode::OK
            }
        };
        let answer = with_messages(conn, &scope, &id)?;
        Ok((status, writes::json_of(answer)?))
    })
    .await
}

/// Replies to a request; the customer's side is emailed.
#[utoipa::path(
    post,
    path = "/api/v1/partner/requests/{request_id}/messages",
    tag = "requests",
    request_body = ReplyBody,
    params(
        ("request_id" = String, Path, description = "The request's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`) without replying twice"),
    ),
    responses(
        (status = 201, description = "Replied; the request with its messages", body = RequestBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `requests:write`, or its creator's role may not handle service requests", body = super::openapi::ErrorBody),
        (status = 404, description = "No such request of the organisation's customers (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered; send it again", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Faulty fields, or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["requests:write"])),
)]
pub async fn reply(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let asked = (&req, body, lang);
    on_request(&state, &client, asked, path.into_inner(), Act::Reply).await
}

/// Changes a request's status; the customer's side is emailed when it changes.
#[utoipa::path(
    put,
    path = "/api/v1/partner/requests/{request_id}/status",
    tag = "requests",
    request_body = StatusBody,
    params(
        ("request_id" = String, Path, description = "The request's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "The request with its status (the same status again changes nothing)", body = RequestBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `requests:write`, or its creator's role may not handle service requests", body = super::openapi::ErrorBody),
        (status = 404, description = "No such request of the organisation's customers (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered; send it again", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Not a status, or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["requests:write"])),
)]
pub async fn change_status(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let asked = (&req, body, lang);
    on_request(&state, &client, asked, path.into_inner(), Act::Status).await
}
