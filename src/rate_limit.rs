//! Each partner API token's budget of requests: at most `per_minute` at once, given
//! back at `per_minute` a minute (the generic cell rate algorithm of
//! `governor`). A request over budget answers 429 with `Retry-After`.
//!
//! The budget is kept in this instance's memory: counting in the database would
//! make every read a write. Behind a load balancer each instance gives a token
//! its own budget, which the operator's documentation says.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

/// How many requests pass between two clear-outs of the rested tokens.
const SPENDS_BETWEEN_CLEAR_OUTS: u32 = 4096;

pub struct ApiRateLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    spends: AtomicU32,
}

impl ApiRateLimiter {
    pub fn per_minute(requests: NonZeroU32) -> Self {
        ApiRateLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(requests)),
            spends: AtomicU32::new(0),
        }
    }

    /// Spends one request of `token_id`'s budget, or tells how long to wait
    /// (whole seconds, at least one) before one is left.
    pub fn spend(&self, token_id: &str) -> Result<(), u64> {
        if self
            .spends
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(SPENDS_BETWEEN_CLEAR_OUTS)
        {
            self.forget_rested();
        }
        match self.limiter.check_key(&token_id.to_owned()) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                Err(whole_seconds(wait))
            }
        }
    }

    /// Forgets the tokens whose budget is full again, so the table holds only
    /// the tokens used in the last minute.
    fn forget_rested(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

fn whole_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0).max(u64::from(wait.is_zero()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_over_its_budget_waits_and_others_do_not() {
        let limiter = ApiRateLimiter::per_minute(NonZeroU32::new(2).expect("two"));
        assert_eq!(limiter.spend("a"), Ok(()));
        assert_eq!(limiter.spend("a"), Ok(()));
        let wait = limiter.spend("a").expect_err("over budget");
        assert!((1..=30).contains(&wait), "{wait}");
        assert_eq!(limiter.spend("b"), Ok(()));
    }

    #[test]
    fn waits_round_up_to_whole_seconds() {
        assert_eq!(whole_seconds(Duration::ZERO), 1);
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds(Duration::from_millis(2001)), 3);
    }
}
