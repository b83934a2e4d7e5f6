//! The operator's JSON API for service health (`/api/v1/customers/{id}/services`,
//! `…/incidents`, `…/incidents/{id}/updates`): services added, incidents opened
//! and updated; answers are JSON, errors name the field.

use crate::ids::CustomerId;
use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};
use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};

use super::{HealthError, NAME_MAX, NewIncident, NewUpdate, Recorder, TEXT_MAX, TITLE_MAX};
use crate::auth::api_tokens::ApiClient;
use crate::customers::Health;
use crate::db::{self, DbConnection};
use crate::state::AppState;
use crate::web::json_api::ApiError;
use crate::web::operator_api::{Fields, customer_and_object, customer_item_and_object, plausible};
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

/// Runs `change` in one write transaction, in the name of the API token that
/// asked, at the clock's now.
async fn recorded<T: Send + 'static>(
    state: &AppState,
    client: &ApiClient,
    change: impl FnOnce(&mut DbConnection, NaiveDateTime, &Recorder) -> Result<T, HealthError>
    + Send
    + 'static,
) -> Result<T, ApiError> {
    let now = state.clock.now();
    let by = Recorder(format!("Operator · API token “{}”", client.name));
    let done = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| change(conn, now, &by))
    })
    .await?;
    Ok(done)
}

/// An incident's state: advisory or incident; `None` when refused, or when
/// missing and not `required`.
fn incident_state(
    fields: &mut Fields,
    body: &Map<String, Value>,
    required: bool,
) -> Option<Health> {
    match body.get("state") {
        None | Some(Value::Null) if !required => None,
        None | Some(Value::Null) => {
            fields.refuse("state", "required");
            None
        }
        Some(Value::String(s)) => match Health::parse(s) {
            Some(h @ (Health::Advisory | Health::Incident)) => Some(h),
            _ => {
                fields.refuse("state", "invalid");
                None
            }
        },
        Some(_) => {
            fields.refuse("state", "must_be_a_string");
            None
        }
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
    let (customer_id, body) = customer_and_object(path.into_inner(), &body)?;
    let mut fields = Fields::default();
    let name = fields.text(&body, "name", |raw| line(raw, NAME_MAX));
    fields.done()?;
    let name = name.ok_or(ApiError::BadJson)?;
    let shown = name.clone();
    let id = recorded(&state, &client, move |conn, now, by| {
        super::add_service(conn, now, by, &customer_id, &name)
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
    let (customer_id, body) = customer_and_object(path.into_inner(), &body)?;
    let mut fields = Fields::default();
    let service = fields.text(&body, "service", |raw| line(raw, NAME_MAX));
    let title = fields.text(&body, "title", |raw| line(raw, TITLE_MAX));
    let incident_state = incident_state(&mut fields, &body, true);
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
    let id = recorded(&state, &client, move |conn, now, by| {
        super::open_incident(conn, now, by, &customer_id, &new)
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
    let (customer_id, incident_id, body) =
        customer_item_and_object(path.into_inner(), "incident", &body)?;
    let mut fields = Fields::default();
    let text = fields.text(&body, "text", |raw| paragraphs(raw, TEXT_MAX));
    let new_state = incident_state(&mut fields, &body, false);
    let resolve = fields.flag(&body, "resolved");
    fields.done()?;
    let text = text.ok_or(ApiError::BadJson)?;
    let update = NewUpdate {
        text,
        state: new_state,
        resolve,
    };
    let shown = incident_id.clone();
    recorded(&state, &client, move |conn, now, by| {
        super::post_update(conn, now, by, &customer_id, &incident_id, &update)
    })
    .await?;
    Ok(HttpResponse::Created().json(json!({"id": shown, "resolved": resolve})))
}
