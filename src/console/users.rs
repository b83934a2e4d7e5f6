//! The people of a customer account: invite with a role, change a role,
//! disable, and for an invitation still pending, resend (the old link dies) or
//! revoke it. An account always keeps an active administrator.

use crate::accounts::LoginState;
use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::ids::MembershipId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::access::{CustomerCapability, CustomerRole};
use crate::accounts::NewLogin;
use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::auth::session_store::end_sessions_using;
use crate::db::schema::{logins, memberships};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::{Lang, format_time};
use crate::invitations::{self, InviteeFields, Sent, Shown};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::{Ask, ConfirmForm, Confirmed, Review, back_to};
use crate::web::{FieldErrors, PageContext, PageError, render, see_other};

/// The roles a customer's people can be given.
const ROLES: [CustomerRole; 2] = [CustomerRole::Administrator, CustomerRole::User];

pub struct User {
    pub membership_id: String,
    pub login_id: String,
    pub full_name: String,
    pub username: String,
    pub email: String,
    pub role: CustomerRole,
    pub active: bool,
    pub pending: bool,
    pub sent: Option<Sent>,
    /// The latest invitation email could not be delivered.
    pub bounced: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("no such user")]
    NotFound,
    #[error("the account would lose its last administrator")]
    LastAdministrator,
    #[error("already has access")]
    AlreadyMember,
    #[error(transparent)]
    Offer(#[from] invitations::OfferError),
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for UserError {
    fn from(error: diesel::result::Error) -> Self {
        UserError::Database(error.into())
    }
}

type UserRow = (String, String, String, String, crate::invitations::ShownRow);

pub fn list(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Vec<User>> {
    let rows: Vec<UserRow> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(customer_id))
        .order((invitations::shown_name().asc(), memberships::id.asc()))
        .select((
            memberships::id,
            logins::id,
            logins::username,
            memberships::role,
            invitations::shown_columns(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(membership_id, login_id, username, role, shown)| {
            let active = shown.0 == MembershipState::Active.as_str();
            let shown = Shown::from_row(shown);
            Some(User {
                membership_id,
                login_id,
                full_name: shown.full_name,
                username,
                email: shown.email,
                role: CustomerRole::parse(&role)?,
                active: active || shown.pending,
                pending: shown.pending,
                sent: shown.sent,
                bounced: shown.bounced,
            })
        })
        .collect())
}

fn user(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    membership_id: &MembershipId,
) -> Result<User, UserError> {
    list(conn, customer_id)?
        .into_iter()
        .find(|u| u.membership_id == membership_id.as_str())
        .ok_or(UserError::NotFound)
}

/// Serialises changes to one account's people (PostgreSQL; SQLite's write
/// transactions already are).
pub(crate) fn lock_account(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<()> {
    crate::db::lock_row(
        conn,
        crate::db::LockTarget::CustomerAccount(customer_id.as_str()),
    )
}

pub(crate) fn other_active_administrators(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    membership_id: &MembershipId,
) -> QueryResult<i64> {
    memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::role.eq(CustomerRole::Administrator.as_str()))
        .filter(memberships::state.eq(MembershipState::Active))
        .filter(logins::state.eq(LoginState::Active))
        .filter(memberships::id.ne(membership_id))
        .count()
        .get_result(conn)
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

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    full_name: String,
    email: String,
    username: String,
    role: String,
    language: String,
}

pub struct Invitation {
    login: NewLogin,
    role: CustomerRole,
}

impl InviteForm {
    fn parse(&self, time_zone: chrono_tz::Tz) -> Result<Invitation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let login = InviteeFields {
            full_name: &self.full_name,
            email: &self.email,
            username: &self.username,
            language: &self.language,
        }
        .parse(time_zone, &mut errors);
        let role = CustomerRole::parse(&self.role);
        if role.is_none() {
            errors.add("role", "field-choose");
        }
        match (login, role) {
            (Some(login), Some(role)) if errors.is_empty() => Ok(Invitation { login, role }),
            _ => Err(errors),
        }
    }
}

fn invite_in(
    conn: &mut DbConnection,
    settings: &crate::config::Settings,
    change: &CustomerChange,
    invitation: &Invitation,
) -> Result<(), UserError> {
    lock_account(conn, change.customer_id())?;
    let offered = invitations::offer(
        conn,
        settings,
        change.now,
        &invitations::Offer {
            person: &invitation.login,
            target: invitations::Target::Customer(change.customer_id().as_str()),
            role: invitation.role.as_str(),
            inviter: Some(change.login_id()),
        },
    );
    match offered {
        Ok(_) => {}
        Err(invitations::OfferError::AlreadyMember) => return Err(UserError::AlreadyMember),
        Err(error) => return Err(UserError::Offer(error)),
    }
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
    let invitation = match form.parse(member.identity.login.time_zone) {
        Ok(invitation) => invitation,
        Err(errors) => return users_page(&state, layout, &member, form, errors).await,
    };
    let settings = state.settings.clone();
    let outcome = CustomerChange::run(&state, &member, move |conn, change| {
        invite_in(conn, &settings, change, &invitation)
    })
    .await;
    match outcome {
        Ok(()) => {
            state.outbox_wake.notify_one();
            FlashMessage::success("flash-user-invited").send();
            Ok(see_other("/customer/users"))
        }
        Err(UserError::AlreadyMember) => {
            let errors = FieldErrors::one("username", "users-already-member");
            users_page(&state, layout, &member, form, errors).await
        }
        Err(error) => Err(PageError::internal(error)),
    }
}

/// Runs one change on a person of the account and answers with its outcome as a
/// flash message on the users page; with `ask`, only once confirmed
/// (`web::confirm`), and with the review of the person before.
async fn change(
    state: web::Data<AppState>,
    member: CustomerMember,
    membership_id: String,
    success_key: &'static str,
    ask: Option<Ask>,
    work: impl FnOnce(&mut DbConnection, &CustomerChange, User) -> Result<(), UserError>
    + Send
    + 'static,
) -> Result<HttpResponse, PageError> {
    let confirmed = ask.as_ref().map_or(Confirmed::YES, |ask| ask.confirmed);
    let id = MembershipId::new(membership_id.clone());
    let outcome =
        CustomerChange::run_once_confirmed(&state, &member, confirmed, move |conn, change| {
            lock_account(conn, change.customer_id())?;
            let target = user(conn, change.customer_id(), &id)?;
            let (name, email, role) = (target.full_name.clone(), target.email.clone(), target.role);
            work(conn, change, target)?;
            Ok((name, email, role))
        })
        .await;
    match (outcome, ask) {
        (Ok((name, email, role)), Some(ask)) if !confirmed.yes() => {
            let tr = &ask.layout.tr;
            let action = format!("/customer/users/{membership_id}/{}", ask.action);
            let back = back_to("/customer/users", &[], &format!("user-{membership_id}"));
            Review::new(tr, ask.heading_key, action, back)
                .summary(tr.with(ask.summary_key, &[("name", &name)]))
                .fact(tr, "person", "confirm-person", format!("{name} ({email})"))
                .fact(tr, "role", "confirm-role", tr.t(role.label_key()))
                .irreversible()
                .render(ask.layout)
        }
        (Ok(_), _) => {
            state.outbox_wake.notify_one();
            FlashMessage::success(success_key).send();
            Ok(see_other("/customer/users"))
        }
        (Err(UserError::NotFound), _) => Err(PageError::NotFound),
        (Err(UserError::LastAdministrator), _) => {
            FlashMessage::error("users-last-administrator").send();
            Ok(see_other("/customer/users"))
        }
        (Err(error), _) => Err(PageError::internal(error)),
    }
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
    change(
        state,
        member,
        path.into_inner(),
        "flash-role-changed",
        None,
        move |conn, change, target| {
            if target.role == role {
                return Ok(());
            }
            if target.pending {
                return Err(UserError::NotFound);
            }
            if target.role == CustomerRole::Administrator
                && other_active_administrators(
                    conn,
                    change.customer_id(),
                    &MembershipId::new(target.membership_id.clone()),
                )? == 0
            {
                return Err(UserError::LastAdministrator);
            }
            diesel::update(memberships::table.filter(memberships::id.eq(&target.membership_id)))
                .set(memberships::role.eq(role.as_str()))
                .execute(conn)?;
            let details = format!("{} → {}", target.role.as_str(), role.as_str());
            change.record(conn, Action::RoleChanged, &target.full_name, &details)?;
            Ok(())
        },
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
    let ask = Ask::disable(layout, form.confirmed);
    change(
        state,
        member,
        path.into_inner(),
        "flash-user-disabled",
        Some(ask),
        |conn, change, target| {
            if !target.active || target.pending {
                return Ok(());
            }
            if target.role == CustomerRole::Administrator
                && other_active_administrators(
                    conn,
                    change.customer_id(),
                    &MembershipId::new(target.membership_id.clone()),
                )? == 0
            {
                return Err(UserError::LastAdministrator);
            }
            diesel::update(memberships::table.filter(memberships::id.eq(&target.membership_id)))
                .set(memberships::state.eq(MembershipState::Disabled))
                .execute(conn)?;
            // Their sessions in this account end now; the login's others go on.
            end_sessions_using(conn, &target.membership_id)?;
            change.record(conn, Action::UserDisabled, &target.full_name, "")?;
            Ok(())
        },
    )
    .await
}

pub async fn resend(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let settings = state.settings.clone();
    change(
        state,
        member,
        path.into_inner(),
        "flash-invitation-resent",
        None,
        move |conn, change, target| {
            if !target.pending {
                return Err(UserError::NotFound);
            }
            invitations::resend(
                conn,
                &settings,
                change.now,
                &MembershipId::new(target.membership_id.clone()),
            )?;
            change.record(conn, Action::InvitationResent, &target.full_name, "")?;
            Ok(())
        },
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
    let ask = Ask::revoke(layout, form.confirmed);
    change(
        state,
        member,
        path.into_inner(),
        "flash-invitation-revoked",
        Some(ask),
        |conn, change, target| {
            if !target.pending {
                return Err(UserError::NotFound);
            }
            invitations::revoke(
                conn,
                change.now,
                &MembershipId::new(target.membership_id.clone()),
            )?;
            change.record(conn, Action::InvitationRevoked, &target.full_name, "")?;
            Ok(())
        },
    )
    .await
}
