//! The list page: the view read from the URL, one page of it loaded, rendered.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime};

use super::rows::{Listing, load};
use super::view::{PAGE_SIZES, RawView, SortKey, View};
use crate::access::Capability;
use crate::customers::{BillingType, CustomerState, Health, LicenceStatus};
use crate::db::{self, DbError};
use crate::i18n::Lang;
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render};

#[derive(Template)]
#[template(path = "customers/list.html")]
struct ListPage {
    layout: PageContext,
    view: View,
    listing: Listing,
    pages: i64,
    can_create: bool,
    sort_keys: [SortKey; 4],
    licence_statuses: &'static [LicenceStatus],
    billing_types: &'static [BillingType],
    healths: &'static [Health],
    states: &'static [CustomerState],
    page_sizes: [i64; 3],
    lang: Lang,
}

impl ListPage {
    fn day(&self, day: &NaiveDate) -> String {
        crate::i18n::format_date(*day, self.lang)
    }

    fn date(&self, day: &Option<NaiveDate>) -> String {
        day.map(|d| crate::i18n::format_date(d, self.lang))
            .unwrap_or_default()
    }

    fn created(&self, at: &NaiveDateTime) -> String {
        crate::i18n::format_date(at.date(), self.lang)
    }

    fn sort_label(&self, key: &SortKey) -> String {
        self.layout.tr.t(format!("customers-sort-{}", key.as_str()))
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

    fn showing(&self) -> String {
        let first = (self.view.page - 1) * self.view.per_page + 1;
        let last = (first + self.listing.rows.len() as i64 - 1).max(first);
        self.layout.tr.with_numbers(
            "customers-showing",
            &[],
            &[
                ("first", first.into()),
                ("last", last.into()),
                ("total", self.listing.total.into()),
            ],
        )
    }
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    query: web::Query<RawView>,
) -> Result<HttpResponse, PageError> {
    let view = View::from(query.into_inner()).at(state.clock.now());
    let scope = member.scope().clone();
    let wanted = view.clone();
    let listing = db::run(&state.pool, move |conn| {
        load(conn, &scope, &wanted).map_err(DbError::from)
    })
    .await?;
    let pages = ((listing.total + view.per_page - 1) / view.per_page).max(1);
    let lang = layout.lang;
    render(&ListPage {
        layout,
        view,
        listing,
        pages,
        can_create: member.role.can(Capability::ManageCustomers),
        sort_keys: SortKey::ALL,
        licence_statuses: LicenceStatus::ALL,
        billing_types: BillingType::ALL,
        healths: Health::ALL,
        states: CustomerState::ALL,
        page_sizes: PAGE_SIZES,
        lang,
    })
}
