//! Sessions kept in our own database behind actix-session's `SessionStore`, so that
//! logging out, disabling a login or changing a password ends sessions at once and
//! every instance of the application sees the same sessions.
//!
//! The cookie carries a 256-bit random key; the table keeps only its SHA-256. A
//! session ends after 30 idle minutes (the TTL actix-session passes in, extended on
//! every request) and in any case 12 hours after sign-in. The extension is written
//! only when it moves the stored expiry by more than `TTL_WRITE_STEP_SECONDS`, so
//! a busy session costs one write a minute rather than one per request; the idle
//! timeout is then between 29 and 30 minutes after the last request.
//!
//! For the profile's list of active sessions, the store also copies out of the
//! state what sign-in put there (the browser's User-Agent, the client's address,
//! the session's public id) and notes when the session was last seen, with the
//! same one-minute step as the idle expiry.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use rand::rngs::OsRng;

use super::tokens::digest;
use crate::clock::SharedClock;
use crate::db::schema::sessions;
use crate::db::{self, DbConnection, DbError, DbPool};

pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 12;
/// The idle expiry is rewritten only when it would move by more than this.
pub const TTL_WRITE_STEP_SECONDS: i64 = 60;
/// Beyond this many sessions loaded and not yet answered, the remembered expiries
/// are forgotten (they only save writes).
const REMEMBERED_EXPIRIES: usize = 10_000;

/// The state keys that tie a session to a person; see `TypedSession`.
pub const LOGIN_KEY: &str = "login_id";
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
pub const MEMBERSHIP_KEY: &str = "auth.membership_id";
/// Where the session was signed in from, and the id naming it on pages; see
/// `TypedSession::sign_in`.
pub const USER_AGENT_KEY: &str = "auth.user_agent";
pub const CLIENT_ADDRESS_KEY: &str = "auth.client_address";
pub const PUBLIC_ID_KEY: &str = "auth.public_id";
/// The whole state of a session that could not be loaded because the database
/// was out of reach: the request is answered 503 (`load_identity`) and the
/// state is never written back over the real one.
pub const UNREACHABLE_KEY: &str = "db.unreachable";

type State = HashMap<String, String>;

#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
    clock: SharedClock,
    /// The latest idle expiry stored for a session key hash, as read by `load`
    /// or written here: `update_ttl` writes only when it would move it on by
    /// more than a step. Requests of one session that overlap would otherwise
    /// each write the row, and every write makes each pooled SQLite connection
    /// drop its cache and its map of the file before its next read.
    loaded_expiry: Arc<Mutex<HashMap<String, NaiveDateTime>>>,
}

impl DbSessionStore {
    pub fn new(pool: DbPool, clock: SharedClock) -> Self {
        Self {
            pool,
            clock,
            loaded_expiry: Arc::default(),
        }
    }

    /// Remembers the latest idle expiry known to be stored for a session: the
    /// later of what was remembered and `expiry`, as requests of one session
    /// run side by side (a page and its parallel requests) and one may read the
    /// row before another moves it on.
    fn remember_expiry(&self, key_hash: &str, expiry: NaiveDateTime) {
        if let Ok(mut remembered) = self.loaded_expiry.lock() {
            if remembered.len() >= REMEMBERED_EXPIRIES && !remembered.contains_key(key_hash) {
                remembered.clear();
            }
            let known = remembered.entry(key_hash.to_owned()).or_insert(expiry);
            *known = (*known).max(expiry);
        }
    }

    /// Whether this request is the one to move the session's stored idle
    /// expiry on to `wanted`: decided and remembered at once, so that of the
    /// session's requests running side by side only one writes.
    fn claim_write(&self, key_hash: &str, wanted: NaiveDateTime) -> bool {
        let Ok(mut remembered) = self.loaded_expiry.lock() else {
            return true;
        };
        if !worth_writing(remembered.get(key_hash).copied(), wanted) {
            return false;
        }
        if remembered.len() >= REMEMBERED_EXPIRIES {
            remembered.clear();
        }
        remembered.insert(key_hash.to_owned(), wanted);
        true
    }

    fn forget_expiry(&self, key_hash: &str) {
        if let Ok(mut remembered) = self.loaded_expiry.lock() {
            remembered.remove(key_hash);
        }
    }
}

/// Whether an idle expiry stored as `stored` is worth moving to `wanted`.
fn worth_writing(stored: Option<NaiveDateTime>, wanted: NaiveDateTime) -> bool {
    stored.is_none_or(|stored| wanted - stored > chrono::Duration::seconds(TTL_WRITE_STEP_SECONDS))
}

fn new_key() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn ttl(duration: &CookieDuration) -> chrono::Duration {
    chrono::Duration::seconds(duration.whole_seconds())
}

/// A text value of the session's state (values are JSON).
fn text_of(state: &State, key: &str) -> Option<String> {
    state
        .get(key)
        .and_then(|v| serde_json::from_str::<String>(v).ok())
}

/// The login a session belongs to, read from its state.
fn login_of(state: &State) -> Option<String> {
    text_of(state, LOGIN_KEY)
}

/// The membership a session acts as, read from its state.
fn membership_of(state: &State) -> Option<String> {
    text_of(state, MEMBERSHIP_KEY)
}

/// Twelve hours after sign-in, or after the session began for anonymous visitors.
fn absolute_expiry(state: &State, now: NaiveDateTime) -> NaiveDateTime {
    let signed_in_at = state
        .get(SIGNED_IN_AT_KEY)
        .and_then(|v| serde_json::from_str::<i64>(v).ok())
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map(|at| at.naive_utc());
    signed_in_at.unwrap_or(now) + chrono::Duration::hours(ABSOLUTE_TIMEOUT_HOURS)
}

fn insert(
    conn: &mut DbConnection,
    state: &State,
    now: NaiveDateTime,
    idle: chrono::Duration,
) -> Result<String, DbError> {
    let key = new_key();
    let serialized =
        serde_json::to_string(state).map_err(|e| DbError::Serialization(e.to_string()))?;
    diesel::insert_into(sessions::table)
        .values((
            sessions::key_hash.eq(digest(&key)),
            sessions::login_id.eq(login_of(state)),
            sessions::membership_id.eq(membership_of(state)),
            sessions::state.eq(serialized),
            sessions::created_at.eq(now),
            sessions::idle_expires_at.eq(now + idle),
            sessions::absolute_expires_at.eq(absolute_expiry(state, now)),
            sessions::user_agent.eq(text_of(state, USER_AGENT_KEY)),
            sessions::client_address.eq(text_of(state, CLIENT_ADDRESS_KEY)),
            sessions::public_id.eq(text_of(state, PUBLIC_ID_KEY)),
            sessions::last_seen_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(key)
}

/// Ends every session of a login (logout everywhere, disabling, a new password).
pub fn end_sessions_of(conn: &mut DbConnection, login_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::login_id.eq(login_id))).execute(conn)
}

/// A session of a login still in use, as the profile lists it.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    pub public_id: Option<String>,
    pub user_agent: Option<String>,
    pub client_address: Option<String>,
    pub signed_in_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

/// The login's sessions that have not expired, the most recently used first.
pub fn active_sessions_of(
    conn: &mut DbConnection,
    login_id: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<ActiveSession>> {
    type Row = (
        Option<String>,
        Option<String>,
        Option<String>,
        NaiveDateTime,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = sessions::table
        .filter(sessions::login_id.eq(login_id))
        .filter(sessions::idle_expires_at.gt(now))
        .filter(sessions::absolute_expires_at.gt(now))
        .select((
            sessions::public_id,
            sessions::user_agent,
            sessions::client_address,
            sessions::created_at,
            sessions::absolute_expires_at,
            sessions::last_seen_at,
        ))
        .load(conn)?;
    let mut all: Vec<ActiveSession> = rows
        .into_iter()
        .map(
            |(public_id, user_agent, client_address, created_at, absolute, last_seen)| {
                ActiveSession {
                    public_id,
                    user_agent,
                    client_address,
                    // The absolute expiry is twelve hours after sign-in, which a
                    // new session id (another membership chosen) keeps.
                    signed_in_at: absolute - chrono::Duration::hours(ABSOLUTE_TIMEOUT_HOURS),
                    last_seen_at: last_seen.unwrap_or(created_at),
                }
            },
        )
        .collect();
    all.sort_by_key(|s| std::cmp::Reverse(s.last_seen_at));
    Ok(all)
}

/// Ends every other session of a login ("sign out everywhere else"): all but the
/// one named `keep` (its public id).
pub fn end_other_sessions_of(
    conn: &mut DbConnection,
    login_id: &str,
    keep: &str,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::login_id.eq(login_id))
            .filter(
                sessions::public_id
                    .is_null()
                    .or(sessions::public_id.ne(keep)),
            ),
    )
    .execute(conn)
}

/// Ends the sessions acting as one membership (it was disabled or taken back);
/// the login's sessions in its other memberships go on.
pub fn end_sessions_using(conn: &mut DbConnection, membership_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::membership_id.eq(membership_id))).execute(conn)
}

/// Removes sessions that can no longer be used.
pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::idle_expires_at
                .le(now)
                .or(sessions::absolute_expires_at.le(now)),
        ),
    )
    .execute(conn)
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<State>, LoadError> {
        let key_hash = digest(session_key.as_ref());
        let now = self.clock.now();
        let wanted = key_hash.clone();
        // No LIMIT: the key is unique, and SQLite re-prepares a statement with a
        // bound LIMIT on every run.
        let stored: Result<Vec<(String, NaiveDateTime)>, DbError> =
            db::run(&self.pool, move |conn| {
                sessions::table
                    .filter(sessions::key_hash.eq(wanted))
                    .filter(sessions::idle_expires_at.gt(now))
                    .filter(sessions::absolute_expires_at.gt(now))
                    .select((sessions::state, sessions::idle_expires_at))
                    .load(conn)
                    .map_err(DbError::from)
            })
            .await;
        let stored = match stored {
            Ok(stored) => stored,
            // actix-session would answer an opaque 500 of its own; the request
            // is told instead, and answered 503 in the reader's language.
            Err(error) if error.is_unreachable() => {
                tracing::error!(%error, "cannot load a session: the database is out of reach");
                // The value is the cause, for the request's log line.
                let cause =
                    serde_json::to_string(&error.to_string()).unwrap_or_else(|_| "\"\"".to_owned());
                return Ok(Some(State::from([(UNREACHABLE_KEY.to_owned(), cause)])));
            }
            Err(error) => return Err(LoadError::Other(error.into())),
        };
        let Some((json, idle_expires_at)) = stored.into_iter().next() else {
            return Ok(None);
        };
        self.remember_expiry(&key_hash, idle_expires_at);
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(
        &self,
        state: State,
        ttl_given: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let now = self.clock.now();
        let idle = ttl(ttl_given);
        let saved = db::run(&self.pool, move |conn| {
            purge_expired(conn, now)?;
            insert(conn, &state, now, idle)
        })
        .await;
        let key = match saved {
            Ok(key) => key,
            // actix-session would replace the answer (the error page saying the
            // database is out of reach, or `/ready`'s 503) by an opaque 500. A
            // visitor gets a key that names no session instead: their next
            // request starts a new one.
            Err(error) if error.is_unreachable() => {
                tracing::error!(%error, "cannot save a new session: the database is out of reach");
                new_key()
            }
            Err(error) => return Err(SaveError::Other(error.into())),
        };
        SessionKey::try_from(key).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        state: State,
        ttl_given: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        if state.contains_key(UNREACHABLE_KEY) {
            return Ok(session_key);
        }
        let now = self.clock.now();
        let idle = ttl(ttl_given);
        let key_hash = digest(session_key.as_ref());
        self.forget_expiry(&key_hash);
        let replacement = db::run(&self.pool, move |conn| {
            let serialized =
                serde_json::to_string(&state).map_err(|e| DbError::Serialization(e.to_string()))?;
            let updated = diesel::update(
                sessions::table
                    .filter(sessions::key_hash.eq(&key_hash))
                    .filter(sessions::idle_expires_at.gt(now))
                    .filter(sessions::absolute_expires_at.gt(now)),
            )
            .set((
                sessions::state.eq(serialized),
                sessions::login_id.eq(login_of(&state)),
                sessions::membership_id.eq(membership_of(&state)),
                sessions::user_agent.eq(text_of(&state, USER_AGENT_KEY)),
                sessions::client_address.eq(text_of(&state, CLIENT_ADDRESS_KEY)),
                sessions::public_id.eq(text_of(&state, PUBLIC_ID_KEY)),
                sessions::idle_expires_at.eq(now + idle),
                sessions::last_seen_at.eq(Some(now)),
            ))
            .execute(conn)?;
            if updated == 1 {
                return Ok(None);
            }
            // The session was ended meanwhile (logout elsewhere, a disabled login):
            // what the request wrote survives, but not who was signed in.
            let mut anonymous = state;
            anonymous.remove(LOGIN_KEY);
            anonymous.remove(SIGNED_IN_AT_KEY);
            anonymous.retain(|k, _| !k.starts_with("auth."));
            insert(conn, &anonymous, now, idle).map(Some)
        })
        .await
        .map_err(|e| UpdateError::Other(e.into()))?;
        match replacement {
            None => Ok(session_key),
            Some(key) => SessionKey::try_from(key).map_err(|e| UpdateError::Other(e.into())),
        }
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl_given: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        let now = self.clock.now();
        let idle = ttl(ttl_given);
        let key_hash = digest(session_key.as_ref());
        if !self.claim_write(&key_hash, now + idle) {
            return Ok(());
        }
        let wanted = key_hash.clone();
        let written = db::run(&self.pool, move |conn| {
            diesel::update(
                sessions::table
                    .filter(sessions::key_hash.eq(wanted))
                    .filter(sessions::idle_expires_at.gt(now)),
            )
            .set((
                sessions::idle_expires_at.eq(now + idle),
                sessions::last_seen_at.eq(Some(now)),
            ))
            .execute(conn)
            .map_err(DbError::from)
        })
        .await;
        match written {
            Ok(1) => Ok(()),
            // The session ended meanwhile.
            Ok(_) => {
                self.forget_expiry(&key_hash);
                Ok(())
            }
            // A session whose expiry could not be moved on still works; the
            // next request tries again.
            Err(error) if error.is_unreachable() => {
                self.forget_expiry(&key_hash);
                Ok(())
            }
            Err(error) => {
                self.forget_expiry(&key_hash);
                Err(error.into())
            }
        }
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let key_hash = digest(session_key.as_ref());
        self.forget_expiry(&key_hash);
        db::run(&self.pool, move |conn| {
            diesel::delete(sessions::table.filter(sessions::key_hash.eq(key_hash)))
                .execute(conn)
                .map_err(DbError::from)
        })
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64, seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(minutes * 60 + seconds, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default()
    }

    #[test]
    fn the_expiry_is_written_when_it_moves_by_more_than_a_minute() {
        assert!(worth_writing(None, at(30, 0)), "nothing known: write");
        assert!(!worth_writing(Some(at(30, 0)), at(30, 0)));
        assert!(!worth_writing(Some(at(30, 0)), at(31, 0)), "one minute on");
        assert!(worth_writing(Some(at(30, 0)), at(31, 1)));
    }
}
