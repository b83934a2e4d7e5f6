//! Logins: the person's identity across the installation, whatever memberships
//! they hold.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use validator::ValidateEmail;

use crate::db::DbConnection;
use crate::db::schema::{logins, memberships};
use crate::i18n::Lang;
use crate::ids::{CustomerId, PartnerId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("required")]
    Required,
    #[error("too long")]
    TooLong,
    #[error("invalid")]
    Invalid,
}

impl FieldError {
    /// The Fluent message id shown next to the field.
    pub fn message_key(self) -> &'static str {
        match self {
            FieldError::Required => "field-required",
            FieldError::TooLong => "field-too-long",
            FieldError::Invalid => "field-invalid",
        }
    }
}

/// Free text that may be left empty, at most `max` characters, one line.
pub fn optional_text(raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.chars().count() > max {
        return Err(FieldError::TooLong);
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::Invalid);
    }
    Ok(value.to_owned())
}

/// Like `optional_text`, but something must be typed.
pub fn required_text(raw: &str, max: usize) -> Result<String, FieldError> {
    let value = optional_text(raw, max)?;
    if value.is_empty() {
        return Err(FieldError::Required);
    }
    Ok(value)
}

/// A username: unique across the installation without regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.chars().count() > 254 {
            return Err(FieldError::TooLong);
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) || value.chars().count() < 3 {
            return Err(FieldError::Invalid);
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A username shaped like an email address names that mailbox: it is only
    /// given to a login whose address it is, so that activating the login (a
    /// link sent there) proves it. Anyone else could otherwise take a
    /// colleague's address as their username before the colleague is invited.
    pub fn may_belong_to(&self, email: &EmailAddress) -> bool {
        !self.0.validate_email() || self.0.eq_ignore_ascii_case(email.as_str())
    }

    /// The form in which uniqueness is checked.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.len() > 254 {
            return Err(FieldError::TooLong);
        }
        if !Self::is_deliverable(value) {
            return Err(FieldError::Invalid);
        }
        Ok(Self(value.to_owned()))
    }

    /// The one rule for addresses, shared by the forms and the mailer, so that
    /// an address a form accepts is one the mailer can send to: the usual
    /// syntax, a local part the mail system takes (no leading, trailing or
    /// doubled dot), and a domain name with a dot (no `[127.0.0.1]` literal,
    /// no bare host).
    fn is_deliverable(value: &str) -> bool {
        let Some((local, domain)) = value.rsplit_once('@') else {
            return false;
        };
        value.validate_email()
            && value.parse::<lettre::Address>().is_ok()
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && !domain.starts_with('[')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }

    /// The address as the mailer takes it.
    pub fn to_lettre(&self) -> Result<lettre::Address, lettre::address::AddressError> {
        self.0.parse()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name for people and organisations: not blank, at most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::Required);
        }
        if value.chars().count() > 200 {
            return Err(FieldError::TooLong);
        }
        if value.chars().any(char::is_control) {
            return Err(FieldError::Invalid);
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone)]
pub struct NewLogin {
    pub username: Username,
    pub email: EmailAddress,
    pub full_name: DisplayName,
    pub language: Lang,
    pub time_zone: chrono_tz::Tz,
}

crate::db::codes::stored_code!(
    /// Who checks a login's credentials: this instance, for now.
    IdentityProvider {
        Local => "local",
    }
);

crate::db::codes::stored_code!(
    /// A login waits for its activation email to be used (pending), can sign
    /// in (active), or was switched off by the operator (disabled).
    LoginState {
        Pending => "pending",
        Active => "active",
        Disabled => "disabled",
    }
);

crate::db::codes::stored_code!(
    /// A membership is an offer until its person accepts it (invited), then
    /// gives its role (active) until it is switched off (disabled).
    MembershipState {
        Invited => "invited",
        Active => "active",
        Disabled => "disabled",
    }
);

crate::db::codes::stored_code!(
    /// Where a membership belongs: a partner organisation, a customer
    /// account, or one of an account's sub-accounts.
    MembershipKind {
        /// The instance's operators (not used by a session yet).
        Instance => "instance",
        Partner => "partner",
        Customer => "customer",
        SubAccount => "sub_account",
    }
);

/// The id of the login with this username, if there is one.
pub fn find_by_username(
    conn: &mut DbConnection,
    username: &Username,
) -> QueryResult<Option<String>> {
    logins::table
        .filter(logins::username_key.eq(username.key()))
        .select(logins::id)
        .first(conn)
        .optional()
}

/// Writes a new login; `password_hash` is `None` for a login that still has to be
/// activated through its email link.
pub fn insert(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    new: &NewLogin,
    state: LoginState,
    password_hash: Option<&str>,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(logins::table)
        .values((
            logins::id.eq(&id),
            logins::username.eq(new.username.as_str()),
            logins::username_key.eq(new.username.key()),
            logins::email.eq(new.email.as_str()),
            logins::full_name.eq(new.full_name.as_str()),
            logins::password_hash.eq(password_hash),
            logins::state.eq(state.as_str()),
            logins::language.eq(new.language.code()),
            logins::time_zone.eq(new.time_zone.name()),
            logins::identity_provider.eq(IdentityProvider::Local),
            logins::created_at.eq(now),
            logins::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The tenant a new membership belongs to.
#[derive(Debug, Clone, Copy)]
pub enum MembershipOf<'a> {
    Partner(&'a PartnerId),
    Customer(&'a CustomerId),
    SubAccount(&'a str),
}

/// Writes an active membership of the login in `of` with `role`; returns its id.
pub fn insert_active_membership(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    login_id: &str,
    of: MembershipOf<'_>,
    role: &str,
) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    let (kind, partner_id, customer_id, sub_account_id) = match of {
        MembershipOf::Partner(id) => (MembershipKind::Partner, Some(id), None, None),
        MembershipOf::Customer(id) => (MembershipKind::Customer, None, Some(id), None),
        MembershipOf::SubAccount(id) => (MembershipKind::SubAccount, None, None, Some(id)),
    };
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(&id),
            memberships::login_id.eq(login_id),
            memberships::scope.eq(kind),
            memberships::partner_id.eq(partner_id),
            memberships::customer_id.eq(customer_id),
            memberships::sub_account_id.eq(sub_account_id),
            memberships::role.eq(role),
            memberships::state.eq(MembershipState::Active),
            memberships::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_trimmed_and_compared_without_case() {
        let name = Username::parse("  Ada.Admin@Example.com ").expect("valid");
        assert_eq!(name.as_str(), "Ada.Admin@Example.com");
        assert_eq!(name.key(), "ada.admin@example.com");
        assert_eq!(Username::parse(""), Err(FieldError::Required));
        assert_eq!(Username::parse("a b"), Err(FieldError::Invalid));
        assert_eq!(Username::parse(&"x".repeat(300)), Err(FieldError::TooLong));
    }

    #[test]
    fn a_username_that_is_an_address_must_be_the_logins_address() {
        let email = EmailAddress::parse("ada@example.com").expect("valid");
        let same = Username::parse("Ada@Example.com").expect("valid");
        let other = Username::parse("boss@example.com").expect("valid");
        let plain = Username::parse("ada.admin").expect("valid");
        assert!(same.may_belong_to(&email));
        assert!(!other.may_belong_to(&email));
        assert!(plain.may_belong_to(&email));
    }

    #[test]
    fn emails_are_checked() {
        assert!(EmailAddress::parse("ada@example.com").is_ok());
        assert_eq!(
            EmailAddress::parse("not-an-email"),
            Err(FieldError::Invalid)
        );
    }

    #[test]
    fn an_address_the_forms_accept_is_one_the_mailer_takes() {
        for refused in [
            "user@[127.0.0.1]",
            "a.@x.example",
            ".a@x.example",
            "a..b@x.example",
            "ada@localhost",
            "ada@x.example.",
            "ada@exa mple.com",
            // A non-ASCII mailbox name needs SMTPUTF8, which the mailer does not speak.
            "é@exemple.fr",
        ] {
            assert_eq!(
                EmailAddress::parse(refused),
                Err(FieldError::Invalid),
                "{refused}"
            );
        }
        for accepted in [
            "ada@example.com",
            "o'neil+tag@mail.example.co.uk",
            "ada@exemple-éditions.fr",
        ] {
            let address = EmailAddress::parse(accepted).expect(accepted);
            assert!(address.to_lettre().is_ok(), "{accepted}");
        }
    }
}
