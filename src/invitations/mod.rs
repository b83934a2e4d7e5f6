//! Invitations (B5, issue 16) are offers, never grants. Whoever invites, on
//! every path (staff, a customer's people, the administrator named when a
//! customer is created or imported, a sub-account's operators), the membership
//! waits as 'invited' until the person accepts through the link sent to the
//! address the inviter typed: a new username by activating its login, an
//! existing login by signing in as it and accepting. Until then the inviter sees
//! only what they typed. An invitation can be resent (the old link dies),
//! revoked (its link then says it was withdrawn) or declined by the person, and
//! a person whose link expired can ask the one who invited them for a new one.

pub mod pages;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::NewLogin;
use crate::audit::{self, Action, Actor};
use crate::auth::tokens::{ACTIVATION_VALID_HOURS, digest};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    alert_definition_recipients, customer_accounts, login_tokens, logins, memberships,
    partner_organisations, site_administrators, sub_accounts, withdrawn_links,
};
use crate::email::messages::{AccessGrantedEmail, InvitationOfferEmail, InvitationRequestEmail};
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
        let (username, email) = (username?, email?);
        if !username.may_belong_to(&email) {
            errors.add(tr, "username", "username-is-another-email");
            return None;
        }
        Some(NewLogin {
            username,
            email,
            full_name: full_name?,
            language: language?,
            time_zone,
        })
    }
}

/// When an invitation was last sent, and until when its link works.
#[derive(Debug, Clone, Copy)]
pub struct Sent {
    pub at: NaiveDateTime,
    pub until: NaiveDateTime,
}

impl Sent {
    pub fn expired(&self, now: NaiveDateTime) -> bool {
        now >= self.until
    }

    fn of(at: Option<NaiveDateTime>, until: Option<NaiveDateTime>) -> Option<Sent> {
        Some(Sent {
            at: at?,
            until: until?,
        })
    }
}

/// What an inviting tenant may see of one of its memberships: while it is an
/// offer, only what the inviter typed; once accepted, the person's own login.
pub struct Shown {
    pub full_name: String,
    pub email: String,
    /// Still an offer nobody accepted.
    pub pending: bool,
    pub sent: Option<Sent>,
}

/// The columns `Shown::from_row` reads, in its order.
pub type ShownColumns = (
    memberships::state,
    logins::full_name,
    logins::email,
    memberships::invited_name,
    memberships::invited_email,
    memberships::invitation_sent_at,
    memberships::invitation_expires_at,
);

pub const SHOWN_COLUMNS: ShownColumns = (
    memberships::state,
    logins::full_name,
    logins::email,
    memberships::invited_name,
    memberships::invited_email,
    memberships::invitation_sent_at,
    memberships::invitation_expires_at,
);

pub type ShownRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

impl Shown {
    pub fn from_row(row: ShownRow) -> Self {
        let (state, full_name, email, invited_name, invited_email, sent_at, expires_at) = row;
        if state == "invited" {
            Shown {
                full_name: invited_name.unwrap_or_default(),
                email: invited_email.unwrap_or_default(),
                pending: true,
                sent: Sent::of(sent_at, expires_at),
            }
        } else {
            Shown {
                full_name,
                email,
                pending: false,
                sent: None,
            }
        }
    }
}

/// The name a tenant may show for one of its memberships, in SQL (for lists
/// sorted or joined in the database): what the inviter typed while the
/// membership is an offer, the person's own once accepted.
pub fn shown_name() -> diesel::expression::SqlLiteral<diesel::sql_types::Text> {
    diesel::dsl::sql::<diesel::sql_types::Text>(
        "CASE WHEN memberships.state = 'invited' \
         THEN COALESCE(memberships.invited_name, '') ELSE logins.full_name END",
    )
}

/// Where an offered membership leads.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Partner(&'a str),
    Customer(&'a str),
    SubAccount(&'a str),
}

/// An invitation as the inviter typed it.
pub struct Offer<'a> {
    pub person: &'a NewLogin,
    pub target: Target<'a>,
    pub role: &'a str,
    /// The inviting login; `None` for the instance operator's command line.
    pub inviter: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    /// The login already holds, or was already offered, this membership.
    #[error("already a member")]
    AlreadyMember,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Resend(#[from] crate::signin::activation::ResendError),
    #[error(transparent)]
    Pool(#[from] crate::db::DbError),
}

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
        Some((_, state)) if state != "disabled" => return Err(OfferError::AlreadyMember),
        Some((id, _)) => {
            diesel::update(memberships::table.find(&id))
                .set((
                    memberships::state.eq("invited"),
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
        None => send_activation_for(conn, settings, now, &membership_id, &login_id)?,
        Some((_, state, email)) if state == "pending" && same_mailbox(email) => {
            send_activation_for(conn, settings, now, &membership_id, &login_id)?
        }
        Some(_) => send_offer(conn, settings, now, &membership_id, person.language)?,
    }
    Ok(membership_id)
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
            memberships::state.eq("invited"),
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
    membership_id: &str,
    login_id: &str,
) -> Result<(), OfferError> {
    crate::signin::activation::send_activation(conn, settings, now, login_id)?;
    diesel::update(memberships::table.find(membership_id))
        .set((
            memberships::invitation_sent_at.eq(Some(now)),
            memberships::invitation_expires_at
                .eq(Some(now + chrono::Duration::hours(ACTIVATION_VALID_HOURS))),
        ))
        .execute(conn)?;
    Ok(())
}

/// The name of the organisation, account or sub-account a membership is of.
pub fn organisation_of(conn: &mut DbConnection, membership_id: &str) -> QueryResult<String> {
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
    membership_id: &str,
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
    outbox::enqueue(conn, now, &email.unwrap_or_default(), &message)?;
    Ok(())
}

/// Sends a pending invitation again (the old link dies), the way it was first
/// sent. Call inside a write transaction, for a membership already checked to
/// be the caller's and invited.
pub fn resend(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    membership_id: &str,
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
    if token.is_none() && login_state == "pending" && same_mailbox {
        send_activation_for(conn, settings, now, membership_id, &login_id)
    } else {
        let language = Lang::from_code(&language).unwrap_or_default();
        send_offer(conn, settings, now, membership_id, language)
    }
}

/// Turns an offer into a membership the login holds: it now shows in the
/// login's memberships, and the inviting tenant's log says so. Call inside a
/// write transaction; returns false when it was no longer on offer.
pub fn accept(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &str,
    login_id: &str,
) -> QueryResult<bool> {
    let accepted = diesel::update(
        memberships::table
            .filter(memberships::id.eq(membership_id))
            .filter(memberships::login_id.eq(login_id))
            .filter(memberships::state.eq("invited")),
    )
    .set((
        memberships::state.eq("active"),
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
    crate::customers::activate_accounts_administered_by(conn, now, login_id)?;
    Ok(true)
}

/// Tells the login, at its own address, that it was given access: a membership
/// it did not expect is then noticed.
pub fn notify_granted(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    membership_id: &str,
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
    for membership_id in offers_to_own_address(conn, login_id)? {
        accept(conn, now, &membership_id, login_id)?;
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
        .filter(memberships::state.eq("invited"))
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
    membership_id: &str,
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
    for membership_id in offers_to_own_address(conn, login_id)? {
        decline(conn, now, &membership_id, login_id)?;
    }
    Ok(())
}

/// An entry in the inviting tenant's log, under the invited name.
fn record_decision(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    membership_id: &str,
    login_id: &str,
    action: Action,
) -> QueryResult<()> {
    let (partner_id, customer_id, sub_customer, typed_name): (
        Option<String>,
        Option<String>,
        Option<String>,
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
        (None, Some(customer)) => customer_accounts::table
            .find(customer)
            .select(customer_accounts::partner_id)
            .first::<Option<String>>(conn)?,
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
pub fn revoke(conn: &mut DbConnection, now: NaiveDateTime, membership_id: &str) -> QueryResult<()> {
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

fn remove_offer(conn: &mut DbConnection, membership_id: &str) -> QueryResult<()> {
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
            .filter(memberships::state.eq("invited")),
    )
    .execute(conn)?;
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

/// (inviter's login, invited name, customer account if any, partner name,
/// customer name, sub-account)
type InvitationRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<(String, String)>,
);

/// A person whose invitation link expired asks for a new one: the people who
/// invited the login are told, and send it themselves. Returns false when none of
/// its offers has an inviter (an organisation's first owner, made from the
/// command line).
pub fn ask_inviters(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
) -> Result<bool, OutboxError> {
    let username: String = logins::table
        .filter(logins::id.eq(login_id))
        .select(logins::username)
        .first(conn)?;
    let invitations: Vec<InvitationRow> = memberships::table
        .left_join(partner_organisations::table)
        .left_join(customer_accounts::table)
        .filter(memberships::login_id.eq(login_id))
        .filter(memberships::state.eq("invited"))
        .left_join(sub_accounts::table)
        .filter(memberships::invited_by_login_id.is_not_null())
        .select((
            memberships::invited_by_login_id.assume_not_null(),
            memberships::invited_name,
            memberships::customer_id,
            partner_organisations::name.nullable(),
            customer_accounts::name.nullable(),
            (sub_accounts::id, sub_accounts::name).nullable(),
        ))
        .load(conn)?;
    let mut told = false;
    for (inviter, invitee, customer_id, partner_name, customer_name, sub_account) in invitations {
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
            invitee: invitee.unwrap_or_default(),
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
