//! Partner staff: invitations, role changes, disabling, with the rule that an
//! organisation always keeps an active owner, also under concurrent requests
//! (the rule and the changes are the `people` shared with a customer's users).

pub mod pages;
pub mod reach;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::PartnerRole;
use crate::auth::scope::PartnerScope;
use crate::db::DbConnection;
use crate::people::{self, PeopleOf, Person};

pub type StaffMember = Person<PartnerRole>;

/// How long before its link expires an invitation counts as about to expire.
pub const EXPIRING_WITHIN_HOURS: i64 = 24;

impl StaffMember {
    /// An invitation still waiting whose link stops working within a day.
    pub fn invitation_expiring(&self, now: NaiveDateTime) -> bool {
        self.active
            && self.pending
            && self.sent.is_some_and(|sent| {
                !sent.expired(now)
                    && sent.until <= now + chrono::Duration::hours(EXPIRING_WITHIN_HOURS)
            })
    }
}

pub fn list(conn: &mut DbConnection, scope: &PartnerScope) -> QueryResult<Vec<StaffMember>> {
    people::list(conn, PeopleOf::Partner(scope.partner_id()))
}
