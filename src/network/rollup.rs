//! A distributor's figures over every organisation under it, for its home
//! page: customers by state, trials ending, licences over quantity, health and
//! open service requests. Each figure links to the network's customer list
//! (`customers.rs`) filtered to exactly those customers and is counted by that
//! list's own query, so the number and the list agree. The kept per-partner
//! counts (`customer_counts`) answer all but trials ending and open requests,
//! which are read from indexes: nothing here reads every customer.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::customers::{self, NetworkView};
use crate::auth::scope::PartnerScope;
use crate::customers::{CustomerState, Health};
use crate::db::DbConnection;

/// One number and the list that shows its customers.
pub struct NetworkFigure {
    pub key: String,
    pub label_key: String,
    pub count: i64,
    pub href: String,
}

impl NetworkFigure {
    fn of(
        conn: &mut DbConnection,
        network: &[String],
        key: impl Into<String>,
        label_key: impl Into<String>,
        view: NetworkView,
    ) -> QueryResult<Self> {
        Ok(NetworkFigure {
            key: key.into(),
            label_key: label_key.into(),
            count: customers::total(conn, network, &view)?,
            href: view.link(|_| {}),
        })
    }
}

pub struct Rollup {
    /// The organisations under the distributor.
    pub resellers: usize,
    pub total: NetworkFigure,
    pub by_state: Vec<NetworkFigure>,
    pub trials_ending: NetworkFigure,
    pub licences_over: NetworkFigure,
    pub by_health: Vec<NetworkFigure>,
    pub open_requests: NetworkFigure,
}

/// A distributor's figures for its home page; None for an organisation with
/// nothing under it (one probe of the parent index).
pub fn for_home(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    today: NaiveDate,
    trials_days: i64,
) -> QueryResult<Option<Rollup>> {
    if scope.reach().is_limited()
        || !super::tree::has_descendants(conn, scope.partner_id().as_str())?
    {
        return Ok(None);
    }
    let network: Vec<String> = super::network_of(conn, scope)?
        .into_iter()
        .map(|node| node.id)
        .collect();
    load(conn, &network, today, trials_days).map(Some)
}

/// The figures of `network` (the ids of the organisations under the
/// distributor), read on `today` in the reader's zone; trials ending within
/// `trials_days` count (the home's own window, passed in).
pub fn load(
    conn: &mut DbConnection,
    network: &[String],
    today: NaiveDate,
    trials_days: i64,
) -> QueryResult<Rollup> {
    let mut by_state = Vec::new();
    for state in CustomerState::ALL.iter().copied() {
        let view = NetworkView {
            state: Some(state),
            ..NetworkView::default()
        };
        by_state.push(NetworkFigure::of(
            conn,
            network,
            format!("state-{}", state.as_str()),
            state.count_key(),
            view,
        )?);
    }
    let mut by_health = Vec::new();
    for health in [Health::Incident, Health::Advisory] {
        let view = NetworkView {
            health: Some(health),
            ..NetworkView::default()
        };
        by_health.push(NetworkFigure::of(
            conn,
            network,
            format!("health-{}", health.as_str()),
            health.count_key(),
            view,
        )?);
    }
    let trials = NetworkView {
        trial_ends: Some((today, today + Duration::days(trials_days))),
        ..NetworkView::default()
    };
    let over = NetworkView {
        seats_over: true,
        ..NetworkView::default()
    };
    let requests = NetworkView {
        open_requests: true,
        ..NetworkView::default()
    };
    Ok(Rollup {
        resellers: network.len(),
        total: NetworkFigure::of(
            conn,
            network,
            "all",
            "home-customers",
            NetworkView::default(),
        )?,
        by_state,
        trials_ending: NetworkFigure::of(
            conn,
            network,
            "trials-ending",
            "home-trials-ending",
            trials,
        )?,
        licences_over: NetworkFigure::of(
            conn,
            network,
            "licences-over",
            "home-licences-over",
            over,
        )?,
        by_health,
        open_requests: NetworkFigure::of(
            conn,
            network,
            "open-requests",
            "network-open-requests",
            requests,
        )?,
    })
}
