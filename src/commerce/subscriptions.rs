//! A customer's subscriptions, and who among its people holds the Owner role on
//! each: the person who may buy reservations for it ("vérifiez que le
//! rôle propriétaire de cet abonnement a été attribué au client"). The partner
//! and the customer's administrators assign owners.

use crate::accounts::MembershipState;
use crate::ids::CustomerId;
use crate::ids::MembershipId;
use crate::tenancy::kinds::SubscriptionState;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use super::{CommerceError, OfferKind, page_error};
use crate::access::{Capability, CustomerCapability};
use crate::audit::Action;
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::auth::scope::{Owned, Scope};
use crate::console::users::lock_account;
use crate::customers::{self, Customer};
use crate::db::schema::{logins, memberships, subscription_owners, subscriptions};
use crate::db::{self, DbConnection};
use crate::i18n::{Lang, format_date};
use crate::state::AppState;
use crate::tenancy::{CustomerChange, PartnerChange};
use crate::web::{CustomerPage, PageContext, PageError, PageOf, PartnerPage, render, see_other};

pub struct Subscription {
    pub id: String,
    pub name: String,
    pub kind: OfferKind,
    pub quantity: i32,
    pub active: bool,
    pub started_on: String,
    pub ends_on: Option<String>,
    /// (membership id, full name) of the people holding the Owner role.
    pub owners: Vec<(String, String)>,
}

/// The customer's subscriptions with their owners; `customer_id` is scoped by the caller.
pub fn of_customer(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    lang: Lang,
) -> QueryResult<Vec<Subscription>> {
    type Row = (
        String,
        String,
        String,
        i32,
        String,
        NaiveDate,
        Option<NaiveDate>,
    );
    let rows: Vec<Row> = subscriptions::table
        .filter(subscriptions::customer_id.eq(customer_id))
        .order((subscriptions::created_at.desc(), subscriptions::id.asc()))
        .select((
            subscriptions::id,
            subscriptions::name,
            subscriptions::kind,
            subscriptions::quantity,
            subscriptions::state,
            subscriptions::started_on,
            subscriptions::ends_on,
        ))
        .load(conn)?;
    let owners: Vec<(String, String, String)> = subscription_owners::table
        .inner_join(subscriptions::table)
        .inner_join(memberships::table.inner_join(logins::table))
        .filter(subscriptions::customer_id.eq(customer_id))
        .filter(memberships::customer_id.eq(customer_id))
        .order(logins::full_name.asc())
        .select((
            subscription_owners::subscription_id,
            memberships::id,
            logins::full_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, kind, quantity, state, started_on, ends_on)| Subscription {
                owners: owners
                    .iter()
                    .filter(|(subscription, _, _)| *subscription == id)
                    .map(|(_, membership, name)| (membership.clone(), name.clone()))
                    .collect(),
                id,
                name,
                kind: OfferKind::parse(&kind).unwrap_or(OfferKind::UsageSubscription),
                quantity,
                active: state == SubscriptionState::Active.as_str(),
                started_on: format_date(started_on, lang),
                ends_on: ends_on.map(|day| format_date(day, lang)),
            },
        )
        .collect())
}

/// The account's active people, who may be given the Owner role: (membership id, name).
pub fn people(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> QueryResult<Vec<(String, String)>> {
    memberships::table
        .inner_join(logins::table)
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .order((logins::full_name.asc(), memberships::id.asc()))
        .select((memberships::id, logins::full_name))
        .load(conn)
}

/// Something to say in the log about an owner change.
struct OwnerChange {
    subscription: String,
    person: String,
}

/// A subscription whose owners change: its id and name.
struct Named {
    id: String,
    name: String,
}

/// The subscription `subscription_id` of the account `customer_id`, which the
/// caller read from `scope`; another account's is missing.
fn find_subscription<S: Scope>(
    conn: &mut DbConnection,
    scope: &S,
    customer_id: &CustomerId,
    subscription_id: &str,
) -> Result<Owned<Named>, CommerceError> {
    let (id, name) = subscriptions::table
        .filter(subscriptions::id.eq(subscription_id))
        .filter(subscriptions::customer_id.eq(customer_id))
        .select((subscriptions::id, subscriptions::name))
        .first(conn)
        .optional()?
        .ok_or(CommerceError::NotFound)?;
    Ok(Owned::found_in(scope, Named { id, name }))
}

/// What an owner form asks: on which subscription, whose role, given (true)
/// or taken.
struct OwnerTarget {
    subscription_id: String,
    membership_id: MembershipId,
    owner: bool,
}

/// Gives or takes the Owner role on the target's subscription of
/// `customer_id` (read from `scope`). Returns the change to log, or `None`
/// when nothing changed.
fn set_owner<S: Scope>(
    conn: &mut DbConnection,
    scope: &S,
    customer_id: &CustomerId,
    target: &OwnerTarget,
    now: chrono::NaiveDateTime,
) -> Result<Option<OwnerChange>, CommerceError> {
    let OwnerTarget {
        subscription_id,
        membership_id,
        owner,
    } = target;
    lock_account(conn, customer_id)?;
    let subscription = find_subscription(conn, scope, customer_id, subscription_id)?;
    let person: Option<String> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::customer_id.eq(customer_id))
        .filter(memberships::state.eq(MembershipState::Active))
        .select(logins::full_name)
        .first(conn)
        .optional()?;
    let Some(person) = person else {
        return Err(CommerceError::field(
            "membership_id",
            "owner-person-required",
        ));
    };
    let changed = assign_owner(conn, &subscription, membership_id, *owner, now)?;
    Ok((changed > 0).then_some(OwnerChange {
        subscription: subscription.into_inner().name,
        person,
    }))
}

/// Adds or removes the membership among the subscription's owners; returns
/// how many rows changed. The caller holds the account's lock, which makes
/// the check and the insert one step.
fn assign_owner(
    conn: &mut DbConnection,
    subscription: &Owned<Named>,
    membership_id: &MembershipId,
    owner: bool,
    now: chrono::NaiveDateTime,
) -> QueryResult<usize> {
    let subscription_id = &subscription.id;
    let holds: bool = diesel::select(diesel::dsl::exists(
        subscription_owners::table
            .filter(subscription_owners::subscription_id.eq(subscription_id))
            .filter(subscription_owners::membership_id.eq(membership_id)),
    ))
    .get_result(conn)?;
    Ok(if owner && holds {
        0
    } else if owner {
        diesel::insert_into(subscription_owners::table)
            .values((
                subscription_owners::subscription_id.eq(subscription_id),
                subscription_owners::membership_id.eq(membership_id),
                subscription_owners::assigned_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::delete(
            subscription_owners::table
                .filter(subscription_owners::subscription_id.eq(subscription_id))
                .filter(subscription_owners::membership_id.eq(membership_id)),
        )
        .execute(conn)?
    })
}

fn owner_action(owner: bool) -> Action {
    if owner {
        Action::SubscriptionOwnerAssigned
    } else {
        Action::SubscriptionOwnerRemoved
    }
}

#[derive(Template)]
#[template(path = "commerce/subscriptions.html")]
struct SubscriptionsPage {
    layout: PageContext,
    /// The customer, when the partner looks; `None` in the customer's console.
    customer: Option<Customer>,
    subscriptions: Vec<Subscription>,
    people: Vec<(String, String)>,
    can_assign: bool,
    /// Where the owner forms post, without the trailing `/{id}/owners`.
    base: String,
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = layout.lang;
    let read = move |conn: &mut DbConnection, customer: &Owned<Customer>| {
        let subscriptions = of_customer(conn, &customer.id, lang)?;
        let people = people(conn, &customer.id)?;
        Ok::<_, CommerceError>((subscriptions, people))
    };
    let (customer, (subscriptions, people)) =
        customers::read_for_page(&state, &member, customer_id.into_inner(), read)
            .await
            .map_err(page_error)?;
    render(&SubscriptionsPage {
        base: format!("/partner/customers/{}/subscriptions", customer.id),
        customer: Some(customer),
        subscriptions,
        people,
        can_assign: member.role.can(Capability::ManageCustomers),
        layout,
    })
}

pub async fn customer_page(
    PageOf(state, layout, member): CustomerPage,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let lang = layout.lang;
    let (subscriptions, people) = db::run(&state.pool, move |conn| {
        Ok::<_, db::DbError>((
            of_customer(conn, &customer_id, lang)?,
            people(conn, &customer_id)?,
        ))
    })
    .await?;
    render(&SubscriptionsPage {
        customer: None,
        subscriptions,
        people,
        can_assign: member
            .role
            .can(CustomerCapability::ManageSubscriptionOwners),
        base: "/customer/subscriptions".into(),
        layout,
    })
}

#[derive(Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    membership_id: String,
    /// "add" or "remove".
    #[serde(default)]
    change: String,
}

impl OwnerForm {
    /// The change asked on `subscription_id`; refused when `change` is
    /// neither "add" nor "remove".
    fn target(self, subscription_id: String) -> Result<OwnerTarget, CommerceError> {
        Ok(OwnerTarget {
            owner: self.owner()?,
            membership_id: MembershipId::new(self.membership_id),
            subscription_id,
        })
    }

    fn owner(&self) -> Result<bool, CommerceError> {
        match self.change.as_str() {
            "add" => Ok(true),
            "remove" => Ok(false),
            _ => Err(CommerceError::Malformed),
        }
    }
}

fn said(outcome: Result<Option<OwnerChange>, CommerceError>) -> Result<(), PageError> {
    match outcome {
        Ok(Some(_)) => FlashMessage::success("flash-owners-changed").send(),
        Ok(None) => FlashMessage::info("flash-owners-unchanged").send(),
        Err(CommerceError::Field { message_key, .. }) => FlashMessage::error(message_key).send(),
        Err(error) => return Err(page_error(error)),
    }
    Ok(())
}

/// The partner gives or takes the Owner role on one of the customer's subscriptions.
pub async fn change_owner(
    state: web::Data<AppState>,
    member: PartnerMember,
    path: web::Path<(String, String)>,
    form: web::Form<OwnerForm>,
) -> Result<HttpResponse, PageError> {
    let (customer_id, subscription_id) = path.into_inner();
    let target = form.into_inner().target(subscription_id);
    let id = CustomerId::new(customer_id.clone());
    let outcome = PartnerChange::run(&state, &member, move |conn, change| {
        // The customer first: another partner's id is missing whatever the form says.
        let customer = customers::find(conn, change.scope(), &id)?;
        let target = target?;
        let changed = set_owner(conn, change.scope(), &customer.id, &target, change.now)?;
        if let Some(changed) = &changed {
            customers::record_change(
                conn,
                change,
                &customer,
                owner_action(target.owner),
                &format!("{} · {}", changed.subscription, changed.person),
            )?;
        }
        Ok(changed)
    })
    .await;
    said(outcome)?;
    Ok(see_other(&format!(
        "/partner/customers/{customer_id}/subscriptions"
    )))
}

/// A customer administrator gives or takes the Owner role on a subscription.
pub async fn customer_change_owner(
    state: web::Data<AppState>,
    member: CustomerMember,
    subscription_id: web::Path<String>,
    form: web::Form<OwnerForm>,
) -> Result<HttpResponse, PageError> {
    let target = form.into_inner().target(subscription_id.into_inner());
    let outcome = CustomerChange::run(&state, &member, move |conn, change| {
        let target = target?;
        let customer_id = change.customer_id();
        let changed = set_owner(conn, change.scope(), customer_id, &target, change.now)?;
        if let Some(changed) = &changed {
            change.record(
                conn,
                owner_action(target.owner),
                &changed.subscription,
                &changed.person,
            )?;
        }
        Ok(changed)
    })
    .await;
    said(outcome)?;
    Ok(see_other("/customer/subscriptions"))
}
