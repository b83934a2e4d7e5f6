//! The second-factor rule as a request sees it: whether a factor was presented
//! recently enough for the actions that ask again, and whether the membership's
//! rule sends the person to enrol before anything else. Factors and rules are
//! managed by the second-factor pages.

use chrono::{Duration, NaiveDateTime};

use super::identity::Identity;
use crate::access::OperatorStanding;

/// How long a second factor presented in a session covers the actions that ask
/// for one again.
pub const STEP_UP_MINUTES: i64 = 15;
/// New partner organisations require a second factor, with this grace period.
pub const DEFAULT_GRACE_DAYS: i32 = 7;

/// A tenant's rule, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub required_since: NaiveDateTime,
    pub grace_days: i32,
}

impl Policy {
    pub fn from_columns(since: Option<NaiveDateTime>, grace_days: Option<i32>) -> Option<Self> {
        Some(Policy {
            required_since: since?,
            grace_days: grace_days.unwrap_or(DEFAULT_GRACE_DAYS),
        })
    }

    /// Until when someone without a second factor may go on without one.
    pub fn deadline(&self) -> NaiveDateTime {
        self.required_since + Duration::days(i64::from(self.grace_days))
    }
}

/// For a signed-in request: whether a second factor was presented in this
/// session (`presented_at`, Unix seconds) within `STEP_UP_MINUTES`, and whether
/// the chosen membership's rule now sends the person to enrol first.
pub fn status(identity: &Identity, presented_at: Option<i64>, now: NaiveDateTime) -> (bool, bool) {
    let enrolled = identity.login.second_factor;
    let fresh = enrolled
        && presented_at.is_some_and(|at| now.and_utc().timestamp() - at <= STEP_UP_MINUTES * 60);
    let must_enrol = !enrolled
        && identity
            .membership
            .as_ref()
            .and_then(|m| m.second_factor_policy)
            .is_some_and(|policy| now > policy.deadline());
    (fresh, must_enrol)
}

/// The login's standing as an instance operator. An operator is a person
/// acting on every organisation: like partner staff by default, they must have
/// a second factor, with the same grace period counted from the grant.
pub fn operator_standing(identity: &Identity, now: NaiveDateTime) -> OperatorStanding {
    match identity.login.operator_since {
        None => OperatorStanding::NotOperator,
        Some(_) if identity.login.second_factor => OperatorStanding::Operator,
        Some(since) if now > operator_deadline(since) => OperatorStanding::MustEnrol,
        Some(_) => OperatorStanding::Operator,
    }
}

/// Until when an operator granted at `since` may go on without a second factor.
pub fn operator_deadline(since: NaiveDateTime) -> NaiveDateTime {
    Policy {
        required_since: since,
        grace_days: DEFAULT_GRACE_DAYS,
    }
    .deadline()
}
