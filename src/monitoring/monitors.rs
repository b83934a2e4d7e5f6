//! A customer account's monitors: listed, found, created, changed and deleted,
//! always within the account.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::scope::{Viewer, sees, visible_monitor_ids};
use super::{Kind, State};
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::db::OrTaken;
use crate::db::schema::{
    alert_definition_monitors, dashboard_monitors, monitor_daily_rollups, monitor_errors,
    monitor_results, monitor_rollups, monitors, sites, sub_account_monitors, sub_accounts,
};
use crate::db::{DbConnection, DbError};
use crate::tenancy::CustomerChange;

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
    /// The sub-account that made it, which alone manages it then.
    pub sub_account_id: Option<String>,
}

impl Monitor {
    /// Whether the viewer may change or delete it: the account any of its
    /// monitors, a sub-account those it made.
    pub fn managed_by(&self, viewer: &Viewer) -> bool {
        match viewer.sub_account_id() {
            None => true,
            Some(own) => self.sub_account_id.as_deref() == Some(own),
        }
    }
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
    Option<String>,
);

fn from_row(row: MonitorRow, now: NaiveDateTime) -> Monitor {
    let (id, name, kind, target, site_id, site_name, last_checked_at, last_success, owner) = row;
    Monitor {
        sub_account_id: owner,
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
                monitors::sub_account_id,
            ))
    };
}

/// The monitors the viewer sees, by name.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    now: NaiveDateTime,
) -> QueryResult<Vec<Monitor>> {
    let visible = visible_monitor_ids(conn, viewer)?;
    let rows: Vec<MonitorRow> = monitor_query!(viewer.customer_id())
        .order((monitors::name_key.asc(), monitors::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|row| sees(&visible, &row.0))
        .map(|r| from_row(r, now))
        .collect())
}

/// One monitor the viewer sees; `None` for another account's, one outside a
/// sub-account's grants, or a missing one.
pub fn find(
    conn: &mut DbConnection,
    viewer: &Viewer,
    monitor_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Owned<Monitor>>> {
    let row: Option<MonitorRow> = monitor_query!(viewer.customer_id())
        .filter(monitors::id.eq(monitor_id))
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    if !sees(&visible_monitor_ids(conn, viewer)?, &row.0) {
        return Ok(None);
    }
    Ok(Some(Owned::found_in(viewer, from_row(row, now))))
}

/// The monitor as [`find`] has it, missing (`NotFound`) unless the viewer
/// also manages it.
pub fn find_managed(
    conn: &mut DbConnection,
    viewer: &Viewer,
    monitor_id: &str,
    now: NaiveDateTime,
) -> Result<Owned<Monitor>, MonitorError> {
    find(conn, viewer, monitor_id, now)?
        .filter(|monitor| monitor.managed_by(viewer))
        .ok_or(MonitorError::NotFound)
}

/// Whether the viewer may change the monitor (see [`Monitor::managed_by`]).
pub fn manages(conn: &mut DbConnection, viewer: &Viewer, monitor_id: &str) -> QueryResult<bool> {
    let mut query = monitors::table
        .filter(monitors::id.eq(monitor_id))
        .filter(monitors::customer_id.eq(viewer.customer_id()))
        .into_boxed::<crate::db::MultiBackend>();
    if let Some(own) = viewer.sub_account_id() {
        query = query.filter(monitors::sub_account_id.eq(own.to_owned()));
    }
    query.count().get_result::<i64>(conn).map(|n| n == 1)
}

/// The account's sites, to choose a monitor's from: (id, name). None for an
/// operator: the account's sites are not the sub-account's to see.
pub fn sites_of(conn: &mut DbConnection, viewer: &Viewer) -> QueryResult<Vec<(String, String)>> {
    if viewer.sub_account_id().is_some() {
        return Ok(Vec::new());
    }
    sites::table
        .filter(sites::customer_id.eq(viewer.customer_id()))
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
    #[error("the sub-account has as many monitors as its quota allows")]
    QuotaReached { quota: i32 },
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

/// Names are unique per owner (the account, or one sub-account), so a refused
/// name never tells an operator what the account holds.
fn check(
    conn: &mut DbConnection,
    viewer: &Viewer,
    input: &MonitorInput,
    except: Option<&str>,
) -> Result<(), MonitorError> {
    let customer_id = viewer.customer_id();
    let mut same_name = monitors::table
        .filter(monitors::customer_id.eq(customer_id))
        .filter(monitors::name_key.eq(name_key(&input.name)))
        .select(monitors::id)
        .into_boxed::<crate::db::MultiBackend>();
    same_name = match viewer.sub_account_id() {
        Some(own) => same_name.filter(monitors::sub_account_id.eq(own.to_owned())),
        None => same_name.filter(monitors::sub_account_id.is_null()),
    };
    let taken: Vec<String> = same_name.load(conn)?;
    if taken.iter().any(|id| Some(id.as_str()) != except) {
        return Err(MonitorError::NameTaken);
    }
    if let Some(site_id) = &input.site_id {
        if viewer.sub_account_id().is_some() {
            return Err(MonitorError::UnknownSite);
        }
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

/// Serialises monitor creation in a sub-account, so concurrent requests cannot
/// both pass the quota (PostgreSQL; SQLite's write transactions already are).
fn lock_sub_account(conn: &mut DbConnection, sub_account_id: &str) -> QueryResult<()> {
    crate::db::lock_row(conn, crate::db::LockTarget::SubAccount(sub_account_id))
}

fn check_quota(conn: &mut DbConnection, sub_account_id: &str) -> Result<(), MonitorError> {
    lock_sub_account(conn, sub_account_id)?;
    let quota: i32 = sub_accounts::table
        .find(sub_account_id)
        .select(sub_accounts::monitor_quota)
        .first(conn)?;
    let made: i64 = monitors::table
        .filter(monitors::sub_account_id.eq(sub_account_id))
        .count()
        .get_result(conn)?;
    if made >= i64::from(quota) {
        return Err(MonitorError::QuotaReached { quota });
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    change: &CustomerChange,
    viewer: &Viewer,
    input: &MonitorInput,
) -> Result<String, MonitorError> {
    if let Some(own) = viewer.sub_account_id() {
        check_quota(conn, own)?;
    }
    check(conn, viewer, input, None)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(monitors::table)
        .values((
            monitors::id.eq(&id),
            monitors::customer_id.eq(change.customer_id()),
            monitors::name.eq(&input.name),
            monitors::name_key.eq(name_key(&input.name)),
            monitors::kind.eq(input.kind.as_str()),
            monitors::target.eq(&input.target),
            monitors::site_id.eq(&input.site_id),
            monitors::sub_account_id.eq(viewer.sub_account_id()),
            monitors::created_at.eq(change.now),
            monitors::updated_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(MonitorError::NameTaken)?;
    change.record(conn, Action::MonitorCreated, &input.name, &details(input))?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    change: &CustomerChange,
    monitor: &Owned<Monitor>,
    input: &MonitorInput,
) -> Result<(), MonitorError> {
    if !monitor.managed_by(change.scope()) {
        return Err(MonitorError::NotFound);
    }
    check(conn, change.scope(), input, Some(&monitor.id))?;
    diesel::update(
        monitors::table
            .filter(monitors::id.eq(&monitor.id))
            .filter(monitors::customer_id.eq(change.customer_id())),
    )
    .set((
        monitors::name.eq(&input.name),
        monitors::name_key.eq(name_key(&input.name)),
        monitors::kind.eq(input.kind.as_str()),
        monitors::target.eq(&input.target),
        monitors::site_id.eq(&input.site_id),
        monitors::updated_at.eq(change.now),
    ))
    .execute(conn)
    .or_taken(MonitorError::NameTaken)?;
    change.record(conn, Action::MonitorChanged, &input.name, &details(input))?;
    Ok(())
}

/// Deletes the monitor with its results, rollups, error log and dashboard places.
pub fn delete(
    conn: &mut DbConnection,
    change: &CustomerChange,
    monitor: &Owned<Monitor>,
) -> Result<String, MonitorError> {
    if !monitor.managed_by(change.scope()) {
        return Err(MonitorError::NotFound);
    }
    let monitor_id = monitor.id.as_str();
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
    diesel::delete(
        sub_account_monitors::table.filter(sub_account_monitors::monitor_id.eq(monitor_id)),
    )
    .execute(conn)?;
    diesel::delete(
        alert_definition_monitors::table
            .filter(alert_definition_monitors::monitor_id.eq(monitor_id)),
    )
    .execute(conn)?;
    diesel::delete(
        monitors::table
            .filter(monitors::id.eq(monitor_id))
            .filter(monitors::customer_id.eq(change.customer_id())),
    )
    .execute(conn)?;
    change.record(conn, Action::MonitorDeleted, &monitor.name, "")?;
    Ok(monitor.name.clone())
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
