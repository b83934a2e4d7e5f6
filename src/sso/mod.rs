//! Single sign-on with OpenID Connect. A partner organisation's owner connects
//! the organisation's identity provider (`pages.rs`), claims its email domains;
//! a domain is proven when a sign-in through that provider shows a verified
//! address of it, and a proven domain belongs to that organisation alone. The
//! sign-in page then sends an address of a proven domain to the provider
//! (`flow.rs`: authorization code with PKCE, `state` and `nonce` kept in the
//! server-side session and used once), and the answer signs in the login of
//! that verified address among the organisation's staff, through the same
//! steps as a password (`signing_in.rs`). With "require single sign-on" the
//! password form and the password reset refuse those staff.
//!
//! What a provider sign-in proves: the first factor only. A login with a second
//! factor of its own is still asked for it, and the organisation's
//! second-factor rule applies as after a password.

pub mod flow;
pub mod pages;
pub mod proof;
mod provider;
pub mod sealed;
mod signing_in;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::{LoginState, MembershipState};
use crate::db::DbConnection;
use crate::db::schema::{logins, memberships, sso_connections, sso_domains};
use crate::ids::PartnerId;

/// An organisation's provider, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_connections)]
pub struct Connection {
    pub partner_id: String,
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret_sealed: String,
    pub required: bool,
    pub new_staff_role: Option<String>,
}

/// A domain an organisation claims.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_domains)]
pub struct ClaimedDomain {
    pub id: String,
    pub domain: String,
    pub claimed_at: NaiveDateTime,
    pub proven_at: Option<NaiveDateTime>,
}

pub fn connection_of(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
) -> QueryResult<Option<Connection>> {
    sso_connections::table
        .find(partner_id.as_str())
        .select(Connection::as_select())
        .first(conn)
        .optional()
}

pub fn domains_of(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
) -> QueryResult<Vec<ClaimedDomain>> {
    sso_domains::table
        .filter(sso_domains::partner_id.eq(partner_id.as_str()))
        .order(sso_domains::domain.asc())
        .select(ClaimedDomain::as_select())
        .load(conn)
}

/// The domain of an address, in the form domains are stored: lower case,
/// without a trailing dot.
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// A domain as an owner types it: a host name with at least one dot, letters,
/// digits and hyphens, at most 253 characters.
pub fn parse_domain(raw: &str) -> Option<String> {
    let domain = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    (domain.len() <= 253 && domain.contains('.') && domain.split('.').all(label_ok))
        .then_some(domain)
}

/// The organisation whose provider signs in addresses of `address`'s domain:
/// the one that proved the domain, if it has a provider connected.
pub fn provider_for(conn: &mut DbConnection, address: &str) -> QueryResult<Option<Connection>> {
    let Some(domain) = domain_of(address) else {
        return Ok(None);
    };
    let owner: Option<String> = sso_domains::table
        .filter(sso_domains::domain.eq(&domain))
        .filter(sso_domains::proven_at.is_not_null())
        .select(sso_domains::partner_id)
        .first(conn)
        .optional()?;
    let Some(partner_id) = owner.map(PartnerId::new) else {
        return Ok(None);
    };
    let Some(connection) = connection_of(conn, &partner_id)? else {
        return Ok(None);
    };
    // Only the organisation's own people go to its provider: a person of
    // another organisation who shares the domain keeps the password form, and
    // is never shown this provider's sign-in page.
    let (typed, key) = (address.trim(), address.trim().to_lowercase());
    let logins_of_address: Vec<String> = logins::table
        .filter(
            logins::username_key
                .eq(&key)
                .or(logins::email.eq(typed))
                .or(logins::email.eq(&key)),
        )
        .select(logins::id)
        .load(conn)?;
    let goes = match logins_of_address.as_slice() {
        [] => connection.new_staff_role.is_some(),
        [login_id] => belongs_only_to(conn, login_id, &partner_id)?,
        _ => false,
    };
    Ok(goes.then_some(connection))
}

/// Whether the login's only active membership is with `partner_id`: what that
/// organisation's provider vouches for then reaches nothing beyond it. A person
/// who also belongs to another organisation or a customer account signs in with
/// a password, and is never refused one because of this organisation.
pub fn belongs_only_to(
    conn: &mut DbConnection,
    login_id: &str,
    partner_id: &PartnerId,
) -> QueryResult<bool> {
    let active = memberships::table
        .filter(memberships::login_id.eq(login_id))
        .filter(memberships::state.eq(MembershipState::Active));
    let here: i64 = active
        .filter(memberships::partner_id.eq(partner_id.as_str()))
        .count()
        .get_result(conn)?;
    let elsewhere: i64 = active
        .filter(
            memberships::partner_id
                .ne(partner_id.as_str())
                .or(memberships::partner_id.is_null()),
        )
        .count()
        .get_result(conn)?;
    Ok(here > 0 && elsewhere == 0)
}

/// Whether `partner_id` has proven `domain`.
pub fn has_proven(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
    domain: &str,
) -> QueryResult<bool> {
    let count: i64 = sso_domains::table
        .filter(sso_domains::partner_id.eq(partner_id.as_str()))
        .filter(sso_domains::domain.eq(domain))
        .filter(sso_domains::proven_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Whether a password may no longer sign this login in (nor be reset): it is
/// active staff of an organisation that requires single sign-on, and its
/// address or its username is in a domain that organisation has proven.
pub fn password_refused(conn: &mut DbConnection, login_id: &str) -> QueryResult<bool> {
    let Some((username, email)) = logins::table
        .find(login_id)
        .filter(logins::state.eq(LoginState::Active))
        .select((logins::username, logins::email))
        .first::<(String, String)>(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let domains: Vec<String> = [domain_of(&username), domain_of(&email)]
        .into_iter()
        .flatten()
        .collect();
    if domains.is_empty() {
        return Ok(false);
    }
    let requiring: Vec<String> = sso_connections::table
        .filter(sso_connections::required.eq(true))
        .inner_join(sso_domains::table.on(sso_domains::partner_id.eq(sso_connections::partner_id)))
        .filter(sso_domains::domain.eq_any(&domains))
        .filter(sso_domains::proven_at.is_not_null())
        .select(sso_connections::partner_id)
        .load(conn)?;
    if requiring.is_empty() {
        return Ok(false);
    }
    for partner_id in requiring {
        if belongs_only_to(conn, login_id, &PartnerId::new(partner_id))? {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_compared_in_one_form() {
        assert_eq!(
            domain_of("Ada@Contoso.Example."),
            Some("contoso.example".into())
        );
        assert_eq!(domain_of("ada"), None);
        assert_eq!(domain_of("ada@"), None);
        assert_eq!(
            parse_domain(" Contoso.Example "),
            Some("contoso.example".into())
        );
        assert_eq!(parse_domain("localhost"), None);
        assert_eq!(parse_domain("-bad.example"), None);
        assert_eq!(parse_domain("a..example"), None);
        assert_eq!(parse_domain("café.example"), None);
    }
}
