//! What the staff pages and the customer's users page share: the invitation
//! form, and the answer to a change made to one person.

use actix_web::HttpResponse;
use actix_web_flash_messages::FlashMessage;
use serde::Deserialize;

use super::{Invitation, PeopleError, Person, Role};
use crate::state::AppState;
use crate::web::confirm::{Ask, Confirmed, Review, back_to};
use crate::web::{FieldErrors, PageError, see_other};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    pub full_name: String,
    pub email: String,
    pub username: String,
    pub role: String,
    pub language: String,
}

impl InviteForm {
    /// The form's values as domain types, or the message for each faulty
    /// field; a missing role says `role_missing`.
    pub fn parse<R: Role>(
        &self,
        time_zone: chrono_tz::Tz,
        role_missing: &str,
    ) -> Result<Invitation<R>, FieldErrors> {
        let mut errors = FieldErrors::default();
        let login = crate::invitations::InviteeFields {
            full_name: &self.full_name,
            email: &self.email,
            username: &self.username,
            language: &self.language,
        }
        .parse(time_zone, &mut errors);
        let role = R::parse(&self.role);
        if role.is_none() {
            errors.add("role", role_missing);
        }
        match (login, role) {
            (Some(login), Some(role)) if errors.is_empty() => Ok(Invitation { login, role }),
            _ => Err(errors),
        }
    }
}

/// Where a tenant's people are listed, and how it says a change was refused
/// because nobody would be left in charge.
pub struct PeoplePage {
    pub path: &'static str,
    /// The prefix of a person's row anchor on the list.
    pub anchor: &'static str,
    pub last_in_charge_key: &'static str,
}

/// Whether a change runs for real: at once without `ask`, else once confirmed.
pub fn confirmed(ask: &Option<Ask>) -> Confirmed {
    ask.as_ref().map_or(Confirmed::YES, |ask| ask.confirmed)
}

impl PeoplePage {
    /// Answers a change to one person: the review of that person while it waits
    /// for confirmation, else the outcome as a flash message on the list.
    pub fn answer<R: Role>(
        &self,
        state: &AppState,
        membership_id: &str,
        success_key: &'static str,
        ask: Option<Ask>,
        outcome: Result<Person<R>, PeopleError>,
    ) -> Result<HttpResponse, PageError> {
        match (outcome, ask) {
            (Ok(person), Some(ask)) if !ask.confirmed.yes() => {
                self.review(&person, membership_id, ask)
            }
            (Ok(_), _) => {
                state.outbox_wake.notify_one();
                FlashMessage::success(success_key).send();
                Ok(see_other(self.path))
            }
            (Err(PeopleError::NotFound), _) => Err(PageError::NotFound),
            (Err(PeopleError::LastInCharge), _) => {
                FlashMessage::error(self.last_in_charge_key).send();
                Ok(see_other(self.path))
            }
            (Err(error), _) => Err(PageError::internal(error)),
        }
    }

    fn review<R: Role>(
        &self,
        person: &Person<R>,
        membership_id: &str,
        ask: Ask,
    ) -> Result<HttpResponse, PageError> {
        let tr = &ask.layout.tr;
        let name = &person.full_name;
        let action = format!("{}/{membership_id}/{}", self.path, ask.action);
        let back = back_to(self.path, &[], &format!("{}{membership_id}", self.anchor));
        Review::new(tr, ask.heading_key, action, back)
            .summary(tr.with(ask.summary_key, &[("name", name)]))
            .fact(
                tr,
                "person",
                "confirm-person",
                format!("{name} ({})", person.email),
            )
            .fact(tr, "role", "confirm-role", tr.t(person.role.label_key()))
            .irreversible()
            .render(ask.layout)
    }
}
