//! A customer account's monitors: listed, found, created, changed and deleted,
//! always within the account.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Kind, State};
use crate::audit::Action;
use crate::console::CustomerChange;
use crate::db::schema::{
    dashboard_monitors, monitor_daily_rollups, monitor_errors, monitor_results, monitor_rollups,
    monitors, sites,
};
use crate::db::{DbConnection, DbError};

#[derive(Debug, Clone)]
pub struct Monitor {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub target: String,
    pub site_id: Option<String>,
    pub site_name: Option<String>,
    pub state: State,
    pub last_checked_at: Option<NaiveDateTime>,
}

type MonitorRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<bool>,
);

fn from_row(row: MonitorRow, now: NaiveDateTime) -> Monitor {
    let (id, name, kind, target, site_id, site_name, last_checked_at, last_success) = row;
    Monitor {
        id,
        name,
        kind: Kind::parse(&kind).unwrap_or(Kind::Web),
        target,
        site_id,
        site_name,
        state: State::derive(last_checked_at, last_success, now),
        last_checked_at,
    }
}

macro_rules! monitor_query {
    ($customer_id:expr) => {
        monitors::table
            .left_join(sites::table)
            .filter(monitors::customer_id.eq($customer_id))
            .select((
                monitors::id,
                monitors::name,
                monitors::kind,
                monitors::target,
                monitors::site_id,
                sites::name.nullable(),
                monitors::last_checked_at,
                monitors::last_success,
            ))
    };
}

/// The account's monitors by name.
pub fn list(
    conn: &mut DbConnection,
    customer_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<Monitor>> {
    let rows: Vec<MonitorRow> = monitor_query!(customer_id)
        .order((monitors::name_key.asc(), monitors::id.asc()))
        .load(conn)?;
    Ok(rows.into_iter().map(|r| from_row(r, now)).collect())
}

/// One of the account's monitors; `None` for another account's or a missing one.
pub fn find(
    conn: &mut DbConnection,
    customer_id: &str,
    monitor_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Monitor>> {
    let row: Option<MonitorRow> = monitor_query!(customer_id)
        .filter(monitors::id.eq(monitor_id))
        .first(conn)
        .optional()?;
    Ok(row.map(|r| from_row(r, now)))
}

/// Whether the monitor is the account's.
pub fn belongs(conn: &mut DbConnection, customer_id: &str, monitor_id: &str) -> QueryResult<bool> {
    monitors::table
        .filter(monitors::id.eq(monitor_id))
        .filter(monitors::customer_id.eq(customer_id))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n == 1)
}

/// The account's sites, to choose a monitor's from: (id, name).
pub fn sites_of(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<(String, String)>> {
    sites::table
        .filter(sites::customer_id.eq(customer_id))
        .order((sites::name.asc(), sites::id.asc()))
        .select((sites::id, sites::name))
        .load(conn)
}

/// A monitor as typed into the form, validated.
#[derive(Debug, Clone)]
pub struct MonitorInput {
    pub name: String,
    pub kind: Kind,
    pub target: String,
    pub site_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error("no such monitor")]
    NotFound,
    #[error("a monitor already has this name")]
    NameTaken,
    #[error("not one of the account's sites")]
    UnknownSite,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for MonitorError {
    fn from(error: diesel::result::Error) -> Self {
        MonitorError::Database(error.into())
    }
}

fn name_key(name: &str) -> String {
    name.to_lowercase()
}

fn check(
    conn: &mut DbConnection,
    customer_id: &str,
    input: &MonitorInput,
    except: Option<&str>,
) -> Result<(), MonitorError> {
    let taken: Vec<String> = monitors::table
        .filter(monitors::customer_id.eq(customer_id))
        .filter(monitors::name_key.eq(name_key(&input.name)))
        .select(monitors::id)
        .load(conn)?;
    if taken.iter().any(|id| Some(id.as_str()) != except) {
        return Err(MonitorError::NameTaken);
    }
    if let Some(site_id) = &input.site_id {
        let ours: i64 = sites::table
            .filter(sites::id.eq(site_id))
            .filter(sites::customer_id.eq(customer_id))
            .count()
            .get_result(conn)?;
        if ours != 1 {
            return Err(MonitorError::UnknownSite);
        }
    }
    Ok(())
}

fn details(input: &MonitorInput) -> String {
    format!("{} · {}", input.kind.as_str(), input.target)
}

pub fn create(
    conn: &mut DbConnection,
    change: &CustomerChange,
    input: &MonitorInput,
) -> Result<String, MonitorError> {
    check(conn, &change.customer_id, input, None)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(monitors::table)
        .values((
            monitors::id.eq(&id),
            monitors::customer_id.eq(&change.customer_id),
            monitors::name.eq(&input.name),
            monitors::name_key.eq(name_key(&input.name)),
            monitors::kind.eq(input.kind.as_str()),
            monitors::target.eq(&input.target),
            monitors::site_id.eq(&input.site_id),
            monitors::created_at.eq(change.now),
            monitors::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    change.record(conn, Action::MonitorCreated, &input.name, &details(input))?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    change: &CustomerChange,
    monitor_id: &str,
    input: &MonitorInput,
) -> Result<(), MonitorError> {
    if !belongs(conn, &change.customer_id, monitor_id)? {
        return Err(MonitorError::NotFound);
    }
    check(conn, &change.customer_id, input, Some(monitor_id))?;
    diesel::update(
        monitors::table
            .filter(monitors::id.eq(monitor_id))
            .filter(monitors::customer_id.eq(&change.customer_id)),
    )
    .set((
        monitors::name.eq(&input.name),
        monitors::name_key.eq(name_key(&input.name)),
        monitors::kind.eq(input.kind.as_str()),
        monitors::target.eq(&input.target),
        monitors::site_id.eq(&input.site_id),
        monitors::updated_at.eq(change.now),
    ))
    .execute(conn)?;
    change.record(conn, Action::MonitorChanged, &input.name, &details(input))?;
    Ok(())
}

/// Deletes the monitor with its results, rollups, error log and dashboard places.
pub fn delete(
    conn: &mut DbConnection,
    change: &CustomerChange,
    monitor_id: &str,
) -> Result<(), MonitorError> {
    let name: String = monitors::table
        .filter(monitors::id.eq(monitor_id))
        .filter(monitors::customer_id.eq(&change.customer_id))
        .select(monitors::name)
        .first(conn)
        .optional()?
        .ok_or(MonitorError::NotFound)?;
    diesel::delete(dashboard_monitors::table.filter(dashboard_monitors::monitor_id.eq(monitor_id)))
        .execute(conn)?;
    diesel::delete(monitor_results::table.filter(monitor_results::monitor_id.eq(monitor_id)))
        .execute(conn)?;
    diesel::delete(monitor_rollups::table.filter(monitor_rollups::monitor_id.eq(monitor_id)))
        .execute(conn)?;
    diesel::delete(
        monitor_daily_rollups::table.filter(monitor_daily_rollups::monitor_id.eq(monitor_id)),
    )
    .execute(conn)?;
    diesel::delete(monitor_errors::table.filter(monitor_errors::monitor_id.eq(monitor_id)))
        .execute(conn)?;
    diesel::delete(monitors::table.filter(monitors::id.eq(monitor_id))).execute(conn)?;
    change.record(conn, Action::MonitorDeleted, &name, "")?;
    Ok(())
}

pub struct ResultRow {
    pub checked_at: NaiveDateTime,
    pub success: bool,
    pub response_ms: Option<i32>,
    pub message: Option<String>,
}

/// The monitor's latest results, newest first.
pub fn recent_results(
    conn: &mut DbConnection,
    monitor_id: &str,
    limit: i64,
) -> QueryResult<Vec<ResultRow>> {
    let rows: Vec<(NaiveDateTime, bool, Option<i32>, Option<String>)> = monitor_results::table
        .filter(monitor_results::monitor_id.eq(monitor_id))
        .order(monitor_results::checked_at.desc())
        .limit(limit)
        .select((
            monitor_results::checked_at,
            monitor_results::success,
            monitor_results::response_ms,
            monitor_results::message,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(checked_at, success, response_ms, message)| ResultRow {
            checked_at,
            success,
            response_ms,
            message,
        })
        .collect())
}

pub struct ErrorRow {
    pub logged_at: NaiveDateTime,
    pub severity: String,
    pub message: String,
}

/// The monitor's latest error-log entries, newest first.
pub fn error_log(
    conn: &mut DbConnection,
    monitor_id: &str,
    limit: i64,
) -> QueryResult<Vec<ErrorRow>> {
    let rows: Vec<(NaiveDateTime, String, String)> = monitor_errors::table
        .filter(monitor_errors::monitor_id.eq(monitor_id))
        .order((monitor_errors::logged_at.desc(), monitor_errors::id.asc()))
        .limit(limit)
        .select((
            monitor_errors::logged_at,
            monitor_errors::severity,
            monitor_errors::message,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(logged_at, severity, message)| ErrorRow {
            logged_at,
            severity,
            message,
        })
        .collect())
}
