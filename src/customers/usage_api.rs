//! The operator's JSON API for licence usage
//! (`/api/v1/customers/{id}/licences`, `…/licences/{id}/usage`): a customer's
//! licences with their seats in use, and the platform's report of them.

use crate::ids::CustomerId;
use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};
use serde_json::{Map, Value, json};

use super::usage::{self, LicenceUsage, SEATS_USED_MAX, UsageError};
use crate::auth::api_tokens::ApiClient;
use crate::db;
use crate::state::AppState;
use crate::web::json_api::ApiError;
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

fn licence_json(licence: &LicenceUsage) -> Value {
    json!({
        "id": licence.id,
        "product": licence.product,
        "quantity": licence.quantity,
        "status": licence.status,
        "expires_on": licence.expires_on.map(|day| day.to_string()),
        "seats_used": licence.seats_used,
    })
}

/// `GET /api/v1/customers/{customer_id}/licences`
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
    Ok(HttpResponse::Ok().json(json!({
        "customer_id": shown,
        "licences": licences.iter().map(licence_json).collect::<Vec<_>>(),
    })))
}

/// `PUT /api/v1/customers/{customer_id}/licences/{licence_id}/usage`
/// `{"seats_used": 0..=1000000 | null}`: the seats in use now, replacing the
/// previous report; null when no longer known.
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
    Ok(HttpResponse::Ok().json(licence_json(&licence)))
}
