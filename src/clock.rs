//! The time, passed in so tests can move it forward.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{NaiveDateTime, Utc};

pub trait Clock: Send + Sync {
    /// Now, in UTC (every stored timestamp is UTC).
    fn now(&self) -> NaiveDateTime;
}

pub type SharedClock = Arc<dyn Clock>;

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc()
    }
}

pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}

/// The real time shifted by an offset that a test can advance.
#[derive(Default)]
pub struct OffsetClock {
    offset_seconds: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc()
            + chrono::Duration::seconds(self.offset_seconds.load(Ordering::SeqCst))
    }
}
