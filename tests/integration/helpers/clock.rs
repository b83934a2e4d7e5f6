//! The clock a test hands the application.

use chrono::{NaiveDate, NaiveDateTime};
use partnerdesk::clock::{Clock, FrozenClock, OffsetClock};

/// Where a frozen clock starts: a weekday at 10:00 UTC, 11:00 in Paris, far
/// from any midnight in either zone, so "today" is the same day for the test's
/// arithmetic, the server's queries and the pages (in Europe/Paris).
pub const FROZEN_NOW: NaiveDateTime = match NaiveDate::from_ymd_opt(2026, 3, 11) {
    Some(day) => match day.and_hms_opt(10, 0, 0) {
        Some(instant) => instant,
        None => panic!("a valid time"),
    },
    None => panic!("a valid date"),
};

/// Either the real time (shifted by what the test has advanced), for the tests
/// that need time to pass on its own (retries, throttling windows, the
/// browser), or a fixed instant moved only by the test.
pub enum TestClock {
    Running(OffsetClock),
    Frozen(FrozenClock),
}

impl TestClock {
    pub fn running() -> Self {
        TestClock::Running(OffsetClock::default())
    }

    pub fn frozen() -> Self {
        TestClock::Frozen(FrozenClock::at(FROZEN_NOW))
    }

    pub fn advance(&self, by: chrono::Duration) {
        match self {
            TestClock::Running(clock) => clock.advance(by),
            TestClock::Frozen(clock) => clock.advance(by),
        }
    }
}

impl Clock for TestClock {
    fn now(&self) -> NaiveDateTime {
        match self {
            TestClock::Running(clock) => clock.now(),
            TestClock::Frozen(clock) => clock.now(),
        }
    }
}
