//! Sign-in throttling per username (known or not, so the answer reveals nothing):
//! five free failures, then a wait that doubles with each failure up to five
//! minutes, and never more than 100 failures counted in an hour.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::sign_in_failures;

pub const MAX_FAILURES_PER_HOUR: i64 = 100;
pub const FREE_FAILURES: i64 = 5;
pub const LONGEST_WAIT_SECONDS: i64 = 300;

/// Whether another attempt may be checked now.
pub fn may_attempt(
    conn: &mut DbConnection,
    username_key: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let since = now - chrono::Duration::hours(1);
    let (failures, last): (i64, Option<NaiveDateTime>) = sign_in_failures::table
        .filter(sign_in_failures::username_key.eq(username_key))
        .filter(sign_in_failures::failed_at.gt(since))
        .select((count_star(), max(sign_in_failures::failed_at)))
        .first(conn)?;
    if failures >= MAX_FAILURES_PER_HOUR {
        return Ok(false);
    }
    if failures < FREE_FAILURES {
        return Ok(true);
    }
    let exponent = u32::try_from(failures - FREE_FAILURES)
        .unwrap_or(16)
        .min(16);
    let wait = 2i64.pow(exponent).min(LONGEST_WAIT_SECONDS);
    Ok(last.is_none_or(|last| now >= last + chrono::Duration::seconds(wait)))
}

pub fn record_failure(
    conn: &mut DbConnection,
    username_key: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        sign_in_failures::table
            .filter(sign_in_failures::failed_at.le(now - chrono::Duration::hours(1))),
    )
    .execute(conn)?;
    diesel::insert_into(sign_in_failures::table)
        .values((
            sign_in_failures::id.eq(uuid::Uuid::new_v4().to_string()),
            sign_in_failures::username_key.eq(username_key),
            sign_in_failures::failed_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn clear(conn: &mut DbConnection, username_key: &str) -> QueryResult<()> {
    diesel::delete(sign_in_failures::table.filter(sign_in_failures::username_key.eq(username_key)))
        .execute(conn)
        .map(|_| ())
}
