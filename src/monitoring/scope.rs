//! Whose monitors, dashboards and alert definitions a request sees: the whole
//! customer account, or what one sub-account was granted and made. Every
//! monitoring query goes through a [`Viewer`]; the grants are read on each
//! request, so removing one takes effect at once.

use diesel::prelude::*;

use crate::access::{CustomerCapability, SubAccountAccess};
use crate::auth::identity::CustomerMember;
use crate::db::DbConnection;
use crate::db::schema::{
    dashboard_monitors, dashboards, monitors, sub_account_dashboards, sub_account_monitors,
    sub_accounts,
};

#[derive(Debug, Clone)]
pub enum Viewer {
    /// The account's own people (and an assisting partner): everything.
    Account { customer_id: String },
    /// An operator: the sub-account's grants and what it made itself.
    SubAccount {
        customer_id: String,
        access: SubAccountAccess,
    },
}

impl Viewer {
    pub fn of(member: &CustomerMember) -> Viewer {
        let customer_id = member.customer_id().to_owned();
        match &member.membership.sub_account {
            Some(access) => Viewer::SubAccount {
                customer_id,
                access: access.clone(),
            },
            None => Viewer::Account { customer_id },
        }
    }

    /// The sub-account's viewer, if the sub-account is the account's.
    pub fn of_sub_account(
        conn: &mut DbConnection,
        customer_id: &str,
        sub_account_id: &str,
    ) -> QueryResult<Option<Viewer>> {
        let found: Option<(String, String, bool, bool, i32, bool)> = sub_accounts::table
            .filter(sub_accounts::id.eq(sub_account_id))
            .filter(sub_accounts::customer_id.eq(customer_id))
            .select((
                sub_accounts::id,
                sub_accounts::name,
                sub_accounts::can_build_dashboards,
                sub_accounts::can_manage_monitors,
                sub_accounts::monitor_quota,
                sub_accounts::can_edit_alerts,
            ))
            .first(conn)
            .optional()?;
        Ok(found.map(
            |(id, name, dashboards, monitors, quota, alerts)| Viewer::SubAccount {
                customer_id: customer_id.to_owned(),
                access: SubAccountAccess {
                    id,
                    name,
                    can_build_dashboards: dashboards,
                    can_manage_monitors: monitors,
                    monitor_quota: quota,
                    can_edit_alerts: alerts,
                },
            },
        ))
    }

    /// The account the viewer is in.
    pub fn customer_id(&self) -> &str {
        match self {
            Viewer::Account { customer_id } | Viewer::SubAccount { customer_id, .. } => customer_id,
        }
    }

    /// The sub-account things made by this viewer belong to.
    pub fn sub_account_id(&self) -> Option<&str> {
        match self {
            Viewer::Account { .. } => None,
            Viewer::SubAccount { access, .. } => Some(&access.id),
        }
    }

    /// Whether the viewer's sub-account, if any, allows the capability.
    pub fn allows(&self, capability: CustomerCapability) -> bool {
        match self {
            Viewer::Account { .. } => true,
            Viewer::SubAccount { access, .. } => access.allows(capability),
        }
    }
}

/// The monitors a sub-account sees: those it made, those granted to it, and
/// those on a dashboard granted to it (granting a dashboard shows it whole).
/// `None` for the whole account.
pub fn visible_monitor_ids(
    conn: &mut DbConnection,
    viewer: &Viewer,
) -> QueryResult<Option<Vec<String>>> {
    let Viewer::SubAccount {
        customer_id,
        access,
    } = viewer
    else {
        return Ok(None);
    };
    let granted_dashboards = sub_account_dashboards::table
        .filter(sub_account_dashboards::sub_account_id.eq(&access.id))
        .select(sub_account_dashboards::dashboard_id);
    let on_dashboards = dashboard_monitors::table
        .filter(dashboard_monitors::dashboard_id.eq_any(granted_dashboards))
        .select(dashboard_monitors::monitor_id);
    let granted = sub_account_monitors::table
        .filter(sub_account_monitors::sub_account_id.eq(&access.id))
        .select(sub_account_monitors::monitor_id);
    monitors::table
        .filter(monitors::customer_id.eq(customer_id))
        .filter(
            monitors::sub_account_id
                .eq(&access.id)
                .or(monitors::id.eq_any(granted))
                .or(monitors::id.eq_any(on_dashboards)),
        )
        .select(monitors::id)
        .load(conn)
        .map(Some)
}

/// The dashboards a sub-account sees: those granted to it and those its
/// operators built. `None` for the whole account.
pub fn visible_dashboard_ids(
    conn: &mut DbConnection,
    viewer: &Viewer,
) -> QueryResult<Option<Vec<String>>> {
    let Viewer::SubAccount {
        customer_id,
        access,
    } = viewer
    else {
        return Ok(None);
    };
    let granted = sub_account_dashboards::table
        .filter(sub_account_dashboards::sub_account_id.eq(&access.id))
        .select(sub_account_dashboards::dashboard_id);
    dashboards::table
        .filter(dashboards::customer_id.eq(customer_id))
        .filter(
            dashboards::sub_account_id
                .eq(&access.id)
                .or(dashboards::id.eq_any(granted)),
        )
        .select(dashboards::id)
        .load(conn)
        .map(Some)
}

/// Whether `id` is among the visible ones (`None`: all of the account's).
pub fn sees(visible: &Option<Vec<String>>, id: &str) -> bool {
    visible
        .as_ref()
        .is_none_or(|ids| ids.iter().any(|v| v == id))
}
