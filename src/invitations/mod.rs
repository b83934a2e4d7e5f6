//! Invitations are offers, never grants. Whoever invites, on
//! every path (staff, a customer's people, the administrator named when a
//! customer is created or imported, a sub-account's operators), the membership
//! waits as 'invited' until the person accepts through the link sent to the
//! address the inviter typed: a new username by activating its login, an
//! existing login by signing in as it and accepting. Until then the inviter sees
//! only what they typed. An invitation can be resent (the old link dies),
//! revoked (its link then says it was withdrawn) or declined by the person, and
//! a person whose link expired can ask the one who invited them for a new one.

pub mod activation;
mod answer;
pub mod link_request;
mod offer;
pub mod pages;

pub use answer::{
    accept, accept_offers_to_own_address, decline, decline_offers_to_own_address, notify_granted,
    revoke, withdrawn,
};
pub use offer::{offer, organisation_of, resend};

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::NewLogin;
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::schema::{
    customer_accounts, logins, memberships, partner_organisations, sub_accounts,
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
        time_zone: chrono_tz::Tz,
        errors: &mut crate::web::FieldErrors,
    ) -> Option<crate::accounts::NewLogin> {
        use crate::accounts::{DisplayName, EmailAddress, NewLogin, Username};
        let full_name = DisplayName::parse(self.full_name)
            .map_err(|e| errors.add("full_name", e.message_key()))
            .ok();
        let email = EmailAddress::parse(self.email)
            .map_err(|e| errors.add("email", e.message_key()))
            .ok();
        let username_text = if self.username.trim().is_empty() {
            self.email
        } else {
            self.username
        };
        let username = Username::parse(username_text)
            .map_err(|e| errors.add("username", e.message_key()))
            .ok();
        let language = Lang::from_code(self.language);
        if language.is_none() {
            errors.add("language", "field-choose");
        }
        let (username, email) = (username?, email?);
        if !username.may_belong_to(&email) {
            errors.add("username", "username-is-another-email");
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
    /// The offer's latest email could not be delivered (refused by the
    /// recipient's server, or given up after retrying).
    pub bounced: bool,
}

type Bool = diesel::sql_types::Bool;

/// The columns `Shown::from_row` reads, in its order.
pub type ShownColumns = (
    memberships::state,
    logins::full_name,
    logins::email,
    memberships::invited_name,
    memberships::invited_email,
    memberships::invitation_sent_at,
    memberships::invitation_expires_at,
    diesel::expression::SqlLiteral<Bool>,
);

pub fn shown_columns() -> ShownColumns {
    (
        memberships::state,
        logins::full_name,
        logins::email,
        memberships::invited_name,
        memberships::invited_email,
        memberships::invitation_sent_at,
        memberships::invitation_expires_at,
        diesel::dsl::sql::<Bool>(
            "EXISTS (SELECT 1 FROM email_outbox \
             WHERE email_outbox.id = memberships.invitation_email_id \
             AND email_outbox.state IN ('failed', 'dead'))",
        ),
    )
}

pub type ShownRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    bool,
);

impl Shown {
    pub fn from_row(row: ShownRow) -> Self {
        let (state, full_name, email, invited_name, invited_email, sent_at, expires_at, bounced) =
            row;
        if state == MembershipState::Invited.as_str() {
            Shown {
                full_name: invited_name.unwrap_or_default(),
                email: invited_email.unwrap_or_default(),
                pending: true,
                sent: Sent::of(sent_at, expires_at),
                bounced,
            }
        } else {
            Shown {
                full_name,
                email,
                pending: false,
                sent: None,
                bounced: false,
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
    Resend(#[from] activation::ResendError),
    #[error(transparent)]
    Pool(#[from] crate::db::DbError),
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
        .filter(memberships::state.eq(MembershipState::Invited))
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
            .filter(logins::state.eq(LoginState::Active))
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
                    .filter(memberships::state.eq(MembershipState::Active))
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
