//! The customer console (`/customer`): the account as the customer's people see
//! it, and partner assistance.

pub mod activity;
pub mod assistance;
pub mod rollup;
pub mod sites;
pub mod users;

/// What a change made in the console needs to know, owned, for the database thread.
pub struct CustomerChange {
    pub now: chrono::NaiveDateTime,
    pub customer_id: String,
    /// The partner whose user is doing this through "open customer", if so.
    pub assisting_partner_id: Option<String>,
    login_id: String,
    name: String,
    membership_id: String,
    on_behalf_of: Option<String>,
}

impl CustomerChange {
    /// The real person making the change.
    pub fn login_id(&self) -> &str {
        &self.login_id
    }

    /// The real person's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Records an action on the account in its log, and in the partner's when the
    /// partner's user did it through "open customer".
    pub fn record(
        &self,
        conn: &mut crate::db::DbConnection,
        action: crate::audit::Action,
        target: &str,
        details: &str,
    ) -> diesel::QueryResult<()> {
        crate::audit::record(
            conn,
            self.now,
            crate::audit::Entry {
                partner_id: self.assisting_partner_id.as_deref(),
                customer_id: Some(&self.customer_id),
                actor: self.actor(),
                action,
                target,
                details,
            },
        )
    }

    /// The real person, and the partner they act for when they opened the account.
    pub fn actor(&self) -> crate::audit::Actor<'_> {
        crate::audit::Actor {
            login_id: Some(&self.login_id),
            name: &self.name,
            membership_id: Some(&self.membership_id),
            on_behalf_of: self.on_behalf_of.as_deref(),
        }
    }
}

/// Runs `work` in one write transaction, in the member's account and name.
pub async fn change_as<T, E>(
    state: &crate::state::AppState,
    member: &CustomerMember,
    work: impl FnOnce(&mut crate::db::DbConnection, &CustomerChange) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + From<diesel::result::Error> + Send + 'static,
{
    change_once_confirmed(state, member, crate::web::confirm::Confirmed::YES, work).await
}

/// As `change_as` once the person has `confirmed` the change; until then it is
/// only rehearsed (`db::rehearse`), for the page that asks them to confirm it.
pub async fn change_once_confirmed<T, E>(
    state: &crate::state::AppState,
    member: &CustomerMember,
    confirmed: crate::web::confirm::Confirmed,
    work: impl FnOnce(&mut crate::db::DbConnection, &CustomerChange) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<crate::db::DbError> + From<diesel::result::Error> + Send + 'static,
{
    let assisting = member.identity.assisting.as_ref();
    let change = CustomerChange {
        now: state.clock.now(),
        customer_id: member.customer_id().to_owned(),
        assisting_partner_id: assisting.map(|a| a.partner_id.clone()),
        login_id: member.identity.login.id.clone(),
        name: member.identity.login.full_name.clone(),
        membership_id: member.membership.id.clone(),
        on_behalf_of: assisting.map(|a| a.partner_name.clone()),
    };
    crate::db::run(&state.pool, move |conn| {
        if confirmed.yes() {
            crate::db::write_transaction(conn, |conn| work(conn, &change))
        } else {
            crate::db::rehearse(conn, |conn| work(conn, &change))
        }
    })
    .await
}

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::identity::CustomerMember;
use crate::customers::Customer;
use crate::customers::details::{Licence, licences_of};
use crate::db::schema::{customer_accounts, partner_organisations, sites as site_rows};
use crate::db::{self, DbError};
use crate::i18n::format_date;
use crate::state::AppState;
use crate::web::{Layout, PageError, render};

/// The account as its own people see it: details, subscription, licences
/// and sites.
pub struct Overview {
    pub customer: Customer,
    pub partner: Option<String>,
    pub sites: Vec<String>,
    pub licences: Vec<Licence>,
}

#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage {
    layout: Layout,
    overview: Overview,
    rollup: rollup::Rollup,
    role_key: &'static str,
    today: NaiveDate,
}

impl HomePage {
    fn optional_date(&self, day: &Option<NaiveDate>) -> String {
        day.map(|d| format_date(d, self.layout.lang))
            .unwrap_or_default()
    }

    fn country(&self) -> String {
        self.overview.customer.country_name(self.layout.lang)
    }

    fn term(&self) -> String {
        let c = &self.overview.customer;
        let current = self.layout.tr.t(c.term_on(self.today).label_key());
        match c.pending_term(self.today) {
            Some((term, from)) => format!(
                "{current} · {}",
                self.layout.tr.with(
                    "customer-term-pending",
                    &[
                        ("term", &self.layout.tr.t(term.label_key())),
                        ("date", &format_date(from, self.layout.lang)),
                    ],
                )
            ),
            None => current,
        }
    }
}

pub async fn home(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
) -> Result<HttpResponse, PageError> {
    if member.membership.sub_account.is_some() {
        return rollup::operator_home(&state, layout, &member).await;
    }
    let customer_id = member.customer_id().to_owned();
    let wanted = rollup::Wanted::of(&layout);
    let viewer = crate::monitoring::scope::Viewer::of(&member);
    let now = state.clock.now();
    let (overview, rollup) = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        let (customer, partner): (Customer, Option<String>) = customer_accounts::table
            .left_join(partner_organisations::table)
            .filter(customer_accounts::id.eq(&customer_id))
            .select((
                Customer::as_select(),
                partner_organisations::name.nullable(),
            ))
            .first(conn)?;
        let sites = site_rows::table
            .filter(site_rows::customer_id.eq(&customer_id))
            .order((site_rows::created_at.asc(), site_rows::id.asc()))
            .select(site_rows::name)
            .load(conn)?;
        let licences = licences_of(conn, &customer_id)?;
        let rollup = rollup::account(conn, &viewer, &wanted, now)?;
        Ok((
            Overview {
                customer,
                partner,
                sites,
                licences,
            },
            rollup,
        ))
    })
    .await?;
    render(&HomePage {
        layout,
        overview,
        rollup,
        role_key: member.role.label_key(),
        today: state.clock.now().date(),
    })
}
