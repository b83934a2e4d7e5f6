//! A sub-account's operators: invited like every other person (an offer sent to
//! the address typed, see `invitations`), and removed at once. One login may operate several sub-accounts; each is a
//! membership it picks like any other.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::ids::MembershipId;
use diesel::prelude::*;

use super::{SubAccount, SubAccountError};
use crate::accounts::NewLogin;
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::auth::session_store::end_sessions_using;
use crate::db::DbConnection;
use crate::db::schema::{alert_definition_recipients, logins, memberships};
use crate::invitations::{self, Sent, Shown};
use crate::tenancy::CustomerChange;

/// The role stored on an operator's membership.
pub const OPERATOR_ROLE: &str = "operator";

pub struct Operator {
    pub membership_id: String,
    pub login_id: String,
    pub full_name: String,
    pub email: String,
    pub active: bool,
    pub pending: bool,
    pub sent: Option<Sent>,
    /// The latest invitation email could not be delivered.
    pub bounced: bool,
}

/// The sub-account's operators (removed ones left out), by name.
pub fn list(
    conn: &mut DbConnection,
    sub_account: &Owned<SubAccount>,
) -> QueryResult<Vec<Operator>> {
    let rows: Vec<(String, String, String, invitations::ShownRow)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::sub_account_id.eq(&sub_account.id))
        .filter(memberships::state.ne(MembershipState::Disabled))
        .order((invitations::shown_name().asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::id,
            logins::state,
            invitations::shown_columns(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership_id, login_id, login_state, shown)| {
            let shown = Shown::from_row(shown);
            Operator {
                membership_id,
                login_id,
                full_name: shown.full_name,
                email: shown.email,
                active: !shown.pending && login_state == LoginState::Active.as_str(),
                pending: shown.pending,
                sent: shown.sent,
                bounced: shown.bounced,
            }
        })
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("already an operator of this sub-account")]
    AlreadyOperator,
    #[error("no such operator")]
    NotFound,
    #[error(transparent)]
    SubAccount(#[from] SubAccountError),
    #[error(transparent)]
    Offer(#[from] invitations::OfferError),
}

impl From<crate::db::DbError> for OperatorError {
    fn from(error: crate::db::DbError) -> Self {
        OperatorError::SubAccount(error.into())
    }
}

impl From<diesel::result::Error> for OperatorError {
    fn from(error: diesel::result::Error) -> Self {
        OperatorError::SubAccount(error.into())
    }
}

/// Invites a person to operate the sub-account: an offer sent to the address
/// typed (see `invitations`).
pub fn invite(
    conn: &mut DbConnection,
    change: &CustomerChange,
    sub_account: &Owned<SubAccount>,
    login: &NewLogin,
) -> Result<(), OperatorError> {
    crate::console::users::lock_account(conn, change.customer_id())?;
    let offered = invitations::offer(
        conn,
        &change.settings,
        change.now,
        &invitations::Offer {
            person: login,
            target: invitations::Target::SubAccount(&sub_account.id),
            role: OPERATOR_ROLE,
            inviter: Some(change.login_id()),
        },
    );
    match offered {
        Ok(_) => {}
        Err(invitations::OfferError::AlreadyMember) => {
            return Err(OperatorError::AlreadyOperator);
        }
        Err(error) => return Err(OperatorError::Offer(error)),
    }
    change.record(
        conn,
        Action::OperatorInvited,
        login.full_name.as_str(),
        &sub_account.name,
    )?;
    Ok(())
}

/// One operator of the sub-account, found in the account's scope.
fn operator(
    conn: &mut DbConnection,
    sub_account: &Owned<SubAccount>,
    membership_id: &MembershipId,
) -> Result<Operator, OperatorError> {
    list(conn, sub_account)?
        .into_iter()
        .find(|o| o.membership_id == membership_id.as_str())
        .ok_or(OperatorError::NotFound)
}

/// Takes the sub-account away from the operator: from its next request on it
/// sees nothing of it, and gets no more of its alerts. A pending invitation is
/// revoked outright. Returns the operator and the sub-account's name.
pub fn remove(
    conn: &mut DbConnection,
    change: &CustomerChange,
    sub_account: &Owned<SubAccount>,
    membership_id: &MembershipId,
) -> Result<(Operator, String), OperatorError> {
    let target = operator(conn, sub_account, membership_id)?;
    if target.pending {
        invitations::revoke(conn, change.now, membership_id)?;
    } else {
        diesel::delete(
            alert_definition_recipients::table
                .filter(alert_definition_recipients::membership_id.eq(membership_id)),
        )
        .execute(conn)?;
        // Kept, disabled, for the activity log that names it.
        diesel::update(memberships::table.find(membership_id))
            .set(memberships::state.eq(MembershipState::Disabled))
            .execute(conn)?;
        end_sessions_using(conn, membership_id)?;
    }
    change.record(conn, Action::OperatorRemoved, &target.full_name, "")?;
    Ok((target, sub_account.name.clone()))
}

/// Sends a pending operator a new activation link (the old one dies).
pub fn resend(
    conn: &mut DbConnection,
    change: &CustomerChange,
    sub_account: &Owned<SubAccount>,
    membership_id: &MembershipId,
) -> Result<(), OperatorError> {
    let target = operator(conn, sub_account, membership_id)?;
    if !target.pending {
        return Err(OperatorError::NotFound);
    }
    invitations::resend(conn, &change.settings, change.now, membership_id)?;
    change.record(conn, Action::InvitationResent, &target.full_name, "")?;
    Ok(())
}
