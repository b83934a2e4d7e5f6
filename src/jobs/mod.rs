//! Background jobs: rows in the database claimed with a lease, like the email
//! outbox's. A worker claims a job with a compare-and-set update that writes its
//! own claim token and a lease (`locked_until`), renews the lease while it works,
//! and clears both when it finishes or hands the job back. A lease that has run
//! out means the instance working on the job stopped: any instance claims it
//! again. Every write a worker makes to its job names its claim token, so a
//! worker that lost its lease changes nothing.
//!
//! The one job today is the CSV import of customers
//! (`customers::import::job`).
//!
//! [`Shutdown`] is the stop signal of one instance: SIGTERM or SIGINT trigger it,
//! the HTTP server stops accepting and finishes its requests, and every worker
//! built with it stops taking work and hands back or finishes what it holds.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use tokio::sync::watch;

/// The stop signal of one instance, shared by the HTTP server and its workers.
/// Cloning it shares the same signal.
#[derive(Clone, Debug)]
pub struct Shutdown {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    pub fn new() -> Self {
        Self {
            sender: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Asks the instance to stop; what SIGTERM does.
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_requested(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once a stop has been asked for (at once if it already was).
    pub fn requested(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut receiver = self.sender.subscribe();
        async move {
            // An error means the sender is gone, which only happens at the end.
            let _ = receiver.wait_for(|stop| *stop).await;
        }
    }

    /// Waits for SIGTERM or SIGINT (Ctrl-C) and triggers the stop.
    pub async fn on_signals(self) {
        #[cfg(unix)]
        {
            use actix_web::rt::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(mut terminate) => {
                    tokio::select! {
                        _ = terminate.recv() => tracing::info!("SIGTERM: stopping"),
                        _ = actix_web::rt::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
                        _ = self.requested() => return,
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "SIGTERM cannot be listened to; only Ctrl-C stops gracefully");
                    tokio::select! {
                        _ = actix_web::rt::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
                        _ = self.requested() => return,
                    }
                }
            }
        }
        #[cfg(not(unix))]
        tokio::select! {
            _ = actix_web::rt::signal::ctrl_c() => tracing::info!("Ctrl-C: stopping"),
            _ = self.requested() => return,
        }
        self.trigger();
    }
}

/// The end of a lease of `lease` taken or renewed at `now`.
pub fn lease_until(now: NaiveDateTime, lease: Duration) -> NaiveDateTime {
    chrono::Duration::from_std(lease)
        .ok()
        .and_then(|lease| now.checked_add_signed(lease))
        .unwrap_or(NaiveDateTime::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_triggered_stop_reaches_every_clone_even_late_ones() {
        let shutdown = Shutdown::new();
        let early = shutdown.requested();
        assert!(!shutdown.is_requested());
        shutdown.clone().trigger();
        early.await;
        assert!(shutdown.is_requested());
        shutdown.requested().await;
    }
}
