//! The health pages: a customer's services, their states and the incidents'
//! timelines, for the partner (`/partner/customers/{id}/health`) and for the
//! customer's own people (`/customer/health`).

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Incident, Service, overview};
use crate::customers::{self, CustomerError, Health};
use crate::db;
use crate::i18n::format_time;
use crate::web::{CustomerPage, PageContext, PageError, PageOf, PartnerPage, render};

#[derive(Template)]
#[template(path = "service_health/health.html")]
struct HealthPage {
    layout: PageContext,
    customer_name: String,
    health: Health,
    services: Vec<Service>,
    incidents: Vec<Incident>,
    /// Where "back" goes: the partner's details page or the console's home.
    back: String,
    /// On the partner's side, the customer whose pages the tabs lead to.
    partner_customer_id: Option<String>,
    zone: chrono_tz::Tz,
}

impl HealthPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }

    /// The name of a timeline entry's state (advisory, incident or resolved).
    fn entry_state(&self, code: &str) -> String {
        self.layout.tr.t(format!("health-{code}"))
    }

    fn entry_icon(&self, code: &str) -> &'static str {
        match Health::parse(code) {
            Some(h) => h.icon(),
            None => Health::Healthy.icon(),
        }
    }
}

fn zone_of(layout: &PageContext) -> chrono_tz::Tz {
    layout
        .identity
        .as_ref()
        .map_or(chrono_tz::UTC, |i| i.login.time_zone)
}

pub async fn partner_page(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (customer, (services, incidents)) =
        customers::read_for_page(&state, &member, path.into_inner(), |conn, customer| {
            overview(conn, &customer.id).map_err(CustomerError::from)
        })
        .await
        .map_err(customers::page_error)?;
    render(&HealthPage {
        zone: zone_of(&layout),
        layout,
        health: customer.health(),
        back: format!("/partner/customers/{}", customer.id),
        partner_customer_id: Some(customer.id.into_string()),
        customer_name: customer.name,
        services,
        incidents,
    })
}

pub async fn customer_page(
    PageOf(state, layout, member): CustomerPage,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let (level, (services, incidents)) = db::run(&state.pool, move |conn| {
        use crate::db::schema::customer_accounts;
        use diesel::prelude::*;
        let level: i32 = customer_accounts::table
            .find(&customer_id)
            .select(customer_accounts::health_level)
            .first(conn)?;
        Ok::<_, db::DbError>((level, overview(conn, &customer_id)?))
    })
    .await?;
    render(&HealthPage {
        zone: zone_of(&layout),
        layout,
        health: Health::from_level(level),
        back: "/customer".to_owned(),
        customer_name: member.membership.tenant_name.clone(),
        services,
        incidents,
        partner_customer_id: None,
    })
}
