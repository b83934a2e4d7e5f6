//! What every request handler shares: the settings, the database pool, the
//! clock, the workers' wake-up calls and the passkeys' relying party. At the
//! bottom of the crate: features take it, and only `startup` builds it.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::config::Settings;
use crate::db::DbPool;
use crate::metrics::Metrics;
use crate::rate_limit::ApiRateLimiter;

/// Shared by every request handler.
pub struct AppState {
    pub settings: Settings,
    pub pool: DbPool,
    pub clock: SharedClock,
    /// Wakes the outbox worker when a request has just queued an email.
    pub outbox_wake: Arc<Notify>,
    /// Wakes the background job worker when a request has just queued a job.
    pub jobs_wake: Arc<Notify>,
    /// Wakes the webhook worker when a request has just emitted an event.
    pub webhooks_wake: Arc<Notify>,
    /// The passkeys' relying party: the public address, when it is a domain
    /// name (browsers refuse passkeys on an IP address).
    pub webauthn: Option<Arc<webauthn_rs::Webauthn>>,
    /// The figures `/metrics` reports.
    pub metrics: Arc<Metrics>,
    /// What each partner API token has left of its budget of requests.
    pub partner_api_budget: ApiRateLimiter,
}
