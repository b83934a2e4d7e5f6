//! The people of a customer account: invite with a role, change a role,
//! disable, and for an invitation still pending, resend (the old link dies) or
//! revoke it. An account always keeps an active administrator.

use crate::ids::CustomerId;
use crate::ids::MembershipId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::access::{CustomerCapability, CustomerRole};
use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::db::{self, DbConnection, DbError};
use crate::i18n::{Lang, format_time};
use crate::people::pages::{InviteForm, PeoplePage, confirmed};
use crate::people::{self, Change, Invitation, PeopleError, PeopleOf, Person};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::{Ask, ConfirmForm};
use crate::web::{FieldErrors, PageContext, PageError, render, see_other};

/// The roles a customer's people can be given.
const ROLES: [CustomerRole; 2] = [CustomerRole::Administrator, CustomerRole::User];

pub type User = Person<CustomerRole>;

pub fn list(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Vec<User>> {
    people::list(conn, PeopleOf::Customer(customer_id))
}

/// Serialises changes to one account's people (PostgreSQL; SQLite's write
/// transactions already are).
pub(crate) fn lock_account(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<()> {
    PeopleOf::Customer(customer_id).lock(conn)
}

#[derive(Template)]
#[template(path = "console/users.html")]
struct UsersPage {
    layout: PageContext,
    users: Vec<User>,
    can_manage: bool,
    me: String,
    form: InviteForm,
    errors: FieldErrors,
    roles: [CustomerRole; 2],
    languages: [Lang; 2],
    zone: chrono_tz::Tz,
    now: NaiveDateTime,
}

impl UsersPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }
}

async fn users_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    form: InviteForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let users = db::run(&state.pool, move |conn| {
        list(conn, &customer_id).map_err(DbError::from)
    })
    .await?;
    render(&UsersPage {
        can_manage: member.role.can(CustomerCapability::ManageUsers),
        me: member.membership.id.clone(),
        users,
        form,
        errors,
        roles: ROLES,
        languages: Lang::ALL,
        zone: member.identity.login.time_zone,
        now: state.clock.now(),
        layout,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
) -> Result<HttpResponse, PageError> {
    let form = InviteForm {
        language: layout.lang.code().to_owned(),
        role: CustomerRole::User.as_str().to_owned(),
        ..InviteForm::default()
    };
    users_page(&state, layout, &member, form, FieldErrors::default()).await
}

fn invite_in(
    conn: &mut DbConnection,
    change: &CustomerChange,
    invitation: &Invitation<CustomerRole>,
) -> Result<(), PeopleError> {
    let people = PeopleOf::Customer(change.customer_id());
    people::invite(
        conn,
        &change.settings,
        change.now,
        people,
        invitation,
        Some(change.login_id()),
    )?;
    change.record(
        conn,
        Action::UserInvited,
        invitation.login.full_name.as_str(),
        invitation.role.as_str(),
    )?;
    Ok(())
}

pub async fn invite(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let invitation = match form.parse(member.identity.login.time_zone, "field-choose") {
        Ok(invitation) => invitation,
        Err(errors) => return users_page(&state, layout, &member, form, errors).await,
    };
    let outcome = CustomerChange::run(&state, &member, move |conn, change| {
        invite_in(conn, change, &invitation)
    })
    .await;
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-user-invited").send();
            Ok(see_other("/customer/users"))
        }
        Err(PeopleError::AlreadyMember) => {
            let errors = FieldErrors::one("username", "users-already-member");
            users_page(&state, layout, &member, form, errors).await
        }
        Err(error) => Err(PageError::internal(error)),
    }
}

const USERS_PAGE: PeoplePage = PeoplePage {
    path: "/customer/users",
    anchor: "user-",
    last_in_charge_key: "users-last-administrator",
};

/// Runs one change on a person of the account and answers with its outcome as a
/// flash message on the users page; with `ask`, only once confirmed
/// (`web::confirm`), and with the review of the person before.
async fn change(
    state: web::Data<AppState>,
    member: CustomerMember,
    membership_id: String,
    success_key: &'static str,
    ask: Option<Ask>,
    what: Change<CustomerRole>,
) -> Result<HttpResponse, PageError> {
    let id = MembershipId::new(membership_id.clone());
    let outcome = CustomerChange::run_once_confirmed(
        &state,
        &member,
        confirmed(&ask),
        move |conn, change| people::change_one(conn, change, &id, what),
    )
    .await;
    USERS_PAGE.answer(&state, &membership_id, success_key, ask, outcome)
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, PageError> {
    let role = CustomerRole::parse(&form.role).ok_or(PageError::BadRequest)?;
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

pub async fn disable(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let ask = Some(Ask::disable(layout, form.confirmed));
    let what = Change::Disable;
    change(
        state,
        member,
        path.into_inner(),
        "flash-user-disabled",
        ask,
        what,
    )
    .await
}

pub async fn resend(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let what = Change::Resend;
    change(
        state,
        member,
        path.into_inner(),
        "flash-invitation-resent",
        None,
        what,
    )
    .await
}

pub async fn revoke(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let ask = Some(Ask::revoke(layout, form.confirmed));
    let what = Change::Revoke;
    change(
        state,
        member,
        path.into_inner(),
        "flash-invitation-revoked",
        ask,
        what,
    )
    .await
}
