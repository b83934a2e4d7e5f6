//! The staff pages of a partner organisation (owners only, per the matrix).

use crate::auth::scope::PartnerScope;
use crate::ids::MembershipId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{Invitation, StaffError, StaffMember};
use crate::access::PartnerRole;
use crate::audit::Actor;
use crate::auth::identity::PartnerMember;
use crate::config::Settings;
use crate::db;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::confirm::{Ask, ConfirmForm, Confirmed, Review, back_to};
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

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    language: String,
}

impl InviteForm {
    /// The form's values as domain types, or the message for each faulty field.
    fn parse(&self) -> Result<Invitation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let login = crate::invitations::InviteeFields {
            full_name: &self.full_name,
            email: &self.email,
            username: &self.username,
            language: &self.language,
        }
        .parse(chrono_tz::UTC, &mut errors);
        let role = PartnerRole::parse(&self.role);
        if role.is_none() {
            errors.add("role", "field-required");
        }
        match (login, role) {
            (Some(login), Some(role)) if errors.is_empty() => Ok(Invitation { login, role }),
            _ => Err(errors),
        }
    }
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
    let invitation = match form.parse() {
        Ok(invitation) => invitation,
        Err(errors) => {
            return render(&InvitePage {
                layout,
                form,
                roles: PartnerRole::ALL,
                languages: Lang::ALL,
                errors,
            });
        }
    };
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        super::invite(
            conn,
            &change.settings,
            change.now,
            change.scope(),
            &invitation,
            change.actor(),
        )
    })
    .await;
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-staff-invited").send();
            Ok(see_other("/partner/staff"))
        }
        Err(StaffError::AlreadyMember) => {
            let errors = FieldErrors::one("username", "staff-already-member");
            render(&InvitePage {
                layout,
                form,
                roles: PartnerRole::ALL,
                languages: Lang::ALL,
                errors,
            })
        }
        Err(error) => Err(PageError::internal(error)),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

/// Runs one change on a member of the signed-in person's organisation and answers
/// with the outcome as a flash message on the staff page; with `ask`, only once
/// confirmed (`web::confirm`), and with the review of the member before.
async fn change(
    state: web::Data<AppState>,
    member: PartnerMember,
    membership_id: String,
    success_key: &'static str,
    ask: Option<Ask>,
    work: impl FnOnce(
        &mut db::DbConnection,
        NaiveDateTime,
        &PartnerScope,
        &str,
        Actor<'_>,
        &Settings,
    ) -> Result<(), StaffError>
    + Send
    + 'static,
) -> Result<HttpResponse, PageError> {
    let confirmed = ask.as_ref().map_or(Confirmed::YES, |ask| ask.confirmed);
    let id = MembershipId::new(membership_id.clone());
    let outcome =
        PartnerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            let target = super::member(conn, change.scope(), &id)?;
            work(
                conn,
                change.now,
                change.scope(),
                &id,
                change.actor(),
                &change.settings,
            )?;
            Ok(target)
        })
        .await;
    match (outcome, ask) {
        (Ok(target), Some(ask)) if !confirmed.yes() => {
            let tr = &ask.layout.tr;
            let action = format!("/partner/staff/{membership_id}/{}", ask.action);
            let back = back_to("/partner/staff", &[], &format!("member-{membership_id}"));
            Review::new(tr, ask.heading_key, action, back)
                .summary(tr.with(ask.summary_key, &[("name", &target.full_name)]))
                .fact(
                    tr,
                    "person",
                    "confirm-person",
                    format!("{} ({})", target.full_name, target.email),
                )
                .fact(tr, "role", "confirm-role", tr.t(target.role.label_key()))
                .irreversible()
                .render(ask.layout)
        }
        (Ok(_), _) => {
            state.outbox_wake.notify_one();
            FlashMessage::success(success_key).send();
            Ok(see_other("/partner/staff"))
        }
        (Err(StaffError::LastOwner), _) => {
            FlashMessage::error("flash-last-owner").send();
            Ok(see_other("/partner/staff"))
        }
        (Err(StaffError::NotFound), _) => Err(PageError::NotFound),
        (Err(error), _) => Err(PageError::internal(error)),
    }
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
        move |conn, now, partner, target, actor, _| {
            super::change_role(conn, now, partner, &MembershipId::new(target), role, actor)
        },
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
        |conn, now, partner, target, actor, _| {
            super::disable(conn, now, partner, &MembershipId::new(target), actor)
        },
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
        |conn, now, partner, target, actor, settings| {
            super::resend(
                conn,
                settings,
                now,
                partner,
                &MembershipId::new(target),
                actor,
            )
        },
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
        |conn, now, partner, target, actor, _| {
            super::revoke(conn, now, partner, &MembershipId::new(target), actor)
        },
    )
    .await
}
