//! The catalogue partners order from, as the operator keeps it
//! (`/admin/catalogue`): every offer, active ones first; adding one with the
//! checks of `partnerdesk offer add` (`NewOffer::parse_typed`); retiring one,
//! confirmed first. Orders already placed keep their copy of the offer. Both
//! changes go to the instance's activity log.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::AdminPage;
use crate::commerce::catalogue::{self, NewOffer, Offer};
use crate::commerce::money;
use crate::db::{self, DbError};
use crate::i18n::Translator;
use crate::tenancy::kinds::OfferKind;
use crate::web::confirm::{ConfirmForm, Review};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

const PAGE: &str = "/admin/catalogue";

#[derive(Template)]
#[template(path = "admin/catalogue.html")]
struct CataloguePage {
    layout: PageContext,
    offers: Vec<Offer>,
}

impl CataloguePage {
    fn kind(&self, offer: &Offer) -> String {
        self.layout.tr.t(offer.kind().label_key())
    }

    fn price(&self, offer: &Offer) -> String {
        price_of(offer, &self.layout.tr)
    }

    fn term(&self, offer: &Offer) -> String {
        term_of(offer.term_months, &self.layout.tr)
    }

    fn active_count(&self) -> usize {
        self.offers.iter().filter(|offer| offer.active).count()
    }
}

/// The unit price the way the reader writes amounts, with what it is per.
fn price_of(offer: &Offer, tr: &Translator) -> String {
    let price = money::format(offer.unit_price_cents, &offer.currency, tr.lang);
    let per = match offer.kind() {
        OfferKind::Reservation => tr.with_numbers(
            "offer-per-term",
            &[],
            &[("months", offer.term_months.into())],
        ),
        _ => tr.t("offer-per-month"),
    };
    format!("{price} {per}")
}

fn term_of(months: i32, tr: &Translator) -> String {
    if months == 0 {
        tr.t("admin-offer-no-term")
    } else {
        tr.with_numbers("admin-offer-term-months", &[], &[("months", months.into())])
    }
}

pub async fn page(PageOf(state, layout, _): AdminPage) -> Result<HttpResponse, PageError> {
    let offers = db::run(&state.pool, |conn| {
        catalogue::all(conn).map_err(DbError::from)
    })
    .await?;
    render(&CataloguePage { layout, offers })
}

/// The form as typed: every value comes back on a refusal.
#[derive(Debug, Clone, Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    term_months: String,
}

impl Default for OfferForm {
    fn default() -> Self {
        OfferForm {
            name: String::new(),
            kind: OfferKind::UsageSubscription.as_str().to_owned(),
            price: String::new(),
            currency: "EUR".to_owned(),
            term_months: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/offer_new.html")]
struct OfferFormPage {
    layout: PageContext,
    form: OfferForm,
    errors: FieldErrors,
    kinds: [OfferKind; 3],
    terms: [&'static str; 4],
}

impl OfferFormPage {
    fn term_label(&self, months: &str) -> String {
        term_of(months.parse().unwrap_or(0), &self.layout.tr)
    }
}

fn form_page(
    layout: PageContext,
    form: OfferForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    render(&OfferFormPage {
        layout,
        form,
        errors,
        kinds: OfferKind::ALL,
        terms: ["", "1", "12", "36"],
    })
}

pub async fn form(PageOf(_, layout, _): AdminPage) -> Result<HttpResponse, PageError> {
    form_page(layout, OfferForm::default(), FieldErrors::default())
}

pub async fn add(
    PageOf(state, layout, operator): AdminPage,
    form: web::Form<OfferForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let checked = NewOffer::parse_typed(
        &form.name,
        &form.kind,
        &form.price,
        &form.currency,
        &form.term_months,
    );
    let offer = match checked {
        Ok(offer) => offer,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for problem in problems.0 {
                errors.add(problem.field(), problem.message_key());
            }
            return form_page(layout, form, errors);
        }
    };
    let now = state.clock.now();
    db::run(&state.pool, move |conn| {
        catalogue::add_by_operator(conn, now, operator.actor(), &offer).map_err(DbError::from)
    })
    .await?;
    Ok(succeeded("flash-admin-offer-added", PAGE))
}

/// Retiring asks first, saying what stays: the orders placed from it.
pub async fn retire(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    if form.confirmed.yes() {
        let now = state.clock.now();
        let retired = db::run(&state.pool, move |conn| {
            catalogue::retire_by_operator(conn, now, operator.actor(), &id).map_err(DbError::from)
        })
        .await?;
        retired.ok_or(PageError::NotFound)?;
        return Ok(succeeded("flash-admin-offer-retired", PAGE));
    }
    let looked_up = id.clone();
    let (offer, orders) = db::run(&state.pool, move |conn| {
        let offer = catalogue::find(conn, &looked_up)?.filter(|offer| offer.active);
        let orders = catalogue::orders_of(conn, &looked_up)?;
        Ok::<_, DbError>((offer, orders))
    })
    .await?;
    let offer = offer.ok_or(PageError::NotFound)?;
    let tr = &layout.tr;
    Review::new(
        tr,
        "admin-confirm-retire-heading",
        format!("{PAGE}/{id}/retire"),
        PAGE.to_owned(),
    )
    .summary(tr.with_numbers(
        "admin-confirm-retire-summary",
        &[("name", &offer.name)],
        &[("orders", orders.into())],
    ))
    .fact(tr, "fact-offer", "admin-offer-name", offer.name.clone())
    .fact(
        tr,
        "fact-kind",
        "admin-offer-kind",
        tr.t(offer.kind().label_key()),
    )
    .fact(tr, "fact-price", "admin-offer-price", price_of(&offer, tr))
    .confirm_label(tr, "admin-offer-retire")
    .irreversible()
    .render(layout)
}
