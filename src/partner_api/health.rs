//! A customer's service health through the partner API: what the partner's
//! health page of the customer shows (its services and their states, its
//! latest incidents, the open ones first, each with its updates), read by the
//! same query (`service_health::overview`).

use actix_web::HttpResponse;
use actix_web::web;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::writes::customer_id;
use crate::auth::partner_tokens::PartnerClient;
use crate::customers::find;
use crate::db;
use crate::service_health::{Incident, Service, overview};
use crate::state::AppState;
use crate::web::json_api::ApiError;

fn at(time: NaiveDateTime) -> String {
    time.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// One of the customer's services.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ServiceBody {
    pub id: String,
    pub name: String,
    /// `healthy`, `advisory` or `incident`.
    pub state: String,
}

/// An update of an incident.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IncidentUpdateBody {
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub posted_at: String,
    /// `advisory`, `incident` or `resolved`.
    pub state: String,
    pub body: String,
}

/// An incident on one of the customer's services.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IncidentBody {
    pub id: String,
    /// The service's name.
    pub service: String,
    pub title: String,
    /// `advisory` or `incident`.
    pub state: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub started_at: String,
    /// Null while the incident is open.
    #[schema(format = DateTime)]
    pub resolved_at: Option<String>,
    /// Oldest first.
    pub updates: Vec<IncidentUpdateBody>,
}

/// A customer's service health.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthBody {
    pub customer_id: String,
    /// The customer's overall health: `healthy`, `advisory` or `incident`.
    pub health: String,
    /// By name.
    pub services: Vec<ServiceBody>,
    /// The latest 50, the open ones first, then newest first.
    pub incidents: Vec<IncidentBody>,
}

fn service_body(service: Service) -> ServiceBody {
    ServiceBody {
        id: service.id,
        name: service.name,
        state: service.state.as_str().to_owned(),
    }
}

fn incident_body(incident: Incident) -> IncidentBody {
    IncidentBody {
        id: incident.id,
        service: incident.service,
        title: incident.title,
        state: incident.state.as_str().to_owned(),
        started_at: at(incident.started_at),
        resolved_at: incident.resolved_at.map(at),
        updates: incident
            .timeline
            .into_iter()
            .map(|entry| IncidentUpdateBody {
                posted_at: at(entry.posted_at),
                state: entry.state,
                body: entry.body,
            })
            .collect(),
    }
}

/// Reads a customer's service health.
#[utoipa::path(
    get,
    path = "/api/v1/partner/customers/{customer_id}/health",
    tag = "health",
    params(("customer_id" = String, Path, description = "The customer's id")),
    responses(
        (status = 200, description = "The customer's services and incidents", body = HealthBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `customers:read`, or its creator's role may not see customers", body = super::openapi::ErrorBody),
        (status = 404, description = "No such customer of the organisation", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["customers:read"])),
)]
pub async fn read(
    state: web::Data<AppState>,
    client: PartnerClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = customer_id(path.into_inner())?;
    let scope = client.scope().clone();
    let (customer, (services, incidents)) = db::run(&state.pool, move |conn| {
        let customer = find(conn, &scope, &id)?;
        let overview = overview(conn, &customer.id)?;
        Ok::<_, ApiError>((customer.into_inner(), overview))
    })
    .await?;
    Ok(HttpResponse::Ok().json(HealthBody {
        health: customer.health().as_str().to_owned(),
        customer_id: customer.id.into_string(),
        services: services.into_iter().map(service_body).collect(),
        incidents: incidents.into_iter().map(incident_body).collect(),
    }))
}
