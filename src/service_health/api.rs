//! The operator's JSON API for service health (`/api/v1/customers/{id}/services`,
//! `…/incidents`, `…/incidents/{id}/updates`): services added, incidents opened
//! and updated; answers are JSON, errors name the field. The bodies read are
//! parsed field by field (so one answer names every problem); their types here
//! describe them in the OpenAPI document.

use crate::ids::CustomerId;
use actix_web::HttpResponse;
use actix_web::web::{self, Bytes};
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::{HealthError, NAME_MAX, NewIncident, NewUpdate, Recorder, TEXT_MAX, TITLE_MAX};
use crate::auth::api_tokens::ApiClient;
use crate::customers::Health;
use crate::db::{self, DbConnection};
use crate::state::AppState;
use crate::web::json_api::{ApiError, ErrorBody};
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

/// A customer's service health, as the operator recorded it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServicesOverview {
    pub customer_id: String,
    /// The worst state of the customer's services: `healthy`, `advisory` or `incident`.
    pub health: String,
    /// By name.
    pub services: Vec<ServiceSummary>,
    /// The latest 50, the open ones first, then newest first.
    pub incidents: Vec<IncidentSummary>,
}

/// One of the customer's services.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceSummary {
    pub id: String,
    pub name: String,
    /// The worst state of its open incidents: `healthy`, `advisory` or `incident`.
    pub state: String,
}

/// An incident on one of the customer's services.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentSummary {
    pub id: String,
    /// The service's name.
    pub service: String,
    pub title: String,
    /// `advisory` or `incident`.
    pub state: String,
    pub resolved: bool,
}

/// A service to add to a customer.
#[derive(Debug, ToSchema)]
pub struct NewServiceRequest {
    /// One line, unique among the customer's services (case aside).
    #[schema(min_length = 1, max_length = 80, example = "Backup")]
    pub name: String,
}

/// The service added.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceCreated {
    pub id: String,
    pub name: String,
    /// Always `healthy`: it has no incident yet.
    pub state: String,
}

/// An incident to open on one of the customer's services.
#[derive(Debug, ToSchema)]
pub struct NewIncidentRequest {
    /// The service's name or id.
    #[schema(min_length = 1, max_length = 80, example = "Backup")]
    pub service: String,
    /// One line.
    #[schema(min_length = 1, max_length = 120, example = "Backups failing")]
    pub title: String,
    /// `advisory` or `incident`.
    #[schema(example = "incident")]
    pub state: String,
    /// The first update, shown to the customer and the partner.
    #[schema(min_length = 1, max_length = 4000, example = "Investigating.")]
    pub text: String,
}

/// The incident opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentCreated {
    pub id: String,
}

/// An update of an open incident.
#[derive(Debug, ToSchema)]
pub struct IncidentUpdateRequest {
    #[schema(min_length = 1, max_length = 4000, example = "Fixed; watching.")]
    pub text: String,
    /// `advisory` or `incident`; the incident's state is kept when missing or null.
    pub state: Option<String>,
    /// True resolves the incident; false when missing or null.
    pub resolved: Option<bool>,
}

/// The update posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentUpdated {
    /// The incident's id.
    pub id: String,
    pub resolved: bool,
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

/// Reads a customer's services and their open and recent incidents.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{customer_id}/services",
    tag = "operator",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's services and incidents", body = ServicesOverview),
        (status = 400, description = "A NUL byte or invalid UTF-8 in the path or query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live operator token", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("operator_token" = [])),
)]
pub async fn services(
    state: web::Data<AppState>,
    _client: ApiClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let customer_id = CustomerId::new(path.into_inner());
    plausible(&customer_id, "customer")?;
    let body = db::run(&state.pool, move |conn| -> Result<_, ApiError> {
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
        Ok(ServicesOverview {
            health: Health::from_level(level).as_str().to_owned(),
            customer_id: customer_id.into_string(),
            services: services
                .into_iter()
                .map(|s| ServiceSummary {
                    state: s.state.as_str().to_owned(),
                    id: s.id,
                    name: s.name,
                })
                .collect(),
            incidents: incidents
                .into_iter()
                .map(|i| IncidentSummary {
                    state: i.state.as_str().to_owned(),
                    resolved: i.resolved_at.is_some(),
                    id: i.id,
                    service: i.service,
                    title: i.title,
                })
                .collect(),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Adds a service to a customer; it starts healthy.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{customer_id}/services",
    tag = "operator",
    request_body = NewServiceRequest,
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 201, description = "Added", body = ServiceCreated),
        (status = 400, description = "The body is not a JSON object (`invalid_json`), or a NUL byte or invalid UTF-8 in it, the path or the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live operator token", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "A missing, too long, invalid or taken `name`", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("operator_token" = [])),
)]
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
    Ok(HttpResponse::Created().json(ServiceCreated {
        id,
        name: shown,
        state: Health::Healthy.as_str().to_owned(),
    }))
}

/// Opens an incident on one of a customer's services.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{customer_id}/incidents",
    tag = "operator",
    request_body = NewIncidentRequest,
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 201, description = "Opened", body = IncidentCreated),
        (status = 400, description = "The body is not a JSON object (`invalid_json`), or a NUL byte or invalid UTF-8 in it, the path or the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live operator token", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "A missing, too long or invalid field; a `service` the customer does not have (`unknown`)", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("operator_token" = [])),
)]
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
    Ok(HttpResponse::Created().json(IncidentCreated { id }))
}

/// Posts an update of a customer's open incident: its text, a new state, or
/// its resolution.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{customer_id}/incidents/{incident_id}/updates",
    tag = "operator",
    request_body = IncidentUpdateRequest,
    params(
        ("customer_id" = String, Path, description = "The customer's id"),
        ("incident_id" = String, Path, description = "The incident's id"),
    ),
    responses(
        (status = 201, description = "Posted", body = IncidentUpdated),
        (status = 400, description = "The body is not a JSON object (`invalid_json`), or a NUL byte or invalid UTF-8 in it, the path or the query (`malformed_input`)", body = ErrorBody),
        (status = 401, description = "No live operator token", body = ErrorBody),
        (status = 404, description = "No such customer, or no such incident of the customer", body = ErrorBody),
        (status = 409, description = "The incident is resolved (`already_resolved`)", body = ErrorBody),
        (status = 413, description = "The body is too large", body = ErrorBody),
        (status = 422, description = "A missing, too long or invalid field", body = ErrorBody),
        (status = 503, description = "The database is out of reach", body = ErrorBody),
    ),
    security(("operator_token" = [])),
)]
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
    Ok(HttpResponse::Created().json(IncidentUpdated {
        id: shown,
        resolved: resolve,
    }))
}
