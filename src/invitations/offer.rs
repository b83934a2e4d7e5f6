//! Making an offer on every path, and sending its link again.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::ids::MembershipId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Offer, OfferError, Target};
use crate::auth::tokens::{ACTIVATION_VALID_HOURS, digest};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, logins, memberships, partner_organisations, sub_accounts,
};
use crate::email::messages::InvitationOfferEmail;
use crate::email::outbox;
use crate::i18n::Lang;

/// Offers a membership. Nothing is attached to anyone: the membership waits as
/// 'invited' until the person accepts, and the link goes only to the address the
/// inviter typed. A new username becomes a login waiting for activation (the
/// activation link is the offer); an existing one gets an offer of its own,
/// accepted by signing in as that login. Call inside a write transaction.
/// Returns the membership's id.
pub fn offer(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    offer: &Offer<'_>,
) -> Result<String, OfferError> {
    let person = offer.person;
    serialise_username(conn, &person.username.key())?;
    let existing: Option<(String, String, String)> = logins::table
        .filter(logins::username_key.eq(person.username.key()))
        .select((logins::id, logins::state, logins::email))
        .first(conn)
        .optional()?;
    let login_id = match &existing {
        Some((id, ..)) => id.clone(),
        None => crate::accounts::insert(
            conn,
            now,
            person,
            crate::accounts::LoginState::Pending,
            None,
        )?,
    };
    let previous: Option<(String, String)> = in_target(offer.target)
        .filter(memberships::login_id.eq(&login_id))
        .select((memberships::id, memberships::state))
        .first(conn)
        .optional()?;
    let membership_id = match previous {
        Some((_, state)) if state != MembershipState::Disabled.as_str() => {
            return Err(OfferError::AlreadyMember);
        }
        Some((id, _)) => {
            diesel::update(memberships::table.find(&id))
                .set((
                    memberships::state.eq(MembershipState::Invited),
                    memberships::role.eq(offer.role),
                    memberships::invited_email.eq(person.email.as_str()),
                    memberships::invited_name.eq(person.full_name.as_str()),
                    memberships::invited_by_login_id.eq(offer.inviter),
                    memberships::invitation_token_hash.eq(None::<String>),
                ))
                .execute(conn)?;
            id
        }
        None => insert_offer(conn, now, &login_id, offer)?,
    };
    let same_mailbox = |email: &str| email.eq_ignore_ascii_case(person.email.as_str());
    match &existing {
        // A new login, or one still waiting for activation at the same address:
        // activating it proves the mailbox and accepts the offer.
        None => send_activation_for(
            conn,
            settings,
            now,
            &MembershipId::new(membership_id.clone()),
            &login_id,
        )?,
        Some((_, state, email)) if state == LoginState::Pending.as_str() && same_mailbox(email) => {
            send_activation_for(
                conn,
                settings,
                now,
                &MembershipId::new(membership_id.clone()),
                &login_id,
            )?
        }
        Some(_) => send_offer(
            conn,
            settings,
            now,
            &MembershipId::new(membership_id.clone()),
            person.language,
        )?,
    }
    Ok(membership_id)
}

/// Two offers of one new username at once must not both create its login (the
/// second would break the unique username and answer 500): on PostgreSQL the
/// second waits for the first to commit, then finds the login. SQLite's write
/// transactions are serial already.
fn serialise_username(conn: &mut DbConnection, username_key: &str) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(username_key)
            .execute(pg)?;
    }
    Ok(())
}

/// The memberships of one organisation, account or sub-account.
fn in_target(target: Target<'_>) -> memberships::BoxedQuery<'_, crate::db::MultiBackend> {
    match target {
        Target::Partner(id) => memberships::table
            .filter(memberships::partner_id.eq(id))
            .into_boxed(),
        Target::Customer(id) => memberships::table
            .filter(memberships::customer_id.eq(id))
            .into_boxed(),
        Target::SubAccount(id) => memberships::table
            .filter(memberships::sub_account_id.eq(id))
            .into_boxed(),
    }
}

fn insert_offer(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    offer: &Offer<'_>,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let (scope, partner_id, customer_id, sub_account_id) = match offer.target {
        Target::Partner(p) => ("partner", Some(p), None, None),
        Target::Customer(c) => ("customer", None, Some(c), None),
        Target::SubAccount(s) => ("sub_account", None, None, Some(s)),
    };
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(&id),
            memberships::login_id.eq(login_id),
            memberships::scope.eq(scope),
            memberships::partner_id.eq(partner_id),
            memberships::customer_id.eq(customer_id),
            memberships::sub_account_id.eq(sub_account_id),
            memberships::role.eq(offer.role),
            memberships::state.eq(MembershipState::Invited),
            memberships::created_at.eq(now),
            memberships::invited_by_login_id.eq(offer.inviter),
            memberships::invited_email.eq(offer.person.email.as_str()),
            memberships::invited_name.eq(offer.person.full_name.as_str()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A new activation link for the login an offer waits on, noted on the offer.
fn send_activation_for(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    membership_id: &MembershipId,
    login_id: &str,
) -> Result<(), OfferError> {
    let email_id = super::activation::send_activation(conn, settings, now, login_id)?;
    diesel::update(memberships::table.find(membership_id))
        .set((
            memberships::invitation_email_id.eq(Some(email_id)),
            memberships::invitation_sent_at.eq(Some(now)),
            memberships::invitation_expires_at
                .eq(Some(now + chrono::Duration::hours(ACTIVATION_VALID_HOURS))),
        ))
        .execute(conn)?;
    Ok(())
}

/// The name of the organisation, account or sub-account a membership is of.
pub fn organisation_of(
    conn: &mut DbConnection,
    membership_id: &MembershipId,
) -> QueryResult<String> {
    let names: (Option<String>, Option<String>, Option<String>) = memberships::table
        .left_join(partner_organisations::table)
        .left_join(customer_accounts::table)
        .left_join(sub_accounts::table)
        .filter(memberships::id.eq(membership_id))
        .select((
            partner_organisations::name.nullable(),
            customer_accounts::name.nullable(),
            sub_accounts::name.nullable(),
        ))
        .first(conn)?;
    Ok(names.0.or(names.1).or(names.2).unwrap_or_default())
}

/// A new link for an offer to an existing login (the old one dies), sent to the
/// address the inviter typed, never to the login's own.
fn send_offer(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    membership_id: &MembershipId,
    language: Lang,
) -> Result<(), OfferError> {
    let token = crate::auth::tokens::random_token();
    let until = now + chrono::Duration::hours(ACTIVATION_VALID_HOURS);
    diesel::update(memberships::table.find(membership_id))
        .set((
            memberships::invitation_token_hash.eq(Some(digest(&token))),
            memberships::invitation_sent_at.eq(Some(now)),
            memberships::invitation_expires_at.eq(Some(until)),
        ))
        .execute(conn)?;
    let (email, full_name): (Option<String>, Option<String>) = memberships::table
        .find(membership_id)
        .select((memberships::invited_email, memberships::invited_name))
        .first(conn)?;
    let message = InvitationOfferEmail {
        tr: language.translator(),
        full_name: full_name.unwrap_or_default(),
        organisation: organisation_of(conn, membership_id)?,
        link: settings.link(&format!("/invitations/{token}")),
        valid_hours: ACTIVATION_VALID_HOURS,
    };
    let email_id = outbox::enqueue(conn, now, &email.unwrap_or_default(), &message)?;
    diesel::update(memberships::table.find(membership_id))
        .set(memberships::invitation_email_id.eq(Some(email_id)))
        .execute(conn)?;
    Ok(())
}

/// Sends a pending invitation again (the old link dies), the way it was first
/// sent. Call inside a write transaction, for a membership already checked to
/// be the caller's and invited.
pub fn resend(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    membership_id: &MembershipId,
) -> Result<(), OfferError> {
    let (login_id, login_state, login_email, language, invited_email, token): (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    ) = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .select((
            logins::id,
            logins::state,
            logins::email,
            logins::language,
            memberships::invited_email,
            memberships::invitation_token_hash,
        ))
        .first(conn)?;
    let same_mailbox = invited_email
        .as_deref()
        .is_some_and(|typed| typed.eq_ignore_ascii_case(&login_email));
    if token.is_none() && login_state == LoginState::Pending.as_str() && same_mailbox {
        send_activation_for(conn, settings, now, membership_id, &login_id)
    } else {
        let language = Lang::from_code(&language).unwrap_or_default();
        send_offer(conn, settings, now, membership_id, language)
    }
}
