//! Invitations as a lifecycle (B5), for partner staff and customer users alike:
//! who sent one, when it was sent and until when its link works, revoking it, and
//! a person whose link expired asking the one who invited them for a new one.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::tokens::TokenPurpose;
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    alert_definition_recipients, customer_accounts, login_tokens, logins, memberships,
    partner_organisations, site_administrators, sub_accounts,
};
use crate::email::messages::InvitationRequestEmail;
use crate::email::outbox::{self, OutboxError};
use crate::i18n::Lang;

/// The person part of an invitation form, whoever invites: name, email, username
/// (the email when left empty) and language.
pub struct InviteeFields<'a> {
    pub full_name: &'a str,
    pub email: &'a str,
    pub username: &'a str,
    pub language: &'a str,
}

impl InviteeFields<'_> {
    /// The new login, or `None` with a message added for each faulty field.
    pub fn parse(
        &self,
        tr: &crate::i18n::Translator,
        time_zone: chrono_tz::Tz,
        errors: &mut crate::web::FieldErrors,
    ) -> Option<crate::accounts::NewLogin> {
        use crate::accounts::{DisplayName, EmailAddress, NewLogin, Username};
        let full_name = DisplayName::parse(self.full_name)
            .map_err(|e| errors.add(tr, "full_name", e.message_key()))
            .ok();
        let email = EmailAddress::parse(self.email)
            .map_err(|e| errors.add(tr, "email", e.message_key()))
            .ok();
        let username_text = if self.username.trim().is_empty() {
            self.email
        } else {
            self.username
        };
        let username = Username::parse(username_text)
            .map_err(|e| errors.add(tr, "username", e.message_key()))
            .ok();
        let language = Lang::from_code(self.language);
        if language.is_none() {
            errors.add(tr, "language", "field-choose");
        }
        Some(NewLogin {
            username: username?,
            email: email?,
            full_name: full_name?,
            language: language?,
            time_zone,
        })
    }
}

/// When a pending person's invitation was last sent, and until when its link works.
#[derive(Debug, Clone, Copy)]
pub struct Sent {
    pub at: NaiveDateTime,
    pub until: NaiveDateTime,
}

impl Sent {
    pub fn expired(&self, now: NaiveDateTime) -> bool {
        now >= self.until
    }
}

/// Notes who sent the invitation behind a membership.
pub fn record_inviter(
    conn: &mut DbConnection,
    membership_id: &str,
    inviter_login_id: Option<&str>,
) -> QueryResult<()> {
    diesel::update(memberships::table.filter(memberships::id.eq(membership_id)))
        .set(memberships::invited_by_login_id.eq(inviter_login_id))
        .execute(conn)
        .map(|_| ())
}

/// The latest activation link of each of these logins that has not been used.
pub fn last_sent(
    conn: &mut DbConnection,
    login_ids: &[&str],
) -> QueryResult<HashMap<String, Sent>> {
    let rows: Vec<(String, NaiveDateTime, NaiveDateTime)> = login_tokens::table
        .filter(login_tokens::login_id.eq_any(login_ids))
        .filter(login_tokens::purpose.eq(TokenPurpose::Activation.as_str()))
        .filter(login_tokens::used_at.is_null())
        .order(login_tokens::created_at.asc())
        .select((
            login_tokens::login_id,
            login_tokens::created_at,
            login_tokens::expires_at,
        ))
        .load(conn)?;
    // Later rows replace earlier ones: the newest link is the one that counts.
    Ok(rows
        .into_iter()
        .map(|(login, at, until)| (login, Sent { at, until }))
        .collect())
}

/// Takes a pending invitation back: the membership goes, and if the login was
/// waiting for nothing else its links stop working. Call inside a write
/// transaction, for a membership already checked to be the caller's and pending.
pub fn revoke(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &str,
    login_id: &str,
) -> QueryResult<()> {
    diesel::delete(
        site_administrators::table.filter(site_administrators::membership_id.eq(membership_id)),
    )
    .execute(conn)?;
    diesel::delete(
        alert_definition_recipients::table
            .filter(alert_definition_recipients::membership_id.eq(membership_id)),
    )
    .execute(conn)?;
    diesel::delete(memberships::table.filter(memberships::id.eq(membership_id))).execute(conn)?;
    let others: i64 = memberships::table
        .filter(memberships::login_id.eq(login_id))
        .count()
        .get_result(conn)?;
    if others == 0 {
        diesel::update(
            login_tokens::table
                .filter(login_tokens::login_id.eq(login_id))
                .filter(login_tokens::used_at.is_null())
                .filter(login_tokens::expires_at.gt(now)),
        )
        .set(login_tokens::expires_at.eq(now))
        .execute(conn)?;
    }
    Ok(())
}

/// Where the inviter sends a new link from.
fn resend_page(customer_id: Option<&str>, inviter_in_customer: bool) -> String {
    match customer_id {
        Some(_) if inviter_in_customer => "/customer/users".to_owned(),
        Some(customer) => format!("/partner/customers/{customer}"),
        None => "/partner/staff".to_owned(),
    }
}

/// (inviter's login, customer account if any, partner name, customer name)
type InvitationRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<(String, String)>,
);

/// A pending login whose link expired asks for a new one: the people who invited
/// it are told, and send it themselves. Returns false when nobody invited it (an
/// organisation's first owner, made from the command line), so the caller sends
/// the link to the person directly.
pub fn ask_inviters(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
) -> Result<bool, OutboxError> {
    let (invitee, username): (String, String) = logins::table
        .filter(logins::id.eq(login_id))
        .select((logins::full_name, logins::username))
        .first(conn)?;
    let invitations: Vec<InvitationRow> = memberships::table
        .left_join(partner_organisations::table)
        .left_join(customer_accounts::table)
        .filter(memberships::login_id.eq(login_id))
        .left_join(sub_accounts::table)
        .filter(memberships::invited_by_login_id.is_not_null())
        .select((
            memberships::invited_by_login_id.assume_not_null(),
            memberships::customer_id,
            partner_organisations::name.nullable(),
            customer_accounts::name.nullable(),
            (sub_accounts::id, sub_accounts::name).nullable(),
        ))
        .load(conn)?;
    let mut told = false;
    for (inviter, customer_id, partner_name, customer_name, sub_account) in invitations {
        let found: Option<(String, String, String)> = logins::table
            .filter(logins::id.eq(&inviter))
            .filter(logins::state.eq("active"))
            .select((logins::email, logins::full_name, logins::language))
            .first(conn)
            .optional()?;
        let Some((email, full_name, language)) = found else {
            continue;
        };
        let inviter_in_customer = match &customer_id {
            Some(customer) => {
                memberships::table
                    .filter(memberships::login_id.eq(&inviter))
                    .filter(memberships::customer_id.eq(customer))
                    .filter(memberships::state.eq("active"))
                    .count()
                    .get_result::<i64>(conn)?
                    > 0
            }
            None => false,
        };
        let message = InvitationRequestEmail {
            tr: Lang::from_code(&language).unwrap_or_default().translator(),
            full_name,
            invitee: invitee.clone(),
            username: username.clone(),
            resend_link: settings.link(&match &sub_account {
                // An operator's invitation is resent from its sub-account's page.
                Some((id, _)) => format!("/customer/sub-accounts/{id}"),
                None => resend_page(customer_id.as_deref(), inviter_in_customer),
            }),
            organisation: partner_name
                .or(customer_name)
                .or(sub_account.map(|(_, name)| name))
                .unwrap_or_default(),
        };
        outbox::enqueue(conn, now, &email, &message)?;
        told = true;
    }
    Ok(told)
}
