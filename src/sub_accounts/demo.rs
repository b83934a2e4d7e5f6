//! The demo's sub-account: the first customer hands its SLA dashboard to a
//! network vendor, whose operator is alerted when the router fails.

use crate::ids::MembershipId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::operators::OPERATOR_ROLE;
use crate::accounts::{
    self, DisplayName, EmailAddress, LoginState, MembershipOf, NewLogin, Username,
};
use crate::db::DbConnection;
use crate::db::schema::{
    alert_definition_monitors, alert_definition_recipients, alert_definitions, dashboard_monitors,
    dashboards, logins, sub_account_dashboards, sub_accounts,
};
use crate::i18n::Lang;

pub const DEMO_OPERATOR: &str = "vendor@netops.example";
const DEMO_SUB_ACCOUNT: &str = "NetOps (network vendor)";

/// Seeds the sub-account once, and (re)sets the operator's password; returns
/// the sub-account's name, or `None` when the first customer has no SLA
/// dashboard to hand over.
pub fn seed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
    password_hash: &str,
) -> QueryResult<Option<String>> {
    let Some((customer_id, dashboard_id)) = first_dashboard(conn, partner_id)? else {
        return Ok(None);
    };
    let existing: Option<String> = sub_accounts::table
        .filter(sub_accounts::customer_id.eq(&customer_id))
        .filter(sub_accounts::name_key.eq(DEMO_SUB_ACCOUNT.to_lowercase()))
        .select(sub_accounts::id)
        .first(conn)
        .optional()?;
    let login_id = operator_login(conn, now, password_hash)?;
    if existing.is_some() {
        return Ok(Some(DEMO_SUB_ACCOUNT.to_owned()));
    }
    let sub_account_id = insert_sub_account(conn, now, &customer_id, &dashboard_id)?;
    let of = MembershipOf::SubAccount(&sub_account_id);
    let membership_id =
        accounts::insert_active_membership(conn, now, &login_id, of, OPERATOR_ROLE)?;
    let membership_id = MembershipId::new(membership_id);
    let sub_account = SubAccount {
        id: &sub_account_id,
        customer_id: &customer_id,
    };
    insert_alert(conn, now, sub_account, &dashboard_id, &membership_id)?;
    Ok(Some(DEMO_SUB_ACCOUNT.to_owned()))
}

/// The partner's first customer, by name, and its first dashboard, when it has one.
fn first_dashboard(
    conn: &mut DbConnection,
    partner_id: &str,
) -> QueryResult<Option<(String, String)>> {
    let Some(customer_id) = crate::monitoring::demo::first_customer_of(conn, partner_id)? else {
        return Ok(None);
    };
    let dashboard: Option<String> = dashboards::table
        .filter(dashboards::customer_id.eq(&customer_id))
        .order(dashboards::created_at.asc())
        .select(dashboards::id)
        .first(conn)
        .optional()?;
    Ok(dashboard.map(|dashboard_id| (customer_id, dashboard_id)))
}

/// The sub-account, handed the dashboard; answers its id.
fn insert_sub_account(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    dashboard_id: &str,
) -> QueryResult<String> {
    let permissions = super::Permissions {
        can_build_dashboards: true,
        can_manage_monitors: true,
        monitor_quota: 5,
        can_edit_alerts: true,
    };
    let sub_account_id = super::insert(conn, now, customer_id, DEMO_SUB_ACCOUNT, permissions)?;
    diesel::insert_into(sub_account_dashboards::table)
        .values((
            sub_account_dashboards::sub_account_id.eq(&sub_account_id),
            sub_account_dashboards::dashboard_id.eq(dashboard_id),
        ))
        .execute(conn)?;
    Ok(sub_account_id)
}

#[derive(Clone, Copy)]
struct SubAccount<'a> {
    id: &'a str,
    customer_id: &'a str,
}

/// The sub-account's alert on the dashboard's monitors, sent to the operator.
fn insert_alert(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    sub_account: SubAccount<'_>,
    dashboard_id: &str,
    recipient_membership_id: &MembershipId,
) -> QueryResult<()> {
    let watched: Vec<String> = dashboard_monitors::table
        .filter(dashboard_monitors::dashboard_id.eq(dashboard_id))
        .select(dashboard_monitors::monitor_id)
        .load(conn)?;
    let definition_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(alert_definitions::table)
        .values((
            alert_definitions::id.eq(&definition_id),
            alert_definitions::customer_id.eq(sub_account.customer_id),
            alert_definitions::sub_account_id.eq(sub_account.id),
            alert_definitions::name.eq("SLA monitors down"),
            alert_definitions::name_key.eq("sla monitors down"),
            alert_definitions::failures.eq(3),
            alert_definitions::created_at.eq(now),
            alert_definitions::updated_at.eq(now),
        ))
        .execute(conn)?;
    for monitor_id in &watched {
        diesel::insert_into(alert_definition_monitors::table)
            .values((
                alert_definition_monitors::alert_definition_id.eq(&definition_id),
                alert_definition_monitors::monitor_id.eq(monitor_id),
                alert_definition_monitors::alerting.eq(false),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(alert_definition_recipients::table)
        .values((
            alert_definition_recipients::alert_definition_id.eq(&definition_id),
            alert_definition_recipients::membership_id.eq(recipient_membership_id),
        ))
        .execute(conn)?;
    Ok(())
}

fn operator_login(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    password_hash: &str,
) -> QueryResult<String> {
    let invalid = || diesel::result::Error::QueryBuilderError("demo operator".into());
    let username = Username::parse(DEMO_OPERATOR).map_err(|_| invalid())?;
    match accounts::find_by_username(conn, &username)? {
        Some(id) => {
            diesel::update(logins::table.filter(logins::id.eq(&id)))
                .set((
                    logins::password_hash.eq(Some(password_hash)),
                    logins::state.eq(LoginState::Active),
                ))
                .execute(conn)?;
            Ok(id)
        }
        None => {
            let new = NewLogin {
                username,
                email: EmailAddress::parse(DEMO_OPERATOR).map_err(|_| invalid())?,
                full_name: DisplayName::parse("Nina NetOps").map_err(|_| invalid())?,
                language: Lang::En,
                time_zone: chrono_tz::Europe::Paris,
            };
            accounts::insert(conn, now, &new, LoginState::Active, Some(password_hash))
        }
    }
}
