//! Customer accounts as their partner sees them: the list, creation in steps,
//! details, groups, billing, renaming, dissociation, CSV export and import.
//!
//! Every query here is scoped by the partner of the signed-in membership
//! (`find` and `list::matching`); a customer of another partner, or one that was
//! dissociated, is missing exactly like an id that never existed.

pub mod billing;
pub mod create;
pub mod details;
pub mod export;

pub mod fields;
pub mod group_rule_edit;
pub mod group_rules;
pub mod groups;
pub mod import;

pub mod list;
pub mod regions;
pub mod rule_form;
pub mod seed;
pub mod usage;
pub mod usage_api;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

pub use crate::tenancy::kinds::{self, BillingType, CustomerState, Health, LicenceStatus, Term};

use crate::auth::scope::{Owned, PartnerScope};
use crate::db::DbConnection;
use crate::db::schema::customer_accounts;
pub use crate::ids::{CustomerId, PartnerId};

#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    #[error("no such customer")]
    NotFound,
    #[error(transparent)]
    Resend(#[from] crate::invitations::activation::ResendError),
    #[error(transparent)]
    Outbox(#[from] crate::email::outbox::OutboxError),
    #[error(transparent)]
    Offer(#[from] crate::invitations::OfferError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] crate::db::DbError),
    #[error(transparent)]
    Encoding(#[from] serde_json::Error),
}

/// The page's answer to a customer error: a customer out of the partner's
/// reach is missing; anything else is the server's fault.
pub fn page_error(error: CustomerError) -> crate::web::PageError {
    match error {
        CustomerError::NotFound => crate::web::PageError::NotFound,
        other => crate::web::PageError::internal(other),
    }
}

/// Gives an area's error enum, whose `Customer` variant holds a [`CustomerError`],
/// the conversions from the database errors its work can meet.
macro_rules! wraps_customer_error {
    ($error:ident) => {
        impl From<diesel::result::Error> for $error {
            fn from(error: diesel::result::Error) -> Self {
                $error::Customer(error.into())
            }
        }

        impl From<crate::db::DbError> for $error {
            fn from(error: crate::db::DbError) -> Self {
                $error::Customer(error.into())
            }
        }
    };
}
pub(crate) use wraps_customer_error;

/// Whether partner assistance is on when an account is created:
/// for trials the partner creates, monthly-usage accounts and managed orders.
pub fn assistance_by_default(billing: BillingType, managed_order: bool) -> bool {
    matches!(billing, BillingType::Trial | BillingType::MonthlyUsage) || managed_order
}

/// A customer account, as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_accounts)]
pub struct Customer {
    pub id: CustomerId,
    pub partner_id: Option<PartnerId>,
    pub name: String,
    pub primary_domain: String,
    pub country: String,
    pub data_region: String,
    pub time_zone: String,
    pub reference_number: String,
    pub subscription_term: Term,
    pub term_started_on: NaiveDate,
    pub next_term: Option<Term>,
    pub next_term_from: Option<NaiveDate>,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub region: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub state: CustomerState,
    pub billing_type: BillingType,
    pub trial_ends_on: Option<NaiveDate>,
    pub managed_order: bool,
    pub health_level: i32,
    pub partner_assistance: bool,
    pub created_at: NaiveDateTime,
}

impl Customer {
    pub fn state(&self) -> CustomerState {
        self.state
    }

    pub fn billing(&self) -> BillingType {
        self.billing_type
    }

    pub fn health(&self) -> Health {
        Health::from_level(self.health_level)
    }

    /// The term in force on `today`: a change decided for the end of a period
    /// takes over once that day has come.
    pub fn term_on(&self, today: NaiveDate) -> Term {
        match (self.next_term, self.next_term_from) {
            (Some(next), Some(from)) if from <= today => next,
            _ => self.subscription_term,
        }
    }

    /// A term change still waiting for its date, as seen on `today`.
    pub fn pending_term(&self, today: NaiveDate) -> Option<(Term, NaiveDate)> {
        match (self.next_term, self.next_term_from) {
            (Some(next), Some(from)) if from > today => Some((next, from)),
            _ => None,
        }
    }

    pub fn country_name(&self, lang: crate::i18n::Lang) -> String {
        regions::country(&self.country)
            .map(|c| c.name(lang).to_owned())
            .unwrap_or_else(|| self.country.clone())
    }
}

/// The customer `customer_id` if it is the organisation's and the member
/// reaches it; otherwise `NotFound`, whether it belongs to someone else, is
/// outside the member's groups or does not exist.
pub fn find(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    customer_id: &CustomerId,
) -> Result<Owned<Customer>, CustomerError> {
    let mut query = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id.as_str().to_owned()))
        .filter(customer_accounts::partner_id.eq(scope.partner_id().as_str().to_owned()))
        .select(Customer::as_select())
        .into_boxed();
    if let Some(in_reach) = scope.customer_filter() {
        query = query.filter(in_reach);
    }
    query
        .first(conn)
        .optional()?
        .map(|customer| Owned::found_in(scope, customer))
        .ok_or(CustomerError::NotFound)
}

/// The customer `customer_id` of the member's partner, for a page: missing
/// (404) whether it belongs to someone else or does not exist.
pub async fn find_for_page(
    state: &crate::state::AppState,
    member: &crate::auth::identity::PartnerMember,
    customer_id: String,
) -> Result<Owned<Customer>, crate::web::PageError> {
    let scope = member.scope().clone();
    let customer_id = CustomerId::new(customer_id);
    crate::db::run(&state.pool, move |conn| find(conn, &scope, &customer_id))
        .await
        .map_err(page_error)
}

/// The customer `customer_id` of the member's partner with what `read` loads
/// of it, in one trip to the database, for a page: the customer is missing
/// (`CustomerError::NotFound`) whether it belongs to someone else or does not
/// exist, and `read` never runs then.
pub async fn read_for_page<T, E>(
    state: &crate::state::AppState,
    member: &crate::auth::identity::PartnerMember,
    customer_id: String,
    read: impl FnOnce(&mut DbConnection, &Owned<Customer>) -> Result<T, E> + Send + 'static,
) -> Result<(Customer, T), E>
where
    T: Send + 'static,
    E: From<CustomerError> + From<crate::db::DbError> + Send + 'static,
{
    let scope = member.scope().clone();
    let customer_id = CustomerId::new(customer_id);
    crate::db::run(&state.pool, move |conn| {
        let customer = find(conn, &scope, &customer_id)?;
        let read = read(conn, &customer)?;
        Ok((customer.into_inner(), read))
    })
    .await
}

/// The text searched by partial name or domain, in one lower-case string.
pub fn search_text(name: &str, domain: &str) -> String {
    format!("{} {}", name.to_lowercase(), domain.to_lowercase())
}

/// Records in the activity log a change a partner member made to one of the
/// partner's customers, named as it was found.
pub fn record_change(
    conn: &mut DbConnection,
    change: &crate::tenancy::PartnerChange,
    customer: &Owned<Customer>,
    action: crate::audit::Action,
    details: &str,
) -> QueryResult<()> {
    record_on_account(
        conn,
        change.now,
        (&customer.id, Some(change.partner_id())),
        change.actor(),
        action,
        &customer.name,
        details,
    )
}

/// Records in the activity log what `actor` did to one customer account,
/// `account` being (the customer's id, its partner's id): the entry shows in
/// the account's log and in its partner's.
pub fn record_on_account(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    account: (&CustomerId, Option<&PartnerId>),
    actor: crate::audit::Actor<'_>,
    action: crate::audit::Action,
    target: &str,
    details: &str,
) -> QueryResult<()> {
    let (customer_id, partner_id) = account;
    crate::audit::record(
        conn,
        now,
        crate::audit::Entry {
            partner_id: partner_id.map(PartnerId::as_str),
            customer_id: Some(customer_id.as_str()),
            actor,
            action,
            target,
            details,
        },
    )
}
