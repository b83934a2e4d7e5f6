//! The people of a customer account: the list, and inviting with a role.
//! Changing a role, disabling, and for an invitation still pending, resending
//! (the old link dies) or revoking it are `people::pages`' handlers, shared with
//! the staff pages. An account always keeps an active administrator.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::access::{CustomerCapability, CustomerRole};
use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::db::{self, DbConnection, DbError};
use crate::i18n::{Lang, format_time};
use crate::people::pages::{InviteForm, PeopleMember, PeoplePage};
use crate::people::{self, Invitation, PeopleError, PeopleOf, Person};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, succeeded};

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

pub async fn page(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
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
    PageOf(state, layout, member): CustomerPage,
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
            Ok(succeeded("flash-user-invited", "/customer/users"))
        }
        Err(PeopleError::AlreadyMember) => {
            let errors = FieldErrors::one("username", "users-already-member");
            users_page(&state, layout, &member, form, errors).await
        }
        Err(error) => Err(PageError::internal(error)),
    }
}

impl PeopleMember for CustomerMember {
    const PAGE: PeoplePage = PeoplePage {
        path: "/customer/users",
        anchor: "user-",
        last_in_charge_key: "users-last-administrator",
        disabled_key: "flash-user-disabled",
    };
}
