//! `/api/v1/partner/customers/{customer_id}/reservations`: the customer's
//! reservations (the partner's and the customer's own purchases), and renewing,
//! exchanging and cancelling one with the reservations page's functions
//! (`commerce::reservations`); a reservation that has ended answers 409
//! `reservation_not_active`.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::keyset::day;
use super::orders::{commerce_error, customer_in};
use super::writes::{self, Outcome};
use crate::auth::partner_tokens::PartnerClient;
use crate::auth::scope::Owned;
use crate::commerce::reservations::{self as domain, exchange_typed, find_active};
use crate::customers::Customer;
use crate::db::schema::{reservations, subscriptions};
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::json_api::ApiError;
use crate::web::operator_api::plausible;

/// A reservation of the customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationBody {
    pub id: String,
    pub name: String,
    pub offer_id: String,
    pub quantity: i32,
    /// The usage subscription it applies to.
    pub subscription_id: String,
    pub subscription_name: String,
    /// `active`, `cancelled` or `exchanged`.
    pub state: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    /// `partner`, or `customer` for the customer's own purchase.
    pub bought_by: String,
}

/// The customer's reservations, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReservationList {
    pub reservations: Vec<ReservationBody>,
}

/// What an exchange ended and what replaced it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeBody {
    /// The reservation exchanged, now `exchanged`.
    pub exchanged: ReservationBody,
    /// The new reservation, from today.
    pub reservation: ReservationBody,
}

type Row = (
    (String, String, String, i32, String, String),
    (String, NaiveDate, NaiveDate, String),
);

/// The customer's reservations, newest first, or the one `only`; the caller
/// has scoped `customer_id`.
fn reservations_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    only: Option<&str>,
) -> QueryResult<Vec<ReservationBody>> {
    let mut query = reservations::table
        .inner_join(subscriptions::table)
        .filter(reservations::customer_id.eq(customer_id))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(reservations::id.eq(id.to_owned()));
    }
    let rows: Vec<Row> = query
        .order((reservations::created_at.desc(), reservations::id.desc()))
        .select((
            (
                reservations::id,
                reservations::name,
                reservations::offer_id,
                reservations::quantity,
                reservations::subscription_id,
                subscriptions::name,
            ),
            (
                reservations::state,
                reservations::starts_on,
                reservations::ends_on,
                reservations::bought_by,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |((id, name, offer_id, quantity, subscription_id, subscription_name), rest)| {
                let (state, starts_on, ends_on, bought_by) = rest;
                ReservationBody {
                    id,
                    name,
                    offer_id,
                    quantity,
                    subscription_id,
                    subscription_name,
                    state,
                    starts_on: day(starts_on),
                    ends_on: day(ends_on),
                    bought_by,
                }
            },
        )
        .collect())
}

/// The reservation `id` of the customer, as it is now.
fn reservation(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    id: &str,
) -> Result<ReservationBody, ApiError> {
    reservations_of(conn, customer_id, Some(id))?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound("reservation"))
}

const NOT_FOUND: &str = "No such customer of the organisation, or no such reservation of it (another organisation's answer the same)";

/// Lists a customer's reservations.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}/reservations",
    tag = "orders",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's reservations, newest first", body = ReservationList),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = path.into_inner();
    let scope = client.scope().clone();
    let reservations = db::run(&state.pool, move |conn| {
        let customer = customer_in(conn, &scope, &customer_id)?;
        Ok::<_, ApiError>(reservations_of(conn, &customer.id, None)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReservationList { reservations }))
}

/// A body with nothing to say: empty, or a JSON object without fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

/// Runs `act` on the active reservation the path names, once the customer and
/// the reservation are found in the token's organisation (404, then 409 for
/// one that has ended), and only then reads the body.
async fn change<A>(
    state: &AppState,
    client: &PartnerClient,
    (req, body, lang): (&HttpRequest, Bytes, Lang),
    (customer_id, reservation_id): (String, String),
    act: A,
) -> Result<HttpResponse, ApiError>
where
    A: Fn(&mut DbConnection, &PartnerChange, &Owned<Customer>, &str) -> Outcome
        + Send
        + Sync
        + 'static,
{
    writes::change(state, client, req, &body, "", move |conn, change| {
        let customer = customer_in(conn, change.scope(), &customer_id)?;
        plausible(&reservation_id, "reservation")?;
        find_active(conn, change.scope(), &customer, &reservation_id)
            .map_err(|e| commerce_error(e, lang))?;
        act(conn, change, &customer, &reservation_id)
    })
    .await
}

/// An empty body, or a JSON object without fields.
fn nothing(body: &[u8], lang: Lang) -> Result<(), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    writes::read_body::<NoFields>(body, lang).map(|_| ())
}

/// The reservation as it is after the change.
fn done(conn: &mut DbConnection, customer: &Owned<Customer>, id: &str) -> Outcome {
    let body = reservation(conn, &customer.id, id)?;
    Ok((StatusCode::OK, writes::json_of(body)?))
}

/// Renews an active reservation for its offer's term from its current end,
/// with a renewal order billed like the first.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/reservations/{reservation_id}/renew",
    tag = "orders",
    request_body(content = Option<NoFields>, description = "Nothing, or `{}`"),
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("reservation_id" = String, Path, description = "The reservation's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`) without renewing twice"),
    ),
    responses(
        (status = 200, description = "Renewed; the reservation with its new end", body = ReservationBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = NOT_FOUND, body = super::openapi::ErrorBody),
        (status = 409, description = "`reservation_not_active`: it was cancelled or exchanged; or another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "A field sent, or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:write"])),
)]
pub async fn renew(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let sent = body.clone();
    let act = move |conn: &mut DbConnection,
                    change: &PartnerChange,
                    customer: &Owned<Customer>,
                    id: &str| {
        nothing(&sent, lang)?;
        domain::renew(conn, change, customer, id).map_err(|e| commerce_error(e, lang))?;
        done(conn, customer, id)
    };
    change(&state, &client, (&req, body, lang), path.into_inner(), act).await
}

/// Cancels an active reservation today.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/reservations/{reservation_id}/cancel",
    tag = "orders",
    request_body(content = Option<NoFields>, description = "Nothing, or `{}`"),
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("reservation_id" = String, Path, description = "The reservation's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`)"),
    ),
    responses(
        (status = 200, description = "Cancelled; the reservation, now `cancelled`", body = ReservationBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = NOT_FOUND, body = super::openapi::ErrorBody),
        (status = 409, description = "`reservation_not_active`: it was cancelled or exchanged already; or another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "A field sent, or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:write"])),
)]
pub async fn cancel(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let sent = body.clone();
    let act = move |conn: &mut DbConnection,
                    change: &PartnerChange,
                    customer: &Owned<Customer>,
                    id: &str| {
        nothing(&sent, lang)?;
        domain::cancel(conn, change, customer, id).map_err(|e| commerce_error(e, lang))?;
        done(conn, customer, id)
    };
    change(&state, &client, (&req, body, lang), path.into_inner(), act).await
}

/// The reservation offer to exchange for.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ExchangeRequest {
    /// An active reservation offer of the catalogue.
    pub offer_id: Option<String>,
    /// From 1 to 100000.
    pub quantity: Option<i32>,
}

/// Exchanges an active reservation for another reservation offer on the same
/// subscription, from today, with an exchange order.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/reservations/{reservation_id}/exchange",
    tag = "orders",
    request_body = ExchangeRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("reservation_id" = String, Path, description = "The reservation's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`) without exchanging twice"),
    ),
    responses(
        (status = 200, description = "Exchanged: the reservation ended and the new one", body = ExchangeBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = NOT_FOUND, body = super::openapi::ErrorBody),
        (status = 409, description = "`reservation_not_active`: it was cancelled or exchanged; or another request with the same key is being answered", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Faulty fields (not an active reservation offer, a quantity out of range), or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:write"])),
)]
pub async fn exchange(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let sent = body.clone();
    let act = move |conn: &mut DbConnection,
                    change: &PartnerChange,
                    customer: &Owned<Customer>,
                    id: &str| {
        let request: ExchangeRequest = writes::read_body(&sent, lang)?;
        let offer_id = request.offer_id.unwrap_or_default();
        let quantity = request.quantity.map(|q| q.to_string()).unwrap_or_default();
        let (_, _, placed) = exchange_typed(conn, change, customer, id, offer_id.trim(), &quantity)
            .map_err(|e| commerce_error(e, lang))?;
        let answer = ExchangeBody {
            exchanged: reservation(conn, &customer.id, id)?,
            reservation: reservation(conn, &customer.id, &placed.item_id)?,
        };
        Ok((StatusCode::OK, writes::json_of(answer)?))
    };
    change(&state, &client, (&req, body, lang), path.into_inner(), act).await
}
