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

mod check;
mod row;

use std::sync::Arc;

use chrono::NaiveDateTime;
use tokio::sync::Notify;

use super::upload::Upload;
use crate::clock::SharedClock;
use crate::config::Settings;
use crate::customers::CustomerError;
use crate::db::{self, DbError, DbPool};
use crate::jobs::{Shutdown, lease_until};
use crate::metrics::Metrics;
use crate::tenancy::kinds::ImportState;
use check::Checked;
use row::{Claimed, Next, claim_next, finish_invalid, hand_back, import_all, mark_failed, renew};

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

crate::customers::wraps_customer_error!(JobError);

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
    /// Counts the passes that found nothing more to claim.
    pub metrics: Arc<Metrics>,
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
                Next::Nothing => {
                    self.metrics.import_worker_passed();
                    return Ok(());
                }
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
