//! Whose monitors, dashboards and alert definitions a request sees: the whole
//! customer account, or what one sub-account was granted and made. Every
//! monitoring query goes through a [`Viewer`]; the grants are read on each
//! request, so removing one takes effect at once.

use diesel::prelude::*;

use crate::access::SubAccountAccess;
use crate::db::DbConnection;
use crate::db::schema::{
    dashboard_monitors, dashboards, monitors, sub_account_dashboards, sub_account_monitors,
};
use crate::ids::CustomerId;

/// Whose monitors a request sees: the account, or one sub-account's grants.
pub use crate::auth::scope::ConsoleScope as Viewer;

/// The ids of the dashboards granted to a sub-account, as a subquery.
macro_rules! dashboards_granted_to {
    ($sub_account_id:expr) => {
        sub_account_dashboards::table
            .filter(sub_account_dashboards::sub_account_id.eq($sub_account_id))
            .select(sub_account_dashboards::dashboard_id)
    };
}

/// The account and the grants of a sub-account's viewer; `None` for the whole
/// account, which sees everything of its own.
fn sub_account_of(viewer: &Viewer) -> Option<(&CustomerId, &SubAccountAccess)> {
    match viewer {
        Viewer::SubAccount(sub_account) => Some((sub_account.customer_id(), sub_account.access())),
        Viewer::Account(_) => None,
    }
}

/// The monitors a sub-account sees: those it made, those granted to it, and
/// those on a dashboard granted to it (granting a dashboard shows it whole).
/// `None` for the whole account.
pub fn visible_monitor_ids(
    conn: &mut DbConnection,
    viewer: &Viewer,
) -> QueryResult<Option<Vec<String>>> {
    let Some((customer_id, access)) = sub_account_of(viewer) else {
        return Ok(None);
    };
    let granted_dashboards = dashboards_granted_to!(&access.id);
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
    let Some((customer_id, access)) = sub_account_of(viewer) else {
        return Ok(None);
    };
    let granted = dashboards_granted_to!(&access.id);
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
