//! Distributor assistance: a reseller's owners may let the organisation
//! directly above it help in its portal. A person of that distributor who may
//! open customers then enters the reseller's portal for at most an hour, with
//! a reason, under a banner, as the reseller's "assisting distributor"
//! (`access::PartnerRole::AssistingDistributor`: it grants nobody access,
//! opens no customer console and reaches no organisation further down).
//! Everything done there is in the reseller's activity log in the person's
//! name, on behalf of the distributor.
//!
//! The time inside is stored (`reseller_assists`) and checked on every request,
//! as "open customer" is (`crate::assisted`): the reseller turning assistance
//! off, the reseller moving to another distributor, the person's membership
//! losing the right, either organisation being suspended, or the hour running
//! out ends it on the next request.
//!
//! `pages` is the distributor's side (the reason form, entering, leaving);
//! `setting` the reseller's (allowing it, and the history of who came).

pub mod pages;
pub mod setting;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::access::{Capability, PartnerRole};
use crate::accounts::MembershipState;
pub use crate::assisted::EndReason;
use crate::assisted::MAX_MINUTES;
use crate::auth::identity::AssistingReseller;
use crate::db::DbConnection;
use crate::db::schema::{memberships, partner_organisations, reseller_assists};

/// What a request finds of its session in a reseller's portal.
pub enum Check {
    Going(AssistingReseller),
    /// It may not go on (or was already over): the browser goes back to the
    /// distributor's portal, told why.
    Over {
        reseller_id: String,
        reason: EndReason,
    },
}

/// A session in a reseller's portal with what decides whether it may go on.
#[derive(Queryable)]
struct SessionRow {
    id: String,
    reseller_id: String,
    distributor_id: String,
    distributor_membership_id: String,
    expires_at: NaiveDateTime,
    ended: Option<String>,
    reseller_name: String,
    reseller_parent: Option<String>,
    allowed: bool,
    reseller_suspended: bool,
    membership_state: String,
    role: String,
    membership_partner: Option<String>,
    /// An owner limited the person to some customer groups: the network is
    /// out of their reach (`network::network_of`).
    membership_limited: bool,
}

impl SessionRow {
    /// Why the session may not go on at `now`, if it may not; `distributor`
    /// is the distributor's (name, suspended).
    fn end_reason(&self, now: NaiveDateTime, distributor: &(String, bool)) -> Option<EndReason> {
        let may_assist = !distributor.1
            && !self.reseller_suspended
            && self.membership_state == MembershipState::Active.as_str()
            && self.membership_partner.as_deref() == Some(self.distributor_id.as_str())
            && !self.membership_limited
            && PartnerRole::parse(&self.role).is_some_and(|r| r.can(Capability::AssistResellers));
        if let Some(ended) = &self.ended {
            Some(EndReason::parse(ended).unwrap_or(EndReason::Left))
        } else if self.reseller_parent.as_deref() != Some(self.distributor_id.as_str()) {
            Some(EndReason::Dissociated)
        } else if !self.allowed {
            Some(EndReason::AssistanceOff)
        } else if !may_assist {
            Some(EndReason::AccessRemoved)
        } else if now >= self.expires_at {
            Some(EndReason::Expired)
        } else {
            None
        }
    }
}

/// The message saying why a session in a reseller's portal ended.
pub fn ended_message_key(reason: EndReason) -> &'static str {
    match reason {
        EndReason::Left => "reseller-assist-ended-left",
        EndReason::Expired => "reseller-assist-ended-expired",
        EndReason::AssistanceOff => "reseller-assist-ended-assistance-off",
        EndReason::Dissociated => "reseller-assist-ended-moved",
        EndReason::AccessRemoved => "reseller-assist-ended-access-removed",
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
    let row: Option<SessionRow> = reseller_assists::table
        .inner_join(partner_organisations::table)
        .inner_join(memberships::table)
        .filter(reseller_assists::id.eq(session_id))
        .filter(reseller_assists::login_id.eq(login_id))
        .select((
            reseller_assists::id,
            reseller_assists::reseller_id,
            reseller_assists::distributor_id,
            reseller_assists::distributor_membership_id,
            reseller_assists::expires_at,
            reseller_assists::end_reason,
            partner_organisations::name,
            partner_organisations::parent_id,
            partner_organisations::distributor_assistance,
            partner_organisations::suspended_at.is_not_null(),
            memberships::state,
            memberships::role,
            memberships::partner_id,
            memberships::customers_scoped,
        ))
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let distributor: (String, bool) = partner_organisations::table
        .filter(partner_organisations::id.eq(&row.distributor_id))
        .select((
            partner_organisations::name,
            partner_organisations::suspended_at.is_not_null(),
        ))
        .first(conn)?;
    if let Some(reason) = row.end_reason(now, &distributor) {
        end(conn, now, &row.id, reason)?;
        return Ok(Some(Check::Over {
            reseller_id: row.reseller_id,
            reason,
        }));
    }
    Ok(Some(Check::Going(AssistingReseller {
        session_id: row.id,
        reseller_id: row.reseller_id,
        reseller_name: row.reseller_name,
        distributor_id: row.distributor_id,
        distributor_name: distributor.0,
        distributor_membership_id: row.distributor_membership_id,
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
        reseller_assists::table
            .filter(reseller_assists::id.eq(session_id))
            .filter(reseller_assists::ended_at.is_null()),
    )
    .set((
        reseller_assists::ended_at.eq(Some(now)),
        reseller_assists::end_reason.eq(Some(reason.as_str())),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Ends every session still open in the reseller's portal, for `reason`; how
/// many there were.
pub fn end_all_of(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    reseller_id: &str,
    reason: EndReason,
) -> QueryResult<usize> {
    diesel::update(
        reseller_assists::table
            .filter(reseller_assists::reseller_id.eq(reseller_id))
            .filter(reseller_assists::ended_at.is_null()),
    )
    .set((
        reseller_assists::ended_at.eq(Some(now)),
        reseller_assists::end_reason.eq(Some(reason.as_str())),
    ))
    .execute(conn)
}

/// Who enters whose portal, and why.
pub struct NewAssist<'a> {
    pub reseller_id: &'a str,
    pub distributor_id: &'a str,
    pub distributor_membership_id: &'a str,
    pub login_id: &'a str,
    pub reason: &'a str,
}

/// Starts a session in the reseller's portal; returns its id.
pub fn start(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    new: &NewAssist<'_>,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(reseller_assists::table)
        .values((
            reseller_assists::id.eq(&id),
            reseller_assists::reseller_id.eq(new.reseller_id),
            reseller_assists::distributor_id.eq(new.distributor_id),
            reseller_assists::distributor_membership_id.eq(new.distributor_membership_id),
            reseller_assists::login_id.eq(new.login_id),
            reseller_assists::reason.eq(new.reason),
            reseller_assists::started_at.eq(now),
            reseller_assists::expires_at.eq(now + Duration::minutes(MAX_MINUTES)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Ends a session in a reseller's portal as its browser signs out or switches
/// away; a failure is logged, since the session also ends within the hour.
pub async fn end_on_the_way_out(state: &crate::state::AppState, session_id: String) {
    let now = state.clock.now();
    let ended = crate::db::run(&state.pool, move |conn| {
        end(conn, now, &session_id, EndReason::Left).map_err(crate::db::DbError::from)
    })
    .await;
    if let Err(error) = ended {
        tracing::error!(
            ?error,
            "a session in a reseller's portal could not be ended"
        );
    }
}
