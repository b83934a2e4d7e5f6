//! What becomes of an offer: accepted, declined by the person, or revoked by
//! the inviter (its links then say so).

use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::ids::MembershipId;
use crate::ids::PartnerId;
use crate::webhooks::{Event, EventType};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{OfferError, organisation_of};
use crate::audit::{self, Action, Actor};
use crate::auth::tokens::digest;
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    alert_definition_recipients, login_tokens, logins, memberships, site_administrators,
    sub_accounts, withdrawn_links,
};
use crate::email::messages::AccessGrantedEmail;
use crate::email::outbox;
use crate::i18n::Lang;

/// Turns an offer into a membership the login holds: it now shows in the
/// login's memberships, and the inviting tenant's log says so. Call inside a
/// write transaction; returns false when it was no longer on offer.
pub fn accept(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &MembershipId,
    login_id: &str,
) -> QueryResult<bool> {
    let accepted = diesel::update(
        memberships::table
            .filter(memberships::id.eq(membership_id))
            .filter(memberships::login_id.eq(login_id))
            .filter(memberships::state.eq(MembershipState::Invited)),
    )
    .set((
        memberships::state.eq(MembershipState::Active),
        memberships::invitation_token_hash.eq(None::<String>),
    ))
    .execute(conn)?;
    if accepted != 1 {
        return Ok(false);
    }
    record_decision(
        conn,
        now,
        membership_id,
        login_id,
        Action::InvitationAccepted,
    )?;
    let activated = crate::tenancy::activate_accounts_administered_by(conn, now, login_id)?;
    for (id, name, partner_id) in &activated {
        let event = Event::customer(EventType::CustomerActivated, id, name);
        crate::webhooks::emit_for_customer(conn, now, partner_id.as_ref(), &event)?;
    }
    Ok(true)
}

/// Tells the login, at its own address, that it was given access: a membership
/// it did not expect is then noticed.
pub fn notify_granted(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    membership_id: &MembershipId,
) -> Result<(), OfferError> {
    let (email, full_name, language): (String, String, String) = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .select((logins::email, logins::full_name, logins::language))
        .first(conn)?;
    let message = AccessGrantedEmail {
        tr: Lang::from_code(&language).unwrap_or_default().translator(),
        full_name,
        account: organisation_of(conn, membership_id)?,
        sign_in_link: settings.link("/login"),
    };
    outbox::enqueue(conn, now, &email, &message)?;
    Ok(())
}

/// Accepts every offer made to this login at its own address: called when the
/// login is activated through the link sent there.
pub fn accept_offers_to_own_address(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
) -> QueryResult<()> {
    answer_offers_to_own_address(conn, now, login_id, accept)
}

/// Gives every offer made to this login at its own address the same answer.
fn answer_offers_to_own_address<T>(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    answer: impl Fn(&mut DbConnection, NaiveDateTime, &MembershipId, &str) -> QueryResult<T>,
) -> QueryResult<()> {
    for membership_id in offers_to_own_address(conn, login_id)? {
        answer(conn, now, &MembershipId::new(membership_id), login_id)?;
    }
    Ok(())
}

fn offers_to_own_address(conn: &mut DbConnection, login_id: &str) -> QueryResult<Vec<String>> {
    let email: String = logins::table
        .find(login_id)
        .select(logins::email)
        .first(conn)?;
    let offers: Vec<(String, Option<String>)> = memberships::table
        .filter(memberships::login_id.eq(login_id))
        .filter(memberships::state.eq(MembershipState::Invited))
        .select((memberships::id, memberships::invited_email))
        .load(conn)?;
    Ok(offers
        .into_iter()
        .filter(|(_, typed)| {
            typed
                .as_deref()
                .is_some_and(|typed| typed.eq_ignore_ascii_case(&email))
        })
        .map(|(id, _)| id)
        .collect())
}

/// The person says no: the offer goes and its inviter's log says so.
pub fn decline(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &MembershipId,
    login_id: &str,
) -> QueryResult<()> {
    record_decision(
        conn,
        now,
        membership_id,
        login_id,
        Action::InvitationDeclined,
    )?;
    remove_offer(conn, membership_id)
}

/// Declines every offer behind an activation link.
pub fn decline_offers_to_own_address(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
) -> QueryResult<()> {
    answer_offers_to_own_address(conn, now, login_id, decline)
}

/// An entry in the inviting tenant's log, under the invited name.
fn record_decision(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &MembershipId,
    login_id: &str,
    action: Action,
) -> QueryResult<()> {
    let (partner_id, customer_id, sub_customer, typed_name): (
        Option<PartnerId>,
        Option<CustomerId>,
        Option<CustomerId>,
        Option<String>,
    ) = memberships::table
        .left_join(sub_accounts::table)
        .filter(memberships::id.eq(membership_id))
        .select((
            memberships::partner_id,
            memberships::customer_id,
            sub_accounts::customer_id.nullable(),
            memberships::invited_name,
        ))
        .first(conn)?;
    let customer_id = customer_id.or(sub_customer);
    let partner_id = match (&partner_id, &customer_id) {
        (Some(_), _) => partner_id,
        (None, Some(customer)) => crate::tenancy::partner_of(conn, customer)?,
        (None, None) => None,
    };
    let name = typed_name.unwrap_or_default();
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: partner_id.as_deref(),
            customer_id: customer_id.as_deref(),
            actor: Actor {
                login_id: Some(login_id),
                name: &name,
                membership_id: None,
                on_behalf_of: None,
                api_token_id: None,
            },
            action,
            target: &name,
            details: "",
        },
    )
}

/// Takes back a pending invitation: the membership goes, and its link says from
/// now on that it was withdrawn. If the login was waiting for nothing else, its
/// activation links are withdrawn too. Call inside a write transaction, for a
/// membership already checked to be the caller's and invited.
pub fn revoke(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &MembershipId,
) -> QueryResult<()> {
    let (login_id, token): (String, Option<String>) = memberships::table
        .find(membership_id)
        .select((memberships::login_id, memberships::invitation_token_hash))
        .first(conn)?;
    if let Some(token_hash) = token {
        withdraw(conn, now, &[token_hash])?;
    }
    remove_offer(conn, membership_id)?;
    let others: i64 = memberships::table
        .filter(memberships::login_id.eq(&login_id))
        .count()
        .get_result(conn)?;
    if others == 0 {
        let live: Vec<String> = login_tokens::table
            .filter(login_tokens::login_id.eq(&login_id))
            .filter(login_tokens::used_at.is_null())
            .filter(login_tokens::expires_at.gt(now))
            .select(login_tokens::token_hash)
            .load(conn)?;
        withdraw(conn, now, &live)?;
        diesel::update(login_tokens::table.filter(login_tokens::token_hash.eq_any(&live)))
            .set(login_tokens::expires_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

fn withdraw(conn: &mut DbConnection, now: NaiveDateTime, hashes: &[String]) -> QueryResult<()> {
    for hash in hashes {
        diesel::insert_into(withdrawn_links::table)
            .values((
                withdrawn_links::token_hash.eq(hash),
                withdrawn_links::withdrawn_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether this link was withdrawn by the one who sent it.
pub fn withdrawn(conn: &mut DbConnection, token: &str) -> QueryResult<bool> {
    let found: i64 = withdrawn_links::table
        .filter(withdrawn_links::token_hash.eq(digest(token)))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

fn remove_offer(conn: &mut DbConnection, membership_id: &MembershipId) -> QueryResult<()> {
    diesel::delete(
        site_administrators::table.filter(site_administrators::membership_id.eq(membership_id)),
    )
    .execute(conn)?;
    diesel::delete(
        alert_definition_recipients::table
            .filter(alert_definition_recipients::membership_id.eq(membership_id)),
    )
    .execute(conn)?;
    diesel::delete(
        memberships::table
            .filter(memberships::id.eq(membership_id))
            .filter(memberships::state.eq(MembershipState::Invited)),
    )
    .execute(conn)?;
    Ok(())
}
