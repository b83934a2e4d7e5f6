//! The import as a background job. The `customer_imports` row is the job: it
//! holds the upload and what the work needs (partner, acting membership, actor,
//! language), and one worker per instance claims queued rows with a lease (see
//! `crate::jobs`), renewed after every batch of rows checked.
//!
//! Checking only reads, batch by batch; between two batches a stop of the
//! instance hands the job back (queued, lease cleared) for another instance or
//! the next start. The import itself is one transaction that begins by turning
//! the row to `done` under its claim token: a worker whose lease was taken over
//! changes nothing, and an import that committed is never run again. An import
//! whose instance stopped without handing it back (lease run out) is taken over
//! and run again from the start, at most `MAX_ATTEMPTS` times in all.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use tokio::sync::Notify;

use super::upload::{Problems, Upload, check_row};
use crate::audit::{self, Action, Actor};
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::customers::CustomerError;
use crate::customers::create::{self, NewCustomer};
use crate::db::schema::{customer_accounts, customer_imports};
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::i18n::Lang;
use crate::jobs::{Shutdown, lease_until};
use crate::tenancy::kinds::ImportState;

/// Rows checked between two progress updates (and lease renewals).
pub const CHECK_BATCH: usize = 250;
/// Claims of one import, hand-backs at a stop not counted, after which an import
/// that keeps losing its instance is given up as failed.
pub const MAX_ATTEMPTS: i32 = 3;

/// Why an import failed, as the message id its page shows.
pub const FAILED_INTERRUPTED: &str = "import-failed-interrupted";
pub const FAILED_ERROR: &str = "import-failed-error";

#[derive(Debug, thiserror::Error)]
enum JobError {
    #[error("another worker took the import over")]
    LeaseLost,
    #[error("the stored upload could not be read again")]
    Unreadable,
    #[error(transparent)]
    Customer(#[from] CustomerError),
}

impl From<diesel::result::Error> for JobError {
    fn from(error: diesel::result::Error) -> Self {
        JobError::Customer(error.into())
    }
}

impl From<DbError> for JobError {
    fn from(error: DbError) -> Self {
        JobError::Customer(error.into())
    }
}

/// A claimed import, with what its work needs.
#[derive(Queryable, Selectable)]
#[diesel(table_name = customer_imports)]
struct Claimed {
    id: String,
    partner_id: String,
    created_by_login_id: String,
    acting_membership_id: Option<String>,
    actor_name: String,
    language: String,
    source: String,
    upload: String,
    claim_token: Option<String>,
}

impl Claimed {
    fn actor(&self) -> Actor<'_> {
        Actor {
            login_id: Some(&self.created_by_login_id),
            name: &self.actor_name,
            membership_id: self.acting_membership_id.as_deref(),
            on_behalf_of: None,
        }
    }

    fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or_default()
    }

    fn token(&self) -> &str {
        self.claim_token.as_deref().unwrap_or_default()
    }
}

enum Next {
    Nothing,
    GaveUp,
    Claimed(Box<Claimed>),
}

/// Claims the oldest import waiting, or whose worker's lease has run out.
fn claim_next(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: NaiveDateTime,
) -> QueryResult<Next> {
    use customer_imports::dsl as i;
    let claimable = || {
        i::state.eq(ImportState::Queued.as_str()).or(i::state
            .eq_any([
                ImportState::Checking.as_str(),
                ImportState::Importing.as_str(),
            ])
            .and(i::locked_until.is_null().or(i::locked_until.lt(now))))
    };
    db::write_transaction(conn, |conn| {
        let candidate: Option<(String, i32)> = i::customer_imports
            .filter(claimable())
            .order(i::created_at.asc())
            .select((i::id, i::attempts))
            .first(conn)
            .optional()?;
        let Some((id, attempts)) = candidate else {
            return Ok(Next::Nothing);
        };
        if attempts >= MAX_ATTEMPTS {
            diesel::update(
                i::customer_imports
                    .filter(i::id.eq(&id))
                    .filter(claimable()),
            )
            .set((
                i::state.eq(ImportState::Failed.as_str()),
                i::failure.eq(Some(FAILED_INTERRUPTED)),
                i::finished_at.eq(Some(now)),
                i::claim_token.eq(None::<String>),
                i::locked_until.eq(None::<NaiveDateTime>),
                i::upload.eq(""),
            ))
            .execute(conn)?;
            return Ok(Next::GaveUp);
        }
        let token = uuid::Uuid::new_v4().to_string();
        let taken = diesel::update(
            i::customer_imports
                .filter(i::id.eq(&id))
                .filter(claimable()),
        )
        .set((
            i::state.eq(ImportState::Checking.as_str()),
            i::claim_token.eq(Some(&token)),
            i::locked_until.eq(Some(lease)),
            i::attempts.eq(i::attempts + 1),
            i::checked_rows.eq(0),
        ))
        .execute(conn)?;
        if taken == 0 {
            return Ok(Next::Nothing);
        }
        let claimed = i::customer_imports
            .filter(i::id.eq(&id))
            .select(Claimed::as_select())
            .first(conn)?;
        Ok(Next::Claimed(Box::new(claimed)))
    })
}

/// Records progress and renews the lease; false when the job was taken over.
fn renew(
    conn: &mut DbConnection,
    job: &Claimed,
    state: ImportState,
    checked: usize,
    lease: NaiveDateTime,
) -> QueryResult<bool> {
    use customer_imports::dsl as i;
    diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .set((
            i::state.eq(state.as_str()),
            i::checked_rows.eq(checked as i32),
            i::locked_until.eq(Some(lease)),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Gives the job back at a stop: queued again, lease cleared, this claim not
/// counted, for another instance or the next start to take at once.
fn hand_back(conn: &mut DbConnection, job: &Claimed) -> QueryResult<bool> {
    use customer_imports::dsl as i;
    diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .filter(i::state.eq(ImportState::Checking.as_str()))
        .set((
            i::state.eq(ImportState::Queued.as_str()),
            i::claim_token.eq(None::<String>),
            i::locked_until.eq(None::<NaiveDateTime>),
            i::checked_rows.eq(0),
            i::attempts.eq(i::attempts - 1),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

fn mark_failed(conn: &mut DbConnection, job: &Claimed, now: NaiveDateTime) -> QueryResult<()> {
    use customer_imports::dsl as i;
    diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .set((
            i::state.eq(ImportState::Failed.as_str()),
            i::failure.eq(Some(FAILED_ERROR)),
            i::finished_at.eq(Some(now)),
            i::claim_token.eq(None::<String>),
            i::locked_until.eq(None::<NaiveDateTime>),
            i::upload.eq(""),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What checking has found so far, carried from one batch to the next.
#[derive(Default)]
struct Checked {
    rows: usize,
    problems: Problems,
    accepted: Vec<NewCustomer>,
    domains_in_file: HashSet<String>,
}

impl Checked {
    /// Checks the next batch of rows: each as the creation steps would, then
    /// their domains against the file's earlier rows and the partner's customers.
    fn next_batch(
        &mut self,
        conn: &mut DbConnection,
        job: &Claimed,
        upload: &Upload,
        today: chrono::NaiveDate,
    ) -> QueryResult<()> {
        let lang = job.lang();
        let tr = lang.translator();
        let end = (self.rows + CHECK_BATCH).min(upload.rows.len());
        let mut valid: Vec<(u64, NewCustomer)> = Vec::new();
        for (line, record) in &upload.rows[self.rows..end] {
            match check_row(upload, record, &tr, lang, today) {
                Ok(new) => {
                    let domain = new.account.domain.as_str().to_owned();
                    if self.domains_in_file.insert(domain) {
                        valid.push((*line, new));
                    } else {
                        self.problems
                            .add(*line, "primary_domain", "import-domain-repeated");
                    }
                }
                Err(row_problems) => {
                    for (column, message) in row_problems {
                        self.problems.add(*line, column, &message);
                    }
                }
            }
        }
        let domains: Vec<&str> = valid
            .iter()
            .map(|(_, new)| new.account.domain.as_str())
            .collect();
        let taken_domains: HashSet<String> = customer_accounts::table
            .filter(customer_accounts::partner_id.eq(&job.partner_id))
            .filter(customer_accounts::primary_domain.eq_any(&domains))
            .select(customer_accounts::primary_domain)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        for (line, new) in valid {
            if taken_domains.contains(new.account.domain.as_str()) {
                self.problems
                    .add(line, "primary_domain", "import-domain-exists");
            } else {
                self.accepted.push(new);
            }
        }
        self.rows = end;
        Ok(())
    }
}

/// Refuses the file: nothing imported, every problem kept for the page.
fn finish_invalid(
    conn: &mut DbConnection,
    job: &Claimed,
    checked: &Checked,
    now: NaiveDateTime,
) -> Result<bool, JobError> {
    use customer_imports::dsl as i;
    let problems = serde_json::to_string(&checked.problems).map_err(CustomerError::from)?;
    let updated = diesel::update(i::customer_imports)
        .filter(i::id.eq(&job.id))
        .filter(i::claim_token.eq(job.token()))
        .set((
            i::state.eq(ImportState::Invalid.as_str()),
            i::checked_rows.eq(checked.rows as i32),
            i::problems.eq(problems),
            i::finished_at.eq(Some(now)),
            i::claim_token.eq(None::<String>),
            i::locked_until.eq(None::<NaiveDateTime>),
            i::upload.eq(""),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Imports every accepted row in one transaction, or none. The first statement
/// turns the row to `done` while this worker still holds it; on PostgreSQL it
/// also locks the row, so a worker taking it over waits and then finds it done.
fn import_all(
    conn: &mut DbConnection,
    job: &Claimed,
    accepted: &[NewCustomer],
    settings: &Settings,
    now: NaiveDateTime,
) -> Result<(), JobError> {
    use customer_imports::dsl as i;
    db::write_transaction(conn, |conn| {
        let done = diesel::update(i::customer_imports)
            .filter(i::id.eq(&job.id))
            .filter(i::claim_token.eq(job.token()))
            .filter(i::state.eq(ImportState::Importing.as_str()))
            .set((
                i::state.eq(ImportState::Done.as_str()),
                i::imported_rows.eq(accepted.len() as i32),
                i::finished_at.eq(Some(now)),
                i::claim_token.eq(None::<String>),
                i::locked_until.eq(None::<NaiveDateTime>),
                i::upload.eq(""),
            ))
            .execute(conn)?;
        if done != 1 {
            return Err(JobError::LeaseLost);
        }
        for new in accepted {
            create::create(conn, settings, now, &job.partner_id, new, job.actor())?;
        }
        audit::record(
            conn,
            now,
            audit::Entry {
                partner_id: Some(&job.partner_id),
                customer_id: None,
                actor: job.actor(),
                action: Action::CustomersImported,
                target: &job.source,
                details: &accepted.len().to_string(),
            },
        )?;
        Ok(())
    })
}

/// How one run of a claimed job ended.
#[derive(Debug, PartialEq)]
enum Outcome {
    Finished,
    HandedBack,
    TakenOver,
}

/// One instance's import worker, built at start-up beside the outbox worker.
pub struct ImportWorker {
    pub pool: DbPool,
    pub settings: Settings,
    pub clock: SharedClock,
    /// Woken by an upload on this instance; other instances' uploads are found
    /// by polling.
    pub wake: Arc<Notify>,
    /// Imports queue activation emails: the outbox is woken after each.
    pub outbox_wake: Arc<Notify>,
    pub shutdown: Shutdown,
}

impl ImportWorker {
    fn lease(&self) -> NaiveDateTime {
        lease_until(self.clock.now(), self.settings.jobs.lease)
    }

    /// Runs until the instance stops: works through what is claimable, then
    /// sleeps until woken, until the poll interval has passed, or until the stop.
    pub async fn run(self) {
        while !self.shutdown.is_requested() {
            if let Err(error) = self.work_due().await {
                tracing::error!(?error, "import worker could not reach the database");
            }
            tokio::select! {
                _ = self.shutdown.requested() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.settings.jobs.poll_interval) => {}
            }
        }
    }

    /// Claims and runs imports until none is claimable or the instance stops.
    pub async fn work_due(&self) -> Result<(), DbError> {
        while !self.shutdown.is_requested() {
            let now = self.clock.now();
            let lease = self.lease();
            let next = db::run(&self.pool, move |conn| {
                claim_next(conn, now, lease).map_err(DbError::from)
            })
            .await?;
            let job = match next {
                Next::Nothing => return Ok(()),
                Next::GaveUp => continue,
                Next::Claimed(job) => Arc::new(*job),
            };
            let outcome = self.run_job(job.clone()).await;
            match outcome {
                Ok(outcome) => tracing::info!(import_id = job.id, ?outcome, "customer import"),
                Err(error) => {
                    tracing::error!(?error, import_id = job.id, "customer import failed");
                    let now = self.clock.now();
                    let marked = db::run(&self.pool, move |conn| {
                        mark_failed(conn, &job, now).map_err(DbError::from)
                    })
                    .await;
                    if let Err(error) = marked {
                        tracing::error!(?error, "customer import could not be marked failed");
                    }
                }
            }
            self.outbox_wake.notify_one();
        }
        Ok(())
    }

    async fn run_job(&self, job: Arc<Claimed>) -> Result<Outcome, JobError> {
        let read = job.clone();
        let upload = actix_web::rt::task::spawn_blocking(move || {
            Upload::read(&read.source, read.upload.as_bytes()).map_err(|_| JobError::Unreadable)
        })
        .await
        .map_err(|_| JobError::from(DbError::TaskPanicked))??;
        let upload = Arc::new(upload);
        let today = self.clock.now().date();
        let mut checked = Checked::default();
        while checked.rows < upload.rows.len() {
            if self.shutdown.is_requested() {
                return self.hand_back(job).await;
            }
            let (job, upload) = (job.clone(), upload.clone());
            let lease = self.lease();
            let still_held;
            (checked, still_held) = db::run(&self.pool, move |conn| {
                checked.next_batch(conn, &job, &upload, today)?;
                let held = renew(conn, &job, ImportState::Checking, checked.rows, lease)?;
                Ok::<_, JobError>((checked, held))
            })
            .await?;
            if !still_held {
                return Ok(Outcome::TakenOver);
            }
        }
        let now = self.clock.now();
        if checked.problems.count > 0 {
            let refused = db::run(&self.pool, move |conn| {
                finish_invalid(conn, &job, &checked, now)
            })
            .await?;
            return Ok(if refused {
                Outcome::Finished
            } else {
                Outcome::TakenOver
            });
        }
        if self.shutdown.is_requested() {
            return self.hand_back(job).await;
        }
        let lease = self.lease();
        let settings = self.settings.clone();
        let rows = checked.rows;
        let imported = db::run(&self.pool, move |conn| {
            if !renew(conn, &job, ImportState::Importing, rows, lease)? {
                return Err(JobError::LeaseLost);
            }
            import_all(conn, &job, &checked.accepted, &settings, now)
        })
        .await;
        match imported {
            Ok(()) => Ok(Outcome::Finished),
            Err(JobError::LeaseLost) => Ok(Outcome::TakenOver),
            Err(error) => Err(error),
        }
    }

    async fn hand_back(&self, job: Arc<Claimed>) -> Result<Outcome, JobError> {
        let handed = db::run(&self.pool, move |conn| {
            hand_back(conn, &job).map_err(JobError::from)
        })
        .await?;
        Ok(if handed {
            Outcome::HandedBack
        } else {
            Outcome::TakenOver
        })
    }
}
