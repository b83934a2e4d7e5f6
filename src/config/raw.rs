//! The settings as the TOML file and the environment give them, every value
//! optional, and how each group falls back to its defaults.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::{JobSettings, OutboxSettings};

/// The values as the file and environment give them, every one optional.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RawSettings {
    pub(super) data_dir: Option<PathBuf>,
    pub(super) database_url: Option<String>,
    pub(super) bind: Option<String>,
    pub(super) base_url: Option<String>,
    pub(super) smtp_url: Option<String>,
    pub(super) secret_key: Option<String>,
    pub(super) mail_from: Option<String>,
    pub(super) db_pool_size: Option<u32>,
    pub(super) http_workers: Option<usize>,
    pub(super) outbox: Option<RawOutbox>,
    pub(super) jobs: Option<RawJobs>,
    pub(super) data_regions: Option<BTreeMap<String, String>>,
    pub(super) trusted_proxies: Option<RawList>,
    pub(super) failure_brake_per_minute: Option<u32>,
    pub(super) metrics_token: Option<String>,
    pub(super) sso_allow_http_issuers: Option<bool>,
    pub(super) dns_resolver: Option<String>,
    pub(super) partner_api_requests_per_minute: Option<u32>,
    /// Seconds.
    pub(super) webhook_disable_after: Option<u64>,
    pub(super) webhook_allow_http_loopback: Option<bool>,
}

/// A list given as one comma-separated string (the environment) or as an array
/// (the TOML file).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawList {
    Text(String),
    Items(Vec<String>),
}

impl RawList {
    pub(super) fn items(&self) -> Vec<&str> {
        match self {
            RawList::Text(text) => text.split(',').collect(),
            RawList::Items(items) => items.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RawOutbox {
    pub(super) poll_interval_ms: Option<u64>,
    pub(super) retry_base_ms: Option<u64>,
    pub(super) retry_max_ms: Option<u64>,
    pub(super) give_up_after_secs: Option<u64>,
    pub(super) send_deadline_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct RawJobs {
    pub(super) poll_interval_ms: Option<u64>,
    pub(super) lease_secs: Option<u64>,
    pub(super) shutdown_grace_secs: Option<u64>,
}

impl RawOutbox {
    /// The outbox settings, each value not given at its default.
    pub(super) fn or_defaults(self) -> OutboxSettings {
        let defaults = OutboxSettings::default();
        let ms = Duration::from_millis;
        let secs = Duration::from_secs;
        OutboxSettings {
            poll_interval: self.poll_interval_ms.map_or(defaults.poll_interval, ms),
            retry_base: self.retry_base_ms.map_or(defaults.retry_base, ms),
            retry_max: self.retry_max_ms.map_or(defaults.retry_max, ms),
            give_up_after: self.give_up_after_secs.map_or(defaults.give_up_after, secs),
            send_deadline: self.send_deadline_secs.map_or(defaults.send_deadline, secs),
        }
    }
}

impl RawJobs {
    /// The job worker's settings, each value not given at its default.
    pub(super) fn or_defaults(self) -> JobSettings {
        let defaults = JobSettings::default();
        let secs = Duration::from_secs;
        JobSettings {
            poll_interval: self
                .poll_interval_ms
                .map_or(defaults.poll_interval, Duration::from_millis),
            lease: self.lease_secs.map_or(defaults.lease, secs),
            shutdown_grace: self
                .shutdown_grace_secs
                .map_or(defaults.shutdown_grace, secs),
        }
    }
}
