//! The outbox: an email row is written in the same transaction as the change that
//! causes it; a worker claims due rows and sends them. A temporary failure (no
//! connection, a 4xx reply, no answer within the send deadline) is retried with
//! exponential backoff until `give_up_after` has passed, when the row is marked
//! `dead`; a permanent one (a 5xx reply, an address no mailer takes) is marked
//! `failed` at once. Both keep the reason in `last_error`.
//!
//! Claims are compare-and-set updates in the database, so two instances never
//! send the same email at the same time. Delivery is at least once: a worker
//! that dies between the server's acceptance and recording it leaves the row to
//! be sent again after its claim expires. Every attempt at one row carries the
//! same `Message-ID`, so the receiver can recognise the duplicate.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use lettre::message::Mailbox;
use tokio::sync::Notify;

use super::{Email, EmailContent, Mailer, mask_recipient};
use crate::clock::SharedClock;
use crate::config::OutboxSettings;
use crate::db::schema::email_outbox;
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::metrics::{Backlog, Metrics};

crate::db::codes::stored_code!(
    /// An email waits (pending), is being delivered under a claim (sending),
    /// went (sent), was refused for good (failed), or was given up (dead).
    OutboxState {
        Pending => "pending",
        Sending => "sending",
        Sent => "sent",
        Dead => "dead",
        Failed => "failed",
    }
);

/// How much longer than the send deadline a claimed email stays reserved for
/// the worker that claimed it. A worker that dies mid-send leaves the row to be
/// claimed again once the lease has passed; a live one has given up by then.
const CLAIM_MARGIN: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("the email could not be rendered")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Renders `email` and writes it to the outbox on `conn`; call it inside the
/// transaction of the change that causes the email. Returns the row's id.
pub fn enqueue(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    recipient: &str,
    email: &dyn Email,
) -> Result<String, OutboxError> {
    let content = email.render()?;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(email_outbox::table)
        .values((
            email_outbox::id.eq(&id),
            email_outbox::recipient.eq(recipient),
            email_outbox::subject.eq(&content.subject),
            email_outbox::text_body.eq(&content.text),
            email_outbox::html_body.eq(&content.html),
            email_outbox::state.eq(OutboxState::Pending),
            email_outbox::attempts.eq(0),
            email_outbox::next_attempt_at.eq(now),
            email_outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = email_outbox)]
struct Claimed {
    id: String,
    recipient: String,
    subject: String,
    text_body: String,
    html_body: String,
    attempts: i32,
    created_at: NaiveDateTime,
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// Claims the next due email, if any, for `lease`.
fn claim_next(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
) -> QueryResult<Option<Claimed>> {
    use email_outbox::dsl as o;
    let is_due = || {
        o::state
            .eq(OutboxState::Pending)
            .and(o::next_attempt_at.le(now))
            .or(o::state
                .eq(OutboxState::Sending)
                .and(o::locked_until.lt(now)))
    };
    db::write_transaction(conn, |conn| {
        let candidate: Option<String> = o::email_outbox
            .filter(is_due())
            .order(o::next_attempt_at.asc())
            .select(o::id)
            .first(conn)
            .optional()?;
        let Some(id) = candidate else { return Ok(None) };
        let taken = diesel::update(o::email_outbox.filter(o::id.eq(&id)).filter(is_due()))
            .set((
                o::state.eq(OutboxState::Sending),
                o::locked_until.eq(now + to_chrono(lease)),
                o::attempts.eq(o::attempts + 1),
            ))
            .execute(conn)?;
        if taken == 0 {
            return Ok(None);
        }
        o::email_outbox
            .filter(o::id.eq(&id))
            .select(Claimed::as_select())
            .first(conn)
            .optional()
    })
}

/// The wait before the next attempt after `attempts` failures: base, 2×base, 4×base…
pub fn backoff(settings: &OutboxSettings, attempts: i32) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 30) as u32;
    settings
        .retry_base
        .saturating_mul(2u32.saturating_pow(exponent))
        .min(settings.retry_max)
}

fn record_success(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    use email_outbox::dsl as o;
    diesel::update(o::email_outbox.filter(o::id.eq(id)))
        .set((
            o::state.eq(OutboxState::Sent),
            o::sent_at.eq(Some(now)),
            o::locked_until.eq(None::<NaiveDateTime>),
            o::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed attempt: the row's new state (`failed` for a permanent
/// failure, `dead` when retrying is over, `pending` to retry).
fn record_failure(
    conn: &mut DbConnection,
    email: &Claimed,
    error: &str,
    permanent: bool,
    now: NaiveDateTime,
    settings: &OutboxSettings,
) -> QueryResult<OutboxState> {
    use email_outbox::dsl as o;
    let next = now + to_chrono(backoff(settings, email.attempts));
    let state = if permanent {
        OutboxState::Failed
    } else if next - email.created_at > to_chrono(settings.give_up_after) {
        OutboxState::Dead
    } else {
        OutboxState::Pending
    };
    diesel::update(o::email_outbox.filter(o::id.eq(&email.id)))
        .set((
            o::state.eq(state),
            o::next_attempt_at.eq(next),
            o::locked_until.eq(None::<NaiveDateTime>),
            o::last_error.eq(Some(error.chars().take(500).collect::<String>())),
        ))
        .execute(conn)?;
    Ok(state)
}

/// How many emails are in each state, and how long the oldest one still to
/// send has waited (`/metrics`).
pub fn backlog(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Backlog> {
    use diesel::dsl::{count_star, min};
    let by_state = email_outbox::table
        .group_by(email_outbox::state)
        .select((email_outbox::state, count_star()))
        .load(conn)?;
    let oldest: Option<NaiveDateTime> = email_outbox::table
        .filter(email_outbox::state.eq_any([OutboxState::Pending, OutboxState::Sending]))
        .select(min(email_outbox::created_at))
        .first(conn)?;
    Ok(Backlog {
        by_state,
        oldest_waiting: oldest.and_then(|oldest| (now - oldest).to_std().ok()),
    })
}

/// An email refused for good or given up, as the operator's area lists it:
/// never its body, which may hold an activation link.
#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = email_outbox)]
pub struct FailedEmail {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub state: OutboxState,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
}

const GAVE_UP: [OutboxState; 2] = [OutboxState::Failed, OutboxState::Dead];

/// The failed and dead emails, newest first: `limit` after the first `offset`.
pub fn failed(conn: &mut DbConnection, offset: i64, limit: i64) -> QueryResult<Vec<FailedEmail>> {
    email_outbox::table
        .filter(email_outbox::state.eq_any(GAVE_UP))
        .order((email_outbox::created_at.desc(), email_outbox::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(FailedEmail::as_select())
        .load(conn)
}

/// Puts failed or dead emails back to be sent now: the one with `id`, or all
/// of them. Each keeps its attempts and first reason until the next attempt;
/// a temporary failure then gives up again at once when `give_up_after` has
/// passed since it was queued, so a retry is one more attempt, not a new
/// schedule. Returns the recipients put back.
pub fn retry(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    id: Option<&str>,
) -> QueryResult<Vec<String>> {
    let mut chosen = email_outbox::table
        .filter(email_outbox::state.eq_any(GAVE_UP))
        .select((email_outbox::id, email_outbox::recipient))
        .into_boxed();
    if let Some(id) = id {
        chosen = chosen.filter(email_outbox::id.eq(id));
    }
    let rows: Vec<(String, String)> = chosen.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
    for batch in ids.chunks(500) {
        diesel::update(
            email_outbox::table
                .filter(email_outbox::id.eq_any(batch))
                .filter(email_outbox::state.eq_any(GAVE_UP)),
        )
        .set((
            email_outbox::state.eq(OutboxState::Pending),
            email_outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    }
    Ok(rows.into_iter().map(|(_, recipient)| recipient).collect())
}

/// Everything the worker needs, built once at start-up.
pub struct OutboxWorker {
    pub pool: DbPool,
    pub mailer: Mailer,
    pub from: Mailbox,
    pub settings: OutboxSettings,
    pub clock: SharedClock,
    pub wake: Arc<Notify>,
    pub metrics: Arc<Metrics>,
    /// Once a stop is asked for, no new email is claimed; one being sent
    /// finishes (within the send deadline).
    pub shutdown: crate::jobs::Shutdown,
}

impl OutboxWorker {
    /// Sends every email that is due now; returns how many were sent.
    pub async fn deliver_due(&self) -> Result<usize, DbError> {
        let mut sent = 0;
        loop {
            if self.shutdown.is_requested() {
                return Ok(sent);
            }
            let now = self.clock.now();
            let lease = self.settings.send_deadline + CLAIM_MARGIN;
            let Some(email) = db::run(&self.pool, move |conn| {
                claim_next(conn, now, lease).map_err(DbError::from)
            })
            .await?
            else {
                return Ok(sent);
            };
            let content = EmailContent {
                subject: email.subject.clone(),
                text: email.text_body.clone(),
                html: email.html_body.clone(),
            };
            let outcome = self
                .mailer
                .send(
                    &self.from,
                    &email.recipient,
                    &message_id(&email.id, &self.from),
                    &content,
                )
                .await;
            let now = self.clock.now();
            let settings = self.settings.clone();
            match outcome {
                Ok(()) => {
                    sent += 1;
                    self.metrics.email_sent();
                    let id = email.id.clone();
                    db::run(&self.pool, move |conn| {
                        record_success(conn, &id, now).map_err(DbError::from)
                    })
                    .await?;
                }
                Err(error) => {
                    self.metrics.email_failed();
                    let reason = error.to_string();
                    let permanent = error.is_permanent();
                    let to = mask_recipient(&email.recipient);
                    let attempts = email.attempts;
                    let state = db::run(&self.pool, move |conn| {
                        record_failure(conn, &email, &reason, permanent, now, &settings)
                            .map_err(DbError::from)
                    })
                    .await?;
                    match state {
                        OutboxState::Failed => {
                            // Refused for this email only: the next may pass.
                            tracing::error!(%to, attempts, %error, "email refused for good: marked failed in the outbox");
                            continue;
                        }
                        OutboxState::Dead => {
                            tracing::error!(%to, attempts, %error, "email given up: marked dead in the outbox")
                        }
                        _ => tracing::warn!(%to, attempts, %error, "email not sent; will retry"),
                    }
                    // Whatever failed is likely to fail for the next email too.
                    return Ok(sent);
                }
            }
        }
    }

    /// Runs until the instance stops: sends what is due, then sleeps until woken
    /// by a new email in this process or until the poll interval (emails written
    /// by other instances or by the command line) has passed.
    pub async fn run(self) {
        while !self.shutdown.is_requested() {
            if let Err(error) = self.deliver_due().await {
                tracing::error!(error = ?error, "outbox worker could not reach the database");
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.settings.poll_interval) => {}
                _ = self.shutdown.requested() => {}
            }
        }
    }
}

/// The `Message-ID` of every attempt at the outbox row `id`, in the sender's
/// domain.
fn message_id(id: &str, from: &Mailbox) -> String {
    format!("<{id}@{}>", from.email.domain())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let settings = OutboxSettings {
            poll_interval: Duration::from_secs(1),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(86400),
            send_deadline: Duration::from_secs(60),
        };
        assert_eq!(backoff(&settings, 1), Duration::from_secs(30));
        assert_eq!(backoff(&settings, 2), Duration::from_secs(60));
        assert_eq!(backoff(&settings, 4), Duration::from_secs(240));
        assert_eq!(backoff(&settings, 20), Duration::from_secs(3600));
        assert_eq!(backoff(&settings, 200), Duration::from_secs(3600));
    }
}
