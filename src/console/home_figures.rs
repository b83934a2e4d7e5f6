//! What needs attention, on the console's home page: for the account's people,
//! its sites (and those without an administrator), its monitors by state, its
//! service requests by status and its sub-accounts;
//! for an operator, only what its sub-account was granted and made. Each
//! figure is counted by the query of the list it links to, filtered the same
//! way, so the number and the list agree.

use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::CustomerCapability;
use crate::auth::identity::CustomerMember;
use crate::db::schema::sub_accounts;
use crate::db::{self, DbConnection, DbError};
use crate::monitoring::State;
use crate::monitoring::alert_definitions;
use crate::monitoring::dashboards::{self, DashboardSummary};
use crate::monitoring::monitors::{self, Monitor};
use crate::monitoring::scope::Viewer;
use crate::service_requests::{self, Scope, Status};
use crate::state::AppState;
use crate::web::{PageContext, PageError, render};

/// The monitors seen, by state.
#[derive(Debug, Clone, Copy, Default)]
pub struct MonitorCounts {
    pub up: usize,
    pub down: usize,
    pub unknown: usize,
}

impl MonitorCounts {
    pub fn of(monitors: &[Monitor]) -> MonitorCounts {
        let count = |state| monitors.iter().filter(|m| m.state == state).count();
        MonitorCounts {
            up: count(State::Up),
            down: count(State::Down),
            unknown: count(State::Unknown),
        }
    }

    pub fn total(&self) -> usize {
        self.up + self.down + self.unknown
    }
}

/// Which figures the person may see, from the role matrix.
pub struct Wanted {
    sites: bool,
    requests: bool,
    sub_accounts: bool,
}

impl Wanted {
    pub fn of(layout: &PageContext) -> Wanted {
        Wanted {
            sites: layout.customer_may(CustomerCapability::SeeAccount),
            requests: layout.customer_may(CustomerCapability::ServiceRequests),
            sub_accounts: layout.customer_may(CustomerCapability::ManageSubAccounts),
        }
    }
}

pub struct HomeFigures {
    pub monitors: MonitorCounts,
    pub sites: Option<super::sites::SiteFigures>,
    /// Service requests waiting on the partner (open) and on the customer.
    pub requests: Option<(i64, i64)>,
    pub sub_accounts: Option<i64>,
}

pub fn account(
    conn: &mut DbConnection,
    viewer: &Viewer,
    wanted: &Wanted,
    now: NaiveDateTime,
) -> Result<HomeFigures, DbError> {
    let seen = monitors::list(conn, viewer, now)?;
    let sites = if wanted.sites {
        Some(super::sites::figures(conn, viewer.customer_id())?)
    } else {
        None
    };
    let requests = if wanted.requests {
        let scope = Scope::Customer(viewer.clone());
        Some((
            service_requests::count(conn, &scope, Some(Status::Open), None)?,
            service_requests::count(conn, &scope, Some(Status::Waiting), None)?,
        ))
    } else {
        None
    };
    let sub_accounts = if wanted.sub_accounts {
        Some(
            sub_accounts::table
                .filter(sub_accounts::customer_id.eq(viewer.customer_id()))
                .count()
                .get_result(conn)?,
        )
    } else {
        None
    };
    Ok(HomeFigures {
        monitors: MonitorCounts::of(&seen),
        sites,
        requests,
        sub_accounts,
    })
}

#[derive(Template)]
#[template(path = "console/operator_home.html")]
struct OperatorHome {
    layout: PageContext,
    sub_account: crate::access::SubAccountAccess,
    monitors: MonitorCounts,
    down: Vec<Monitor>,
    dashboards: Vec<DashboardSummary>,
    alert_definitions: usize,
    alerting: usize,
}

/// An operator's home: what the sub-account sees, and what it may do.
pub async fn operator_home(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
) -> Result<HttpResponse, PageError> {
    let Some(sub_account) = member.membership.sub_account.clone() else {
        return Err(PageError::NotFound);
    };
    let viewer = member.scope().clone();
    let now = state.clock.now();
    let (seen, dashboards, definitions) = db::run(&state.pool, move |conn| {
        Ok::<_, DbError>((
            monitors::list(conn, &viewer, now)?,
            dashboards::list(conn, &viewer)?,
            alert_definitions::list(conn, &viewer)?,
        ))
    })
    .await?;
    render(&OperatorHome {
        layout,
        sub_account,
        monitors: MonitorCounts::of(&seen),
        down: seen
            .into_iter()
            .filter(|m| m.state == State::Down)
            .collect(),
        dashboards,
        alert_definitions: definitions.len(),
        alerting: definitions.iter().filter(|d| d.alerting > 0).count(),
    })
}
