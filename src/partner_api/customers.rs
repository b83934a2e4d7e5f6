//! `/api/v1/partner/customers`: the organisation's customers, listed with the
//! web list's search, filters and sort and paged by cursor; read one; create
//! one with the creation steps' rules and the administrator's invitation.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::create::new_customer;
use super::cursor::{Cursor, LastRow};
use super::idempotency::{self, Answer, KEY_RACED};
use crate::auth::partner_tokens::PartnerClient;
use crate::auth::scope::PartnerScope;
use crate::customers::list::{RawView, View, sorted};
use crate::customers::{Customer, CustomerError};
use crate::db::schema::{customer_accounts, customer_group_members, customer_groups};
use crate::db::{self, DbConnection};
use crate::i18n::Lang;
use crate::ids::CustomerId;
use crate::state::AppState;
use crate::web::json_api::ApiError;
use crate::web::operator_api::plausible;

/// The most customers one page holds, and how many when not told.
pub const LIMIT_MAX: i64 = 200;
const LIMIT_DEFAULT: i64 = 50;

/// Whether creating failed on a unique value a concurrent request wrote first
/// (its administrator's login, its idempotency key): rolled back, and worth
/// running again, which then sees what the other request did.
fn raced(error: &CustomerError) -> bool {
    use crate::invitations::OfferError;
    match error {
        CustomerError::Database(error) | CustomerError::Offer(OfferError::Database(error)) => {
            crate::db::is_taken(error)
        }
        _ => false,
    }
}

impl From<CustomerError> for ApiError {
    fn from(error: CustomerError) -> Self {
        match error {
            CustomerError::NotFound => ApiError::NotFound("customer"),
            other => ApiError::Internal(other.into()),
        }
    }
}

/// A customer's postal address.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AddressBody {
    pub line1: String,
    pub line2: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
}

/// The customer's contact: its administrator as named at creation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ContactBody {
    pub name: String,
    pub email: String,
    pub phone: String,
}

/// A customer of the organisation.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerBody {
    pub id: String,
    pub name: String,
    pub primary_domain: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub data_region: String,
    pub time_zone: String,
    pub reference_number: String,
    /// `creating` (until its administrator activates), `active` or `suspended`.
    pub state: String,
    /// `trial`, `monthly_usage` or `term_subscription`.
    pub billing_type: String,
    /// The term in force today: `monthly` or `annual`.
    pub term: String,
    /// A trial's last day.
    #[schema(format = Date)]
    pub trial_ends_on: Option<String>,
    pub managed_order: bool,
    /// `healthy`, `advisory` or `incident`.
    pub health: String,
    /// Whether the customer lets the partner open its console.
    pub partner_assistance: bool,
    /// The ids of the organisation's groups the customer is in.
    pub group_ids: Vec<String>,
    pub address: AddressBody,
    pub contact: ContactBody,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl CustomerBody {
    fn of(customer: &Customer, today: NaiveDate, group_ids: Vec<String>) -> CustomerBody {
        CustomerBody {
            id: customer.id.as_str().to_owned(),
            name: customer.name.clone(),
            primary_domain: customer.primary_domain.clone(),
            country: customer.country.clone(),
            data_region: customer.data_region.clone(),
            time_zone: customer.time_zone.clone(),
            reference_number: customer.reference_number.clone(),
            state: customer.state().as_str().to_owned(),
            billing_type: customer.billing().as_str().to_owned(),
            term: customer.term_on(today).as_str().to_owned(),
            trial_ends_on: customer
                .trial_ends_on
                .map(|d| d.format("%Y-%m-%d").to_string()),
            managed_order: customer.managed_order,
            health: customer.health().as_str().to_owned(),
            partner_assistance: customer.partner_assistance,
            group_ids,
            address: AddressBody {
                line1: customer.address_line1.clone(),
                line2: customer.address_line2.clone(),
                postal_code: customer.postal_code.clone(),
                city: customer.city.clone(),
                region: customer.region.clone(),
            },
            contact: ContactBody {
                name: customer.contact_name.clone(),
                email: customer.contact_email.clone(),
                phone: customer.contact_phone.clone(),
            },
            created_at: customer
                .created_at
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        }
    }
}

/// The ids of the organisation's groups each of `customers` is in (by group
/// name), read in one query.
fn group_ids_of(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    customers: &[&str],
) -> QueryResult<HashMap<String, Vec<String>>> {
    let rows: Vec<(String, String)> = customer_group_members::table
        .inner_join(customer_groups::table)
        .filter(customer_groups::partner_id.eq(scope.partner_id()))
        .filter(customer_group_members::customer_id.eq_any(customers))
        .order((customer_groups::name_key.asc(), customer_groups::id.asc()))
        .select((
            customer_group_members::customer_id,
            customer_group_members::group_id,
        ))
        .load(conn)?;
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    for (customer, group) in rows {
        groups.entry(customer).or_default().push(group);
    }
    Ok(groups)
}

/// One customer the caller found in `scope`, as the API answers it.
pub(super) fn body_of(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    customer: &Customer,
    today: NaiveDate,
) -> QueryResult<CustomerBody> {
    let mut groups = group_ids_of(conn, scope, &[customer.id.as_str()])?;
    let group_ids = groups.remove(customer.id.as_str()).unwrap_or_default();
    Ok(CustomerBody::of(customer, today, group_ids))
}

/// One page of customers, and where the next one starts.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CustomerPage {
    pub customers: Vec<CustomerBody>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Paging of the list, beside the web list's filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Paging {
    cursor: Option<String>,
    limit: Option<String>,
}

/// A page of `limit` customers of the view after `cursor`, and one more to tell
/// whether another page follows.
fn page_after(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    cursor: Option<&Cursor>,
    limit: i64,
) -> QueryResult<Vec<(Customer, String)>> {
    let view = &crate::customers::list::with_group_rule(conn, scope, view)?;
    let mut query = sorted(conn, scope, view);
    if let Some(cursor) = cursor {
        query = query.filter(cursor.condition(view));
    }
    query
        .select((Customer::as_select(), customer_accounts::name_key))
        .limit(limit + 1)
        .load(conn)
}

/// The view, cursor and limit a list request asks for.
fn list_request(
    req: &HttpRequest,
    now: chrono::NaiveDateTime,
) -> Result<(View, Option<Cursor>, i64), ApiError> {
    let raw =
        web::Query::<RawView>::from_query(req.query_string()).map_err(|_| ApiError::Malformed)?;
    let paging =
        web::Query::<Paging>::from_query(req.query_string()).map_err(|_| ApiError::Malformed)?;
    let unknown = raw.unknown_values();
    if !unknown.is_empty() {
        let problems = unknown.into_iter().map(|f| (f.to_owned(), "invalid"));
        return Err(ApiError::Invalid(problems.collect()));
    }
    let view = View::from(raw.into_inner()).at(now);
    let limit = match paging.limit.as_deref().map(str::trim) {
        None | Some("") => LIMIT_DEFAULT,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=LIMIT_MAX).contains(n))
            .ok_or_else(|| ApiError::field("limit", "out_of_range"))?,
    };
    let cursor = match paging.cursor.as_deref() {
        None | Some("") => None,
        Some(text) => {
            Some(Cursor::decode(text, &view).ok_or_else(|| ApiError::field("cursor", "invalid"))?)
        }
    };
    Ok((view, cursor, limit))
}

/// Lists the organisation's customers.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers",
    tag = "customers",
    params(
        ("q" = Option<String>, Query, description = "Text in the name or domain (at most 100 characters are used)"),
        ("state" = Option<String>, Query, description = "`creating`, `active` or `suspended`"),
        ("billing" = Option<String>, Query, description = "`trial`, `monthly_usage` or `term_subscription`"),
        ("health" = Option<String>, Query, description = "`healthy`, `advisory` or `incident`"),
        ("licence" = Option<String>, Query, description = "Customers with a licence in this status: `active`, `trial` or `expired`"),
        ("group" = Option<String>, Query, description = "The id of one of the organisation's customer groups"),
        ("mine" = Option<String>, Query, description = "`1`: customers with an unexpired licence supplied by the organisation"),
        ("trial_ends" = Option<String>, Query, description = "`YYYY-MM-DD..YYYY-MM-DD`: trials ending between these days"),
        ("trial" = Option<String>, Query, description = "`ended`: trials whose last day has passed"),
        ("licence_expires" = Option<String>, Query, description = "`YYYY-MM-DD..YYYY-MM-DD`: an active licence expiring between these days"),
        ("monitors" = Option<String>, Query, description = "`down`: customers with a monitor down now"),
        ("seats" = Option<String>, Query, description = "`over`: an active licence using more seats than it has"),
        ("sort" = Option<String>, Query, description = "`name` (default), `state`, `health` or `created`"),
        ("dir" = Option<String>, Query, description = "`asc` or `desc`; health and created sort descending by default"),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page, in the same sort"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Customers per page, 50 when not given"),
    ),
    responses(
        (status = 200, description = "A page of customers", body = CustomerPage),
        (status = 400, description = "A malformed query string", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 422, description = "A filter or sort with a value the list does not know (each named in `fields`), a cursor of another sort, or a limit out of range", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let (view, cursor, limit) = list_request(&req, now)?;
    let scope = client.scope().clone();
    let wanted = view.clone();
    let (mut rows, mut groups) = db::run(&state.pool, move |conn| {
        let rows = page_after(conn, &scope, &wanted, cursor.as_ref(), limit)?;
        let ids: Vec<&str> = rows.iter().map(|(c, _)| c.id.as_str()).collect();
        let groups = group_ids_of(conn, &scope, &ids)?;
        Ok::<_, ApiError>((rows, groups))
    })
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = rows.last().filter(|_| more).map(|(customer, name_key)| {
        Cursor::after(
            &view,
            LastRow {
                name_key,
                state: customer.state().as_str(),
                health_level: customer.health_level,
                created_at: customer.created_at,
                id: customer.id.as_str(),
            },
        )
        .encode()
    });
    let today = now.date();
    Ok(HttpResponse::Ok().json(CustomerPage {
        customers: rows
            .iter()
            .map(|(c, _)| {
                let group_ids = groups.remove(c.id.as_str()).unwrap_or_default();
                CustomerBody::of(c, today, group_ids)
            })
            .collect(),
        next_cursor,
    }))
}

/// Reads one of the organisation's customers.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}",
    tag = "customers",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer", body = CustomerBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation (another organisation's answers the same)", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:read"])),
)]
pub async fn read(
    state: web::Data<AppState>,
    client: PartnerClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = CustomerId::new(path.into_inner());
    plausible(&customer_id, "customer")?;
    let scope = client.scope().clone();
    let today = state.clock.now().date();
    let customer = db::run(&state.pool, move |conn| {
        let customer = crate::customers::find(conn, &scope, &customer_id)?;
        Ok::<_, ApiError>(body_of(conn, &scope, &customer, today)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(customer))
}

/// Creates a customer: its account, first site and administrator, whom an
/// invitation email asks to activate.
#[utoipa::path(
    post,
    path = "/api/v1/partner/customers",
    tag = "customers",
    request_body = super::create::NewCustomerRequest,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "Up to 255 characters. The same key and body within 24 hours answer the first answer again (with `Idempotent-Replayed: true`) without creating another customer"),
    ),
    responses(
        (status = 201, description = "Created; `Location` names it", body = CustomerBody),
        (status = 400, description = "The body is not a JSON object", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:write`, or its creator's role may not create customers", body = super::openapi::ErrorBody),
        (status = 409, description = "Another request with the same key is being answered; send it again", body = super::openapi::ErrorBody),
        (status = 413, description = "The body is too large", body = super::openapi::ErrorBody),
        (status = 422, description = "Faulty fields, each named with a problem and a message; or an `Idempotency-Key` used with another request", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:write"])),
)]
pub async fn create(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let key = idempotency::key_of(&req, &body)?;
    // A request with the same key (or administrator) committed first: the
    // second run finds its answer.
    let once = || create_once(&state, client.clone(), key.clone(), body.clone(), lang);
    let mut answer = once().await;
    if matches!(answer, Err(ApiError::Conflict(KEY_RACED))) {
        answer = once().await;
    }
    let answer = answer?;
    state.outbox_wake.notify_one();
    state.webhooks_wake.notify_one();
    Ok(respond(answer))
}

/// Creates the customer in one write transaction, unless the key was answered.
async fn create_once(
    state: &AppState,
    client: PartnerClient,
    key: Option<idempotency::Key>,
    body: Bytes,
    lang: Lang,
) -> Result<Answer, ApiError> {
    let now = state.clock.now();
    let settings = state.settings.clone();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            idempotency::once(conn, now, &client.token_id, key.as_ref(), |conn| {
                let new = new_customer(&body, lang, now.date())?;
                let scope = client.scope();
                let id = crate::customers::create::create(
                    conn,
                    &settings,
                    now,
                    scope.partner_id(),
                    &new,
                    client.actor(),
                )
                .map_err(|e| {
                    if raced(&e) {
                        ApiError::Conflict(KEY_RACED)
                    } else {
                        ApiError::from(e)
                    }
                })?;
                let customer = crate::customers::find(conn, scope, &CustomerId::new(id))?;
                let created = body_of(conn, scope, &customer, now.date())?;
                let json =
                    serde_json::to_value(created).map_err(|e| ApiError::Internal(e.into()))?;
                Ok((StatusCode::CREATED, json))
            })
        })
    })
    .await
}

/// The answer, first given or given again.
fn respond(answer: Answer) -> HttpResponse {
    let mut response = HttpResponse::build(answer.status);
    if answer.status == StatusCode::CREATED
        && let Some(id) = answer.body.get("id").and_then(|id| id.as_str())
    {
        response.insert_header((LOCATION, format!("/api/v1/partner/customers/{id}")));
    }
    if answer.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.json(answer.body)
}
