//! A customer account's dashboards: a name, an SLA target and a set of the
//! account's monitors.

use diesel::prelude::*;

use super::format_thousandths;
use super::scope::{Viewer, sees, visible_dashboard_ids, visible_monitor_ids};
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::db::OrTaken;
use crate::db::schema::{dashboard_monitors, dashboards, monitors, sub_account_dashboards};
use crate::db::{DbConnection, DbError};
use crate::tenancy::CustomerChange;

pub struct DashboardSummary {
    pub id: String,
    pub name: String,
    pub sla_target: i64,
    pub monitors: i64,
    /// Whether the viewer may change it (a sub-account: those it built).
    pub managed: bool,
}

pub struct Dashboard {
    pub id: String,
    pub name: String,
    pub sla_target: i64,
    pub monitor_ids: Vec<String>,
    pub managed: bool,
}

fn managed_by(viewer: &Viewer, owner: Option<&str>) -> bool {
    viewer.sub_account_id().is_none() || viewer.sub_account_id() == owner
}

/// The dashboards the viewer sees, by name, with how many monitors of each it sees.
pub fn list(conn: &mut DbConnection, viewer: &Viewer) -> QueryResult<Vec<DashboardSummary>> {
    let visible = visible_dashboard_ids(conn, viewer)?;
    let seen_monitors = visible_monitor_ids(conn, viewer)?;
    let customer_id = viewer.customer_id();
    let rows: Vec<(String, String, i64, Option<String>)> = dashboards::table
        .filter(dashboards::customer_id.eq(customer_id))
        .order((dashboards::name_key.asc(), dashboards::id.asc()))
        .select((
            dashboards::id,
            dashboards::name,
            dashboards::sla_target,
            dashboards::sub_account_id,
        ))
        .load(conn)?;
    let places: Vec<(String, String)> = dashboard_monitors::table
        .inner_join(dashboards::table)
        .filter(dashboards::customer_id.eq(customer_id))
        .select((
            dashboard_monitors::dashboard_id,
            dashboard_monitors::monitor_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|row| sees(&visible, &row.0))
        .map(|(id, name, sla_target, owner)| DashboardSummary {
            monitors: places
                .iter()
                .filter(|(d, m)| *d == id && sees(&seen_monitors, m))
                .count() as i64,
            managed: managed_by(viewer, owner.as_deref()),
            id,
            name,
            sla_target,
        })
        .collect())
}

/// One dashboard the viewer sees, with the monitors on it the viewer sees;
/// `None` for another account's, one outside a sub-account's grants, or a
/// missing one.
pub fn find(
    conn: &mut DbConnection,
    viewer: &Viewer,
    dashboard_id: &str,
) -> QueryResult<Option<Owned<Dashboard>>> {
    if !sees(&visible_dashboard_ids(conn, viewer)?, dashboard_id) {
        return Ok(None);
    }
    let customer_id = viewer.customer_id();
    let found: Option<(String, String, i64, Option<String>)> = dashboards::table
        .filter(dashboards::id.eq(dashboard_id))
        .filter(dashboards::customer_id.eq(customer_id))
        .select((
            dashboards::id,
            dashboards::name,
            dashboards::sla_target,
            dashboards::sub_account_id,
        ))
        .first(conn)
        .optional()?;
    let Some((id, name, sla_target, owner)) = found else {
        return Ok(None);
    };
    let seen_monitors = visible_monitor_ids(conn, viewer)?;
    let monitor_ids: Vec<String> = dashboard_monitors::table
        .inner_join(monitors::table)
        .filter(dashboard_monitors::dashboard_id.eq(&id))
        .filter(monitors::customer_id.eq(customer_id))
        .order(monitors::name_key.asc())
        .select(monitors::id)
        .load(conn)?;
    let dashboard = Dashboard {
        managed: managed_by(viewer, owner.as_deref()),
        id,
        name,
        sla_target,
        monitor_ids: monitor_ids
            .into_iter()
            .filter(|m| sees(&seen_monitors, m))
            .collect(),
    };
    Ok(Some(Owned::found_in(viewer, dashboard)))
}

/// The dashboard as [`find`] has it, missing (`NotFound`) unless the viewer
/// also manages it.
pub fn find_managed(
    conn: &mut DbConnection,
    viewer: &Viewer,
    dashboard_id: &str,
) -> Result<Owned<Dashboard>, DashboardError> {
    find(conn, viewer, dashboard_id)?
        .filter(|dashboard| dashboard.managed)
        .ok_or(DashboardError::NotFound)
}

#[derive(Debug, Clone)]
pub struct DashboardInput {
    pub name: String,
    pub sla_target: i64,
    pub monitor_ids: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("no such dashboard")]
    NotFound,
    #[error("a dashboard already has this name")]
    NameTaken,
    #[error("not one of the account's monitors")]
    UnknownMonitor,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for DashboardError {
    fn from(error: diesel::result::Error) -> Self {
        DashboardError::Database(error.into())
    }
}

/// Names are unique per owner (the account, or one sub-account); the monitors
/// must be ones the viewer sees.
fn check(
    conn: &mut DbConnection,
    viewer: &Viewer,
    input: &DashboardInput,
    except: Option<&str>,
) -> Result<(), DashboardError> {
    let customer_id = viewer.customer_id();
    let mut same_name = dashboards::table
        .filter(dashboards::customer_id.eq(customer_id))
        .filter(dashboards::name_key.eq(input.name.to_lowercase()))
        .select(dashboards::id)
        .into_boxed::<crate::db::MultiBackend>();
    same_name = match viewer.sub_account_id() {
        Some(own) => same_name.filter(dashboards::sub_account_id.eq(own.to_owned())),
        None => same_name.filter(dashboards::sub_account_id.is_null()),
    };
    let taken: Vec<String> = same_name.load(conn)?;
    if taken.iter().any(|id| Some(id.as_str()) != except) {
        return Err(DashboardError::NameTaken);
    }
    let ours: Vec<String> = monitors::table
        .filter(monitors::customer_id.eq(customer_id))
        .filter(monitors::id.eq_any(&input.monitor_ids))
        .select(monitors::id)
        .load(conn)?;
    let visible = visible_monitor_ids(conn, viewer)?;
    let seen = ours.iter().filter(|id| sees(&visible, id)).count();
    if seen != input.monitor_ids.len() {
        return Err(DashboardError::UnknownMonitor);
    }
    Ok(())
}

fn set_monitors(conn: &mut DbConnection, dashboard_id: &str, ids: &[String]) -> QueryResult<()> {
    diesel::delete(
        dashboard_monitors::table.filter(dashboard_monitors::dashboard_id.eq(dashboard_id)),
    )
    .execute(conn)?;
    let rows: Vec<_> = ids
        .iter()
        .map(|id| {
            (
                dashboard_monitors::dashboard_id.eq(dashboard_id),
                dashboard_monitors::monitor_id.eq(id),
            )
        })
        .collect();
    for chunk in rows.chunks(200) {
        super::insert_many!(conn, dashboard_monitors::table, chunk.to_vec())?;
    }
    Ok(())
}

fn details(input: &DashboardInput) -> String {
    format!(
        "SLA {} % · {} monitors",
        format_thousandths(input.sla_target),
        input.monitor_ids.len()
    )
}

pub fn create(
    conn: &mut DbConnection,
    change: &CustomerChange,
    viewer: &Viewer,
    input: &DashboardInput,
) -> Result<String, DashboardError> {
    check(conn, viewer, input, None)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(dashboards::table)
        .values((
            dashboards::id.eq(&id),
            dashboards::customer_id.eq(change.customer_id()),
            dashboards::name.eq(&input.name),
            dashboards::name_key.eq(input.name.to_lowercase()),
            dashboards::sla_target.eq(input.sla_target),
            dashboards::sub_account_id.eq(viewer.sub_account_id()),
            dashboards::created_at.eq(change.now),
            dashboards::updated_at.eq(change.now),
        ))
        .execute(conn)
        .or_taken(DashboardError::NameTaken)?;
    set_monitors(conn, &id, &input.monitor_ids)?;
    change.record(conn, Action::DashboardCreated, &input.name, &details(input))?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    change: &CustomerChange,
    dashboard: &Owned<Dashboard>,
    input: &DashboardInput,
) -> Result<(), DashboardError> {
    if !dashboard.managed {
        return Err(DashboardError::NotFound);
    }
    let dashboard_id = dashboard.id.as_str();
    let changed = diesel::update(
        dashboards::table
            .filter(dashboards::id.eq(dashboard_id))
            .filter(dashboards::customer_id.eq(change.customer_id())),
    )
    .set((
        dashboards::name.eq(&input.name),
        dashboards::name_key.eq(input.name.to_lowercase()),
        dashboards::sla_target.eq(input.sla_target),
        dashboards::updated_at.eq(change.now),
    ))
    .execute(conn)
    .or_taken(DashboardError::NameTaken)?;
    if changed != 1 {
        return Err(DashboardError::NotFound);
    }
    check(conn, change.scope(), input, Some(dashboard_id))?;
    set_monitors(conn, dashboard_id, &input.monitor_ids)?;
    change.record(conn, Action::DashboardChanged, &input.name, &details(input))?;
    Ok(())
}

pub fn delete(
    conn: &mut DbConnection,
    change: &CustomerChange,
    dashboard: &Owned<Dashboard>,
) -> Result<String, DashboardError> {
    if !dashboard.managed {
        return Err(DashboardError::NotFound);
    }
    let dashboard_id = dashboard.id.as_str();
    diesel::delete(
        dashboard_monitors::table.filter(dashboard_monitors::dashboard_id.eq(dashboard_id)),
    )
    .execute(conn)?;
    diesel::delete(
        sub_account_dashboards::table.filter(sub_account_dashboards::dashboard_id.eq(dashboard_id)),
    )
    .execute(conn)?;
    diesel::delete(
        dashboards::table
            .filter(dashboards::id.eq(dashboard_id))
            .filter(dashboards::customer_id.eq(change.customer_id())),
    )
    .execute(conn)?;
    change.record(conn, Action::DashboardDeleted, &dashboard.name, "")?;
    Ok(dashboard.name.clone())
}
