//! The network's customer list page (`/partner/network/customers`): the
//! customers of every organisation under the member's, with a reseller column
//! and filter, read-only. Nothing on it opens a customer.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;

use super::customers::{self, NetworkCustomer, NetworkView, PAGE_SIZE, RawNetworkView};
use super::tree::Node;
use crate::customers::{BillingType, CustomerState, Health};
use crate::db::{self, DbError};
use crate::i18n::Lang;
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render};

#[derive(Template)]
#[template(path = "network/customers.html")]
struct NetworkCustomersPage {
    layout: PageContext,
    view: NetworkView,
    network: Vec<Node>,
    rows: Vec<NetworkCustomer>,
    names: HashMap<String, String>,
    total: i64,
    pages: i64,
    states: &'static [CustomerState],
    billing_types: &'static [BillingType],
    healths: &'static [Health],
    lang: Lang,
}

impl NetworkCustomersPage {
    fn reseller_of(&self, row: &NetworkCustomer) -> String {
        row.partner_id
            .as_ref()
            .and_then(|id| self.names.get(id).cloned())
            .unwrap_or_default()
    }

    fn day(&self, day: &NaiveDate) -> String {
        crate::i18n::format_date(*day, self.lang)
    }

    fn health(&self, row: &NetworkCustomer) -> Health {
        Health::from_level(row.health_level)
    }

    /// A reseller's name in the filter, indented by its depth below the
    /// member's organisation.
    fn indented(&self, node: &Node) -> String {
        format!("{}{}", "\u{a0}\u{a0}".repeat(node.depth - 1), node.name)
    }

    fn showing(&self) -> String {
        let first = (self.view.page - 1) * PAGE_SIZE + 1;
        let last = (first + self.rows.len() as i64 - 1).max(first);
        self.layout.tr.with_numbers(
            "customers-showing",
            &[],
            &[
                ("first", first.into()),
                ("last", last.into()),
                ("total", self.total.into()),
            ],
        )
    }

    fn page_of(&self) -> String {
        self.layout.tr.with_numbers(
            "customers-page-of",
            &[],
            &[
                ("page", self.view.page.into()),
                ("pages", self.pages.into()),
            ],
        )
    }
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    query: web::Query<RawNetworkView>,
) -> Result<HttpResponse, PageError> {
    let view = NetworkView::from(query.into_inner());
    let scope = member.scope().clone();
    let wanted = view.clone();
    let (network, rows, total) = db::run(&state.pool, move |conn| {
        let network = super::network_of(conn, &scope)?;
        let ids: Vec<String> = network.iter().map(|node| node.id.clone()).collect();
        let total = customers::total(conn, &ids, &wanted)?;
        let rows = customers::page(conn, &ids, &wanted)?;
        Ok::<_, DbError>((network, rows, total))
    })
    .await?;
    let names = network
        .iter()
        .map(|node| (node.id.clone(), node.name.clone()))
        .collect();
    let lang = layout.lang;
    render(&NetworkCustomersPage {
        layout,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        view,
        network,
        rows,
        names,
        total,
        states: CustomerState::ALL,
        billing_types: BillingType::ALL,
        healths: Health::ALL,
        lang,
    })
}
