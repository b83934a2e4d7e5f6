//! A customer account's dashboards: a name, an SLA target and a set of the
//! account's monitors.

use diesel::prelude::*;

use super::format_thousandths;
use crate::audit::Action;
use crate::console::CustomerChange;
use crate::db::schema::{dashboard_monitors, dashboards, monitors};
use crate::db::{DbConnection, DbError};

pub struct DashboardSummary {
    pub id: String,
    pub name: String,
    pub sla_target: i64,
    pub monitors: i64,
}

pub struct Dashboard {
    pub id: String,
    pub name: String,
    pub sla_target: i64,
    pub monitor_ids: Vec<String>,
}

/// The account's dashboards by name.
pub fn list(conn: &mut DbConnection, customer_id: &str) -> QueryResult<Vec<DashboardSummary>> {
    let rows: Vec<(String, String, i64)> = dashboards::table
        .filter(dashboards::customer_id.eq(customer_id))
        .order((dashboards::name_key.asc(), dashboards::id.asc()))
        .select((dashboards::id, dashboards::name, dashboards::sla_target))
        .load(conn)?;
    let counts: Vec<(String, i64)> = dashboard_monitors::table
        .inner_join(dashboards::table)
        .filter(dashboards::customer_id.eq(customer_id))
        .group_by(dashboard_monitors::dashboard_id)
        .select((dashboard_monitors::dashboard_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, sla_target)| DashboardSummary {
            monitors: counts.iter().find(|(d, _)| *d == id).map_or(0, |(_, n)| *n),
            id,
            name,
            sla_target,
        })
        .collect())
}

/// One of the account's dashboards; `None` for another account's or a missing one.
pub fn find(
    conn: &mut DbConnection,
    customer_id: &str,
    dashboard_id: &str,
) -> QueryResult<Option<Dashboard>> {
    let found: Option<(String, String, i64)> = dashboards::table
        .filter(dashboards::id.eq(dashboard_id))
        .filter(dashboards::customer_id.eq(customer_id))
        .select((dashboards::id, dashboards::name, dashboards::sla_target))
        .first(conn)
        .optional()?;
    let Some((id, name, sla_target)) = found else {
        return Ok(None);
    };
    let monitor_ids = dashboard_monitors::table
        .inner_join(monitors::table)
        .filter(dashboard_monitors::dashboard_id.eq(&id))
        .filter(monitors::customer_id.eq(customer_id))
        .order(monitors::name_key.asc())
        .select(monitors::id)
        .load(conn)?;
    Ok(Some(Dashboard {
        id,
        name,
        sla_target,
        monitor_ids,
    }))
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

fn check(
    conn: &mut DbConnection,
    customer_id: &str,
    input: &DashboardInput,
    except: Option<&str>,
) -> Result<(), DashboardError> {
    let taken: Vec<String> = dashboards::table
        .filter(dashboards::customer_id.eq(customer_id))
        .filter(dashboards::name_key.eq(input.name.to_lowercase()))
        .select(dashboards::id)
        .load(conn)?;
    if taken.iter().any(|id| Some(id.as_str()) != except) {
        return Err(DashboardError::NameTaken);
    }
    let ours: i64 = monitors::table
        .filter(monitors::customer_id.eq(customer_id))
        .filter(monitors::id.eq_any(&input.monitor_ids))
        .count()
        .get_result(conn)?;
    if usize::try_from(ours).ok() != Some(input.monitor_ids.len()) {
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
    input: &DashboardInput,
) -> Result<String, DashboardError> {
    check(conn, &change.customer_id, input, None)?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(dashboards::table)
        .values((
            dashboards::id.eq(&id),
            dashboards::customer_id.eq(&change.customer_id),
            dashboards::name.eq(&input.name),
            dashboards::name_key.eq(input.name.to_lowercase()),
            dashboards::sla_target.eq(input.sla_target),
            dashboards::created_at.eq(change.now),
            dashboards::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    set_monitors(conn, &id, &input.monitor_ids)?;
    change.record(conn, Action::DashboardCreated, &input.name, &details(input))?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConnection,
    change: &CustomerChange,
    dashboard_id: &str,
    input: &DashboardInput,
) -> Result<(), DashboardError> {
    let changed = diesel::update(
        dashboards::table
            .filter(dashboards::id.eq(dashboard_id))
            .filter(dashboards::customer_id.eq(&change.customer_id)),
    )
    .set((
        dashboards::name.eq(&input.name),
        dashboards::name_key.eq(input.name.to_lowercase()),
        dashboards::sla_target.eq(input.sla_target),
        dashboards::updated_at.eq(change.now),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(DashboardError::NotFound);
    }
    check(conn, &change.customer_id, input, Some(dashboard_id))?;
    set_monitors(conn, dashboard_id, &input.monitor_ids)?;
    change.record(conn, Action::DashboardChanged, &input.name, &details(input))?;
    Ok(())
}

pub fn delete(
    conn: &mut DbConnection,
    change: &CustomerChange,
    dashboard_id: &str,
) -> Result<(), DashboardError> {
    let name: String = dashboards::table
        .filter(dashboards::id.eq(dashboard_id))
        .filter(dashboards::customer_id.eq(&change.customer_id))
        .select(dashboards::name)
        .first(conn)
        .optional()?
        .ok_or(DashboardError::NotFound)?;
    diesel::delete(
        dashboard_monitors::table.filter(dashboard_monitors::dashboard_id.eq(dashboard_id)),
    )
    .execute(conn)?;
    diesel::delete(dashboards::table.filter(dashboards::id.eq(dashboard_id))).execute(conn)?;
    change.record(conn, Action::DashboardDeleted, &name, "")?;
    Ok(())
}
