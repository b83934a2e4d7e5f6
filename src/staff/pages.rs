//! The staff pages of a partner organisation (owners only, per the matrix): the
//! list and the invitation. Changing one member is `people::pages`' handlers,
//! shared with the customer's users page.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::StaffMember;
use crate::access::PartnerRole;
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::db;
use crate::i18n::Lang;
use crate::people::pages::{InviteForm, PeopleMember, PeoplePage};
use crate::people::{self, Invitation, PeopleError, PeopleOf};
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

#[derive(Template)]
#[template(path = "staff/list.html")]
struct StaffPage {
    layout: PageContext,
    /// Only the invitations about to expire are listed.
    only_expiring: bool,
    members: Vec<StaffMember>,
    /// The groups of each member an owner limited to some.
    limited: std::collections::BTreeMap<String, Vec<String>>,
    roles: [PartnerRole; 4],
    me: String,
    zone: chrono_tz::Tz,
    now: NaiveDateTime,
}

impl StaffPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        crate::i18n::format_time(*at, self.zone, self.layout.lang)
    }

    /// Which customers the member reaches, in words.
    fn reach(&self, membership_id: &str) -> String {
        let tr = &self.layout.tr;
        match self.limited.get(membership_id) {
            None => tr.t("staff-reach-everyone"),
            Some(groups) => tr.with_numbers(
                "staff-reach-only",
                [("groups", groups.join(", ").as_str())].as_slice(),
                [("count", groups.len().into())].as_slice(),
            ),
        }
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
    PageOf(state, layout, member): PartnerPage,
    query: web::Query<StaffQuery>,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let (mut members, limited) = db::run(&state.pool, move |conn| {
        let members = super::list(conn, &scope)?;
        let limited = super::reach::limited_members(conn, &scope)?;
        Ok::<_, db::DbError>((members, limited))
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
        limited,
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
    PageOf(state, layout, member): PartnerPage,
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
            Ok(succeeded("flash-staff-invited", "/partner/staff"))
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

impl PeopleMember for PartnerMember {
    const PAGE: PeoplePage = PeoplePage {
        path: "/partner/staff",
        anchor: "member-",
        last_in_charge_key: "flash-last-owner",
        disabled_key: "flash-member-disabled",
    };
}
