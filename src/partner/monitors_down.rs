//! The home page's "customers with a monitor down": shown only when the
//! partner's customers have any monitor (kept in `partner_monitors` by triggers,
//! migration 12), counted by the customer list's own `monitors=down` filter.

use crate::auth::scope::PartnerScope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::home::Figure;
use crate::customers::list::{self, View};
use crate::db::DbConnection;
use crate::db::schema::{customer_accounts, monitors, partner_monitors};

/// The customers with a monitor down, and how many monitors are down.
pub struct MonitorsDown {
    pub figure: Figure,
    pub monitors: i64,
}

/// None when none of the partner's customers has a monitor.
pub fn load(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    now: NaiveDateTime,
) -> QueryResult<Option<MonitorsDown>> {
    let watched: Option<i32> = partner_monitors::table
        .find(scope.partner_id())
        .select(partner_monitors::monitors)
        .first(conn)
        .optional()?;
    if watched.unwrap_or(0) <= 0 {
        return Ok(None);
    }
    let view = View::monitors_down(now);
    let customers: i64 = list::matching(conn, scope, &view)
        .count()
        .get_result(conn)?;
    let mut down = monitors::table
        .inner_join(customer_accounts::table)
        .filter(customer_accounts::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .filter(monitors::last_success.eq(false))
        .filter(monitors::last_checked_at.ge(now - crate::tenancy::STALE_AFTER))
        .into_boxed();
    if let Some(in_reach) = scope.customer_filter_on() {
        down = down.filter(in_reach);
    }
    let down: i64 = down.count().get_result(conn)?;
    Ok(Some(MonitorsDown {
        figure: Figure {
            label_key: "home-monitors-down".into(),
            count: customers,
            href: view.link(|_| {}),
            key: "monitors-down",
        },
        monitors: down,
    }))
}
