//! The delivery worker: claims due deliveries with a lease (a compare-and-set
//! update, so several instances never send the same delivery at once), POSTs
//! each stored body signed, and records the outcome. It sends several at once,
//! one at a time to each endpoint, so a receiver that answers slowly or not at
//! all delays only its own partner's events. A 2xx answer delivers it;
//! anything else (another status, no connection, no answer within the timeout,
//! an address no longer allowed) is retried with backoff until the give-up
//! window has passed. Delivery is at least once: a worker that dies mid-send
//! leaves the delivery to be sent again once its lease has passed, with the
//! same `Partnerdesk-Delivery` id, so the receiver can recognise it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use openidconnect::reqwest;
use tokio::sync::Notify;

use super::address::{self, Checked};
use super::outcome;
use super::{DeliveryState, signing};
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::schema::{partner_organisations, webhook_deliveries, webhook_endpoints};
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::email::outbox::OutboxError;
use crate::jobs::{Shutdown, lease_until};

/// The most deliveries one worker sends at once.
const IN_FLIGHT_MAX: usize = 8;
/// How much longer than the timeout a claimed delivery stays reserved.
const CLAIM_MARGIN: Duration = Duration::from_secs(60);
/// The most of a receiver's answer kept as the error of a failed attempt.
const ANSWER_KEPT: usize = 200;
/// The most of an error's text kept.
const ERROR_KEPT: usize = 500;

/// What stops the worker's pass: the database out of reach, or an email
/// to the owners that cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error(transparent)]
    Email(#[from] OutboxError),
}

/// A claimed delivery and where it goes.
#[derive(Queryable, Debug)]
pub(super) struct Claimed {
    pub(super) id: String,
    pub(super) endpoint_id: String,
    pub(super) partner_id: String,
    pub(super) event_type: String,
    pub(super) payload: String,
    pub(super) created_at: NaiveDateTime,
    url: String,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<NaiveDateTime>,
}

/// What one attempt gave: the answer's status, how long it took, and the error.
#[derive(Debug)]
pub(super) struct Attempt {
    pub(super) status: Option<u16>,
    pub(super) elapsed_ms: Option<i32>,
    pub(super) error: Option<String>,
}

/// Claims the most overdue delivery that is due, leaving out the endpoints in
/// `busy` (one delivery at a time to each endpoint, so a slow receiver holds
/// one of the worker's slots, never all of them) and those of a suspended
/// partner: like its staff and its tokens, its receivers get nothing of its
/// customers while it is suspended; its deliveries wait, and go out once it
/// is reinstated.
fn claim_next(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
    busy: &[String],
) -> QueryResult<Option<Claimed>> {
    use webhook_deliveries::dsl as d;
    let is_due = || {
        d::state
            .eq(DeliveryState::Pending)
            .and(d::next_attempt_at.le(now))
            .or(d::state
                .eq(DeliveryState::Sending)
                .and(d::locked_until.lt(now)))
    };
    db::write_transaction(conn, |conn| {
        let candidate: Option<String> = d::webhook_deliveries
            .inner_join(webhook_endpoints::table)
            .filter(is_due())
            .filter(webhook_endpoints::disabled_at.is_null())
            .filter(d::endpoint_id.ne_all(busy))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                partner_organisations::table
                    .filter(partner_organisations::id.eq(d::partner_id))
                    .filter(partner_organisations::suspended_at.is_not_null()),
            )))
            .order(d::next_attempt_at.asc())
            .select(d::id)
            .first(conn)
            .optional()?;
        let Some(id) = candidate else { return Ok(None) };
        let taken = diesel::update(d::webhook_deliveries.filter(d::id.eq(&id)).filter(is_due()))
            .set((
                d::state.eq(DeliveryState::Sending),
                d::locked_until.eq(lease_until(now, lease)),
                d::attempts.eq(d::attempts + 1),
            ))
            .execute(conn)?;
        if taken == 0 {
            return Ok(None);
        }
        d::webhook_deliveries
            .inner_join(webhook_endpoints::table)
            .filter(d::id.eq(&id))
            .select((
                d::id,
                d::endpoint_id,
                d::partner_id,
                d::event_type,
                d::payload,
                d::created_at,
                webhook_endpoints::url,
                webhook_endpoints::secret,
                webhook_endpoints::previous_secret,
                webhook_endpoints::previous_secret_expires_at,
            ))
            .first(conn)
            .optional()
    })
}

fn truncated(text: &str, at: usize) -> String {
    text.chars().take(at).collect()
}

/// Everything the worker needs, built once at start-up.
pub struct WebhookWorker {
    pub pool: DbPool,
    pub settings: Settings,
    pub clock: SharedClock,
    pub wake: Arc<Notify>,
    /// Woken when disabling an endpoint queued emails to the owners.
    pub outbox_wake: Arc<Notify>,
    /// Once a stop is asked for, no new delivery is claimed.
    pub shutdown: Shutdown,
}

impl WebhookWorker {
    /// Sends every delivery that is due now, up to `IN_FLIGHT_MAX` at once and
    /// one at a time to each endpoint, so that one partner's slow or silent
    /// receiver does not hold back the others' events; returns how many were
    /// delivered.
    pub async fn deliver_due(&self) -> Result<usize, WorkerError> {
        let mut in_flight = FuturesUnordered::new();
        let mut busy: Vec<String> = Vec::new();
        let mut delivered = 0;
        let mut nothing_claimable = false;
        let mut stopped_by: Option<WorkerError> = None;
        loop {
            while !nothing_claimable
                && stopped_by.is_none()
                && in_flight.len() < IN_FLIGHT_MAX
                && !self.shutdown.is_requested()
            {
                let now = self.clock.now();
                let lease = self.settings.webhooks.timeout + CLAIM_MARGIN;
                let skipped = busy.clone();
                let claimed = db::run(&self.pool, move |conn| {
                    claim_next(conn, now, lease, &skipped).map_err(WorkerError::from)
                })
                .await;
                match claimed {
                    Ok(Some(delivery)) => {
                        busy.push(delivery.endpoint_id.clone());
                        in_flight.push(self.send(delivery, now));
                    }
                    Ok(None) => nothing_claimable = true,
                    // The sends under way finish and are recorded first.
                    Err(error) => stopped_by = Some(error),
                }
            }
            // While sends are under way, new events (a wake) or retries
            // coming due (the poll) are claimed beside them.
            let looking = nothing_claimable && stopped_by.is_none() && !in_flight.is_empty();
            let sent = tokio::select! {
                sent = in_flight.next() => sent,
                _ = self.wake.notified(), if looking => {
                    nothing_claimable = false;
                    continue;
                }
                _ = tokio::time::sleep(self.settings.webhooks.poll_interval), if looking => {
                    nothing_claimable = false;
                    continue;
                }
            };
            let Some(sent) = sent else {
                break;
            };
            let (endpoint_id, outcome) = sent;
            busy.retain(|busy| *busy != endpoint_id);
            match outcome {
                Ok(true) => delivered += 1,
                Ok(false) => {}
                Err(error) => stopped_by = stopped_by.or(Some(error)),
            }
            // The endpoint is free again: its next delivery may be due.
            nothing_claimable = false;
        }
        match stopped_by {
            Some(error) => Err(error),
            None => Ok(delivered),
        }
    }

    /// One attempt of a claimed delivery, recorded: (its endpoint, whether it
    /// was delivered).
    async fn send(
        &self,
        delivery: Claimed,
        now: NaiveDateTime,
    ) -> (String, Result<bool, WorkerError>) {
        let endpoint_id = delivery.endpoint_id.clone();
        let attempt = self.attempt(&delivery, now).await;
        let now = self.clock.now();
        let outcome = if attempt.error.is_none() {
            db::run(&self.pool, move |conn| {
                outcome::record_success(conn, &delivery, &attempt, now).map_err(WorkerError::from)
            })
            .await
            .map(|()| true)
        } else {
            let settings = self.settings.clone();
            let emailed = db::run(&self.pool, move |conn| {
                outcome::record_failure(conn, &delivery, &attempt, now, &settings)
            })
            .await;
            if matches!(emailed, Ok(true)) {
                self.outbox_wake.notify_one();
            }
            emailed.map(|_| false)
        };
        (endpoint_id, outcome)
    }

    /// One POST of the delivery's body, signed with the endpoint's secrets.
    async fn attempt(&self, delivery: &Claimed, now: NaiveDateTime) -> Attempt {
        let failed = |error: String| Attempt {
            status: None,
            elapsed_ms: None,
            error: Some(truncated(&error, ERROR_KEPT)),
        };
        let allow_loopback = self.settings.webhooks.allow_http_loopback;
        let (url, policy) = match address::policy_of(&delivery.url, allow_loopback) {
            Ok(checked) => checked,
            Err(problem) => return failed(format!("refused: {problem}")),
        };
        let addresses = match address::resolve(&url, policy).await {
            Ok(addresses) => addresses,
            Err(problem) => return failed(format!("refused: {problem}")),
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(self.settings.webhooks.timeout)
            .dns_resolver(Arc::new(Checked {
                host: url.host_str().unwrap_or_default().to_owned(),
                addresses,
            }))
            .build();
        let client = match client {
            Ok(client) => client,
            Err(error) => return failed(error_chain(&error)),
        };
        let mut secrets = vec![delivery.secret.as_str()];
        if let (Some(previous), Some(until)) = (
            delivery.previous_secret.as_deref(),
            delivery.previous_secret_expires_at,
        ) && until > now
        {
            secrets.push(previous);
        }
        let timestamp = now.and_utc().timestamp();
        let started = Instant::now();
        let sent = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(reqwest::header::USER_AGENT, "Partnerdesk-Webhooks/1")
            .header("Partnerdesk-Event", &delivery.event_type)
            .header("Partnerdesk-Delivery", &delivery.id)
            .header(
                "Partnerdesk-Signature",
                signing::header(&secrets, timestamp, &delivery.payload),
            )
            .body(delivery.payload.clone())
            .send()
            .await;
        let elapsed_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        match sent {
            Ok(answer) if answer.status().is_success() => Attempt {
                status: Some(answer.status().as_u16()),
                elapsed_ms: Some(elapsed_ms),
                error: None,
            },
            Ok(answer) => {
                let status = answer.status();
                let start = answer_start(answer).await;
                Attempt {
                    status: Some(status.as_u16()),
                    elapsed_ms: Some(elapsed_ms),
                    error: Some(truncated(&format!("HTTP {status}: {start}"), ERROR_KEPT)),
                }
            }
            Err(error) => Attempt {
                status: None,
                elapsed_ms: Some(elapsed_ms),
                error: Some(truncated(&error_chain(&error), ERROR_KEPT)),
            },
        }
    }

    /// Runs until the instance stops: sends what is due, then sleeps until
    /// woken by a new event in this process or until the poll interval
    /// (events of other instances, retries coming due) has passed.
    pub async fn run(self) {
        while !self.shutdown.is_requested() {
            if let Err(error) = self.deliver_due().await {
                tracing::error!(error = ?error, "webhook worker could not reach the database");
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.settings.webhooks.poll_interval) => {}
                _ = self.shutdown.requested() => {}
            }
        }
    }
}

/// The first `ANSWER_KEPT` characters of a failed answer's body, read no
/// further than needed.
async fn answer_start(mut answer: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < ANSWER_KEPT * 4 {
        match answer.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    truncated(&String::from_utf8_lossy(&bytes), ANSWER_KEPT)
}

/// An error and its causes, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
