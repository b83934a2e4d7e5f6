//! "Open customer": a partner user enters a customer's console for
//! at most an hour, only while the customer allows partner assistance. The time
//! inside is an assisted session, stored so that it can be checked on every
//! request and ended from outside: turning assistance off, dissociating the
//! customer or taking the partner user's right away ends it on the next request.

pub mod pages;
pub mod request;

use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::ids::PartnerId;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::access::{Capability, PartnerRole};
use crate::db::DbConnection;
use crate::db::schema::{assisted_sessions, customer_accounts, memberships, partner_organisations};

/// The longest an assisted session lasts.
pub const MAX_MINUTES: i64 = 60;

/// Why an assisted session ended; stored, and shown to the partner user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    Left,
    Expired,
    AssistanceOff,
    Dissociated,
    AccessRemoved,
}

impl EndReason {
    pub const ALL: [EndReason; 5] = [
        EndReason::Left,
        EndReason::Expired,
        EndReason::AssistanceOff,
        EndReason::Dissociated,
        EndReason::AccessRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Left => "left",
            EndReason::Expired => "expired",
            EndReason::AssistanceOff => "assistance_off",
            EndReason::Dissociated => "dissociated",
            EndReason::AccessRemoved => "access_removed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            EndReason::Left => "assisted-ended-left",
            EndReason::Expired => "assisted-ended-expired",
            EndReason::AssistanceOff => "assisted-ended-assistance-off",
            EndReason::Dissociated => "assisted-ended-dissociated",
            EndReason::AccessRemoved => "assisted-ended-access-removed",
        }
    }
}

use crate::auth::identity::Assisting;

/// What a request finds of its assisted session.
pub enum Check {
    Going(Assisting),
    /// It may not go on (or was already over); the browser goes back to the
    /// partner side, told why.
    Over {
        customer_id: String,
        reason: EndReason,
    },
}

/// An assisted session with what decides whether it may go on.
#[derive(Queryable)]
struct SessionRow {
    id: String,
    customer_id: String,
    partner_id: String,
    partner_membership_id: String,
    expires_at: NaiveDateTime,
    ended: Option<String>,
    customer_name: String,
    customer_partner: Option<String>,
    assistance: bool,
    partner_name: String,
    /// The instance operator suspended the partner: its people's access ends.
    partner_suspended: bool,
    membership_state: String,
    role: String,
    membership_partner: Option<String>,
}

impl SessionRow {
    /// Why the session may not go on at `now`, if it may not.
    fn end_reason(&self, now: NaiveDateTime) -> Option<EndReason> {
        let may_open = !self.partner_suspended
            && self.membership_state == MembershipState::Active.as_str()
            && self.membership_partner.as_deref() == Some(self.partner_id.as_str())
            && PartnerRole::parse(&self.role).is_some_and(|r| r.can(Capability::OpenCustomer));
        if let Some(ended) = &self.ended {
            Some(EndReason::parse(ended).unwrap_or(EndReason::Left))
        } else if self.customer_partner.as_deref() != Some(self.partner_id.as_str()) {
            Some(EndReason::Dissociated)
        } else if !self.assistance {
            Some(EndReason::AssistanceOff)
        } else if !may_open {
            Some(EndReason::AccessRemoved)
        } else if now >= self.expires_at {
            Some(EndReason::Expired)
        } else {
            None
        }
    }
}

/// Checks `session_id` for `login_id` at `now`, ending it if it may not go on.
/// `None` when there is no such session of this login.
pub fn check(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    session_id: &str,
) -> QueryResult<Option<Check>> {
    let row: Option<SessionRow> = assisted_sessions::table
        .inner_join(customer_accounts::table)
        .inner_join(partner_organisations::table)
        .inner_join(memberships::table)
        .filter(assisted_sessions::id.eq(session_id))
        .filter(assisted_sessions::login_id.eq(login_id))
        .select((
            assisted_sessions::id,
            assisted_sessions::customer_id,
            assisted_sessions::partner_id,
            assisted_sessions::partner_membership_id,
            assisted_sessions::expires_at,
            assisted_sessions::end_reason,
            customer_accounts::name,
            customer_accounts::partner_id,
            customer_accounts::partner_assistance,
            partner_organisations::name,
            partner_organisations::suspended_at.is_not_null(),
            memberships::state,
            memberships::role,
            memberships::partner_id,
        ))
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut ends = row.end_reason(now);
    // A member limited to some groups whose customer left them is out of reach.
    if ends.is_none() {
        let reach = crate::reach::of_membership(conn, &row.partner_membership_id)?;
        if !crate::reach::reaches(conn, &reach, &row.partner_id, &row.customer_id)? {
            ends = Some(EndReason::AccessRemoved);
        }
    }
    if let Some(reason) = ends {
        end(conn, now, &row.id, reason)?;
        return Ok(Some(Check::Over {
            customer_id: row.customer_id,
            reason,
        }));
    }
    Ok(Some(Check::Going(Assisting {
        session_id: row.id,
        customer_id: row.customer_id,
        customer_name: row.customer_name,
        partner_id: row.partner_id,
        partner_name: row.partner_name,
        partner_membership_id: row.partner_membership_id,
        expires_at: row.expires_at,
    })))
}

/// Ends the session for `reason`, unless it has already ended.
pub fn end(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    session_id: &str,
    reason: EndReason,
) -> QueryResult<()> {
    diesel::update(
        assisted_sessions::table
            .filter(assisted_sessions::id.eq(session_id))
            .filter(assisted_sessions::ended_at.is_null()),
    )
    .set((
        assisted_sessions::ended_at.eq(Some(now)),
        assisted_sessions::end_reason.eq(Some(reason.as_str())),
    ))
    .execute(conn)
    .map(|_| ())
}

pub struct NewSession<'a> {
    pub customer_id: &'a CustomerId,
    pub partner_id: &'a PartnerId,
    pub partner_membership_id: &'a str,
    pub login_id: &'a str,
    pub reason: &'a str,
}

/// Starts an assisted session; returns its id.
pub fn start(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    new: &NewSession<'_>,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(assisted_sessions::table)
        .values((
            assisted_sessions::id.eq(&id),
            assisted_sessions::customer_id.eq(new.customer_id),
            assisted_sessions::partner_id.eq(new.partner_id),
            assisted_sessions::partner_membership_id.eq(new.partner_membership_id),
            assisted_sessions::login_id.eq(new.login_id),
            assisted_sessions::reason.eq(new.reason),
            assisted_sessions::started_at.eq(now),
            assisted_sessions::expires_at.eq(now + Duration::minutes(MAX_MINUTES)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Ends an assisted session as its browser signs out or switches away; a failure
/// is logged, since the session also ends by itself within the hour.
pub async fn end_on_the_way_out(state: &crate::state::AppState, session_id: String) {
    let now = state.clock.now();
    let ended = crate::db::run(&state.pool, move |conn| {
        end(conn, now, &session_id, EndReason::Left).map_err(crate::db::DbError::from)
    })
    .await;
    if let Err(error) = ended {
        tracing::error!(?error, "an assisted session could not be ended");
    }
}
