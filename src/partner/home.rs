//! The partner home page: what needs the person today, across every
//! customer their membership may see. Each figure links to the customer list
//! filtered to exactly those customers, and is counted by the list's own query
//! (or its kept counts), so the number and the list always agree.

use crate::auth::scope::PartnerScope;
use actix_web::HttpResponse;
use askama::Template;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::access::Capability;
use crate::customers::list::{self, View};
use crate::customers::{BillingType, CustomerState, Health};
use crate::db::schema::{activity_log, customer_counts};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::format_time;
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render};

/// Trials ending within this many days count as ending soon.
pub const TRIALS_ENDING_DAYS: i64 = 14;
/// Licences expiring within this many days count as expiring soon.
pub const LICENCES_EXPIRING_DAYS: i64 = 30;
/// How many of the worst-off customers the page names.
const WORST_SHOWN: i64 = 5;
const RECENT_SHOWN: i64 = 8;

/// One number on the page and the list that shows its customers.
pub struct Figure {
    pub label_key: String,
    pub count: i64,
    pub href: String,
    /// A stable name for the figure, for the page's ids.
    pub key: &'static str,
}

impl Figure {
    fn of(view: &View, label_key: impl Into<String>, key: &'static str, count: i64) -> Figure {
        Figure {
            label_key: label_key.into(),
            count,
            href: view.link(|_| {}),
            key,
        }
    }
}

/// A customer whose service health is not healthy.
pub struct Unwell {
    pub id: String,
    pub name: String,
    pub health: Health,
}

pub struct Recent {
    pub at: String,
    pub person: String,
    pub action: String,
    pub target: String,
}

pub struct Dashboard {
    pub total: Figure,
    pub by_state: Vec<Figure>,
    pub by_billing: Vec<Figure>,
    pub by_health: Vec<Figure>,
    pub worst: Vec<Unwell>,
    pub trials_ending: Figure,
    /// Trials whose last day has passed, not converted.
    pub trials_ended: Figure,
    pub licences_expiring: Figure,
    /// Customers with an active licence using more seats than it has.
    pub licences_over: Figure,
    /// The latest entries of the log, for the roles that may read it.
    pub recent: Option<Vec<(NaiveDateTime, String, String, String)>>,
    /// Open service requests: waiting on the partner, for the roles that serve them.
    pub open_requests: Option<Figure>,
    /// Staff invitations whose link stops working within a day.
    pub expiring_invitations: Option<Figure>,
    pub new_customers: super::charts::MonthlyChart,
    /// Customers with a monitor down, when the partner's customers have monitors.
    pub monitors_down: Option<super::monitors_down::MonitorsDown>,
    /// Kept for the whole partner only: none for a member limited to some
    /// groups, whose customers' past states are not kept apart.
    pub by_state_over_time: Option<super::state_history::StateChart>,
}

use super::home_reach::{CountRow, Reached};

/// The partner's customers by state, billing type, health and licence flags,
/// from the counts the list keeps (migration 4): a sum over a few dozen rows.
/// They are the whole partner's: a member limited to some groups has theirs
/// counted from the customers they reach (`Reached::counts`).
fn counts(conn: &mut DbConnection, scope: &PartnerScope) -> QueryResult<Vec<CountRow>> {
    let rows: Vec<(String, String, i32, i32, i32)> = customer_counts::table
        .filter(customer_counts::partner_id.eq(scope.partner_id()))
        .select((
            customer_counts::state,
            customer_counts::billing_type,
            customer_counts::health_level,
            customer_counts::customers,
            customer_counts::licence_flags,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(state, billing, health, n, flags)| (state, billing, health, i64::from(n), flags))
        .collect())
}

/// What a role sees beyond the customers.
#[derive(Debug, Clone, Copy)]
pub struct Sections {
    pub activity: bool,
    pub requests: bool,
    /// Staff invitations, for the roles that manage staff.
    pub staff: bool,
}

/// When the page is read: the instant, and the day and zone of its reader.
#[derive(Debug, Clone, Copy)]
pub struct Moment {
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    pub zone: chrono_tz::Tz,
}

pub fn load(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    moment: Moment,
    sections: Sections,
) -> QueryResult<Dashboard> {
    let Moment { now, today, zone } = moment;
    let licences_until = today + Duration::days(LICENCES_EXPIRING_DAYS);
    // A member limited to some groups: the customers they reach, read once
    // for every figure below that the kept counts cannot give.
    let reached = if scope.reach().is_limited() {
        Some(Reached::read(conn, scope, today, licences_until)?)
    } else {
        None
    };
    let counts = Counts(match &reached {
        Some(reached) => reached.counts(),
        None => counts(conn, scope)?,
    });
    let (by_health, worst) = by_health(conn, scope, &counts)?;
    let (trials_ending, trials_ended) = trial_figures(conn, scope, moment, reached.as_ref())?;
    let licences_expiring = match &reached {
        Some(reached) => reached.licences_expiring(),
        None => list::count_licences_expiring(conn, scope, today, licences_until)?,
    };
    let (licences_expiring, licences_over) =
        licence_figures(today, licences_until, licences_expiring, &counts);
    let open_requests = if sections.requests {
        Some(open_requests(conn, scope)?)
    } else {
        None
    };
    let expiring_invitations = if sections.staff {
        Some(expiring_invitations(conn, scope, now)?)
    } else {
        None
    };
    let recent = if sections.activity {
        Some(recent_activity(conn, scope)?)
    } else {
        None
    };
    Ok(Dashboard {
        total: Figure::of(
            &View::default(),
            "home-customers",
            "all",
            counts.sum(|_| true),
        ),
        by_state: counts.by_state(),
        by_billing: counts.by_billing(),
        by_health,
        worst,
        trials_ending,
        trials_ended,
        licences_expiring,
        licences_over,
        recent,
        open_requests,
        expiring_invitations,
        new_customers: match &reached {
            Some(reached) => super::charts::monthly_chart(today, zone, |from, until| {
                Ok(reached.created_between(from, until))
            })?,
            None => super::charts::new_customers(conn, scope, today, zone)?,
        },
        monitors_down: super::monitors_down::load(conn, scope, now)?,
        by_state_over_time: if scope.reach().is_limited() {
            None
        } else {
            Some(super::state_history::load(
                conn,
                scope,
                counts.states_now(),
                today,
                zone,
            )?)
        },
    })
}

/// The partner's kept counts, summed by what a figure counts.
struct Counts(Vec<CountRow>);

impl Counts {
    fn sum(&self, keep: impl Fn(&CountRow) -> bool) -> i64 {
        self.0.iter().filter(|row| keep(row)).map(|row| row.3).sum()
    }

    /// The customers in each of the first three states, for the chart's today.
    fn states_now(&self) -> [i64; 3] {
        let mut states_now = [0i64; 3];
        for (n, state) in CustomerState::ALL.iter().enumerate().take(3) {
            states_now[n] = self.sum(|row| row.0 == state.as_str());
        }
        states_now
    }

    fn by_state(&self) -> Vec<Figure> {
        CustomerState::ALL
            .iter()
            .copied()
            .map(|state| {
                let view = View {
                    state: Some(state),
                    ..View::default()
                };
                let count = self.sum(|row| row.0 == state.as_str());
                Figure::of(&view, state.count_key(), state.as_str(), count)
            })
            .collect()
    }

    fn by_billing(&self) -> Vec<Figure> {
        BillingType::ALL
            .iter()
            .copied()
            .map(|billing| {
                let view = View {
                    billing: Some(billing),
                    ..View::default()
                };
                let count = self.sum(|row| row.1 == billing.as_str());
                Figure::of(&view, billing.count_key(), billing.as_str(), count)
            })
            .collect()
    }
}

/// The customers by health that is not healthy, worst first (incidents, then
/// advisories), and the first of them named.
fn by_health(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    counts: &Counts,
) -> QueryResult<(Vec<Figure>, Vec<Unwell>)> {
    let mut by_health = Vec::new();
    let mut worst = Vec::new();
    for health in [Health::Incident, Health::Advisory] {
        let view = View {
            health: Some(health),
            ..View::default()
        };
        let count = counts.sum(|row| row.2 == health.level());
        by_health.push(Figure::of(
            &view,
            health.count_key(),
            health.as_str(),
            count,
        ));
        if (worst.len() as i64) < WORST_SHOWN && count > 0 {
            let named: Vec<(String, String)> = list::sorted(conn, scope, &view)
                .select((
                    crate::db::schema::customer_accounts::id,
                    crate::db::schema::customer_accounts::name,
                ))
                .limit(WORST_SHOWN - worst.len() as i64)
                .load(conn)?;
            worst.extend(
                named
                    .into_iter()
                    .map(|(id, name)| Unwell { id, name, health }),
            );
        }
    }
    Ok((by_health, worst))
}

/// Trials ending soon, and trials ended without being converted; for a
/// member limited to some groups, counted among the customers they reach.
fn trial_figures(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    Moment { now, today, .. }: Moment,
    reached: Option<&Reached>,
) -> QueryResult<(Figure, Figure)> {
    let trials = View::trials_ending(today, today + Duration::days(TRIALS_ENDING_DAYS));
    let ended = View::trials_ended().at(now);
    let (trial_count, ended_count) = match reached {
        // The list of ended trials compares with the UTC day of its instant.
        Some(reached) => (
            reached.trials_ending(today, today + Duration::days(TRIALS_ENDING_DAYS)),
            reached.trials_ended(now.date()),
        ),
        None => (
            list::count_trials_ending(
                conn,
                scope,
                today,
                today + Duration::days(TRIALS_ENDING_DAYS),
            )?,
            list::count_trials_ended(conn, scope, now)?,
        ),
    };
    let trials_ending = Figure::of(&trials, "home-trials-ending", "trials-ending", trial_count);
    let trials_ended = Figure::of(&ended, "home-trials-ended", "trials-ended", ended_count);
    Ok((trials_ending, trials_ended))
}

/// Licences expiring soon (`licence_count` of them, counted by the caller),
/// and licences with more seats in use than they have.
fn licence_figures(
    today: NaiveDate,
    licences_until: NaiveDate,
    licence_count: i64,
    counts: &Counts,
) -> (Figure, Figure) {
    let licences = View::licences_expiring(today, licences_until);
    let licences_expiring = Figure::of(
        &licences,
        "home-licences-expiring",
        "licences-expiring",
        licence_count,
    );
    // From the kept counts, like the list's total of the same view.
    let over = View::licences_over_quantity();
    let licences_over = Figure::of(
        &over,
        "home-licences-over",
        "licences-over",
        counts.sum(|row| row.4 & list::OVER_QUANTITY_BIT != 0),
    );
    (licences_expiring, licences_over)
}

fn open_requests(conn: &mut DbConnection, scope: &PartnerScope) -> QueryResult<Figure> {
    let scope = crate::service_requests::Scope::Partner(scope.clone());
    let open = crate::service_requests::Status::Open;
    let count = crate::service_requests::count(conn, &scope, Some(open), None)?;
    Ok(Figure {
        label_key: "home-open-requests".into(),
        count,
        // The whole partner's, whatever customer the person works on.
        href: format!("/partner/requests?status={}&customer=all", open.as_str()),
        key: "open-requests",
    })
}

fn expiring_invitations(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    now: NaiveDateTime,
) -> QueryResult<Figure> {
    let count = crate::staff::list(conn, scope)?
        .iter()
        .filter(|m| m.invitation_expiring(now))
        .count() as i64;
    Ok(Figure {
        label_key: "home-invitations-expiring".into(),
        count,
        href: "/partner/staff?pending=expiring".into(),
        key: "invitations-expiring",
    })
}

/// The latest entries of the partner's activity log.
fn recent_activity(
    conn: &mut DbConnection,
    scope: &PartnerScope,
) -> QueryResult<Vec<(NaiveDateTime, String, String, String)>> {
    let mut query = activity_log::table
        .filter(activity_log::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .into_boxed();
    if scope.reach().is_limited() {
        // As the log's page: the owners' alone.
        query = query.filter(crate::reach::rules::nobody());
    }
    query
        .order((activity_log::occurred_at.desc(), activity_log::id.desc()))
        .limit(RECENT_SHOWN)
        .select((
            activity_log::occurred_at,
            activity_log::actor_name,
            activity_log::action,
            activity_log::target,
        ))
        .load(conn)
}

#[derive(Template)]
#[template(path = "partner/home.html")]
struct HomePage {
    layout: PageContext,
    organisation: String,
    role_key: &'static str,
    dashboard: Dashboard,
    recent: Option<Vec<Recent>>,
    trials_days: i64,
    licence_days: i64,
    /// The number of groups of a member limited to some.
    limited_groups: Option<usize>,
    /// A distributor's figures over the organisations under it.
    network: Option<crate::network::rollup::Rollup>,
}

pub async fn home(PageOf(state, layout, member): PartnerPage) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let limited_groups = match scope.reach() {
        crate::reach::CustomerReach::Whole => None,
        crate::reach::CustomerReach::Groups(groups) => Some(groups.len()),
    };
    let zone = member.identity.login.time_zone;
    let now = state.clock.now();
    let moment = Moment {
        now,
        today: now.and_utc().with_timezone(&zone).date_naive(),
        zone,
    };
    let sections = Sections {
        activity: member.role.can(Capability::SeeActivityLog),
        requests: member.role.can(Capability::ServiceRequestsOnBehalf),
        staff: member.role.can(Capability::ManageStaff),
    };
    let (mut dashboard, network) = db::run(&state.pool, move |conn| {
        let dashboard = load(conn, &scope, moment, sections)?;
        let network =
            crate::network::rollup::for_home(conn, &scope, moment.today, TRIALS_ENDING_DAYS)?;
        Ok::<_, DbError>((dashboard, network))
    })
    .await?;
    let recent = dashboard.recent.take().map(|entries| {
        entries
            .into_iter()
            .map(|(at, person, action, target)| Recent {
                at: format_time(at, zone, layout.lang),
                person,
                action: crate::log_wording::action_label(&layout.tr, action),
                target,
            })
            .collect()
    });
    render(&HomePage {
        organisation: member.membership.tenant_name.clone(),
        role_key: member.role.label_key(),
        layout,
        dashboard,
        recent,
        trials_days: TRIALS_ENDING_DAYS,
        licence_days: LICENCES_EXPIRING_DAYS,
        limited_groups,
        network,
    })
}
