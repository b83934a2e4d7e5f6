//! A partner organisation's API tokens: 256 random bits shown once, kept only as
//! their SHA-256. A token acts in its organisation in its creator's name, with
//! the creator's role narrowed to the token's scopes; it stops acting when it
//! is revoked, when it expires, and while its creator's membership or login is
//! not active.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::scope::PartnerScope;
use crate::access::{PartnerRole, TokenScope};
use crate::accounts::{LoginState, MembershipState};
use crate::auth::tokens::{digest, random_token};
use crate::db::DbConnection;
use crate::db::schema::{logins, memberships, partner_api_tokens, partner_organisations};
use crate::ids::PartnerId;

/// What a partner token's prefix says about it to someone who finds one.
pub const PREFIX: &str = "pdp_";

/// How stale `last_used_at` may get before a use writes it again.
const LAST_USE_PRECISION: Duration = Duration::minutes(1);

/// A token to create: its name, what it may do, and until when.
pub struct NewPartnerToken<'a> {
    pub name: &'a str,
    pub scopes: &'a [TokenScope],
    pub expires_at: Option<NaiveDateTime>,
}

/// The member creating a token: (login id, membership id).
pub type Creator<'a> = (&'a str, &'a str);

/// A new token of the organisation: (its id, the token itself, to be shown once).
pub fn create_partner_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    scope: &PartnerScope,
    (login_id, membership_id): Creator<'_>,
    new: &NewPartnerToken<'_>,
) -> QueryResult<(String, String)> {
    let token = format!("{PREFIX}{}", random_token());
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(partner_api_tokens::table)
        .values((
            partner_api_tokens::id.eq(&id),
            partner_api_tokens::partner_id.eq(scope.partner_id()),
            partner_api_tokens::token_hash.eq(digest(&token)),
            partner_api_tokens::name.eq(new.name),
            partner_api_tokens::creator_login_id.eq(login_id),
            partner_api_tokens::creator_membership_id.eq(membership_id),
            partner_api_tokens::scopes.eq(TokenScope::list(new.scopes)),
            partner_api_tokens::created_at.eq(now),
            partner_api_tokens::expires_at.eq(new.expires_at),
        ))
        .execute(conn)?;
    Ok((id, token))
}

/// A token as the tokens page lists it (never the token itself).
#[derive(Debug, Clone)]
pub struct PartnerToken {
    pub id: String,
    pub name: String,
    pub scopes: Vec<TokenScope>,
    pub creator: String,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

type TokenRow = (
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// Whose tokens a member sees and may revoke: an owner every one of the
/// organisation's, an admin agent (when the owners allow it) only those it made.
#[derive(Debug, Clone)]
pub enum TokenReach {
    Organisation,
    CreatedBy { membership_id: String },
}

/// The organisation's tokens within `reach`, live first, newest first.
pub fn partner_tokens(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    reach: &TokenReach,
) -> QueryResult<Vec<PartnerToken>> {
    let mut query = partner_api_tokens::table
        .inner_join(logins::table)
        .filter(partner_api_tokens::partner_id.eq(scope.partner_id()))
        .into_boxed();
    if let TokenReach::CreatedBy { membership_id } = reach {
        query = query.filter(partner_api_tokens::creator_membership_id.eq(membership_id));
    }
    let rows: Vec<TokenRow> = query
        .order((
            partner_api_tokens::created_at.desc(),
            partner_api_tokens::id.asc(),
        ))
        .select((
            partner_api_tokens::id,
            partner_api_tokens::name,
            partner_api_tokens::scopes,
            logins::full_name,
            partner_api_tokens::created_at,
            partner_api_tokens::expires_at,
            partner_api_tokens::last_used_at,
            partner_api_tokens::revoked_at,
        ))
        .load(conn)?;
    let mut tokens: Vec<PartnerToken> = rows
        .into_iter()
        .map(
            |(id, name, scopes, creator, created_at, expires_at, used, revoked)| PartnerToken {
                id,
                name,
                scopes: TokenScope::parse_list(&scopes),
                creator,
                created_at,
                expires_at,
                last_used_at: used,
                revoked_at: revoked,
            },
        )
        .collect();
    tokens.sort_by_key(|t| t.revoked_at.is_some());
    Ok(tokens)
}

/// Lets the organisation's admin agents create API tokens, or stops letting
/// them (`OwnerGrants`); the tokens they made are left as they are.
pub fn allow_admin_agents(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    allowed: bool,
) -> QueryResult<()> {
    diesel::update(partner_organisations::table.find(scope.partner_id()))
        .set(partner_organisations::admin_agents_manage_api_tokens.eq(allowed))
        .execute(conn)?;
    Ok(())
}

/// Revokes one of the organisation's live tokens within `reach`; the token's
/// name when it was one.
pub fn revoke_partner_token(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    scope: &PartnerScope,
    reach: &TokenReach,
    id: &str,
) -> QueryResult<Option<String>> {
    let mut live = partner_api_tokens::table
        .filter(partner_api_tokens::id.eq(id))
        .filter(partner_api_tokens::partner_id.eq(scope.partner_id()))
        .filter(partner_api_tokens::revoked_at.is_null())
        .select(partner_api_tokens::name)
        .into_boxed();
    if let TokenReach::CreatedBy { membership_id } = reach {
        live = live.filter(partner_api_tokens::creator_membership_id.eq(membership_id));
    }
    let name: Option<String> = live.first(conn).optional()?;
    if name.is_some() {
        diesel::update(partner_api_tokens::table.filter(partner_api_tokens::id.eq(id)))
            .set(partner_api_tokens::revoked_at.eq(now))
            .execute(conn)?;
    }
    Ok(name)
}

/// A live partner token, as the request that presented it acts: in its
/// organisation, in its creator's name and role, within its scopes.
#[derive(Debug, Clone)]
pub struct PartnerClient {
    pub token_id: String,
    pub token_name: String,
    pub scopes: Vec<TokenScope>,
    /// The creator's role now, read on each request.
    pub role: PartnerRole,
    pub creator_login_id: String,
    pub creator_name: String,
    pub creator_membership_id: String,
    /// The instance operator has suspended the organisation: the token is
    /// refused (`organisation_suspended`) until it is reinstated.
    pub organisation_suspended: bool,
    scope: PartnerScope,
}

impl PartnerClient {
    /// The organisation the token acts in: every query it makes is scoped by it.
    pub fn scope(&self) -> &PartnerScope {
        &self.scope
    }

    /// The token's creator, acting through it, for the activity log.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            login_id: Some(&self.creator_login_id),
            name: &self.creator_name,
            membership_id: Some(&self.creator_membership_id),
            on_behalf_of: None,
            api_token_id: Some(&self.token_id),
        }
    }
}

type ClientRow = (
    String,
    String,
    PartnerId,
    String,
    Option<NaiveDateTime>,
    String,
    String,
    String,
    String,
    Option<NaiveDateTime>,
);

/// The partner token `presented` is, if it acts at `now`: not revoked, not
/// expired, its creator's membership of the organisation and login active.
/// Notes the use (at most once a minute).
pub fn partner_of(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    presented: &str,
) -> QueryResult<Option<PartnerClient>> {
    let found: Option<ClientRow> = partner_api_tokens::table
        .inner_join(memberships::table)
        .inner_join(logins::table)
        .filter(partner_api_tokens::token_hash.eq(digest(presented)))
        .filter(partner_api_tokens::revoked_at.is_null())
        .filter(
            partner_api_tokens::expires_at
                .is_null()
                .or(partner_api_tokens::expires_at.gt(now)),
        )
        .filter(memberships::partner_id.eq(partner_api_tokens::partner_id.nullable()))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .select((
            partner_api_tokens::id,
            partner_api_tokens::name,
            partner_api_tokens::partner_id,
            partner_api_tokens::scopes,
            partner_api_tokens::last_used_at,
            memberships::role,
            logins::id,
            logins::full_name,
            memberships::id,
            partner_organisations::table
                .filter(partner_organisations::id.eq(partner_api_tokens::partner_id))
                .select(partner_organisations::suspended_at)
                .single_value(),
        ))
        .first(conn)
        .optional()?;
    let Some((
        token_id,
        token_name,
        partner_id,
        scopes,
        last_used,
        role,
        login,
        name,
        membership,
        suspended_at,
    )) = found
    else {
        return Ok(None);
    };
    // A role this version does not know gives nothing.
    let Some(role) = PartnerRole::parse(&role) else {
        return Ok(None);
    };
    if last_used.is_none_or(|at| at <= now - LAST_USE_PRECISION) {
        diesel::update(partner_api_tokens::table.filter(partner_api_tokens::id.eq(&token_id)))
            .set(partner_api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    // A token acts with its creator's reach, read afresh on each use.
    let reach = crate::reach::of_membership(conn, &membership)?;
    Ok(Some(PartnerClient {
        token_id,
        token_name,
        scopes: TokenScope::parse_list(&scopes),
        role,
        creator_login_id: login,
        creator_name: name,
        creator_membership_id: membership,
        organisation_suspended: suspended_at.is_some(),
        scope: PartnerScope::of_credential(partner_id, reach),
    }))
}
