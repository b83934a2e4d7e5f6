//! The staff pages of a partner organisation (owners only, per the matrix).

use crate::ids::MembershipId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::StaffMember;
use crate::access::PartnerRole;
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::db;
use crate::i18n::Lang;
use crate::people::pages::{InviteForm, PeoplePage, confirmed};
use crate::people::{self, Change, Invitation, PeopleError, PeopleOf};
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::confirm::{Ask, ConfirmForm};
use crate::web::{FieldErrors, PageContext, PageError, render, see_other};

#[derive(Template)]
#[template(path = "staff/list.html")]
struct StaffPage {
    layout: PageContext,
    /// Only the invitations about to expire are listed.
    only_expiring: bool,
    members: Vec<StaffMember>,
    roles: [PartnerRole; 4],
    me: String,
    zone: chrono_tz::Tz,
    now: NaiveDateTime,
}

impl StaffPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        crate::i18n::format_time(*at, self.zone, self.layout.lang)
    }
}

#[derive(Template)]
#[template(path = "staff/invite.html")]
struct InvitePage {
    layout: PageContext,
    form: InviteForm,
    roles: [PartnerRole; 4],
    languages: [Lang; 2],
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    /// "expiring": only the invitations whose link stops working within a day.
    #[serde(default)]
    pending: String,
}

pub async fn list(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    query: web::Query<StaffQuery>,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let mut members = db::run(&state.pool, move |conn| {
        super::list(conn, &scope).map_err(db::DbError::from)
    })
    .await?;
    let now = state.clock.now();
    let only_expiring = query.pending == "expiring";
    if only_expiring {
        members.retain(|m| m.invitation_expiring(now));
    }
    render(&StaffPage {
        layout,
        only_expiring,
        members,
        roles: PartnerRole::ALL,
        me: member.membership.id.clone(),
        zone: member.identity.login.time_zone,
        now: state.clock.now(),
    })
}

pub async fn invite_form(layout: PageContext) -> Result<HttpResponse, PageError> {
    let form = InviteForm {
        language: layout.lang.code().to_owned(),
        ..InviteForm::default()
    };
    render(&InvitePage {
        layout,
        form,
        roles: PartnerRole::ALL,
        languages: Lang::ALL,
        errors: FieldErrors::default(),
    })
}

pub async fn invite(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let invitation: Invitation<PartnerRole> = match form.parse(chrono_tz::UTC, "field-required") {
        Ok(invitation) => invitation,
        Err(errors) => return invite_page(layout, form, errors),
    };
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        let people = PeopleOf::Partner(change.partner_id());
        let inviter = change.actor().login_id;
        people::invite(
            conn,
            &change.settings,
            change.now,
            people,
            &invitation,
            inviter,
        )?;
        let (name, role) = (
            invitation.login.full_name.as_str(),
            invitation.role.as_str(),
        );
        change
            .record(conn, Action::StaffInvited, name, role)
            .map_err(PeopleError::from)
    })
    .await;
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-staff-invited").send();
            Ok(see_other("/partner/staff"))
        }
        Err(PeopleError::AlreadyMember) => invite_page(
            layout,
            form,
            FieldErrors::one("username", "staff-already-member"),
        ),
        Err(error) => Err(PageError::internal(error)),
    }
}

fn invite_page(
    layout: PageContext,
    form: InviteForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    render(&InvitePage {
        layout,
        form,
        roles: PartnerRole::ALL,
        languages: Lang::ALL,
        errors,
    })
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

const STAFF_PAGE: PeoplePage = PeoplePage {
    path: "/partner/staff",
    anchor: "member-",
    last_in_charge_key: "flash-last-owner",
};

/// Runs one change on a member of the signed-in person's organisation and answers
/// with the outcome as a flash message on the staff page; with `ask`, only once
/// confirmed (`web::confirm`), and with the review of the member before.
async fn change(
    state: web::Data<AppState>,
    member: PartnerMember,
    membership_id: String,
    success_key: &'static str,
    ask: Option<Ask>,
    what: Change<PartnerRole>,
) -> Result<HttpResponse, PageError> {
    let id = MembershipId::new(membership_id.clone());
    let outcome =
        PartnerChange::run_once_confirmed(&state, &member, confirmed(&ask), move |conn, change| {
            people::change_one(conn, change, &id, what)
        })
        .await;
    STAFF_PAGE.answer(&state, &membership_id, success_key, ask, outcome)
}

pub async fn change_role(
    state: web::Data<AppState>,
    member: PartnerMember,
    membership_id: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, PageError> {
    let role = PartnerRole::parse(&form.role).ok_or(PageError::BadRequest)?;
    change(
        state,
        member,
        membership_id.into_inner(),
        "flash-role-changed",
        None,
        Change::Role(role),
    )
    .await
}

pub async fn disable(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    membership_id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let ask = Ask::disable(layout, form.confirmed);
    change(
        state,
        member,
        membership_id.into_inner(),
        "flash-member-disabled",
        Some(ask),
        Change::Disable,
    )
    .await
}

pub async fn resend(
    state: web::Data<AppState>,
    member: PartnerMember,
    membership_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    change(
        state,
        member,
        membership_id.into_inner(),
        "flash-invitation-resent",
        None,
        Change::Resend,
    )
    .await
}

pub async fn revoke(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    membership_id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let ask = Ask::revoke(layout, form.confirmed);
    change(
        state,
        member,
        membership_id.into_inner(),
        "flash-invitation-revoked",
        Some(ask),
        Change::Revoke,
    )
    .await
}
