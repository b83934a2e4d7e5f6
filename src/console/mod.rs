//! The customer console (`/customer`): the account as the customer's people see
//! it, and partner assistance.

pub mod activity;
pub mod assistance;
pub mod home_figures;
pub mod monitor_sharing;
pub mod sites;
pub mod users;

use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;

use crate::customers::Customer;
use crate::customers::details::{Licence, licences_of};
use crate::db::schema::{customer_accounts, partner_organisations, sites as site_rows};
use crate::db::{self, DbError};
use crate::i18n::format_date;
use crate::web::{CustomerPage, PageContext, PageError, PageOf, render};

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
    layout: PageContext,
    overview: Overview,
    figures: home_figures::HomeFigures,
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

pub async fn home(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
    if member.membership.sub_account.is_some() {
        return home_figures::operator_home(&state, layout, &member).await;
    }
    let customer_id = member.customer_id().to_owned();
    let wanted = home_figures::Wanted::of(&layout);
    let viewer = member.scope().clone();
    let now = state.clock.now();
    let (overview, figures) = db::run(&state.pool, move |conn| -> Result<_, DbError> {
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
        let figures = home_figures::account(conn, &viewer, &wanted, now)?;
        Ok((
            Overview {
                customer,
                partner,
                sites,
                licences,
            },
            figures,
        ))
    })
    .await?;
    render(&HomePage {
        layout,
        overview,
        figures,
        role_key: member.role.label_key(),
        today: state.clock.now().date(),
    })
}
