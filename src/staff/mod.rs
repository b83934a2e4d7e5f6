//! Partner staff: invitations, role changes, disabling, with the rule that an
//! organisation always keeps an active owner, also under concurrent requests.

pub mod pages;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::access::PartnerRole;
use crate::accounts::{self, LoginState, NewLogin};
use crate::audit::{self, Action, Actor};
use crate::auth::session_store::end_sessions_of;
use crate::config::Settings;
use crate::db::schema::{logins, memberships};
use crate::db::{DbConnection, DbError};
use crate::partners;
use crate::signin::activation::{ResendError, send_activation};

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("no such member")]
    NotFound,
    #[error("the organisation would lose its last owner")]
    LastOwner,
    #[error("already a member")]
    AlreadyMember,
    #[error(transparent)]
    Resend(#[from] ResendError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

impl From<DbError> for StaffError {
    fn from(error: DbError) -> Self {
        StaffError::Resend(ResendError::Pool(error))
    }
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
    pub sent: Option<crate::invitations::Sent>,
}

type StaffRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
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

pub fn list(conn: &mut DbConnection, partner_id: &str) -> QueryResult<Vec<StaffMember>> {
    let rows: Vec<StaffRow> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(partner_id))
        .order((logins::full_name.asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::id,
            logins::full_name,
            logins::username,
            logins::email,
            memberships::role,
            memberships::state,
            logins::state,
            memberships::created_at,
        ))
        .load(conn)?;
    let pending: Vec<&str> = rows
        .iter()
        .filter(|row| row.7 == "pending")
        .map(|row| row.1.as_str())
        .collect();
    let sent = crate::invitations::last_sent(conn, &pending)?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                membership_id,
                login_id,
                full_name,
                username,
                email,
                role,
                state,
                login_state,
                joined_at,
            )| {
                Some(StaffMember {
                    membership_id,
                    full_name,
                    username,
                    email,
                    role: PartnerRole::parse(&role)?,
                    active: state == "active",
                    pending: login_state == "pending",
                    sent: sent.get(&login_id).copied(),
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
    partner_id: &str,
    membership_id: &str,
) -> Result<StaffMember, StaffError> {
    list(conn, partner_id)?
        .into_iter()
        .find(|m| m.membership_id == membership_id)
        .ok_or(StaffError::NotFound)
}

/// Serialises staff changes of one organisation. SQLite's write transactions are
/// already serial (BEGIN IMMEDIATE); PostgreSQL locks the organisation's row.
fn lock_organisation(conn: &mut DbConnection, partner_id: &str) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT id FROM partner_organisations WHERE id = $1 FOR UPDATE")
            .bind::<Text, _>(partner_id)
            .execute(pg)?;
    }
    Ok(())
}

fn active_owners_besides(
    conn: &mut DbConnection,
    partner_id: &str,
    membership_id: &str,
) -> QueryResult<i64> {
    memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq(partner_id))
        .filter(memberships::role.eq(PartnerRole::Owner.as_str()))
        .filter(memberships::state.eq("active"))
        .filter(logins::state.ne("disabled"))
        .filter(memberships::id.ne(membership_id))
        .count()
        .get_result(conn)
}

/// Call inside a write transaction.
pub fn change_role(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &str,
    membership_id: &str,
    new_role: PartnerRole,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, partner_id)?;
    let target = member(conn, partner_id, membership_id)?;
    if target.role == new_role {
        return Ok(());
    }
    if target.role == PartnerRole::Owner
        && active_owners_besides(conn, partner_id, membership_id)? == 0
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
            partner_id: Some(partner_id),
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
    partner_id: &str,
    membership_id: &str,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, partner_id)?;
    let target = member(conn, partner_id, membership_id)?;
    if !target.active {
        return Ok(());
    }
    if target.role == PartnerRole::Owner
        && active_owners_besides(conn, partner_id, membership_id)? == 0
    {
        return Err(StaffError::LastOwner);
    }
    diesel::update(memberships::table.filter(memberships::id.eq(membership_id)))
        .set(memberships::state.eq("disabled"))
        .execute(conn)?;
    end_sessions_of(conn, &target.login_id)?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(partner_id),
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

/// Invites someone: a new login gets its activation email; an existing username
/// gains a membership. Call inside a write transaction.
pub fn invite(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    partner_id: &str,
    invitation: &Invitation,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    match accounts::find_by_username(conn, &invitation.login.username)? {
        Some(login_id) => {
            let already = memberships::table
                .filter(memberships::partner_id.eq(partner_id))
                .filter(memberships::login_id.eq(&login_id))
                .count()
                .get_result::<i64>(conn)?;
            if already > 0 {
                return Err(StaffError::AlreadyMember);
            }
            let membership =
                partners::add_member(conn, now, partner_id, &login_id, invitation.role)?;
            crate::invitations::record_inviter(conn, &membership, actor.login_id)?;
        }
        None => {
            let login_id =
                accounts::insert(conn, now, &invitation.login, LoginState::Pending, None)?;
            let membership =
                partners::add_member(conn, now, partner_id, &login_id, invitation.role)?;
            crate::invitations::record_inviter(conn, &membership, actor.login_id)?;
            send_activation(conn, settings, now, &login_id)?;
        }
    }
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(partner_id),
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
    partner_id: &str,
    membership_id: &str,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    let target = member(conn, partner_id, membership_id)?;
    if !target.pending {
        return Err(StaffError::NotFound);
    }
    send_activation(conn, settings, now, &target.login_id)?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(partner_id),
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
    partner_id: &str,
    membership_id: &str,
    actor: Actor<'_>,
) -> Result<(), StaffError> {
    lock_organisation(conn, partner_id)?;
    let target = member(conn, partner_id, membership_id)?;
    if !target.pending {
        return Err(StaffError::NotFound);
    }
    crate::invitations::revoke(conn, now, &target.membership_id, &target.login_id)?;
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(partner_id),
            customer_id: None,
            actor,
            action: Action::InvitationRevoked,
            target: &target.full_name,
            details: "",
        },
    )?;
    Ok(())
}
