//! Instance operators: logins that may use the operator's area (`/admin`).
//! The role is a row of `instance_operators`, not a membership: it belongs to
//! no organisation. The command line grants and revokes it (the first operator
//! can only be made there); each change goes to the instance's activity log.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::LoginState;
use crate::db::schema::{instance_operators, logins};
use crate::db::{self, DbConnection};
use crate::instance_log::{self, InstanceAction, OperatorActor};

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("no login has this username or email address")]
    UnknownLogin,
    #[error("several logins have this email address: name one with --username")]
    Ambiguous,
    #[error("the login has not been activated yet: its person must activate it first")]
    NotYetActive,
    #[error("the login is disabled")]
    Disabled,
    #[error("the login is already an instance operator")]
    AlreadyOperator,
    #[error("the login is not an instance operator")]
    NotOperator,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// How the command line names a login.
pub enum LoginName<'a> {
    Username(&'a str),
    Email(&'a str),
}

/// The login named, with its username and state.
fn find(
    conn: &mut DbConnection,
    name: &LoginName<'_>,
) -> Result<(String, String, String), OperatorError> {
    let query = logins::table
        .select((logins::id, logins::username, logins::state))
        .into_boxed();
    let found: Vec<(String, String, String)> = match name {
        LoginName::Username(username) => query
            .filter(logins::username_key.eq(username.trim().to_lowercase()))
            .load(conn)?,
        LoginName::Email(email) => {
            let typed = email.trim();
            query
                .filter(
                    logins::email
                        .eq(typed)
                        .or(logins::email.eq(typed.to_lowercase())),
                )
                .load(conn)?
        }
    };
    match found.len() {
        0 => Err(OperatorError::UnknownLogin),
        1 => found.into_iter().next().ok_or(OperatorError::UnknownLogin),
        _ => Err(OperatorError::Ambiguous),
    }
}

/// Makes the login named an instance operator; answers its username.
pub fn grant(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    name: &LoginName<'_>,
) -> Result<String, OperatorError> {
    db::write_transaction(conn, |conn| {
        let (login_id, username, state) = find(conn, name)?;
        match LoginState::parse(&state) {
            Some(LoginState::Active) => {}
            Some(LoginState::Disabled) => return Err(OperatorError::Disabled),
            _ => return Err(OperatorError::NotYetActive),
        }
        if is_operator(conn, &login_id)? {
            return Err(OperatorError::AlreadyOperator);
        }
        diesel::insert_into(instance_operators::table)
            .values((
                instance_operators::login_id.eq(&login_id),
                instance_operators::granted_at.eq(now),
                instance_operators::granted_by_login_id.eq(actor.login_id),
            ))
            .execute(conn)?;
        instance_log::record(
            conn,
            now,
            actor,
            InstanceAction::OperatorGranted,
            &username,
            "",
        )?;
        Ok(username)
    })
}

/// Takes the role from the login named; answers its username. Its sessions
/// lose the operator's area on their next request.
pub fn revoke(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    name: &LoginName<'_>,
) -> Result<String, OperatorError> {
    db::write_transaction(conn, |conn| {
        let (login_id, username, _) = find(conn, name)?;
        let removed = diesel::delete(
            instance_operators::table.filter(instance_operators::login_id.eq(&login_id)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Err(OperatorError::NotOperator);
        }
        instance_log::record(
            conn,
            now,
            actor,
            InstanceAction::OperatorRevoked,
            &username,
            "",
        )?;
        Ok(username)
    })
}

pub fn is_operator(conn: &mut DbConnection, login_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        instance_operators::table.filter(instance_operators::login_id.eq(login_id)),
    ))
    .get_result(conn)
}
