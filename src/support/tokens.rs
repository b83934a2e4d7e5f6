//! JSON API tokens: 256 random bits shown once, stored only as their SHA-256.
//! Operator tokens act for the instance operator; the `scope` and `customer_id`
//! columns leave room for per-account tokens later.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use rand::rngs::OsRng;

use crate::auth::tokens::digest;
use crate::db::DbConnection;
use crate::db::schema::api_tokens;

/// Who a valid token acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub token_id: String,
    pub name: String,
}

/// A new operator token: (its id, the token itself, to be shown once).
pub fn create_operator_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    name: &str,
) -> QueryResult<(String, String)> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = format!("pd_{}", hex::encode(bytes));
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::token_hash.eq(digest(&token)),
            api_tokens::scope.eq("operator"),
            api_tokens::customer_id.eq(None::<String>),
            api_tokens::name.eq(name),
            api_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok((id, token))
}

/// Revokes a token; false when there is no such live token.
pub fn revoke(conn: &mut DbConnection, now: NaiveDateTime, id: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The live operator token `presented` is, if any.
pub fn operator_of(conn: &mut DbConnection, presented: &str) -> QueryResult<Option<ApiClient>> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(digest(presented)))
        .filter(api_tokens::scope.eq("operator"))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::id, api_tokens::name))
        .first::<(String, String)>(conn)
        .optional()
        .map(|found| found.map(|(token_id, name)| ApiClient { token_id, name }))
}
