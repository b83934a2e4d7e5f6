//! One-time tokens for activation and password reset: 256 random bits given out
//! once, stored only as their SHA-256.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::accounts::LoginState;
use crate::db::DbConnection;
use crate::db::schema::{login_tokens, logins};

pub const ACTIVATION_VALID_HOURS: i64 = 72;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Activation,
    PasswordReset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Activation => "activation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether two secrets are equal, compared as their SHA-256 digests so that
/// the time taken says nothing of where they first differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

/// 256 random bits, hex-encoded, for a link.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Kills every outstanding one-time link of a login (a password was changed or
/// reset, or the login disabled): a link mailed before no longer works.
pub fn kill_all_of(
    conn: &mut DbConnection,
    login_id: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        login_tokens::table
            .filter(login_tokens::login_id.eq(login_id))
            .filter(login_tokens::used_at.is_null())
            .filter(login_tokens::expires_at.gt(now)),
    )
    .set(login_tokens::expires_at.eq(now))
    .execute(conn)
}

/// Issues a new token for `login_id`, killing any earlier unused one of the same
/// purpose, and returns the token to put in the link.
pub fn issue(
    conn: &mut DbConnection,
    login_id: &str,
    purpose: TokenPurpose,
    now: NaiveDateTime,
    valid_for: chrono::Duration,
) -> QueryResult<String> {
    let token = random_token();
    diesel::update(
        login_tokens::table
            .filter(login_tokens::login_id.eq(login_id))
            .filter(login_tokens::purpose.eq(purpose.as_str()))
            .filter(login_tokens::used_at.is_null()),
    )
    .set(login_tokens::expires_at.eq(now))
    .execute(conn)?;
    diesel::insert_into(login_tokens::table)
        .values((
            login_tokens::token_hash.eq(digest(&token)),
            login_tokens::login_id.eq(login_id),
            login_tokens::purpose.eq(purpose.as_str()),
            login_tokens::created_at.eq(now),
            login_tokens::expires_at.eq(now + valid_for),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The login a token of `purpose` still usable at `now` was given to, if that
/// login is in `state`: (id, username).
pub fn login_of(
    conn: &mut DbConnection,
    token: &str,
    purpose: TokenPurpose,
    state: LoginState,
    now: NaiveDateTime,
) -> QueryResult<Option<(String, String)>> {
    login_tokens::table
        .inner_join(logins::table)
        .filter(login_tokens::token_hash.eq(digest(token)))
        .filter(login_tokens::purpose.eq(purpose.as_str()))
        .filter(login_tokens::used_at.is_null())
        .filter(login_tokens::expires_at.gt(now))
        .filter(logins::state.eq(state))
        .select((logins::id, logins::username))
        .first(conn)
        .optional()
}

/// Marks the token used, if it still was usable at `now`; false when another
/// request used it first, so that a link works exactly once.
pub fn claim(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let claimed = diesel::update(
        login_tokens::table
            .filter(login_tokens::token_hash.eq(digest(token)))
            .filter(login_tokens::used_at.is_null())
            .filter(login_tokens::expires_at.gt(now)),
    )
    .set(login_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(claimed == 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn digest_is_sha256_hex() {
        assert_eq!(
            super::digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
