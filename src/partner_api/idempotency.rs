//! `Idempotency-Key` on the partner API's writes: the first answer to a key is
//! kept with the request it answered, in the transaction of the change itself,
//! so a request sent again with the same key and body within 24 hours gets that
//! answer back (status and body) without acting twice, and the same key with
//! another request is refused. Two requests with the same key at once: the
//! second waits on the first's row, fails on the key, and answers what the
//! first stored.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::OrTaken;
use crate::db::schema::api_idempotency_keys;
use crate::web::json_api::ApiError;

pub const HEADER: &str = "idempotency-key";
/// How long a key's first answer is given again.
const KEPT: Duration = Duration::hours(24);
const KEY_MAX: usize = 255;

/// A key a write was sent with, and what identifies the request it came with.
#[derive(Debug, Clone)]
pub(super) struct Key {
    key: String,
    request_hash: String,
}

/// An answer given once, or given again.
pub(super) struct Answer {
    pub status: StatusCode,
    pub body: serde_json::Value,
    pub replayed: bool,
}

/// The request's `Idempotency-Key`, if any, with the hash of the method, path
/// and body (as canonical JSON when it is JSON, so key order and spacing do not
/// count); a key that is empty, too long or not text is refused.
pub(super) fn key_of(req: &HttpRequest, body: &[u8]) -> Result<Option<Key>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= KEY_MAX)
        .ok_or_else(|| ApiError::field("Idempotency-Key", "invalid"))?;
    let canonical = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(json) => serde_json::to_vec(&json).unwrap_or_else(|_| body.to_vec()),
        Err(_) => body.to_vec(),
    };
    let mut hash = Sha256::new();
    hash.update(req.method().as_str().as_bytes());
    hash.update(b" ");
    hash.update(req.path().as_bytes());
    hash.update(b"\n");
    hash.update(&canonical);
    Ok(Some(Key {
        key: key.to_owned(),
        request_hash: hex::encode(hash.finalize()),
    }))
}

/// The answer kept for `key` of the token, if one was given in the last 24
/// hours; refused when it answered another request.
fn kept(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    token_id: &str,
    key: &Key,
) -> Result<Option<Answer>, ApiError> {
    let found: Option<(String, i32, String)> = api_idempotency_keys::table
        .filter(api_idempotency_keys::token_id.eq(token_id))
        .filter(api_idempotency_keys::idempotency_key.eq(&key.key))
        .filter(api_idempotency_keys::created_at.gt(now - KEPT))
        .select((
            api_idempotency_keys::request_hash,
            api_idempotency_keys::status,
            api_idempotency_keys::response_body,
        ))
        .first(conn)
        .optional()?;
    let Some((request_hash, status, body)) = found else {
        return Ok(None);
    };
    if request_hash != key.request_hash {
        return Err(ApiError::KeyReused);
    }
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let body = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
    Ok(Some(Answer {
        status,
        body,
        replayed: true,
    }))
}

/// Runs `work` in the caller's write transaction unless `key` was answered
/// already, and keeps its answer for the key. Whatever `work` refuses (bad
/// fields) is not kept: nothing was done, and the request may be corrected and
/// sent again with the same key.
pub(super) fn once(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    token_id: &str,
    key: Option<&Key>,
    work: impl FnOnce(&mut DbConnection) -> Result<(StatusCode, serde_json::Value), ApiError>,
) -> Result<Answer, ApiError> {
    let Some(key) = key else {
        let (status, body) = work(conn)?;
        return Ok(Answer {
            status,
            body,
            replayed: false,
        });
    };
    if let Some(answer) = kept(conn, now, token_id, key)? {
        return Ok(answer);
    }
    // Answers of more than 24 hours ago (this key's among them) make way.
    forget_old(conn, now)?;
    let (status, body) = work(conn)?;
    diesel::insert_into(api_idempotency_keys::table)
        .values((
            api_idempotency_keys::token_id.eq(token_id),
            api_idempotency_keys::idempotency_key.eq(&key.key),
            api_idempotency_keys::request_hash.eq(&key.request_hash),
            api_idempotency_keys::status.eq(i32::from(status.as_u16())),
            api_idempotency_keys::response_body.eq(body.to_string()),
            api_idempotency_keys::created_at.eq(now),
        ))
        .execute(conn)
        .or_taken(ApiError::Conflict(KEY_RACED))?;
    Ok(Answer {
        status,
        body,
        replayed: false,
    })
}

/// What `once` fails with when a request with the same key committed first:
/// the caller runs it again, and then finds that request's answer.
pub(super) const KEY_RACED: &str = "idempotency_key_in_use";

/// Forgets the answers older than 24 hours.
fn forget_old(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        api_idempotency_keys::table.filter(api_idempotency_keys::created_at.le(now - KEPT)),
    )
    .execute(conn)
}
