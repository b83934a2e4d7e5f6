//! A sub-account's operators: invited by email like every other login (a new
//! login gets an activation link; an existing one is told it has access), and
//! removed at once. One login may operate several sub-accounts; each is a
//! membership it picks like any other.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::SubAccountError;
use crate::accounts::{self, LoginState, NewLogin};
use crate::audit::Action;
use crate::config::Settings;
use crate::console::CustomerChange;
use crate::db::DbConnection;
use crate::db::schema::{alert_definition_recipients, logins, memberships, sub_accounts};
use crate::email::messages::AccessGrantedEmail;
use crate::email::outbox;
use crate::i18n::Lang;
use crate::invitations::{self, Sent};
use crate::signin::activation::{ResendError, send_activation};

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
}

/// The sub-account's operators (removed ones left out), by name.
pub fn list(conn: &mut DbConnection, sub_account_id: &str) -> QueryResult<Vec<Operator>> {
    let rows: Vec<(String, String, String, String, String, String)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::sub_account_id.eq(sub_account_id))
        .filter(memberships::state.eq("active"))
        .order((logins::full_name.asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::id,
            logins::full_name,
            logins::email,
            memberships::state,
            logins::state,
        ))
        .load(conn)?;
    let pending: Vec<&str> = rows
        .iter()
        .filter(|r| r.5 == "pending")
        .map(|r| r.1.as_str())
        .collect();
    let sent = invitations::last_sent(conn, &pending)?;
    Ok(rows
        .iter()
        .map(
            |(membership_id, login_id, full_name, email, state, login_state)| Operator {
                membership_id: membership_id.clone(),
                login_id: login_id.clone(),
                full_name: full_name.clone(),
                email: email.clone(),
                active: state == "active" && login_state == "active",
                pending: login_state == "pending",
                sent: sent.get(login_id).copied(),
            },
        )
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("already an operator of this sub-account")]
    AlreadyOperator,
    #[error("this login is disabled")]
    LoginDisabled,
    #[error("no such operator")]
    NotFound,
    #[error(transparent)]
    SubAccount(#[from] SubAccountError),
    #[error(transparent)]
    Resend(#[from] ResendError),
    #[error(transparent)]
    Outbox(#[from] outbox::OutboxError),
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

fn sub_account_name(
    conn: &mut DbConnection,
    customer_id: &str,
    sub_account_id: &str,
) -> Result<String, OperatorError> {
    sub_accounts::table
        .filter(sub_accounts::id.eq(sub_account_id))
        .filter(sub_accounts::customer_id.eq(customer_id))
        .select(sub_accounts::name)
        .first(conn)
        .optional()?
        .ok_or(OperatorError::SubAccount(SubAccountError::NotFound))
}

/// Invites a person to operate the sub-account. A new login is created pending
/// and sent its activation link; an existing one gets the membership (again,
/// if it was removed) and an email saying so.
pub fn invite(
    conn: &mut DbConnection,
    settings: &Settings,
    change: &CustomerChange,
    sub_account_id: &str,
    login: &NewLogin,
) -> Result<(), OperatorError> {
    let name = sub_account_name(conn, &change.customer_id, sub_account_id)?;
    crate::console::users::lock_account(conn, &change.customer_id)?;
    let existing: Option<(String, String, String, String)> = logins::table
        .filter(logins::username_key.eq(login.username.key()))
        .select((logins::id, logins::state, logins::email, logins::language))
        .first(conn)
        .optional()?;
    let login_id = match &existing {
        Some((_, state, _, _)) if state == "disabled" => return Err(OperatorError::LoginDisabled),
        Some((login_id, ..)) => login_id.clone(),
        None => accounts::insert(conn, change.now, login, LoginState::Pending, None)?,
    };
    let previous: Option<(String, String)> = memberships::table
        .filter(memberships::sub_account_id.eq(sub_account_id))
        .filter(memberships::login_id.eq(&login_id))
        .select((memberships::id, memberships::state))
        .first(conn)
        .optional()?;
    let membership_id = match previous {
        Some((_, state)) if state == "active" => return Err(OperatorError::AlreadyOperator),
        Some((id, _)) => {
            diesel::update(memberships::table.find(&id))
                .set(memberships::state.eq("active"))
                .execute(conn)?;
            id
        }
        None => add_operator(conn, change.now, sub_account_id, &login_id)?,
    };
    invitations::record_inviter(conn, &membership_id, Some(change.login_id()))?;
    match &existing {
        Some((_, state, email, language)) if state == "active" => {
            let message = AccessGrantedEmail {
                tr: Lang::from_code(language).unwrap_or_default().translator(),
                full_name: login.full_name.as_str().to_owned(),
                account: name.clone(),
                sign_in_link: settings.link("/login"),
            };
            outbox::enqueue(conn, change.now, email, &message)?;
        }
        _ => send_activation(conn, settings, change.now, &login_id)?,
    }
    change.record(
        conn,
        Action::OperatorInvited,
        login.full_name.as_str(),
        &name,
    )?;
    Ok(())
}

fn add_operator(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    sub_account_id: &str,
    login_id: &str,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(&id),
            memberships::login_id.eq(login_id),
            memberships::scope.eq("sub_account"),
            memberships::sub_account_id.eq(sub_account_id),
            memberships::role.eq(OPERATOR_ROLE),
            memberships::state.eq("active"),
            memberships::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

fn operator(
    conn: &mut DbConnection,
    customer_id: &str,
    sub_account_id: &str,
    membership_id: &str,
) -> Result<Operator, OperatorError> {
    sub_account_name(conn, customer_id, sub_account_id)?;
    list(conn, sub_account_id)?
        .into_iter()
        .find(|o| o.membership_id == membership_id)
        .ok_or(OperatorError::NotFound)
}

/// Takes the sub-account away from the operator: from its next request on it
/// sees nothing of it, and gets no more of its alerts. A pending invitation is
/// revoked outright.
pub fn remove(
    conn: &mut DbConnection,
    change: &CustomerChange,
    sub_account_id: &str,
    membership_id: &str,
) -> Result<(), OperatorError> {
    let target = operator(conn, &change.customer_id, sub_account_id, membership_id)?;
    if target.pending {
        invitations::revoke(conn, change.now, membership_id, &target.login_id)?;
    } else {
        diesel::delete(
            alert_definition_recipients::table
                .filter(alert_definition_recipients::membership_id.eq(membership_id)),
        )
        .execute(conn)?;
        // Kept, disabled, for the activity log that names it.
        diesel::update(memberships::table.find(membership_id))
            .set(memberships::state.eq("disabled"))
            .execute(conn)?;
    }
    change.record(conn, Action::OperatorRemoved, &target.full_name, "")?;
    Ok(())
}

/// Sends a pending operator a new activation link (the old one dies).
pub fn resend(
    conn: &mut DbConnection,
    settings: &Settings,
    change: &CustomerChange,
    sub_account_id: &str,
    membership_id: &str,
) -> Result<(), OperatorError> {
    let target = operator(conn, &change.customer_id, sub_account_id, membership_id)?;
    if !target.pending {
        return Err(OperatorError::NotFound);
    }
    send_activation(conn, settings, change.now, &target.login_id)?;
    change.record(conn, Action::InvitationResent, &target.full_name, "")?;
    Ok(())
}
