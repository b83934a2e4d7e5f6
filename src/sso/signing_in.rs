//! The provider vouched for a person: find their login among the
//! organisation's people by the verified address alone (never by a name),
//! create them when the owner allows it, and sign them in through the same
//! steps as a right password: a new session id, the second factor next if the
//! login has one, then the membership.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::flow::{refused, verified_address};
use super::provider::Verified;
use super::{Connection, Organisation};
use crate::accounts::{DisplayName, EmailAddress, LoginState, NewLogin, Username};
use crate::audit::{self, Action, Actor};
use crate::auth::identity::{Membership, memberships_of};
use crate::auth::session::{SignInClient, TypedSession};
use crate::db::schema::logins;
use crate::db::{self, DbConnection, DbError};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::{PageContext, PageError, see_other};

/// Back from the provider with a checked ID token.
pub struct Arrival {
    pub connection: Connection,
    pub verified: Verified,
    pub next: String,
}

/// Who the verified address turned out to be.
enum Found {
    Staff {
        login_id: String,
    },
    Created {
        login_id: String,
    },
    /// No active member of the organisation has this address.
    Nobody,
    /// A login with this address exists but is not the organisation's:
    /// it is never joined to the organisation without an invitation.
    Elsewhere,
    /// More than one of its people has this address: nobody is guessed.
    Ambiguous,
}

enum Outcome {
    SignedIn(Vec<Membership>),
    SecondFactor,
    Refused(&'static str),
}

pub async fn sign_in(
    state: &AppState,
    layout: PageContext,
    session: &TypedSession,
    client: &SignInClient,
    arrival: Arrival,
) -> Result<HttpResponse, PageError> {
    let Some(address) = verified_address(&arrival.verified).map(str::to_owned) else {
        return refused(layout, StatusCode::FORBIDDEN, "sso-email-unverified");
    };
    let now = state.clock.now();
    let lang = layout.lang;
    let Arrival {
        connection,
        verified,
        next,
    } = arrival;
    let name = verified.name;
    let (login_id, outcome) = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let matched = match_address(conn, now, &connection, &address, name, lang)?;
            settle(conn, now, matched)
        })
    })
    .await?;
    let at = now.and_utc().timestamp();
    match outcome {
        Outcome::Refused(key) => {
            tracing::warn!(client = ?client.address, reason = key, "single sign-on refused");
            refused(layout, StatusCode::FORBIDDEN, key)
        }
        Outcome::SecondFactor => {
            session
                .await_second_factor(&login_id, at, &next)
                .map_err(PageError::internal)?;
            Ok(see_other("/login/second-factor"))
        }
        Outcome::SignedIn(memberships) => {
            session
                .sign_in(&login_id, at, client)
                .map_err(PageError::internal)?;
            Ok(see_other(&crate::web::after_sign_in(
                session,
                &memberships,
                &next,
            )?))
        }
    }
}

/// The login of `address` among the organisation's active people, or a new
/// one when the owner lets the provider create people; only for an address of
/// a domain the organisation has proven.
fn match_address(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    connection: &Connection,
    address: &str,
    name: Option<String>,
    lang: Lang,
) -> Result<Result<Found, &'static str>, DbError> {
    let organisation = &connection.organisation;
    let in_domain = match super::domain_of(address) {
        Some(domain) => super::has_proven(conn, organisation, &domain)?,
        None => false,
    };
    if !in_domain {
        return Ok(Err("sso-email-outside-domains"));
    }
    let matching: Vec<String> = organisation
        .active_people(conn)?
        .into_iter()
        .filter(|(_, email)| email.trim().eq_ignore_ascii_case(address.trim()))
        .map(|(id, _)| id)
        .collect();
    Ok(Ok(match matching.as_slice() {
        [only] if !super::belongs_only_to(conn, only, organisation)? => {
            return Ok(Err("sso-other-memberships"));
        }
        [only] => Found::Staff {
            login_id: only.clone(),
        },
        [] => match connection
            .new_member_role
            .as_deref()
            .and_then(|role| organisation.parse_new_member_role(role))
        {
            Some(role) => create(conn, now, organisation, address, name, lang, role)?,
            None => Found::Nobody,
        },
        _ => Found::Ambiguous,
    }))
}

/// A new login and an active membership for an address the organisation's
/// own provider vouched for, in a domain it proved.
fn create(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    organisation: &Organisation,
    address: &str,
    name: Option<String>,
    lang: Lang,
    role: &str,
) -> Result<Found, DbError> {
    let (Ok(username), Ok(email)) = (Username::parse(address), EmailAddress::parse(address)) else {
        return Ok(Found::Nobody);
    };
    let taken: i64 = logins::table
        .filter(logins::username_key.eq(username.key()))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(Found::Elsewhere);
    }
    let local_part = address.split('@').next().unwrap_or(address);
    let full_name = name
        .as_deref()
        .and_then(|n| DisplayName::parse(n).ok())
        .or_else(|| DisplayName::parse(local_part).ok());
    let Some(full_name) = full_name else {
        return Ok(Found::Nobody);
    };
    let new = NewLogin {
        username,
        email,
        full_name,
        language: lang,
        time_zone: chrono_tz::UTC,
    };
    let login_id = crate::accounts::insert(conn, now, &new, LoginState::Active, None)?;
    organisation.add_member(conn, now, &login_id, role)?;
    organisation.log(
        conn,
        now,
        Actor {
            login_id: Some(&login_id),
            name: new.full_name.as_str(),
            membership_id: None,
            on_behalf_of: None,
            api_token_id: None,
        },
        Action::SsoMemberCreated,
        new.full_name.as_str(),
        role,
    )?;
    Ok(Found::Created { login_id })
}

/// What follows a match: refused, the second factor, or signed in (logged).
fn settle(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    matched: Result<Found, &'static str>,
) -> Result<(String, Outcome), DbError> {
    let login_id = match matched {
        Err(key) => return Ok((String::new(), Outcome::Refused(key))),
        Ok(Found::Nobody) => return Ok((String::new(), Outcome::Refused("sso-no-account"))),
        Ok(Found::Elsewhere) => {
            return Ok((String::new(), Outcome::Refused("sso-account-elsewhere")));
        }
        Ok(Found::Ambiguous) => return Ok((String::new(), Outcome::Refused("sso-ambiguous"))),
        Ok(Found::Staff { login_id } | Found::Created { login_id }) => login_id,
    };
    if crate::second_factor::has_factor(conn, &login_id)? {
        return Ok((login_id, Outcome::SecondFactor));
    }
    let full_name: String = logins::table
        .find(&login_id)
        .select(logins::full_name)
        .first(conn)?;
    let actor = Actor {
        login_id: Some(&login_id),
        name: &full_name,
        membership_id: None,
        on_behalf_of: None,
        api_token_id: None,
    };
    audit::record_for_login(
        conn,
        now,
        &login_id,
        actor,
        Action::SignedInWithSso,
        &full_name,
    )?;
    let memberships = memberships_of(conn, &login_id)?;
    Ok((login_id, Outcome::SignedIn(memberships)))
}
