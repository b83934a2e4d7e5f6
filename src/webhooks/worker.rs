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
use rand::Rng;
use tokio::sync::Notify;

use super::address::{self, Checked};
use super::{DeliveryState, disable, signing};
use crate::clock::SharedClock;
use crate::config::{Settings, WebhookSettings};
use crate::db::schema::{webhook_deliveries, webhook_endpoints};
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::email::outbox::OutboxError;
use crate::ids::PartnerId;
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
struct Claimed {
    id: String,
    endpoint_id: String,
    partner_id: String,
    event_type: String,
    payload: String,
    created_at: NaiveDateTime,
    url: String,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<NaiveDateTime>,
}

/// What one attempt gave: the answer's status, how long it took, and the error.
#[derive(Debug)]
struct Attempt {
    status: Option<u16>,
    elapsed_ms: Option<i32>,
    error: Option<String>,
}

/// Claims the most overdue delivery that is due, leaving out the endpoints in
/// `busy` (one delivery at a time to each endpoint, so a slow receiver holds
/// one of the worker's slots, never all of them).
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

/// The wait after the `attempts`-th failure: base, 2×base, 4×base… up to the
/// cap, plus up to a tenth more at random.
pub fn backoff(settings: &WebhookSettings, attempts: i32) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 30) as u32;
    let wait = settings
        .retry_base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(settings.retry_max);
    let jitter_ms = u64::try_from(wait.as_millis() / 10).unwrap_or(u64::MAX);
    wait + Duration::from_millis(rand::thread_rng().gen_range(0..=jitter_ms))
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
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
                record_success(conn, &delivery, &attempt, now).map_err(WorkerError::from)
            })
            .await
            .map(|()| true)
        } else {
            let settings = self.settings.clone();
            let emailed = db::run(&self.pool, move |conn| {
                record_failure(conn, &delivery, &attempt, now, &settings)
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

fn record_success(
    conn: &mut DbConnection,
    delivery: &Claimed,
    attempt: &Attempt,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use webhook_deliveries::dsl as d;
    db::write_transaction(conn, |conn| {
        diesel::update(
            d::webhook_deliveries
                .filter(d::id.eq(&delivery.id))
                .filter(d::state.eq(DeliveryState::Sending)),
        )
        .set((
            d::state.eq(DeliveryState::Delivered),
            d::delivered_at.eq(Some(now)),
            d::locked_until.eq(None::<NaiveDateTime>),
            d::last_attempt_at.eq(Some(now)),
            d::last_status.eq(attempt.status.map(i32::from)),
            d::last_response_ms.eq(attempt.elapsed_ms),
            d::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
        diesel::update(webhook_endpoints::table.find(&delivery.endpoint_id))
            .set((
                webhook_endpoints::last_success_at.eq(Some(now)),
                webhook_endpoints::failing_since.eq(None::<NaiveDateTime>),
                webhook_endpoints::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .map(|_| ())
    })
}

/// Records a failed attempt: the delivery waits for its next attempt, or is
/// failed once the give-up window has passed; the endpoint's failure window
/// starts, and once it is longer than `disable_after` the endpoint is disabled
/// and its owners emailed. Returns whether emails were queued.
fn record_failure(
    conn: &mut DbConnection,
    delivery: &Claimed,
    attempt: &Attempt,
    now: NaiveDateTime,
    settings: &Settings,
) -> Result<bool, WorkerError> {
    use webhook_deliveries::dsl as d;
    let webhooks = &settings.webhooks;
    let error = attempt.error.clone().unwrap_or_default();
    let attempts: i32 = d::webhook_deliveries
        .find(&delivery.id)
        .select(d::attempts)
        .first(conn)?;
    let next = now + to_chrono(backoff(webhooks, attempts));
    let state = if now - delivery.created_at >= to_chrono(webhooks.give_up_after) {
        DeliveryState::Failed
    } else {
        DeliveryState::Pending
    };
    db::write_transaction(conn, |conn| {
        diesel::update(
            d::webhook_deliveries
                .filter(d::id.eq(&delivery.id))
                .filter(d::state.eq(DeliveryState::Sending)),
        )
        .set((
            d::state.eq(state),
            d::next_attempt_at.eq(next),
            d::locked_until.eq(None::<NaiveDateTime>),
            d::last_attempt_at.eq(Some(now)),
            d::last_status.eq(attempt.status.map(i32::from)),
            d::last_response_ms.eq(attempt.elapsed_ms),
            d::last_error.eq(Some(&error)),
        ))
        .execute(conn)?;
        let failing_since: Option<NaiveDateTime> = webhook_endpoints::table
            .find(&delivery.endpoint_id)
            .select(webhook_endpoints::failing_since)
            .first(conn)?;
        let failing_since = failing_since.unwrap_or(now);
        diesel::update(webhook_endpoints::table.find(&delivery.endpoint_id))
            .set((
                webhook_endpoints::failing_since.eq(Some(failing_since)),
                webhook_endpoints::last_error.eq(Some(&error)),
            ))
            .execute(conn)?;
        if now - failing_since < to_chrono(webhooks.disable_after) {
            return Ok(false);
        }
        let partner_id = PartnerId::new(delivery.partner_id.clone());
        Ok(disable::disable_failing(
            conn,
            now,
            settings,
            &partner_id,
            &delivery.endpoint_id,
            &error,
        )?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_a_tenth_of_jitter() {
        let settings = WebhookSettings::default();
        let within = |attempts: i32, base: u64| {
            let wait = backoff(&settings, attempts);
            assert!(wait >= Duration::from_secs(base), "{attempts}: {wait:?}");
            assert!(
                wait <= Duration::from_secs(base + base / 10),
                "{attempts}: {wait:?}"
            );
        };
        within(1, 60);
        within(2, 120);
        within(4, 480);
        within(20, 6 * 3600);
        within(200, 6 * 3600);
    }
}
