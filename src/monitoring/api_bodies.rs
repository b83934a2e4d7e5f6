//! The bodies of the monitoring API (`api`): the answers it writes, and the
//! requests it reads, described for the OpenAPI document. Requests are read
//! field by field (`api::Fields`, so one answer names every problem, inside a
//! batch too): their types here are the description, not the parser.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The monitors the token sees.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorList {
    /// By name.
    pub monitors: Vec<MonitorBody>,
}

/// A monitor with its state.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonitorBody {
    pub id: String,
    pub name: String,
    /// `web`, `device` or `api`.
    pub kind: String,
    /// What it checks: an address, a host name.
    pub target: String,
    /// `up`, `down`, or `unknown` before its first result.
    pub state: String,
    /// The check time of its latest result, RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub last_checked_at: Option<String>,
}

/// One check result of a monitor.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckResult {
    /// When the agent checked, RFC 3339: at most 5 minutes ahead of the server's
    /// clock and at most 400 days old (whole seconds are kept). A result at a
    /// time already stored for the monitor is a duplicate, ignored.
    #[schema(format = DateTime, example = "2026-12-06T09:30:00Z")]
    pub checked_at: String,
    pub success: bool,
    /// 0 to 600000 (ten minutes).
    #[schema(minimum = 0, maximum = 600_000, example = 182)]
    pub response_ms: Option<i64>,
    /// At most 2000 characters, no control characters but line ends and tabs.
    #[schema(max_length = 2000)]
    pub message: Option<String>,
}

/// Several check results of a monitor, stored all or none.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckResultBatch {
    /// Its faulty fields are named with their place (`results[2].response_ms`).
    #[schema(min_items = 1, max_items = 1000)]
    pub results: Vec<CheckResult>,
}

/// One result, or a batch: an object with `results` is a batch.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ResultsRequest {
    One(CheckResult),
    Batch(CheckResultBatch),
}

/// What a post of results did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsAccepted {
    /// Results stored.
    pub accepted: usize,
    /// Results at a check time already stored for the monitor (an agent
    /// sending a batch again), or twice in the post, ignored.
    pub duplicates: usize,
}

/// One entry of a monitor's error log.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorEntry {
    /// When it was logged, RFC 3339: at most 5 minutes ahead of the server's
    /// clock and at most 400 days old.
    #[schema(format = DateTime, example = "2026-12-06T09:30:00Z")]
    pub logged_at: String,
    /// `info`, `warning`, `error` or `critical`.
    #[schema(example = "error")]
    pub severity: String,
    /// At most 2000 characters, no control characters but line ends and tabs.
    #[schema(min_length = 1, max_length = 2000, example = "Connection refused")]
    pub message: String,
}

/// Several entries of a monitor's error log, stored all or none.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorEntryBatch {
    /// Its faulty fields are named with their place (`entries[0].severity`).
    #[schema(min_items = 1, max_items = 1000)]
    pub entries: Vec<ErrorEntry>,
}

/// One entry, or a batch: an object with `entries` is a batch.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ErrorsRequest {
    One(ErrorEntry),
    Batch(ErrorEntryBatch),
}

/// What a post of error-log entries did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorsAccepted {
    /// Entries stored.
    pub accepted: usize,
}
