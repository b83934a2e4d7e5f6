//! Single sign-on with OpenID Connect, for partner organisations and customer
//! accounts alike (an [`Organisation`]). An owner (a partner's owner, a
//! customer's administrator) connects the organisation's identity provider
//! (`pages.rs`) and claims its email domains. A domain is proven by a DNS TXT
//! record the organisation publishes (`dns.rs`), or by a sign-in through that
//! provider showing a verified address of it (`proof.rs`); a proven domain
//! belongs to one organisation alone, and a DNS proof outweighs a provider's
//! word. The sign-in page then sends an address of a proven domain to the
//! provider (`flow.rs`: authorization code with PKCE, `state` and `nonce`
//! kept in the server-side session and used once), and the answer signs in
//! the login of that verified address among the organisation's people,
//! through the same steps as a password (`signing_in.rs`). With "require
//! single sign-on" the password form and the password reset refuse them.
//!
//! What a provider sign-in proves: the first factor only. A login with a second
//! factor of its own is still asked for it, and the organisation's
//! second-factor rule applies as after a password.

pub mod dns;
pub mod domains;
pub mod flow;
mod organisation;
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

pub use organisation::Organisation;

/// An organisation's provider, as stored.
#[derive(Debug, Clone)]
pub struct Connection {
    pub organisation: Organisation,
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret_sealed: String,
    pub required: bool,
    /// In the organisation's own roles (`Organisation::new_member_roles`).
    pub new_member_role: Option<String>,
}

/// A domain an organisation claims.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_domains)]
pub struct ClaimedDomain {
    pub id: String,
    pub domain: String,
    pub claimed_at: NaiveDateTime,
    pub proven_at: Option<NaiveDateTime>,
    pub proven_by: Option<String>,
    pub dns_token: String,
}

impl ClaimedDomain {
    /// The TXT record the organisation publishes to prove the domain.
    pub fn dns_record_name(&self) -> String {
        dns::record_name(&self.domain)
    }

    pub fn dns_record_value(&self) -> String {
        dns::record_value(&self.dns_token)
    }

    pub fn proven_by_dns(&self) -> bool {
        self.proven_by.as_deref() == Some(dns::PROVEN_BY_DNS)
    }
}

/// The rows of `table` (`sso_connections` or `sso_domains`) that belong to
/// `organisation`: its column matches, the other one is NULL and matches nothing.
macro_rules! owned_by {
    ($table:ident, $organisation:expr) => {
        $table::partner_id
            .eq($organisation.partner_id())
            .or($table::customer_id.eq($organisation.customer_id()))
    };
}
pub(crate) use owned_by;

pub fn connection_of(
    conn: &mut DbConnection,
    organisation: &Organisation,
) -> QueryResult<Option<Connection>> {
    let row: Option<(String, String, String, bool, Option<String>)> = sso_connections::table
        .filter(owned_by!(sso_connections, organisation))
        .select((
            sso_connections::issuer_url,
            sso_connections::client_id,
            sso_connections::client_secret_sealed,
            sso_connections::required,
            sso_connections::new_member_role,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(issuer_url, client_id, client_secret_sealed, required, new_member_role)| Connection {
            organisation: organisation.clone(),
            issuer_url,
            client_id,
            client_secret_sealed,
            required,
            new_member_role,
        },
    ))
}

pub fn domains_of(
    conn: &mut DbConnection,
    organisation: &Organisation,
) -> QueryResult<Vec<ClaimedDomain>> {
    sso_domains::table
        .filter(owned_by!(sso_domains, organisation))
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

/// The organisation that has proven `domain`, if any.
pub fn prover_of(conn: &mut DbConnection, domain: &str) -> QueryResult<Option<Organisation>> {
    let owner: Option<(Option<String>, Option<String>)> = sso_domains::table
        .filter(sso_domains::domain.eq(domain))
        .filter(sso_domains::proven_at.is_not_null())
        .select((sso_domains::partner_id, sso_domains::customer_id))
        .first(conn)
        .optional()?;
    Ok(owner.and_then(|(partner, customer)| Organisation::of_row(partner, customer)))
}

/// Whether an organisation other than `organisation` has proven `domain`.
pub fn proven_elsewhere(
    conn: &mut DbConnection,
    organisation: &Organisation,
    domain: &str,
) -> QueryResult<bool> {
    Ok(prover_of(conn, domain)?.is_some_and(|prover| &prover != organisation))
}

/// The organisation whose provider signs in addresses of `address`'s domain:
/// the one that proved the domain, if it has a provider connected.
pub fn provider_for(conn: &mut DbConnection, address: &str) -> QueryResult<Option<Connection>> {
    let Some(domain) = domain_of(address) else {
        return Ok(None);
    };
    let Some(organisation) = prover_of(conn, &domain)? else {
        return Ok(None);
    };
    let Some(connection) = connection_of(conn, &organisation)? else {
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
        [] => connection.new_member_role.is_some(),
        [login_id] => belongs_only_to(conn, login_id, &organisation)?,
        _ => false,
    };
    Ok(goes.then_some(connection))
}

/// Whether the login's only active memberships are with `organisation`: what
/// that organisation's provider vouches for then reaches nothing beyond it. A
/// person who also belongs to another organisation, customer account or
/// sub-account signs in with a password, and is never refused one because of
/// this organisation.
pub fn belongs_only_to(
    conn: &mut DbConnection,
    login_id: &str,
    organisation: &Organisation,
) -> QueryResult<bool> {
    let active: Vec<(String, Option<String>, Option<String>)> = memberships::table
        .filter(memberships::login_id.eq(login_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .select((
            memberships::scope,
            memberships::partner_id,
            memberships::customer_id,
        ))
        .load(conn)?;
    Ok(!active.is_empty()
        && active
            .iter()
            .all(|(scope, partner, customer)| organisation.is_membership(scope, partner, customer)))
}

/// Whether `organisation` has proven `domain`.
pub fn has_proven(
    conn: &mut DbConnection,
    organisation: &Organisation,
    domain: &str,
) -> QueryResult<bool> {
    Ok(prover_of(conn, domain)?.as_ref() == Some(organisation))
}

/// Whether a password may no longer sign this login in (nor be reset): it
/// belongs only to an organisation that requires single sign-on, and its
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
    for domain in [domain_of(&username), domain_of(&email)]
        .into_iter()
        .flatten()
    {
        let Some(organisation) = prover_of(conn, &domain)? else {
            continue;
        };
        let required = connection_of(conn, &organisation)?.is_some_and(|c| c.required);
        if required && belongs_only_to(conn, login_id, &organisation)? {
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
