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

/// A fixed instant that only its owner moves: what a test reads from it is
/// exactly what the application reads, whatever the real time (a date computed
/// just before midnight is still the same date just after).
pub struct FrozenClock {
    now: std::sync::Mutex<NaiveDateTime>,
}

impl FrozenClock {
    pub fn at(instant: NaiveDateTime) -> Self {
        Self {
            now: std::sync::Mutex::new(instant),
        }
    }

    pub fn set(&self, instant: NaiveDateTime) {
        *self.locked() = instant;
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.locked() += by;
    }

    fn locked(&self) -> std::sync::MutexGuard<'_, NaiveDateTime> {
        // The value is a plain copy, whole after any panic: take it anyway.
        self.now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for FrozenClock {
    fn now(&self) -> NaiveDateTime {
        *self.locked()
    }
}
