//! The read side of service health: a customer's services and incidents with
//! their timelines, for the health pages, the APIs and the operator's area.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::customers::Health;
use crate::db::DbConnection;
use crate::db::schema::{service_incident_updates, service_incidents, services};
use crate::ids::CustomerId;

pub struct Service {
    pub id: String,
    pub name: String,
    pub state: Health,
}

pub struct TimelineEntry {
    pub posted_at: NaiveDateTime,
    /// advisory, incident or resolved.
    pub state: String,
    pub body: String,
}

pub struct Incident {
    pub id: String,
    pub service: String,
    pub title: String,
    pub state: Health,
    pub started_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub timeline: Vec<TimelineEntry>,
}

/// How many incidents a health page shows, newest first.
const INCIDENTS_SHOWN: i64 = 50;

/// A customer's services and incidents; the caller has scoped `customer_id`.
pub fn overview(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<(Vec<Service>, Vec<Incident>)> {
    Ok((
        services_of(conn, customer_id)?,
        incidents_of(conn, customer_id)?,
    ))
}

/// A customer's services, by name.
fn services_of(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Vec<Service>> {
    let service_rows: Vec<(String, String, String)> = services::table
        .filter(services::customer_id.eq(customer_id))
        .order((services::name_key.asc(), services::id.asc()))
        .select((services::id, services::name, services::state))
        .load(conn)?;
    Ok(service_rows
        .into_iter()
        .map(|(id, name, state)| Service {
            id,
            name,
            state: Health::parse(&state).unwrap_or(Health::Healthy),
        })
        .collect())
}

type IncidentRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// A customer's latest incidents, the open ones first, each with its timeline.
fn incidents_of(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Vec<Incident>> {
    let rows: Vec<IncidentRow> = service_incidents::table
        .inner_join(services::table)
        .filter(service_incidents::customer_id.eq(customer_id))
        .order((
            service_incidents::resolved_at.is_not_null(),
            service_incidents::started_at.desc(),
            service_incidents::id.asc(),
        ))
        .limit(INCIDENTS_SHOWN)
        .select(INCIDENT_COLUMNS)
        .load(conn)?;
    with_timelines(conn, rows)
}

const INCIDENT_COLUMNS: (
    service_incidents::id,
    services::name,
    service_incidents::title,
    service_incidents::state,
    service_incidents::started_at,
    service_incidents::resolved_at,
) = (
    service_incidents::id,
    services::name,
    service_incidents::title,
    service_incidents::state,
    service_incidents::started_at,
    service_incidents::resolved_at,
);

/// One of the customer's incidents with its timeline, however old; the
/// caller has scoped `customer_id`.
pub fn incident(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    incident_id: &str,
) -> QueryResult<Option<Incident>> {
    let rows: Vec<IncidentRow> = service_incidents::table
        .inner_join(services::table)
        .filter(service_incidents::customer_id.eq(customer_id))
        .filter(service_incidents::id.eq(incident_id))
        .select(INCIDENT_COLUMNS)
        .load(conn)?;
    Ok(with_timelines(conn, rows)?.pop())
}

/// The incidents of `rows`, in their order, each with its timeline.
fn with_timelines(conn: &mut DbConnection, rows: Vec<IncidentRow>) -> QueryResult<Vec<Incident>> {
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let updates: Vec<(String, NaiveDateTime, String, String)> = service_incident_updates::table
        .filter(service_incident_updates::incident_id.eq_any(&ids))
        .order((
            service_incident_updates::posted_at.asc(),
            service_incident_updates::id.asc(),
        ))
        .select((
            service_incident_updates::incident_id,
            service_incident_updates::posted_at,
            service_incident_updates::state,
            service_incident_updates::body,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, service, title, state, started_at, resolved_at)| Incident {
                timeline: updates
                    .iter()
                    .filter(|u| u.0 == id)
                    .map(|(_, posted_at, state, body)| TimelineEntry {
                        posted_at: *posted_at,
                        state: state.clone(),
                        body: body.clone(),
                    })
                    .collect(),
                id,
                service,
                title,
                state: Health::parse(&state).unwrap_or(Health::Advisory),
                started_at,
                resolved_at,
            },
        )
        .collect())
}
