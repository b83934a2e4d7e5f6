//! What the staff pages and the customer's users page share: the invitation
//! form, and the handlers that change one person (role, disable, resend,
//! revoke) with the answer to such a change.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use serde::Deserialize;

use super::{Change, Invitation, PeopleError, Person, Role, Roster};
use crate::ids::MembershipId;
use crate::state::AppState;
use crate::tenancy::{ChangeMaker, LogsTo, Member, MemberChange};
use crate::web::confirm::{Ask, ConfirmForm, Confirmed, Review, back_to};
use crate::web::{FieldErrors, PageError, PageOf, see_other};

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
    /// The flash message once a person is disabled.
    pub disabled_key: &'static str,
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

/// A member who manages its tenant's people: the partner's staff and the
/// customer's administrators change one person through the handlers below.
pub trait PeopleMember: Member<Scope: Roster + LogsTo> {
    const PAGE: PeoplePage;
}

type RoleOf<M> = <<M as ChangeMaker>::Scope as Roster>::Role;

/// Runs one change on a person of the member's tenant and answers with its
/// outcome as a flash message on the people page; with `ask`, only once
/// confirmed (`web::confirm`), and with the review of the person before.
async fn change<M: PeopleMember>(
    state: web::Data<AppState>,
    member: M,
    membership_id: String,
    success_key: &'static str,
    ask: Option<Ask>,
    what: Change<RoleOf<M>>,
) -> Result<HttpResponse, PageError> {
    let id = MembershipId::new(membership_id.clone());
    let outcome =
        MemberChange::run_once_confirmed(&state, &member, confirmed(&ask), move |conn, change| {
            super::change_one(conn, change, &id, what)
        })
        .await;
    M::PAGE.answer(&state, &membership_id, success_key, ask, outcome)
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role<M: PeopleMember>(
    state: web::Data<AppState>,
    member: M,
    path: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, PageError> {
    let role = RoleOf::<M>::parse(&form.role).ok_or(PageError::BadRequest)?;
    let what = Change::Role(role);
    change(
        state,
        member,
        path.into_inner(),
        "flash-role-changed",
        None,
        what,
    )
    .await
}

pub async fn disable<M: PeopleMember>(
    PageOf(state, layout, member): PageOf<M>,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let ask = Some(Ask::disable(layout, form.confirmed));
    let key = M::PAGE.disabled_key;
    change(state, member, path.into_inner(), key, ask, Change::Disable).await
}

pub async fn resend<M: PeopleMember>(
    state: web::Data<AppState>,
    member: M,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let key = "flash-invitation-resent";
    change(state, member, path.into_inner(), key, None, Change::Resend).await
}

pub async fn revoke<M: PeopleMember>(
    PageOf(state, layout, member): PageOf<M>,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let ask = Some(Ask::revoke(layout, form.confirmed));
    let key = "flash-invitation-revoked";
    change(state, member, path.into_inner(), key, ask, Change::Revoke).await
}
