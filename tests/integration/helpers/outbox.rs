//! Emails without waiting on the outbox worker's timer: the test sends what is
//! due itself, then counts exactly what the mail server received.

use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use lettre::message::Mailbox;
use partnerdesk::clock::Clock;
use partnerdesk::db::schema::email_outbox;
use partnerdesk::email::Mailer;
use partnerdesk::email::outbox::OutboxWorker;
use partnerdesk::jobs::Shutdown;

use super::TestApp;
use crate::smtp::ReceivedEmail;

/// Longer than any drain a test makes; reaching it means an email keeps
/// failing while the clock moves on (a test on the real clock with its mail
/// server stopped), which is a mistake in the test.
const DRAIN_LIMIT: Duration = Duration::from_secs(30);

impl TestApp {
    /// Sends every email due by the application's clock, as the outbox worker
    /// does, until none is due and none is being sent (the application's own
    /// worker may have claimed one); then returns everything the mail server has
    /// received. Nothing can arrive afterwards unless the clock moves or a new
    /// email is queued, so the count is exact.
    pub async fn drain_outbox(&self) -> Vec<ReceivedEmail> {
        let worker = self.outbox_worker();
        let deadline = Instant::now() + DRAIN_LIMIT;
        loop {
            worker.deliver_due().await.expect("the outbox is readable");
            if self.outbox_in_flight() == 0 {
                return self.mail.received();
            }
            assert!(
                Instant::now() < deadline,
                "the outbox still has emails due or being sent after {DRAIN_LIMIT:?}"
            );
            // An email the application's worker is sending: its answer comes
            // from the mail server within the send deadline.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Emails due now by the application's clock, or claimed and not yet sent.
    fn outbox_in_flight(&self) -> i64 {
        let now = self.clock.now();
        email_outbox::table
            .filter(
                email_outbox::state
                    .eq("pending")
                    .and(email_outbox::next_attempt_at.le(now))
                    .or(email_outbox::state.eq("sending")),
            )
            .count()
            .get_result(&mut self.conn())
            .expect("count the outbox")
    }

    fn outbox_worker(&self) -> OutboxWorker {
        let settings = &self.settings;
        OutboxWorker {
            pool: self.pool.clone(),
            mailer: Mailer::from_settings(
                settings.smtp_url.as_deref(),
                settings.mail_dir(),
                settings.outbox.send_deadline,
            )
            .expect("a mailer"),
            from: settings.mail_from.parse::<Mailbox>().expect("a sender"),
            settings: settings.outbox.clone(),
            clock: self.clock.clone(),
            wake: Arc::new(tokio::sync::Notify::new()),
            metrics: Arc::new(partnerdesk::metrics::Metrics::new()),
            shutdown: Shutdown::new(),
        }
    }
}

impl TestApp {
    /// After a drain, every email `address` has received.
    pub async fn emails_to(&self, address: &str) -> Vec<ReceivedEmail> {
        self.drain_outbox()
            .await
            .into_iter()
            .filter(|e| e.to.iter().any(|to| to.eq_ignore_ascii_case(address)))
            .collect()
    }

    /// Waits until the instance's import worker has gone through what was
    /// claimable and found nothing more (its first look at start, at least):
    /// rows written after this stay as written until the worker is woken or
    /// its poll interval passes.
    pub async fn import_worker_idle(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let text = self
                .client
                .get(self.url("/metrics"))
                .bearer_auth(super::METRICS_TOKEN)
                .send()
                .await
                .expect("scrape the metrics")
                .text()
                .await
                .expect("the metrics' text");
            let passes = text
                .lines()
                .find_map(|line| line.strip_prefix("partnerdesk_import_worker_passes_total "))
                .and_then(|value| value.trim().parse::<f64>().ok())
                .unwrap_or(0.0);
            if passes >= 1.0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the import worker never finished its first look"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// One pass of an import worker reading `clock`, as an instance's worker
    /// makes when woken: claims and runs whatever import is claimable, then
    /// returns. A test that proves nobody takes an import runs one and looks.
    pub async fn import_pass(&self, clock: Arc<super::TestClock>) {
        let worker = partnerdesk::customers::import::ImportWorker {
            pool: self.pool.clone(),
            settings: self.settings.clone(),
            clock,
            wake: Arc::new(tokio::sync::Notify::new()),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            metrics: Arc::new(partnerdesk::metrics::Metrics::new()),
            shutdown: Shutdown::new(),
        };
        worker.work_due().await.expect("the imports are readable");
    }
}
