//! `/api/v1/partner/customers/{customer_id}/orders` and `/subscriptions`: a
//! customer's order history (the partner's orders and the customer's own
//! purchases, newest first, paged by cursor), placing an order with the order
//! page's rules (`commerce::orders::order_as_partner`), and the subscriptions
//! orders became.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::keyset::{self, Keyset, after, day, rfc3339};
use super::writes::{self, refused_as};
use crate::auth::partner_tokens::PartnerClient;
use crate::auth::scope::PartnerScope;
use crate::commerce::CommerceError;
use crate::commerce::orders::{OrderForm, order_as_partner};
use crate::db::schema::{logins, memberships, orders, partner_organisations};
use crate::db::schema::{subscription_owners, subscriptions};
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::state::AppState;
use crate::tenancy::kinds::OfferKind;
use crate::web::json_api::ApiError;
use crate::web::operator_api::plausible;

/// A commerce refusal as the API answers it; field problems in `lang`.
pub(super) fn commerce_error(error: CommerceError, lang: Lang) -> ApiError {
    match error {
        CommerceError::NotFound => ApiError::NotFound("reservation"),
        CommerceError::NotActive => ApiError::Conflict("reservation_not_active"),
        CommerceError::NotPermitted => ApiError::Conflict("not_permitted"),
        CommerceError::Malformed => ApiError::BadJson,
        CommerceError::Field { field, message_key } => {
            let problem = if message_key == "order-quantity-invalid" {
                "out_of_range"
            } else {
                "invalid"
            };
            refused_as(field, problem, message_key, lang)
        }
        CommerceError::Customer(error) => ApiError::from(error),
    }
}

/// The customer the path names, within the token's organisation.
pub(super) fn customer_in(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    customer_id: &str,
) -> Result<crate::auth::scope::Owned<crate::customers::Customer>, ApiError> {
    plausible(customer_id, "customer")?;
    Ok(crate::customers::find(
        conn,
        scope,
        &CustomerId::new(customer_id.to_owned()),
    )?)
}

/// What an order is for (an order holds one line).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineBody {
    pub offer_id: String,
    pub offer_name: String,
    /// `usage_subscription`, `term_subscription` or `reservation`.
    pub kind: String,
    pub quantity: i32,
    pub unit_price_cents: i64,
    pub total_cents: i64,
}

/// An order of the customer, placed by the partner or bought by the customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderBody {
    pub id: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// `purchase`, `renewal` or `exchange`.
    pub purpose: String,
    /// `partner` or `customer` (the customer's own purchase).
    pub placed_by: String,
    pub placed_by_name: String,
    /// The partner organisation the order is billed to.
    pub billed_to: String,
    /// ISO 4217.
    pub currency: String,
    pub total_cents: i64,
    pub lines: Vec<OrderLineBody>,
}

/// A page of orders, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub orders: Vec<OrderBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

type OrderRow = (
    (String, NaiveDateTime, String, String, String, String),
    (i32, i64, i64, String, String, String, String),
);

impl OrderBody {
    fn of(row: OrderRow) -> OrderBody {
        let ((id, at, offer_id, offer_name, kind, purpose), rest) = row;
        let (quantity, unit, total, currency, by, by_name, billed_to) = rest;
        OrderBody {
            id,
            created_at: rfc3339(at),
            purpose,
            placed_by: by,
            placed_by_name: by_name,
            billed_to,
            currency,
            total_cents: total,
            lines: vec![OrderLineBody {
                offer_id,
                offer_name,
                kind,
                quantity,
                unit_price_cents: unit,
                total_cents: total,
            }],
        }
    }
}

/// The customer's orders after `cursor`, newest first (one more than
/// `limit`), or the one order `only`; the caller has scoped `customer_id`.
fn orders_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    cursor: Option<&Keyset>,
    limit: i64,
    only: Option<&str>,
) -> QueryResult<Vec<(NaiveDateTime, OrderBody)>> {
    let mut query = orders::table
        .inner_join(partner_organisations::table)
        .filter(orders::customer_id.eq(customer_id))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(orders::id.eq(id.to_owned()));
    }
    let query = after!(query, cursor, orders::created_at, orders::id);
    let rows: Vec<OrderRow> = query
        .order((orders::created_at.desc(), orders::id.desc()))
        .limit(limit + 1)
        .select((
            (
                orders::id,
                orders::created_at,
                orders::offer_id,
                orders::offer_name,
                orders::offer_kind,
                orders::purpose,
            ),
            (
                orders::quantity,
                orders::unit_price_cents,
                orders::total_cents,
                orders::currency,
                orders::placed_by,
                orders::placed_by_name,
                partner_organisations::name,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| (row.0.1, OrderBody::of(row)))
        .collect())
}

const NOT_FOUND: &str =
    "No such customer of the organisation (another organisation's answers the same)";

/// Lists a customer's orders, newest first: the partner's and the customer's own purchases.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}/orders",
    tag = "orders",
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Orders per page, 50 when not given"),
    ),
    responses(
        (status = 200, description = "A page of orders", body = OrderPage),
        (status = 400, description = "A malformed query string", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 404, description = NOT_FOUND, body = super::openapi::ErrorBody),
        (status = 422, description = "A cursor not made by this list, or a limit out of range", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = path.into_inner();
    let scope = client.scope().clone();
    let (cursor, limit) = keyset::paging(&req)?;
    let rows = db::run(&state.pool, move |conn| {
        let customer = customer_in(conn, &scope, &customer_id)?;
        Ok::<_, ApiError>(orders_of(conn, &customer.id, cursor.as_ref(), limit, None)?)
    })
    .await?;
    let (rows, next_cursor) = keyset::page_of(rows, limit, |(at, order)| Keyset {
        at: *at,
        id: order.id.clone(),
    });
    Ok(HttpResponse::Ok().json(OrderPage {
        orders: rows.into_iter().map(|(_, order)| order).collect(),
        next_cursor,
    }))
}

/// An order to place, as the order page's form takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewOrderRequest {
    /// An active offer of the catalogue.
    pub offer_id: Option<String>,
    /// From 1 to 100000.
    #[schema(example = 10)]
    pub quantity: Option<i32>,
    /// For a reservation: the customer's active usage subscription it applies to.
    pub subscription_id: Option<String>,
}

/// Places an order for a customer, as the order page does.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers/{customer_id}/orders",
    tag = "orders",
    request_body = NewOrderRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`) without ordering twice"),
    ),
    responses(
        (status = 201, description = "Placed; the order", body = OrderBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:write`, or its creator's role may not manage customers", body = super::openapi::ErrorBody),
        (status = 404, description = NOT_FOUND, body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered; send it again", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Faulty fields (an unknown or retired offer, a quantity out of range, a reservation without an active usage subscription of the customer), or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:write"])),
)]
pub async fn place(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let customer_id = path.into_inner();
    let sent = body.clone();
    writes::change(&state, &client, &req, &body, "", move |conn, change| {
        let customer = customer_in(conn, change.scope(), &customer_id)?;
        let request: NewOrderRequest = writes::read_body(&sent, lang)?;
        let typed = OrderForm {
            offer_id: request.offer_id.unwrap_or_default().trim().to_owned(),
            quantity: request.quantity.map(|q| q.to_string()).unwrap_or_default(),
            subscription_id: request
                .subscription_id
                .unwrap_or_default()
                .trim()
                .to_owned(),
            ..OrderForm::default()
        };
        let quantity = typed.quantity().ok();
        let (placed, _) = order_as_partner(conn, change, &customer.id, &typed, quantity)
            .map_err(|e| commerce_error(e, lang))?;
        let order = orders_of(conn, &customer.id, None, 1, Some(&placed.order_id))?
            .into_iter()
            .next()
            .map(|(_, order)| order)
            .ok_or(ApiError::NotFound("order"))?;
        Ok((StatusCode::CREATED, writes::json_of(order)?))
    })
    .await
}

/// A subscription of the customer, with the people holding its Owner role.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionBody {
    pub id: String,
    pub name: String,
    /// `usage_subscription` or `term_subscription`.
    pub kind: String,
    pub quantity: i32,
    /// `active` or `cancelled`.
    pub state: String,
    /// `YYYY-MM-DD`.
    pub started_on: String,
    /// `YYYY-MM-DD`; null for a usage subscription, which runs month by month.
    pub ends_on: Option<String>,
    pub owners: Vec<OwnerBody>,
}

/// A customer's person holding a subscription's Owner role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnerBody {
    pub membership_id: String,
    pub name: String,
}

/// The customer's subscriptions, as its subscriptions page lists them.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionList {
    pub subscriptions: Vec<SubscriptionBody>,
}

type SubscriptionRow = (
    String,
    String,
    String,
    i32,
    String,
    NaiveDate,
    Option<NaiveDate>,
);

/// The customer's subscriptions, newest first, with their owners (as
/// `commerce::subscriptions::of_customer` reads them for the page).
fn subscriptions_of(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Vec<SubscriptionBody>> {
    let rows: Vec<SubscriptionRow> = subscriptions::table
        .filter(subscriptions::customer_id.eq(customer_id))
        .order((subscriptions::created_at.desc(), subscriptions::id.asc()))
        .select((
            subscriptions::id,
            subscriptions::name,
            subscriptions::kind,
            subscriptions::quantity,
            subscriptions::state,
            subscriptions::started_on,
            subscriptions::ends_on,
        ))
        .load(conn)?;
    let owners: Vec<(String, String, String)> = subscription_owners::table
        .inner_join(subscriptions::table)
        .inner_join(memberships::table.inner_join(logins::table))
        .filter(subscriptions::customer_id.eq(customer_id))
        .filter(memberships::customer_id.eq(customer_id))
        .order(logins::full_name.asc())
        .select((
            subscription_owners::subscription_id,
            memberships::id,
            logins::full_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, kind, quantity, state, started_on, ends_on)| SubscriptionBody {
                owners: owners
                    .iter()
                    .filter(|(of, _, _)| *of == id)
                    .map(|(_, membership_id, name)| OwnerBody {
                        membership_id: membership_id.clone(),
                        name: name.clone(),
                    })
                    .collect(),
                id,
                name,
                kind: OfferKind::parse(&kind)
                    .unwrap_or(OfferKind::UsageSubscription)
                    .as_str()
                    .to_owned(),
                quantity,
                state,
                started_on: day(started_on),
                ends_on: ends_on.map(day),
            },
        )
        .collect())
}

/// Lists a customer's subscriptions.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}/subscriptions",
    tag = "orders",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's subscriptions, newest first", body = SubscriptionList),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `orders:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 404, description = NOT_FOUND, body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["orders:read"])),
)]
pub async fn subscriptions(
    state: web::Data<AppState>,
    client: PartnerClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = path.into_inner();
    let scope = client.scope().clone();
    let subscriptions = db::run(&state.pool, move |conn| {
        let customer = customer_in(conn, &scope, &customer_id)?;
        Ok::<_, ApiError>(subscriptions_of(conn, &customer.id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(SubscriptionList { subscriptions }))
}
