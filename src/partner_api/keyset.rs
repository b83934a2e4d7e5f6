//! Newest-first paging over (time, id): the cursor names the last row of a
//! page, and the next page starts strictly after it, so rows added meanwhile
//! (newer, hence before it) neither shift nor repeat what follows.

use actix_web::HttpRequest;
use actix_web::web;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::web::json_api::ApiError;

/// The most rows one page holds, and how many when not told.
pub(super) const LIMIT_MAX: i64 = 200;
const LIMIT_DEFAULT: i64 = 50;

/// The last row of a page: its time and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Keyset {
    pub at: NaiveDateTime,
    pub id: String,
}

impl Keyset {
    /// The opaque text handed to the client.
    pub(super) fn encode(&self) -> String {
        // A time and a string always serialise.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(text: &str) -> Option<Keyset> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Paging {
    cursor: Option<String>,
    limit: Option<String>,
}

/// The cursor and limit of a list request (other parameters are the list's
/// filters, read by the caller).
pub(super) fn paging(req: &HttpRequest) -> Result<(Option<Keyset>, i64), ApiError> {
    let paging =
        web::Query::<Paging>::from_query(req.query_string()).map_err(|_| ApiError::Malformed)?;
    let limit = match paging.limit.as_deref().map(str::trim) {
        None | Some("") => LIMIT_DEFAULT,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=LIMIT_MAX).contains(n))
            .ok_or_else(|| ApiError::field("limit", "out_of_range"))?,
    };
    let cursor = match paging.cursor.as_deref() {
        None | Some("") => None,
        Some(text) => {
            Some(Keyset::decode(text).ok_or_else(|| ApiError::field("cursor", "invalid"))?)
        }
    };
    Ok((cursor, limit))
}

/// Keeps the first `limit` of `rows` (read with one more) and the cursor of
/// the next page, if one follows.
pub(super) fn page_of<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> Keyset,
) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next = rows.last().filter(|_| more).map(|row| key(row).encode());
    (rows, next)
}

/// RFC 3339 in UTC, as the API writes times.
pub(super) fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// `YYYY-MM-DD`, as the API writes days.
pub(super) fn day(on: chrono::NaiveDate) -> String {
    on.format("%Y-%m-%d").to_string()
}

/// Rows strictly after `$cursor` in newest-first order of `$at`, `$id`.
macro_rules! after {
    ($query:expr, $cursor:expr, $at:expr, $id:expr) => {
        match $cursor {
            Some(cursor) => $query.filter(
                $at.lt(cursor.at)
                    .or($at.eq(cursor.at).and($id.lt(cursor.id.clone()))),
            ),
            None => $query,
        }
    };
}
pub(super) use after;
