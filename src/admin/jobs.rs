//! The background work of the instance, read-only (`/admin/jobs`): the
//! customer imports of every partner (how many in each state, the ones under
//! way with their lease, the failed ones with why), and the queues the other
//! workers drain (the email outbox, the webhook deliveries), the figures
//! `/metrics` gives Prometheus. An import is shown by its partner's name and
//! its id only: its file holds the partner's customers.

use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::AdminPage;
use crate::customers::import::job::{FAILED_ERROR, FAILED_INTERRUPTED};
use crate::db::schema::{customer_imports, partner_organisations, webhook_deliveries};
use crate::db::{self, DbConnection, DbError};
use crate::email::outbox::{self, OutboxState};
use crate::i18n::{Number, format_time};
use crate::tenancy::kinds::ImportState;
use crate::web::{PageContext, PageError, PageOf, render};
use crate::webhooks::DeliveryState;

/// Imports listed under way, and failed, at most.
const LISTED: i64 = 50;

/// An import as this page shows it: whose, which, how far.
pub struct ImportJob {
    pub id: String,
    pub partner: String,
    pub state: ImportState,
    pub checked_rows: i32,
    pub total_rows: i32,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub locked_until: Option<NaiveDateTime>,
    failure: Option<String>,
}

type JobRow = (
    String,
    String,
    String,
    i32,
    i32,
    i32,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
);

impl From<JobRow> for ImportJob {
    fn from(row: JobRow) -> Self {
        let (id, partner, state, checked_rows, total_rows, attempts, created_at) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6);
        ImportJob {
            id,
            partner,
            state: ImportState::parse(&state).unwrap_or(ImportState::Failed),
            checked_rows,
            total_rows,
            attempts,
            created_at,
            finished_at: row.7,
            locked_until: row.8,
            failure: row.9,
        }
    }
}

/// A queue's figures: waiting to go, being worked on, given up.
pub struct Queue {
    pub waiting: i64,
    pub working: i64,
    pub given_up: i64,
    pub oldest_waiting: Option<NaiveDateTime>,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    layout: PageContext,
    now: NaiveDateTime,
    /// Every state with its count, in the order of `ImportState::ALL`.
    counts: Vec<(ImportState, i64)>,
    under_way: Vec<ImportJob>,
    failed: Vec<ImportJob>,
    emails: Queue,
    webhooks: Queue,
}

impl JobsPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }

    fn state_label(&self, state: &ImportState) -> String {
        self.layout.tr.t(state.label_key())
    }

    /// Where an import under way stands: waiting for a worker, held by one
    /// until its lease ends, or left by an instance that stopped.
    fn standing(&self, job: &ImportJob) -> String {
        let tr = &self.layout.tr;
        match job.locked_until {
            _ if job.state == ImportState::Queued => tr.t("admin-jobs-waiting"),
            Some(until) if until >= self.now => {
                tr.with("admin-jobs-leased", &[("until", &self.time(&until))])
            }
            _ => tr.t("admin-jobs-lease-ran-out"),
        }
    }

    fn progress(&self, job: &ImportJob) -> String {
        self.layout.tr.with_numbers(
            "admin-jobs-progress",
            &[],
            &[
                ("checked", job.checked_rows.into()),
                ("total", job.total_rows.into()),
            ],
        )
    }

    fn attempts(&self, job: &ImportJob) -> String {
        let count: Number = job.attempts.into();
        self.layout
            .tr
            .with_numbers("admin-outbox-attempts", &[], &[("count", count)])
    }

    /// Why a failed import failed, for the operator.
    fn reason(&self, job: &ImportJob) -> String {
        let key = match job.failure.as_deref() {
            Some(FAILED_INTERRUPTED) => "admin-jobs-failed-interrupted",
            Some(FAILED_ERROR) => "admin-jobs-failed-error",
            _ => "admin-jobs-failed-unknown",
        };
        self.layout.tr.t(key)
    }

    fn waited(&self, queue: &Queue) -> String {
        match queue.oldest_waiting {
            Some(since) => self
                .layout
                .tr
                .with("admin-jobs-oldest", &[("since", &self.time(&since))]),
            None => self.layout.tr.t("admin-jobs-none-waiting"),
        }
    }
}

pub async fn page(PageOf(state, layout, _): AdminPage) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let page = db::run(&state.pool, move |conn| {
        let by_state = import_counts(conn)?;
        let counts = ImportState::ALL
            .iter()
            .map(|state| {
                let count = by_state
                    .iter()
                    .find(|(code, _)| code == state.as_str())
                    .map_or(0, |(_, count)| *count);
                (*state, count)
            })
            .collect();
        Ok::<_, DbError>((
            counts,
            imports(
                conn,
                &[
                    ImportState::Queued,
                    ImportState::Checking,
                    ImportState::Importing,
                ],
            )?,
            imports(conn, &[ImportState::Failed])?,
            email_queue(conn, now)?,
            webhook_queue(conn)?,
        ))
    })
    .await?;
    let (counts, under_way, failed, emails, webhooks) = page;
    render(&JobsPage {
        layout,
        now,
        counts,
        under_way,
        failed,
        emails,
        webhooks,
    })
}

fn import_counts(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    customer_imports::table
        .group_by(customer_imports::state)
        .select((customer_imports::state, count_star()))
        .load(conn)
}

/// The latest imports in one of `states`, newest first, with their partner's name.
fn imports(conn: &mut DbConnection, states: &[ImportState]) -> QueryResult<Vec<ImportJob>> {
    let rows: Vec<JobRow> = customer_imports::table
        .inner_join(
            partner_organisations::table
                .on(partner_organisations::id.eq(customer_imports::partner_id)),
        )
        .filter(customer_imports::state.eq_any(states))
        .order((
            customer_imports::created_at.desc(),
            customer_imports::id.asc(),
        ))
        .limit(LISTED)
        .select((
            customer_imports::id,
            partner_organisations::name,
            customer_imports::state,
            customer_imports::checked_rows,
            customer_imports::total_rows,
            customer_imports::attempts,
            customer_imports::created_at,
            customer_imports::finished_at,
            customer_imports::locked_until,
            customer_imports::failure,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(ImportJob::from).collect())
}

/// The outbox's figures, as its own page and `/metrics` count them.
fn email_queue(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Queue> {
    let backlog = outbox::backlog(conn, now)?;
    let count = |states: &[OutboxState]| -> i64 {
        backlog
            .by_state
            .iter()
            .filter(|(code, _)| states.iter().any(|s| s.as_str() == code))
            .map(|(_, count)| count)
            .sum()
    };
    let oldest = backlog
        .oldest_waiting
        .and_then(|age| chrono::Duration::from_std(age).ok())
        .map(|age| now - age);
    Ok(Queue {
        waiting: count(&[OutboxState::Pending]),
        working: count(&[OutboxState::Sending]),
        given_up: count(&[OutboxState::Failed, OutboxState::Dead]),
        oldest_waiting: oldest,
    })
}

/// The webhook deliveries still to send, being sent, and given up; the ones
/// delivered or cancelled are not counted (they only grow).
fn webhook_queue(conn: &mut DbConnection) -> QueryResult<Queue> {
    use webhook_deliveries as d;
    let open = [
        DeliveryState::Pending,
        DeliveryState::Sending,
        DeliveryState::Failed,
    ];
    let by_state: Vec<(String, i64)> = d::table
        .filter(d::state.eq_any(open))
        .group_by(d::state)
        .select((d::state, count_star()))
        .load(conn)?;
    let count = |state: DeliveryState| {
        by_state
            .iter()
            .find(|(code, _)| code == state.as_str())
            .map_or(0, |(_, count)| *count)
    };
    let oldest: Option<NaiveDateTime> = d::table
        .filter(d::state.eq(DeliveryState::Pending))
        .select(min(d::created_at))
        .first(conn)?;
    Ok(Queue {
        waiting: count(DeliveryState::Pending),
        working: count(DeliveryState::Sending),
        given_up: count(DeliveryState::Failed),
        oldest_waiting: oldest,
    })
}
