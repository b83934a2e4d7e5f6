//! The JSON API (`/api/v1`) through which the instance operator records service
//! health and licence usage. Authenticated by an operator token (`Authorization: Bearer …`), never by
//! a session, so it needs no CSRF token; answers are JSON, errors name the field.

use crate::ids::CustomerId;
use actix_web::dev::ServiceRequest;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde_json::{Map, Value, json};

use super::{HealthError, NAME_MAX, NewIncident, NewUpdate, Recorder, TEXT_MAX, TITLE_MAX};
use crate::accounts::FieldError;
use crate::auth::api_tokens::{ApiClient, operator_of};
use crate::customers::Health;
use crate::customers::usage::{self, LicenceUsage, SEATS_USED_MAX, UsageError};
use crate::db;
use crate::state::AppState;
use crate::web::json_api;
pub use crate::web::json_api::ApiError;
use crate::web::text::{line, paragraphs};

impl From<HealthError> for ApiError {
    fn from(error: HealthError) -> Self {
        match error {
            HealthError::CustomerNotFound => ApiError::NotFound("customer"),
            HealthError::IncidentNotFound => ApiError::NotFound("incident"),
            HealthError::ServiceNotFound => ApiError::field("service", "unknown"),
            HealthError::NameTaken => ApiError::field("name", "taken"),
            HealthError::AlreadyResolved => ApiError::Conflict("already_resolved"),
            HealthError::Database(e) => ApiError::Internal(e.into()),
        }
    }
}

impl From<UsageError> for ApiError {
    fn from(error: UsageError) -> Self {
        match error {
            UsageError::CustomerNotFound => ApiError::NotFound("customer"),
            UsageError::LicenceNotFound => ApiError::NotFound("licence"),
            UsageError::Database(e) => ApiError::Internal(e.into()),
        }
    }
}

/// The access check for API routes (called by `routes::enforce`): the bearer
/// token must be a live operator token. Puts the client into the request.
pub async fn authenticate(req: &ServiceRequest) -> Result<(), HttpResponse> {
    json_api::authenticate(req, operator_of).await
}

impl FromRequest for ApiClient {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        json_api::client_of(req)
    }
}

fn recorder(client: &ApiClient) -> Recorder {
    Recorder(format!("Operator · API token “{}”", client.name))
}

/// The body as a JSON object.
fn object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::BadJson),
    }
}

fn problem(error: FieldError) -> &'static str {
    match error {
        FieldError::Required => "required",
        FieldError::TooLong => "too_long",
        FieldError::Invalid => "invalid",
    }
}

/// Collects the problems of every field, so one answer names them all.
#[derive(Default)]
struct Fields(Vec<(&'static str, &'static str)>);

impl Fields {
    fn text(
        &mut self,
        body: &Map<String, Value>,
        field: &'static str,
        parse: impl Fn(&str) -> Result<String, FieldError>,
    ) -> Option<String> {
        let raw = match body.get(field) {
            None | Some(Value::Null) => "",
            Some(Value::String(s)) => s.as_str(),
            Some(_) => {
                self.0.push((field, "must_be_a_string"));
                return None;
            }
        };
        parse(raw)
            .map_err(|e| self.0.push((field, problem(e))))
            .ok()
    }

    fn state(&mut self, body: &Map<String, Value>, required: bool) -> Option<Health> {
        match body.get("state") {
            None | Some(Value::Null) if !required => None,
            None | Some(Value::Null) => {
                self.0.push(("state", "required"));
                None
            }
            Some(Value::String(s)) => match Health::parse(s) {
                Some(h @ (Health::Advisory | Health::Incident)) => Some(h),
                _ => {
                    self.0.push(("state", "invalid"));
                    None
                }
            },
            Some(_) => {
                self.0.push(("state", "must_be_a_string"));
                None
            }
        }
    }

    fn flag(&mut self, body: &Map<String, Value>, field: &'static str) -> bool {
        match body.get(field) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.0.push((field, "must_be_a_boolean"));
                false
            }
        }
    }

    /// A count of seats in use: an integer from 0 to [`SEATS_USED_MAX`], or
    /// null for "not known"; the field must be there. `None` when refused.
    fn seats(&mut self, body: &Map<String, Value>, field: &'static str) -> Option<Option<i32>> {
        match body.get(field) {
            None => {
                self.0.push((field, "required"));
                None
            }
            Some(Value::Null) => Some(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(seats) if (0..=i64::from(SEATS_USED_MAX)).contains(&seats) => {
                    i32::try_from(seats).ok().map(Some)
                }
                Some(_) => {
                    self.0.push((field, "out_of_range"));
                    None
                }
                None if n.as_u64().is_some() => {
                    self.0.push((field, "out_of_range"));
                    None
                }
                None => {
                    self.0.push((field, "must_be_an_integer"));
                    None
                }
            },
            Some(_) => {
                self.0.push((field, "must_be_an_integer"));
                None
            }
        }
    }

    fn done(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(
                self.0
                    .into_iter()
                    .map(|(field, problem)| (field.to_owned(), problem))
                    .collect(),
            ))
        }
    }
}

/// Identifiers in paths: anything but a plausible id is simply missing, and
/// answers 404 like one.
fn plausible(id: &str, resource: &'static str) -> Result<(), ApiError> {
    if !id.is_empty() && id.len() <= 64 {
        Ok(())
    } else {
        Err(ApiError::NotFound(resource))
    }
}

/// `GET /api/v1/customers/{customer_id}/services`
pub async fn services(
    state: web::Data<AppState>,
    _client: ApiClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = CustomerId::new(path.into_inner());
    plausible(&customer_id, "customer")?;
    let body = db::run(&state.pool, move |conn| -> Result<Value, ApiError> {
        use diesel::prelude::*;
        let level: i32 = crate::db::schema::customer_accounts::table
            .find(&customer_id)
            .select(crate::db::schema::customer_accounts::health_level)
            .first(conn)
            .map_err(|e| match e {
                diesel::result::Error::NotFound => ApiError::NotFound("customer"),
                other => other.into(),
            })?;
        let (services, incidents) = super::overview(conn, &customer_id)?;
        Ok(json!({
            "customer_id": customer_id,
            "health": Health::from_level(level).as_str(),
            "services": services.iter().map(|s| json!({
                "id": s.id, "name": s.name, "state": s.state.as_str(),
            })).collect::<Vec<_>>(),
            "incidents": incidents.iter().map(|i| json!({
                "id": i.id, "service": i.service, "title": i.title,
                "state": i.state.as_str(), "resolved": i.resolved_at.is_some(),
            })).collect::<Vec<_>>(),
        }))
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// `POST /api/v1/customers/{customer_id}/services` `{"name": …}`
pub async fn add_service(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let customer_id = CustomerId::new(path.into_inner());
    plausible(&customer_id, "customer")?;
    let body = object(&body)?;
    let mut fields = Fields::default();
    let name = fields.text(&body, "name", |raw| line(raw, NAME_MAX));
    fields.done()?;
    let name = name.ok_or(ApiError::BadJson)?;
    let now = state.clock.now();
    let by = recorder(&client);
    let shown = name.clone();
    let id = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            super::add_service(conn, now, &by, &customer_id, &name)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(json!({"id": id, "name": shown, "state": "healthy"})))
}

/// `POST /api/v1/customers/{customer_id}/incidents`
/// `{"service": name or id, "title": …, "state": "advisory"|"incident", "text": …}`
pub async fn open_incident(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let customer_id = CustomerId::new(path.into_inner());
    plausible(&customer_id, "customer")?;
    let body = object(&body)?;
    let mut fields = Fields::default();
    let service = fields.text(&body, "service", |raw| line(raw, NAME_MAX));
    let title = fields.text(&body, "title", |raw| line(raw, TITLE_MAX));
    let incident_state = fields.state(&body, true);
    let text = fields.text(&body, "text", |raw| paragraphs(raw, TEXT_MAX));
    fields.done()?;
    let (Some(service), Some(title), Some(incident_state), Some(text)) =
        (service, title, incident_state, text)
    else {
        return Err(ApiError::BadJson);
    };
    let new = NewIncident {
        service,
        title,
        state: incident_state,
        text,
    };
    let now = state.clock.now();
    let by = recorder(&client);
    let id = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            super::open_incident(conn, now, &by, &customer_id, &new)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(json!({"id": id})))
}

/// `POST /api/v1/customers/{customer_id}/incidents/{incident_id}/updates`
/// `{"text": …, "state"?: "advisory"|"incident", "resolved"?: bool}`
pub async fn post_update(
    state: web::Data<AppState>,
    client: ApiClient,
    path: web::Path<(String, String)>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (customer_id, incident_id) = path.into_inner();
    let customer_id = CustomerId::new(customer_id);
    plausible(&customer_id, "customer")?;
    plausible(&incident_id, "incident")?;
    let body = object(&body)?;
    let mut fields = Fields::default();
    let text = fields.text(&body, "text", |raw| paragraphs(raw, TEXT_MAX));
    let new_state = fields.state(&body, false);
    let resolve = fields.flag(&body, "resolved");
    fields.done()?;
    let text = text.ok_or(ApiError::BadJson)?;
    let update = NewUpdate {
        text,
        state: new_state,
        resolve,
    };
    let now = state.clock.now();
    let by = recorder(&client);
    let shown = incident_id.clone();
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            super::post_update(conn, now, &by, &customer_id, &incident_id, &update)
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(json!({"id": shown, "resolved": resolve})))
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
    let (customer_id, licence_id) = path.into_inner();
    let customer_id = CustomerId::new(customer_id);
    plausible(&customer_id, "customer")?;
    plausible(&licence_id, "licence")?;
    let body = object(&body)?;
    let mut fields = Fields::default();
    let seats_used = fields.seats(&body, "seats_used");
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
