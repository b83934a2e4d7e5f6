//! The operator's JSON API for licence usage
//! (`/api/v1/customers/{id}/licences`, `…/licences/{id}/usage`): a customer's
//! licences with their seats in use, and the platform's report of them.

use crate::ids::CustomerId;
use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::usage::{self, LicenceUsage, SEATS_USED_MAX, UsageError};
use crate::auth::api_tokens::ApiClient;
use crate::db;
use crate::state::AppState;
use crate::web::json_api::{ApiError, ErrorBody};
use crate::web::operator_api::{Fields, customer_item_and_object, plausible};

impl From<UsageError> for ApiError {
    fn from(error: UsageError) -> Self {
        match error {
            UsageError::CustomerNotFound => ApiError::NotFound("customer"),
            UsageError::LicenceNotFound => ApiError::NotFound("licence"),
            UsageError::Database(e) => ApiError::Internal(e.into()),
        }
    }
}

/// A customer's licences.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceUsageList {
    pub customer_id: String,
    pub licences: Vec<LicenceUsageBody>,
}

/// A licence with the seats in use last reported.
#[derive(Debug, Serialize, ToSchema)]
pub struct LicenceUsageBody {
    pub id: String,
    pub product: String,
    pub quantity: i32,
    /// `active`, `trial` or `expired`.
    pub status: String,
    /// The licence's last day.
    #[schema(format = Date)]
    pub expires_on: Option<String>,
    /// Null until reported, or once reported as no longer known.
    pub seats_used: Option<i32>,
}

/// The seats in use now, replacing the previous report.
#[derive(Debug, ToSchema)]
pub struct UsageReportRequest {
    /// Required; null when no longer known.
    #[schema(required = true, minimum = 0, maximum = 1_000_000, example = 57)]
    pub seats_used: Option<i32>,
}

/// A count of seats in use: an integer from 0 to [`SEATS_USED_MAX`], or null
/// for "not known"; the field must be there. `None` when refused.
fn seats(
    fields: &mut Fields,
    body: &Map<String, Value>,
    field: &'static str,
) -> Option<Option<i32>> {
    match body.get(field) {
        None => {
            fields.refuse(field, "required");
            None
        }
        Some(Value::Null) => Some(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(seats) if (0..=i64::from(SEATS_USED_MAX)).contains(&seats) => {
                i32::try_from(seats).ok().map(Some)
            }
            Some(_) => {
                fields.refuse(field, "out_of_range");
                None
            }
            None if n.as_u64().is_some() => {
                fields.refuse(field, "out_of_range");
                None
            }
            None => {
                fields.refuse(field, "must_be_an_integer");
                None
            }
        },
        Some(_) => {
            fields.refuse(field, "must_be_an_integer");
            None
        }
    }
}

fn licence_body(licence: LicenceUsage) -> LicenceUsageBody {
    LicenceUsageBody {
        id: licence.id,
        product: licence.product,
        quantity: licence.quantity,
        status: licence.status,
        expires_on: licence.expires_on.map(|day| day.to_string()),
        seats_used: licence.seats_used,
    }
}

/// Reads a customer's licences with the seats in use last reported.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{customer_id}/licences",
    tag = "operator",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's licences", body = LicenceUsageList),
        (status = 400, description = "A NUL byte or invalid UTF-8 in the path or query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live operator token", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("operator_token" = [])),
)]
pub async fn licences(
    state: web::Data<AppState>,
    _client: ApiClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = CustomerId::new(path.into_inner());
    plausible(&customer_id, "customer")?;
    let shown = customer_id.clone();
    let licences = db::run(&state.pool, move |conn| {
        usage::licences_of(conn, &customer_id).map_err(ApiError::from)
    })
    .await?;
    Ok(HttpResponse::Ok().json(LicenceUsageList {
        customer_id: shown.into_string(),
        licences: licences.into_iter().map(licence_body).collect(),
    }))
}

/// Reports the seats in use on a customer's licence, replacing the previous
/// report. An active licence with more seats in use than its quantity marks
/// its customer as over its licences.
#[utoipa::path(
    put,
    path = "/api/v1/customers/{customer_id}/licences/{licence_id}/usage",
    tag = "operator",
    request_body = UsageReportRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("licence_id" = String, Path, description = "The licence's id"),
    ),
    responses(
        (status = 200, description = "The licence as stored", body = LicenceUsageBody),
        (status = 400, description = "The body is not a JSON object (`invalid_json`), or a NUL byte or invalid UTF-8 in it, the path or the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live operator token", body = ErrorBody),
        (status = 404, description = "No such customer, or no such licence of the customer", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "`seats_used` missing, not an integer, or out of range", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("operator_token" = [])),
)]
pub async fn report_usage(
    state: web::Data<AppState>,
    _client: ApiClient,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (customer_id, licence_id, body) =
        customer_item_and_object(path.into_inner(), "licence", &body)?;
    let mut fields = Fields::default();
    let seats_used = seats(&mut fields, &body, "seats_used");
    fields.done()?;
    let seats_used = seats_used.ok_or(ApiError::BadJson)?;
    let licence = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            usage::report(conn, &customer_id, &licence_id, seats_used)
        })
        .map_err(ApiError::from)
    })
    .await?;
    Ok(HttpResponse::Ok().json(licence_body(licence)))
}
