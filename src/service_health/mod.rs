//! Service health: a customer's services and their incidents with a
//! timeline, recorded by the instance operator through the command line (`cli`),
//! the JSON API (`api`) or the operator's area (`admin::health`), and shown to
//! the partner and to the customer's own people (`pages`; the reading in
//! `read`). Not to be confused with service requests, the customer's tickets
//! (`service_requests`), nor with monitoring, the account's own probes.
//!
//! A service's state is the worst state of its unresolved incidents; the
//! customer's `health_level` (the list's column) the worst state of its services,
//! both kept in the transaction of every change.

pub mod api;
pub mod cli;
pub mod demo;
pub mod pages;
mod read;

pub use read::{Incident, Service, TimelineEntry, incident, overview};

use crate::ids::CustomerId;
use crate::ids::PartnerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{Action, Actor};
use crate::customers::Health;
use crate::db::OrTaken;
use crate::db::schema::{customer_accounts, service_incident_updates, service_incidents, services};
use crate::db::{DbConnection, DbError};

/// The longest service name.
pub const NAME_MAX: usize = 80;
/// The longest incident title.
pub const TITLE_MAX: usize = 120;
/// The longest entry of an incident's timeline.
pub const TEXT_MAX: usize = 4000;

#[derive(Debug, thiserror::Error)]
pub enum HealthError {
    #[error("no such customer")]
    CustomerNotFound,
    #[error("no such service")]
    ServiceNotFound,
    #[error("no such incident")]
    IncidentNotFound,
    #[error("the customer already has a service with this name")]
    NameTaken,
    #[error("the incident is already resolved")]
    AlreadyResolved,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for HealthError {
    fn from(error: diesel::result::Error) -> Self {
        HealthError::Database(error.into())
    }
}

/// The state an incident is opened in or changed to, as typed: advisory or
/// incident (healthy is what resolving gives).
pub fn incident_state(typed: &str) -> Option<Health> {
    match Health::parse(typed.trim()) {
        Some(state @ (Health::Advisory | Health::Incident)) => Some(state),
        _ => None,
    }
}

/// Who records health: the instance operator, through a named API token or the
/// command line. Shown as the person in the activity log.
pub struct Recorder(pub String);

/// A new incident, already validated.
pub struct NewIncident {
    pub service: String,
    pub title: String,
    pub state: Health,
    pub text: String,
}

/// A new entry in an incident's timeline, already validated.
pub struct NewUpdate {
    pub text: String,
    /// A new state for the incident (advisory or incident), if it changes.
    pub state: Option<Health>,
    pub resolve: bool,
}

/// The customer's partner, whoever's it is (the operator sees every account),
/// with the account's row locked until the transaction ends: concurrent changes
/// to one customer's health take turns, so the level computed last is right.
fn lock_customer(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &CustomerId,
) -> Result<Option<PartnerId>, HealthError> {
    crate::db::lock_row(conn, crate::db::LockTarget::CustomerAccount(customer_id))?;
    // `updated_at` feeds none of the list's triggers.
    let found = diesel::update(customer_accounts::table.find(customer_id))
        .set(customer_accounts::updated_at.eq(now))
        .execute(conn)?;
    if found == 0 {
        return Err(HealthError::CustomerNotFound);
    }
    Ok(crate::tenancy::partner_of(conn, customer_id)?)
}

fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    by: &Recorder,
    account: (&CustomerId, Option<&PartnerId>),
    action: Action,
    target: &str,
    details: &str,
) -> QueryResult<()> {
    let actor = Actor {
        login_id: None,
        name: &by.0,
        membership_id: None,
        on_behalf_of: None,
        api_token_id: None,
    };
    crate::customers::record_on_account(conn, now, account, actor, action, target, details)
}

/// Adds a healthy service; returns its id.
pub fn add_service(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    by: &Recorder,
    customer_id: &CustomerId,
    name: &str,
) -> Result<String, HealthError> {
    let partner_id = lock_customer(conn, now, customer_id)?;
    let key = name.to_lowercase();
    let taken: bool = diesel::select(diesel::dsl::exists(
        services::table
            .filter(services::customer_id.eq(customer_id))
            .filter(services::name_key.eq(&key)),
    ))
    .get_result(conn)?;
    if taken {
        return Err(HealthError::NameTaken);
    }
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(services::table)
        .values((
            services::id.eq(&id),
            services::customer_id.eq(customer_id),
            services::name.eq(name),
            services::name_key.eq(&key),
            services::state.eq(Health::Healthy),
            services::created_at.eq(now),
            services::updated_at.eq(now),
        ))
        .execute(conn)
        .or_taken(HealthError::NameTaken)?;
    record(
        conn,
        now,
        by,
        (customer_id, partner_id.as_ref()),
        Action::ServiceAdded,
        name,
        "",
    )?;
    Ok(id)
}

/// Opens an incident on a service named by its name (any case) or id; returns the
/// incident's id.
pub fn open_incident(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    by: &Recorder,
    customer_id: &CustomerId,
    new: &NewIncident,
) -> Result<String, HealthError> {
    let partner_id = lock_customer(conn, now, customer_id)?;
    let (service_id, service_name): (String, String) = services::table
        .filter(services::customer_id.eq(customer_id))
        .filter(
            services::name_key
                .eq(new.service.to_lowercase())
                .or(services::id.eq(&new.service)),
        )
        .select((services::id, services::name))
        .first(conn)
        .optional()?
        .ok_or(HealthError::ServiceNotFound)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(service_incidents::table)
        .values((
            service_incidents::id.eq(&id),
            service_incidents::service_id.eq(&service_id),
            service_incidents::customer_id.eq(customer_id),
            service_incidents::title.eq(&new.title),
            service_incidents::state.eq(new.state),
            service_incidents::started_at.eq(now),
        ))
        .execute(conn)?;
    add_update(conn, now, &id, new.state.as_str(), &new.text)?;
    refresh(conn, now, customer_id, &service_id)?;
    let details = format!("{service_name} · {}", new.state.as_str());
    record(
        conn,
        now,
        by,
        (customer_id, partner_id.as_ref()),
        Action::IncidentOpened,
        &new.title,
        &details,
    )?;
    Ok(id)
}

/// Adds to an incident's timeline, changing its state or resolving it.
pub fn post_update(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    by: &Recorder,
    customer_id: &CustomerId,
    incident_id: &str,
    update: &NewUpdate,
) -> Result<(), HealthError> {
    let partner_id = lock_customer(conn, now, customer_id)?;
    let (service_id, title, state, resolved_at): (String, String, String, Option<NaiveDateTime>) =
        service_incidents::table
            .filter(service_incidents::id.eq(incident_id))
            .filter(service_incidents::customer_id.eq(customer_id))
            .select((
                service_incidents::service_id,
                service_incidents::title,
                service_incidents::state,
                service_incidents::resolved_at,
            ))
            .first(conn)
            .optional()?
            .ok_or(HealthError::IncidentNotFound)?;
    if resolved_at.is_some() {
        return Err(HealthError::AlreadyResolved);
    }
    let new_state = update.state.map(Health::as_str).unwrap_or(state.as_str());
    let shown = if update.resolve {
        "resolved"
    } else {
        new_state
    };
    diesel::update(service_incidents::table.find(incident_id))
        .set((
            service_incidents::state.eq(new_state),
            service_incidents::resolved_at.eq(update.resolve.then_some(now)),
        ))
        .execute(conn)?;
    add_update(conn, now, incident_id, shown, &update.text)?;
    refresh(conn, now, customer_id, &service_id)?;
    let action = if update.resolve {
        Action::IncidentResolved
    } else {
        Action::IncidentUpdated
    };
    record(
        conn,
        now,
        by,
        (customer_id, partner_id.as_ref()),
        action,
        &title,
        shown,
    )?;
    Ok(())
}

fn add_update(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    incident_id: &str,
    state: &str,
    body: &str,
) -> QueryResult<()> {
    diesel::insert_into(service_incident_updates::table)
        .values((
            service_incident_updates::id.eq(uuid::Uuid::new_v4().to_string()),
            service_incident_updates::incident_id.eq(incident_id),
            service_incident_updates::posted_at.eq(now),
            service_incident_updates::state.eq(state),
            service_incident_updates::body.eq(body),
        ))
        .execute(conn)
        .map(|_| ())
}

fn worst<'a>(states: impl IntoIterator<Item = &'a str>) -> Health {
    states
        .into_iter()
        .filter_map(Health::parse)
        .max_by_key(|h| h.level())
        .unwrap_or(Health::Healthy)
}

/// Brings the service's state and the customer's health level in line with the
/// unresolved incidents.
fn refresh(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &CustomerId,
    service_id: &str,
) -> QueryResult<()> {
    let open: Vec<String> = service_incidents::table
        .filter(service_incidents::service_id.eq(service_id))
        .filter(service_incidents::resolved_at.is_null())
        .select(service_incidents::state)
        .load(conn)?;
    let service_state = worst(open.iter().map(String::as_str));
    diesel::update(services::table.find(service_id))
        .set((
            services::state.eq(service_state),
            services::updated_at.eq(now),
        ))
        .execute(conn)?;
    let all: Vec<String> = services::table
        .filter(services::customer_id.eq(customer_id))
        .select(services::state)
        .load(conn)?;
    let level = worst(all.iter().map(String::as_str)).level();
    // Only a real change touches the account (its triggers keep the list's counts).
    diesel::update(
        customer_accounts::table
            .filter(customer_accounts::id.eq(customer_id))
            .filter(customer_accounts::health_level.ne(level)),
    )
    .set((
        customer_accounts::health_level.eq(level),
        customer_accounts::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(())
}
