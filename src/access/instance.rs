//! The instance operator's standing, decided on the login alone: the role
//! belongs to no organisation.

use super::Decision;

/// A login's standing as an instance operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorStanding {
    NotOperator,
    Operator,
    /// An operator without a second factor whose grace period is over: the
    /// operator's area sends them to enrol one first.
    MustEnrol,
}

impl OperatorStanding {
    /// The decision on a route of the operator's area: anyone else signed in
    /// is answered as for a missing page.
    pub fn decision(self) -> Decision {
        match self {
            OperatorStanding::Operator => Decision::Allow,
            OperatorStanding::MustEnrol => Decision::EnrolSecondFactor,
            OperatorStanding::NotOperator => Decision::NotFound,
        }
    }
}
