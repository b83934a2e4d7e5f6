//! JSON API tokens: 256 random bits shown once, stored only as their SHA-256.
//! Operator tokens act for the instance operator; customer tokens (`scope =
//! 'customer'` with the account's id) act for one account's monitoring agents.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::scope::CustomerScope;
use crate::ids::{CustomerId, SubAccountId};
use rand::RngCore;
use rand::rngs::OsRng;

use crate::auth::tokens::digest;
use crate::db::DbConnection;
use crate::db::schema::{api_tokens, sub_accounts};

crate::db::codes::stored_code!(
    /// Whom a token acts for: the instance's operator, or one customer account.
    ApiTokenKind {
        Operator => "operator",
        Customer => "customer",
    }
);

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
            api_tokens::scope.eq(ApiTokenKind::Operator),
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
        .filter(api_tokens::scope.eq(ApiTokenKind::Operator))
        .filter(api_tokens::revoked_at.is_null())
        .select((api_tokens::id, api_tokens::name))
        .first::<(String, String)>(conn)
        .optional()
        .map(|found| found.map(|(token_id, name)| ApiClient { token_id, name }))
}

/// A customer account's token as its console lists it (never the token itself).
#[derive(Debug, Clone)]
pub struct CustomerToken {
    pub id: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    /// The sub-account the token acts within; None for the whole account.
    pub sub_account: Option<String>,
}

/// A new token acting for one customer account (`scope = 'customer'`): (its id,
/// the token itself, to be shown once). A token for the account, or for one of its sub-accounts when
/// `sub_account_id` is set (it then acts within that sub-account only).
pub fn create_customer_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    sub_account_id: Option<&str>,
    name: &str,
) -> QueryResult<(String, String)> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = format!("pdm_{}", hex::encode(bytes));
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(&id),
            api_tokens::token_hash.eq(digest(&token)),
            api_tokens::scope.eq(ApiTokenKind::Customer),
            api_tokens::customer_id.eq(Some(customer_id)),
            api_tokens::sub_account_id.eq(sub_account_id),
            api_tokens::name.eq(name),
            api_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok((id, token))
}

/// The account's tokens (`sub_account_id` `None`), or one sub-account's, live
/// first, newest first.
pub fn customer_tokens(
    conn: &mut DbConnection,
    customer_id: &str,
    sub_account_id: Option<&str>,
) -> QueryResult<Vec<CustomerToken>> {
    let mut query = api_tokens::table
        .left_join(sub_accounts::table)
        .filter(api_tokens::scope.eq(ApiTokenKind::Customer))
        .filter(api_tokens::customer_id.eq(customer_id))
        .into_boxed::<crate::db::MultiBackend>();
    if let Some(sub) = sub_account_id {
        query = query.filter(api_tokens::sub_account_id.eq(sub.to_owned()));
    }
    type Row = (
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<String>,
    );
    let rows: Vec<Row> = query
        .order((api_tokens::created_at.desc(), api_tokens::id.asc()))
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::created_at,
            api_tokens::revoked_at,
            sub_accounts::name.nullable(),
        ))
        .load(conn)?;
    let mut tokens: Vec<CustomerToken> = rows
        .into_iter()
        .map(
            |(id, name, created_at, revoked_at, sub_account)| CustomerToken {
                id,
                name,
                created_at,
                revoked_at,
                sub_account,
            },
        )
        .collect();
    tokens.sort_by_key(|t| t.revoked_at.is_some());
    Ok(tokens)
}

/// Revokes one of the account's live tokens; the token's name when it was one.
pub fn revoke_customer_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer_id: &str,
    sub_account_id: Option<&str>,
    id: &str,
) -> QueryResult<Option<String>> {
    let mut query = api_tokens::table
        .filter(api_tokens::id.eq(id))
        .filter(api_tokens::scope.eq(ApiTokenKind::Customer))
        .filter(api_tokens::customer_id.eq(customer_id))
        .filter(api_tokens::revoked_at.is_null())
        .into_boxed::<crate::db::MultiBackend>();
    if let Some(sub) = sub_account_id {
        query = query.filter(api_tokens::sub_account_id.eq(sub.to_owned()));
    }
    let name: Option<String> = query.select(api_tokens::name).first(conn).optional()?;
    if name.is_some() {
        revoke(conn, now, id)?;
    }
    Ok(name)
}

/// A live customer token's (id, account, sub-account). A sub-account's token
/// acts only while the sub-account may manage monitors, read on each request:
/// an administrator taking that permission away silences its tokens at once
/// (and giving it back revives them, as it does the operators' pages).
pub fn customer_of(
    conn: &mut DbConnection,
    presented: &str,
) -> QueryResult<Option<(String, CustomerScope, Option<SubAccountId>)>> {
    api_tokens::table
        .left_join(sub_accounts::table)
        .filter(api_tokens::token_hash.eq(digest(presented)))
        .filter(api_tokens::scope.eq(ApiTokenKind::Customer))
        .filter(api_tokens::revoked_at.is_null())
        .filter(
            api_tokens::sub_account_id
                .is_null()
                .or(sub_accounts::can_manage_monitors.nullable().eq(Some(true))),
        )
        .select((
            api_tokens::id,
            api_tokens::customer_id,
            api_tokens::sub_account_id,
        ))
        .first::<(String, Option<CustomerId>, Option<SubAccountId>)>(conn)
        .optional()
        .map(|found| {
            found.and_then(|(id, customer, sub)| {
                customer.map(|c| (id, CustomerScope::of_credential(c), sub))
            })
        })
}
