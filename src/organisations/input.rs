//! What the instance operator types to create a partner organisation, read
//! once for the command line (`create-partner`) and the operator's area: each
//! problem names its field, with a message id for the page and a sentence for
//! the command line.

use super::NewPartner;
use crate::accounts::{DisplayName, EmailAddress, FieldError, NewLogin, Username};
use crate::i18n::Lang;

/// The values as typed. `owner_email` empty means "the username", when that
/// is an email address.
#[derive(Debug, Clone, Default)]
pub struct PartnerInput {
    pub name: String,
    pub owner_username: String,
    pub owner_email: String,
    pub owner_name: String,
    pub language: String,
    pub time_zone: String,
    pub parent: Option<String>,
    pub second_factor_required: bool,
}

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Field(FieldError),
    /// An email address as username must be the owner's own.
    UsernameIsAnotherEmail,
    UnknownLanguage,
    TimeZone(crate::places::zones::ZoneError),
}

impl Problem {
    /// The Fluent message id shown next to the field.
    pub fn message_key(self) -> &'static str {
        match self {
            Problem::Field(error) => error.message_key(),
            Problem::UsernameIsAnotherEmail => "username-is-another-email",
            Problem::UnknownLanguage => "field-invalid",
            Problem::TimeZone(error) => error.message_key(),
        }
    }

    /// The sentence the command line prints.
    pub fn sentence(self) -> String {
        match self {
            Problem::Field(error) => error.to_string(),
            Problem::UsernameIsAnotherEmail => {
                "an email address as username must be the owner's own (--owner-email)".to_owned()
            }
            Problem::UnknownLanguage => "use fr or en".to_owned(),
            Problem::TimeZone(_) => "not an IANA time zone, e.g. Europe/Paris".to_owned(),
        }
    }
}

impl PartnerInput {
    /// The organisation to create, or every problem with its field's name
    /// (`name`, `owner_username`, `owner_email`, `owner_name`, `language`,
    /// `time_zone`).
    pub fn parse(&self) -> Result<NewPartner, Vec<(&'static str, Problem)>> {
        let mut problems = Vec::new();
        let name = check(&mut problems, "name", DisplayName::parse(&self.name));
        let username = check(
            &mut problems,
            "owner_username",
            Username::parse(&self.owner_username),
        );
        let email_text = match self.owner_email.trim() {
            "" => self.owner_username.as_str(),
            typed => typed,
        };
        let email = check(
            &mut problems,
            "owner_email",
            EmailAddress::parse(email_text),
        );
        let full_name = check(
            &mut problems,
            "owner_name",
            DisplayName::parse(&self.owner_name),
        );
        if let (Some(username), Some(email)) = (&username, &email)
            && !username.may_belong_to(email)
        {
            problems.push(("owner_username", Problem::UsernameIsAnotherEmail));
        }
        let language = Lang::from_code(self.language.trim());
        if language.is_none() {
            problems.push(("language", Problem::UnknownLanguage));
        }
        let time_zone = crate::places::zones::parse(&self.time_zone)
            .map_err(|e| problems.push(("time_zone", Problem::TimeZone(e))))
            .ok();
        match (name, username, email, full_name, language, time_zone) {
            (
                Some(name),
                Some(username),
                Some(email),
                Some(full_name),
                Some(language),
                Some(time_zone),
            ) if problems.is_empty() => Ok(NewPartner {
                name,
                parent_id: self.parent.clone(),
                second_factor_required: self.second_factor_required,
                owner: NewLogin {
                    username,
                    email,
                    full_name,
                    language,
                    time_zone,
                },
            }),
            _ => Err(problems),
        }
    }
}

/// The value, or `None` with the field's problem noted.
fn check<T>(
    problems: &mut Vec<(&'static str, Problem)>,
    field: &'static str,
    result: Result<T, FieldError>,
) -> Option<T> {
    result
        .map_err(|e| problems.push((field, Problem::Field(e))))
        .ok()
}
