//! Sub-accounts: a customer account's administrator hands part
//! of its monitoring to other people (an end customer, a vendor, a reseller's
//! client). A sub-account is granted dashboards and monitors, has permissions
//! (build dashboards, manage monitors up to a quota, edit alert definitions),
//! and operators invited by email. What operators then see is worked out from
//! the grants on each request (`monitoring::scope`).

pub mod demo;
pub mod operator_pages;
pub mod operators;
pub mod pages;

use crate::access::SubAccountAccess;
use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::Action;
use crate::auth::scope::{CustomerScope, Owned};
use crate::db::OrTaken;
use crate::db::schema::{
    dashboards, memberships, monitors, sub_account_dashboards, sub_account_monitors, sub_accounts,
};
use crate::db::{DbConnection, DbError};
use crate::tenancy::CustomerChange;

pub const NAME_MAX: usize = 120;
/// The most monitors a quota may allow.
pub const QUOTA_MAX: i32 = 10_000;

/// What a sub-account's operators may do beyond seeing their grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions {
    pub can_build_dashboards: bool,
    pub can_manage_monitors: bool,
    pub monitor_quota: i32,
    pub can_edit_alerts: bool,
}

impl Permissions {
    /// The permissions as a line for the activity log.
    fn summary(&self) -> String {
        let mut parts = vec!["view"];
        if self.can_build_dashboards {
            parts.push("build dashboards");
        }
        let monitors;
        if self.can_manage_monitors {
            monitors = format!("manage monitors (quota {})", self.monitor_quota);
            parts.push(&monitors);
        }
        if self.can_edit_alerts {
            parts.push("edit alerts");
        }
        parts.join(", ")
    }
}

pub struct SubAccount {
    pub id: String,
    pub name: String,
    pub permissions: Permissions,
    pub created_at: NaiveDateTime,
    /// Monitors its operators made (counted against the quota).
    pub monitors_made: i64,
    pub operators: i64,
}

type Row = (SubAccountAccess, NaiveDateTime);

fn from_row((access, created_at): Row) -> SubAccount {
    SubAccount {
        id: access.id,
        name: access.name,
        permissions: Permissions {
            can_build_dashboards: access.can_build_dashboards,
            can_manage_monitors: access.can_manage_monitors,
            monitor_quota: access.monitor_quota,
            can_edit_alerts: access.can_edit_alerts,
        },
        created_at,
        monitors_made: 0,
        operators: 0,
    }
}

macro_rules! sub_account_query {
    ($customer_id:expr) => {
        sub_accounts::table
            .filter(sub_accounts::customer_id.eq($customer_id))
            .select((SubAccountAccess::as_select(), sub_accounts::created_at))
    };
}

/// The account's sub-accounts by name, with their monitors made and operators.
pub fn list(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Vec<SubAccount>> {
    let rows: Vec<Row> = sub_account_query!(customer_id)
        .order((sub_accounts::name_key.asc(), sub_accounts::id.asc()))
        .load(conn)?;
    let ids: Vec<&String> = rows.iter().map(|(access, _)| &access.id).collect();
    let made: Vec<(Option<String>, i64)> = monitors::table
        .filter(monitors::sub_account_id.eq_any(&ids))
        .group_by(monitors::sub_account_id)
        .select((monitors::sub_account_id, diesel::dsl::count_star()))
        .load(conn)?;
    let people: Vec<(Option<String>, i64)> = memberships::table
        .filter(memberships::sub_account_id.eq_any(&ids))
        .filter(memberships::state.eq(MembershipState::Active))
        .group_by(memberships::sub_account_id)
        .select((memberships::sub_account_id, diesel::dsl::count_star()))
        .load(conn)?;
    let count = |counts: &[(Option<String>, i64)], id: &str| {
        counts
            .iter()
            .find(|(s, _)| s.as_deref() == Some(id))
            .map_or(0, |(_, n)| *n)
    };
    Ok(rows
        .into_iter()
        .map(from_row)
        .map(|mut s| {
            s.monitors_made = count(&made, &s.id);
            s.operators = count(&people, &s.id);
            s
        })
        .collect())
}

/// One of the account's sub-accounts; `None` for another account's or a missing one.
pub fn find(
    conn: &mut DbConnection,
    account: &CustomerScope,
    sub_account_id: &str,
) -> QueryResult<Option<Owned<SubAccount>>> {
    Ok(list(conn, account.customer_id())?
        .into_iter()
        .find(|s| s.id == sub_account_id)
        .map(|sub_account| Owned::found_in(account, sub_account)))
}

/// The sub-account as [`find`] has it, or `NotFound`.
pub fn find_or_missing(
    conn: &mut DbConnection,
    account: &CustomerScope,
    sub_account_id: &str,
) -> Result<Owned<SubAccount>, SubAccountError> {
    find(conn, account, sub_account_id)?.ok_or(SubAccountError::NotFound)
}

/// What a sub-account was granted: dashboard ids and monitor ids.
pub struct Grants {
    pub dashboard_ids: Vec<String>,
    pub monitor_ids: Vec<String>,
}

pub fn grants_of(conn: &mut DbConnection, sub_account_id: &str) -> QueryResult<Grants> {
    Ok(Grants {
        dashboard_ids: sub_account_dashboards::table
            .filter(sub_account_dashboards::sub_account_id.eq(sub_account_id))
            .select(sub_account_dashboards::dashboard_id)
            .load(conn)?,
        monitor_ids: sub_account_monitors::table
            .filter(sub_account_monitors::sub_account_id.eq(sub_account_id))
            .select(sub_account_monitors::monitor_id)
            .load(conn)?,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SubAccountError {
    #[error("no such sub-account")]
    NotFound,
    #[error("a sub-account already has this name")]
    NameTaken,
    #[error("not one of the account's dashboards or monitors")]
    UnknownGrant,
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for SubAccountError {
    fn from(error: diesel::result::Error) -> Self {
        SubAccountError::Database(error.into())
    }
}

fn name_taken(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    name: &str,
    except: Option<&str>,
) -> QueryResult<bool> {
    let same: Vec<String> = sub_accounts::table
        .filter(sub_accounts::customer_id.eq(customer_id))
        .filter(sub_accounts::name_key.eq(name.to_lowercase()))
        .select(sub_accounts::id)
        .load(conn)?;
    Ok(same.iter().any(|id| Some(id.as_str()) != except))
}

/// A sub-account's name and permissions as their columns: what its insert and
/// its updates write.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = sub_accounts)]
struct SettingsColumns<'a> {
    name: &'a str,
    name_key: String,
    can_build_dashboards: bool,
    can_manage_monitors: bool,
    monitor_quota: i32,
    can_edit_alerts: bool,
    updated_at: NaiveDateTime,
}

impl<'a> SettingsColumns<'a> {
    fn new(name: &'a str, permissions: Permissions, now: NaiveDateTime) -> Self {
        SettingsColumns {
            name,
            name_key: name.to_lowercase(),
            can_build_dashboards: permissions.can_build_dashboards,
            can_manage_monitors: permissions.can_manage_monitors,
            monitor_quota: permissions.monitor_quota,
            can_edit_alerts: permissions.can_edit_alerts,
            updated_at: now,
        }
    }
}

/// Writes a new sub-account of the account; answers its id. Checks nothing
/// and records nothing: [`create`] does, and the demo needs neither.
fn insert(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    name: &str,
    permissions: Permissions,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(sub_accounts::table)
        .values((
            sub_accounts::id.eq(&id),
            sub_accounts::customer_id.eq(customer_id),
            sub_accounts::created_at.eq(now),
            SettingsColumns::new(name, permissions, now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn create(
    conn: &mut DbConnection,
    change: &CustomerChange,
    name: &str,
    permissions: Permissions,
) -> Result<String, SubAccountError> {
    if name_taken(conn, change.customer_id(), name, None)? {
        return Err(SubAccountError::NameTaken);
    }
    let id = insert(
        conn,
        change.now,
        change.customer_id().as_str(),
        name,
        permissions,
    )
    .or_taken(SubAccountError::NameTaken)?;
    change.record(
        conn,
        Action::SubAccountCreated,
        name,
        &permissions.summary(),
    )?;
    Ok(id)
}

/// Renames a sub-account and sets its permissions. A lower quota leaves the
/// monitors already made; it only stops new ones.
pub fn update(
    conn: &mut DbConnection,
    change: &CustomerChange,
    sub_account: &Owned<SubAccount>,
    name: &str,
    permissions: Permissions,
) -> Result<(), SubAccountError> {
    if name_taken(conn, change.customer_id(), name, Some(&sub_account.id))? {
        return Err(SubAccountError::NameTaken);
    }
    diesel::update(
        sub_accounts::table
            .find(&sub_account.id)
            .filter(sub_accounts::customer_id.eq(change.customer_id())),
    )
    .set(SettingsColumns::new(name, permissions, change.now))
    .execute(conn)
    .or_taken(SubAccountError::NameTaken)?;
    change.record(
        conn,
        Action::SubAccountChanged,
        name,
        &permissions.summary(),
    )?;
    Ok(())
}

/// Replaces what the sub-account is granted. Only the account's own dashboards
/// and monitors can be granted (not those another sub-account made).
pub fn set_grants(
    conn: &mut DbConnection,
    change: &CustomerChange,
    sub_account: &Owned<SubAccount>,
    grants: &Grants,
) -> Result<(), SubAccountError> {
    let sub_account_id = sub_account.id.as_str();
    let dashboards_found: i64 = dashboards::table
        .filter(dashboards::customer_id.eq(change.customer_id()))
        .filter(dashboards::sub_account_id.is_null())
        .filter(dashboards::id.eq_any(&grants.dashboard_ids))
        .count()
        .get_result(conn)?;
    let monitors_found: i64 = monitors::table
        .filter(monitors::customer_id.eq(change.customer_id()))
        .filter(monitors::sub_account_id.is_null())
        .filter(monitors::id.eq_any(&grants.monitor_ids))
        .count()
        .get_result(conn)?;
    if usize::try_from(dashboards_found).ok() != Some(grants.dashboard_ids.len())
        || usize::try_from(monitors_found).ok() != Some(grants.monitor_ids.len())
    {
        return Err(SubAccountError::UnknownGrant);
    }
    diesel::delete(
        sub_account_dashboards::table
            .filter(sub_account_dashboards::sub_account_id.eq(sub_account_id)),
    )
    .execute(conn)?;
    diesel::delete(
        sub_account_monitors::table.filter(sub_account_monitors::sub_account_id.eq(sub_account_id)),
    )
    .execute(conn)?;
    for dashboard_id in &grants.dashboard_ids {
        diesel::insert_into(sub_account_dashboards::table)
            .values((
                sub_account_dashboards::sub_account_id.eq(sub_account_id),
                sub_account_dashboards::dashboard_id.eq(dashboard_id),
            ))
            .execute(conn)?;
    }
    for monitor_id in &grants.monitor_ids {
        diesel::insert_into(sub_account_monitors::table)
            .values((
                sub_account_monitors::sub_account_id.eq(sub_account_id),
                sub_account_monitors::monitor_id.eq(monitor_id),
            ))
            .execute(conn)?;
    }
    let details = format!(
        "{} dashboards · {} monitors",
        grants.dashboard_ids.len(),
        grants.monitor_ids.len()
    );
    change.record(
        conn,
        Action::SubAccountGrantsChanged,
        &sub_account.name,
        &details,
    )?;
    Ok(())
}
