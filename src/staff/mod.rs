//! Partner staff: invitations, role changes, disabling, with the rule that an
//! organisation always keeps an active owner, also under concurrent requests.

pub mod pages;

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::auth::scope::PartnerScope;
use crate::ids::MembershipId;
use crate::ids::PartnerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::PartnerRole;
use crate::accounts::NewLogin;
use crate::audit::{self, Action, Actor};
use crate::auth::session_store::end_sessions_using;
use crate::config::Settings;
use crate::db::schema::{logins, memberships};
use crate::db::{DbConnection, DbError};
use crate::invitations::{self, Shown};

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no such member")]
    NotFound,
    #[error("the organisation would lose its last owner")]
    LastOwner,
    #[error("already a member")]
    AlreadyMember,
    #[error(transparent)]
    Offer(#[from] invitations::OfferError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] DbError),
}

#[derive(Debug, Clone)]
pub struct StaffMember {
    pub membership_id: String,
    pub login_id: String,
    pub full_name: String,
    pub username: String,
    pub email: String,
    pub role: PartnerRole,
    pub active: bool,
    pub pending: bool,
    pub joined_at: NaiveDateTime,
    /// For a pending member: when the invitation was last sent, and until when.
    pub sent: Option<invitations::Sent>,
    /// The latest invitation email could not be delivered.
    pub bounced: bool,
}

type StaffRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    crate::invitations::ShownRow,
);

/// How long before its link expires an invitation counts as about to expire.
pub const EXPIRING_WITHIN_HOURS: i64 = 24;

impl StaffMember {
    /// An invitation still waiting whose link stops working within a day.
    pub fn invitation_expiring(&self, now: chrono::NaiveDateTime) -> bool {
        self.active
            && self.pending
            && self.sent.is_some_and(|sent| {
                !sent.expired(now)
                    && sent.until <= now + chrono::Duration::hours(EXPIRING_WITHIN_HOURS)
            })
    }
}

pub fn list(conn: &mut DbConnection, scope: &PartnerScope) -> QueryResult<Vec<StaffMember>> {
    let rows: Vec<StaffRow> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(scope.partner_id()))
        .order((invitations::shown_name().asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::id,
            logins::username,
            memberships::role,
            memberships::created_at,
            crate::invitations::shown_columns(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(membership_id, login_id, username, role, joined_at, shown)| {
                let active = shown.0 == MembershipState::Active.as_str();
                let shown = Shown::from_row(shown);
                Some(StaffMember {
                    membership_id,
                    full_name: shown.full_name,
                    username,
                    email: shown.email,
                    role: PartnerRole::parse(&role)?,
                    active: active || shown.pending,
                    pending: shown.pending,
                    sent: shown.sent,
                    bounced: shown.bounced,
                    login_id,
                    joined_at,
                })
            },
        )
        .collect())
}

/// One member of this partner; a membership of another partner is missing here.
fn member(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    membership_id: &MembershipId,
) -> Result<StaffMember, StaffError> {
    list(conn, scope)?
        .into_iter()
        .find(|m| m.membership_id == membership_id.as_str())
        .ok_or(StaffError::NotFound)
}

/// Serialises staff changes of one organisation. SQLite's write transactions are
/// already serial (BEGIN IMMEDIATE); PostgreSQL locks the organisation's row.
pub(crate) fn lock_organisation(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
) -> QueryResult<()> {
    crate::db::lock_row(
        conn,
        crate::db::LockTarget::PartnerOrganisation(partner_id.as_str()),
    )
}

pub(crate) fn active_owners_besides(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
    membership_id: &MembershipId,
) -> QueryResult<i64> {
    memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(partner_id))
        .filter(memberships::role.eq(PartnerRole::Owner.as_str()))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .filter(memberships::id.ne(membership_id))
        .count()
        .get_result(conn)
}

/// Call inside a write transaction.
pub fn change_role(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    scope: &PartnerScope,
    membership_id: &MembershipId,
    new_role: PartnerRole,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, scope.partner_id())?;
    let target = member(conn, scope, membership_id)?;
    if target.role == new_role {
        return Ok(());
    }
    if target.pending {
        // An offer's role is what was offered; it is changed by a new invitation.
        return Err(StaffError::NotFound);
    }
    if target.role == PartnerRole::Owner
        && active_owners_besides(conn, scope.partner_id(), membership_id)? == 0
    {
        return Err(StaffError::LastOwner);
    }
    diesel::update(memberships::table.filter(memberships::id.eq(membership_id)))
        .set(memberships::role.eq(new_role.as_str()))
        .execute(conn)?;
    let details = format!("{} → {}", target.role.as_str(), new_role.as_str());
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(scope.partner_id().as_str()),
            customer_id: None,
            actor,
            action: Action::RoleChanged,
            target: &target.full_name,
            details: &details,
        },
    )?;
    Ok(())
}

/// Disables a member's access to this organisation and ends their sessions at once.
/// Call inside a write transaction.
pub fn disable(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    scope: &PartnerScope,
    membership_id: &MembershipId,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, scope.partner_id())?;
    let target = member(conn, scope, membership_id)?;
    if !target.active || target.pending {
        return Ok(());
    }
    if target.role == PartnerRole::Owner
        && active_owners_besides(conn, scope.partner_id(), membership_id)? == 0
    {
        return Err(StaffError::LastOwner);
    }
    diesel::update(memberships::table.filter(memberships::id.eq(membership_id)))
        .set(memberships::state.eq(MembershipState::Disabled))
        .execute(conn)?;
    // Only the sessions acting as this membership: the login's others go on.
    end_sessions_using(conn, &target.membership_id)?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(scope.partner_id().as_str()),
            customer_id: None,
            actor,
            action: Action::MemberDisabled,
            target: &target.full_name,
            details: "",
        },
    )?;
    Ok(())
}

pub struct Invitation {
    pub login: NewLogin,
    pub role: PartnerRole,
}

/// Invites someone: an offer sent to the address typed (see `invitations`).
/// Call inside a write transaction.
pub fn invite(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    scope: &PartnerScope,
    invitation: &Invitation,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, scope.partner_id())?;
    let offered = invitations::offer(
        conn,
        settings,
        now,
        &invitations::Offer {
            person: &invitation.login,
            target: invitations::Target::Partner(scope.partner_id().as_str()),
            role: invitation.role.as_str(),
            inviter: actor.login_id,
        },
    );
    match offered {
        Ok(_) => {}
        Err(invitations::OfferError::AlreadyMember) => return Err(StaffError::AlreadyMember),
        Err(error) => return Err(StaffError::Offer(error)),
    }
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(scope.partner_id().as_str()),
            customer_id: None,
            actor,
            action: Action::StaffInvited,
            target: invitation.login.full_name.as_str(),
            details: invitation.role.as_str(),
        },
    )?;
    Ok(())
}

/// A new activation link for a member who has not activated yet (the old one dies).
pub fn resend(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    scope: &PartnerScope,
    membership_id: &MembershipId,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    let target = member(conn, scope, membership_id)?;
    if !target.pending {
        return Err(StaffError::NotFound);
    }
    invitations::resend(
        conn,
        settings,
        now,
        &MembershipId::new(target.membership_id.clone()),
    )?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(scope.partner_id().as_str()),
            customer_id: None,
            actor,
            action: Action::InvitationResent,
            target: &target.full_name,
            details: "",
        },
    )?;
    Ok(())
}

/// Takes back an invitation nobody has accepted yet; its link stops working.
pub fn revoke(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    scope: &PartnerScope,
    membership_id: &MembershipId,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, scope.partner_id())?;
    let target = member(conn, scope, membership_id)?;
    if !target.pending {
        return Err(StaffError::NotFound);
    }
    invitations::revoke(conn, now, &MembershipId::new(target.membership_id.clone()))?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(scope.partner_id().as_str()),
            customer_id: None,
            actor,
            action: Action::InvitationRevoked,
            target: &target.full_name,
            details: "",
        },
    )?;
    Ok(())
}
