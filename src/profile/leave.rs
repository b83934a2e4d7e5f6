//! Leaving one of one's memberships from the profile: a page asking "Leave X?",
//! then the POST. Leaving disables the membership and ends only the sessions
//! acting as it; an organisation keeps an active owner and a customer account
//! an active administrator (the rules of `people`, under the
//! same lock). The tenant's activity log records it and the person is emailed.

use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::ids::MembershipId;
use crate::ids::PartnerId;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::access::{CustomerRole, PartnerRole};
use crate::audit::{self, Action, Actor};
use crate::auth::identity::{Membership, SignedIn};
use crate::auth::session::{SignInClient, TypedSession};
use crate::auth::session_store::end_sessions_using;
use crate::config::Settings;
use crate::db::schema::{
    customer_accounts, logins, memberships, partner_organisations, sub_accounts,
};
use crate::db::{self, DbConnection, DbError};
use crate::email::messages::MembershipLeftEmail;
use crate::email::outbox::{self, OutboxError};
use crate::i18n::Lang;
use crate::people::PeopleOf;
use crate::state::AppState;
use crate::web::{PageContext, PageError, render, see_other};

#[derive(Debug, thiserror::Error)]
pub enum LeaveError {
    #[error("not one of the login's active memberships")]
    NotFound,
    #[error("the organisation would lose its last active owner")]
    LastOwner,
    #[error("the account would lose its last active administrator")]
    LastAdministrator,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Pool(#[from] DbError),
}

/// Where a membership belongs.
enum Tenant {
    Partner(PartnerId),
    Customer(CustomerId),
    /// An operator's sub-account, by its customer account.
    SubAccount(CustomerId),
}

impl Tenant {
    /// The people whose changes a leave is serialised with: a sub-account's
    /// are its customer account's.
    fn people(&self) -> PeopleOf<'_> {
        match self {
            Tenant::Partner(partner_id) => PeopleOf::Partner(partner_id),
            Tenant::Customer(customer_id) | Tenant::SubAccount(customer_id) => {
                PeopleOf::Customer(customer_id)
            }
        }
    }
}

type MembershipRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);

/// The login's own membership, whatever its state: (partner, customer,
/// sub-account, role, state).
fn own_membership(
    conn: &mut DbConnection,
    login_id: &str,
    membership_id: &MembershipId,
) -> QueryResult<Option<MembershipRow>> {
    memberships::table
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::login_id.eq(login_id))
        .select((
            memberships::partner_id,
            memberships::customer_id,
            memberships::sub_account_id,
            memberships::role,
            memberships::state,
        ))
        .first(conn)
        .optional()
}

/// The tenant of a membership, its name, and the Fluent id of the role's label.
fn tenant_of(
    conn: &mut DbConnection,
    row: &MembershipRow,
) -> Result<(Tenant, String, &'static str), LeaveError> {
    let (partner_id, customer_id, sub_account_id, role, _) = row;
    Ok(match (partner_id, customer_id, sub_account_id) {
        (Some(partner_id), _, _) => {
            let name = partner_organisations::table
                .find(partner_id)
                .select(partner_organisations::name)
                .first(conn)?;
            let role = PartnerRole::parse(role).ok_or(LeaveError::NotFound)?;
            (
                Tenant::Partner(PartnerId::new(partner_id.clone())),
                name,
                role.label_key(),
            )
        }
        (_, Some(customer_id), _) => {
            let name = customer_accounts::table
                .find(customer_id)
                .select(customer_accounts::name)
                .first(conn)?;
            let role = CustomerRole::parse(role).ok_or(LeaveError::NotFound)?;
            (
                Tenant::Customer(CustomerId::new(customer_id.clone())),
                name,
                role.label_key(),
            )
        }
        (_, _, Some(sub_account_id)) => {
            let (customer_id, name): (String, String) = sub_accounts::table
                .find(sub_account_id)
                .select((sub_accounts::customer_id, sub_accounts::name))
                .first(conn)?;
            (
                Tenant::SubAccount(CustomerId::new(customer_id)),
                name,
                CustomerRole::Operator.label_key(),
            )
        }
        _ => return Err(LeaveError::NotFound),
    })
}

/// Disables the login's membership, ends the sessions acting as it, records it
/// in the tenant's log and queues the email to the person; returns the name of
/// what was left. Call inside a write transaction.
pub fn leave(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
    membership_id: &MembershipId,
) -> Result<String, LeaveError> {
    let row = own_membership(conn, login_id, membership_id)?.ok_or(LeaveError::NotFound)?;
    let (tenant, tenant_name, role_key) = tenant_of(conn, &row)?;
    // The same lock as the tenant's own changes to its people, then the
    // membership read again under it: a concurrent leave, demotion or disabling
    // has committed by now.
    tenant.people().lock(conn)?;
    let (_, _, _, role, state) =
        own_membership(conn, login_id, membership_id)?.ok_or(LeaveError::NotFound)?;
    if state != MembershipState::Active.as_str() {
        return Err(LeaveError::NotFound);
    }
    keeps_someone_in_charge(conn, &tenant, &role, membership_id)?;
    diesel::update(memberships::table.find(membership_id))
        .set(memberships::state.eq(MembershipState::Disabled))
        .execute(conn)?;
    end_sessions_using(conn, membership_id)?;
    let left = Left {
        tenant: &tenant,
        tenant_name: &tenant_name,
        role: &role,
        role_key,
    };
    record_and_tell(conn, settings, now, login_id, membership_id, left)?;
    Ok(tenant_name)
}

/// Refuses to leave an organisation without an active owner, or a customer
/// account without an active administrator.
fn keeps_someone_in_charge(
    conn: &mut DbConnection,
    tenant: &Tenant,
    role: &str,
    membership_id: &MembershipId,
) -> Result<(), LeaveError> {
    // A sub-account's operators have nobody in charge among them.
    if let Tenant::SubAccount(_) = tenant {
        return Ok(());
    }
    let people = tenant.people();
    if role != people.in_charge_role() || people.others_in_charge(conn, membership_id)? > 0 {
        return Ok(());
    }
    Err(match tenant {
        Tenant::Partner(_) => LeaveError::LastOwner,
        _ => LeaveError::LastAdministrator,
    })
}

/// What was left, for the log and the email.
struct Left<'a> {
    tenant: &'a Tenant,
    tenant_name: &'a str,
    role: &'a str,
    role_key: &'static str,
}

/// Records the leaving in the tenant's log and queues the email to the person.
fn record_and_tell(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
    membership_id: &MembershipId,
    left: Left<'_>,
) -> Result<(), LeaveError> {
    let (email, full_name, language): (String, String, String) = logins::table
        .find(login_id)
        .select((logins::email, logins::full_name, logins::language))
        .first(conn)?;
    let (partner_id, customer_id) = match left.tenant {
        Tenant::Partner(partner_id) => (Some(partner_id.as_str()), None),
        Tenant::Customer(customer_id) | Tenant::SubAccount(customer_id) => {
            (None, Some(customer_id.as_str()))
        }
    };
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id,
            customer_id,
            actor: Actor {
                login_id: Some(login_id),
                name: &full_name,
                membership_id: Some(membership_id),
                on_behalf_of: None,
                api_token_id: None,
            },
            action: Action::MembershipLeft,
            target: &full_name,
            details: left.role,
        },
    )?;
    let tr = Lang::from_code(&language).unwrap_or_default().translator();
    let message = MembershipLeftEmail {
        tr,
        full_name,
        organisation: left.tenant_name.to_owned(),
        role: tr.t(left.role_key),
        reset_link: settings.link("/password-reset"),
    };
    outbox::enqueue(conn, now, &email, &message)?;
    Ok(())
}

#[derive(Template)]
#[template(path = "profile/leave.html")]
struct LeavePage {
    layout: PageContext,
    membership: Membership,
}

impl LeavePage {
    fn question(&self) -> String {
        self.layout.tr.with(
            "profile-leave-question",
            &[("organisation", &self.membership.tenant_name)],
        )
    }

    fn explain(&self) -> String {
        self.layout.tr.with(
            "profile-leave-explain",
            &[("organisation", &self.membership.tenant_name)],
        )
    }
}

#[derive(Deserialize)]
pub struct LeaveQuery {
    membership: String,
}

/// "Leave X?": the confirmation before the POST.
pub async fn confirm(
    layout: PageContext,
    SignedIn(identity): SignedIn,
    query: web::Query<LeaveQuery>,
) -> Result<HttpResponse, PageError> {
    let membership = identity
        .memberships
        .into_iter()
        .find(|m| m.id == query.membership)
        .ok_or(PageError::NotFound)?;
    render(&LeavePage { layout, membership })
}

#[derive(Deserialize)]
pub struct LeaveForm {
    membership_id: String,
}

pub async fn leave_membership(
    state: web::Data<AppState>,
    req: HttpRequest,
    client: crate::auth::client_address::ClientAddress,
    SignedIn(identity): SignedIn,
    session: TypedSession,
    form: web::Form<LeaveForm>,
) -> Result<HttpResponse, PageError> {
    // Only the person's own active memberships; anything else is missing.
    let leaving = identity
        .memberships
        .iter()
        .find(|m| m.id == form.membership_id)
        .ok_or(PageError::NotFound)?
        .id
        .clone();
    let now = state.clock.now();
    let settings = state.settings.clone();
    let login_id = identity.login.id.clone();
    let membership_id = MembershipId::new(leaving.clone());
    let outcome = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            leave(conn, &settings, now, &login_id, &membership_id)
        })
    })
    .await;
    match outcome {
        Ok(_) => {}
        Err(LeaveError::NotFound) => return Err(PageError::NotFound),
        Err(LeaveError::LastOwner) => {
            FlashMessage::error("flash-leave-last-owner").send();
            return Ok(see_other("/account#memberships"));
        }
        Err(LeaveError::LastAdministrator) => {
            FlashMessage::error("flash-leave-last-administrator").send();
            return Ok(see_other("/account#memberships"));
        }
        Err(error) => return Err(PageError::internal(error)),
    }
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-membership-left").send();
    let acting_as_it = identity
        .membership
        .as_ref()
        .is_some_and(|m| m.id == leaving);
    if !acting_as_it {
        return Ok(see_other("/account#memberships"));
    }
    // This session acted as the membership and ended with it; the person stays
    // signed in here, in a new session without a membership.
    if let Some(assisting) = &identity.assisting {
        crate::assisted::end_on_the_way_out(&state, assisting.session_id.clone()).await;
    }
    if let Some(assisting) = &identity.assisting_reseller {
        crate::network::assist::end_on_the_way_out(&state, assisting.session_id.clone()).await;
    }
    // Still twelve hours from the original sign-in at most.
    let signed_in_at = session
        .signed_in_at()
        .unwrap_or_else(|| now.and_utc().timestamp());
    session
        .sign_in(
            &identity.login.id,
            signed_in_at,
            &SignInClient::of(&req, client),
        )
        .map_err(PageError::internal)?;
    Ok(see_other("/memberships"))
}
