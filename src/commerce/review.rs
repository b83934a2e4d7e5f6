//! What an order, a renewal, an exchange or a cancellation will do, for the
//! page that asks to confirm it (`web::confirm`): the offer, its unit price, the
//! quantity, the period, the total and who is billed.

use crate::ids::PartnerId;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::catalogue::Offer;
use super::orders::OrderForm;
use super::reservations::Held;
use super::{CommerceError, OfferKind, PlacedBy, money, orders};
use crate::db::DbConnection;
use crate::db::schema::{partner_organisations, subscriptions};
use crate::i18n::{Translator, format_date};
use crate::web::confirm::{Review, back_to};

/// An order as it will be placed.
pub struct Quote {
    pub customer: String,
    /// The partner organisation the order is billed to.
    pub billed_to: String,
    pub offer: Offer,
    pub quantity: i32,
    pub total_cents: i64,
    /// The usage subscription a reservation applies to, by name.
    pub subscription: Option<String>,
    pub starts_on: NaiveDate,
    /// None for a usage subscription, which runs month by month.
    pub ends_on: Option<NaiveDate>,
}

impl Quote {
    /// Reads the names the review shows: the partner billed and the subscription.
    pub fn new(
        conn: &mut DbConnection,
        customer: &str,
        partner_id: &PartnerId,
        line: &orders::OrderLine<'_>,
    ) -> Result<Quote, CommerceError> {
        let billed_to: String = partner_organisations::table
            .find(partner_id)
            .select(partner_organisations::name)
            .first(conn)?;
        let subscription = match line.subscription_id {
            Some(id) if line.offer.kind() == OfferKind::Reservation => subscriptions::table
                .find(id)
                .select(subscriptions::name)
                .first(conn)
                .optional()?,
            _ => None,
        };
        Ok(Quote {
            customer: customer.to_owned(),
            billed_to,
            offer: line.offer.clone(),
            quantity: line.quantity,
            total_cents: orders::total_cents(line.offer, line.quantity)?,
            subscription,
            starts_on: line.starts_on,
            ends_on: (line.offer.kind() != OfferKind::UsageSubscription)
                .then(|| orders::term_end(line.starts_on, line.offer.term_months)),
        })
    }

    /// A reservation is paid for its whole term; the other offers each month.
    fn monthly(&self) -> bool {
        self.offer.kind() != OfferKind::Reservation
    }

    /// The total as the reader writes amounts, "per month" when it recurs.
    pub fn total(&self, tr: &Translator) -> String {
        let total = money::format(self.total_cents, &self.offer.currency, tr.lang);
        if self.monthly() {
            tr.with("confirm-per-month", &[("amount", &total)])
        } else {
            total
        }
    }

    /// The figures, in the order a buyer checks them.
    pub fn facts(&self, tr: &Translator, review: Review) -> Review {
        let price = money::format(self.offer.unit_price_cents, &self.offer.currency, tr.lang);
        let per = if self.monthly() {
            tr.t("offer-per-month")
        } else {
            tr.with(
                "offer-per-term",
                &[("months", &self.offer.term_months.to_string())],
            )
        };
        let from = format_date(self.starts_on, tr.lang);
        let period = match self.ends_on {
            Some(until) => tr.with(
                "confirm-period-dates",
                &[("from", &from), ("until", &format_date(until, tr.lang))],
            ),
            None => tr.with("confirm-period-open", &[("from", &from)]),
        };
        let offer = format!(
            "{} ({})",
            self.offer.name,
            tr.t(self.offer.kind().label_key())
        );
        let mut review = review
            .fact(tr, "offer", "confirm-offer", offer)
            .fact(
                tr,
                "unit-price",
                "confirm-unit-price",
                format!("{price} {per}"),
            )
            .fact(
                tr,
                "quantity",
                "confirm-quantity",
                self.quantity.to_string(),
            )
            .fact(tr, "period", "confirm-period", period);
        if let Some(subscription) = &self.subscription {
            review = review.fact(
                tr,
                "subscription",
                "confirm-subscription",
                subscription.clone(),
            );
        }
        review
            .fact(tr, "total", "confirm-total", self.total(tr))
            .fact(tr, "billed-to", "confirm-billed-to", self.billed_to.clone())
    }

    /// "3 × Reserved VM, 3 years": what is bought, without a plural to agree.
    pub fn line(&self) -> String {
        format!("{} × {}", self.quantity, self.offer.name)
    }
}

/// The review of the order typed in `form`, which posts to `action`: by the
/// partner for its customer, or by the customer for itself (billed to the
/// partner all the same). Back returns to the form, at `#anchor`, as typed.
pub fn of_order(
    tr: &Translator,
    quote: &Quote,
    placed_by: PlacedBy,
    action: String,
    anchor: &str,
    form: &OrderForm,
) -> Review {
    let values = [
        ("offer_id", form.offer_id.as_str()),
        ("quantity", form.quantity.as_str()),
        ("subscription_id", form.subscription_id.as_str()),
    ];
    let back = back_to(&action, &values, anchor);
    let total = quote.total(tr);
    let (heading, summary) = match placed_by {
        PlacedBy::Partner => (
            "confirm-order-heading",
            tr.with(
                "confirm-order-summary",
                &[
                    ("line", &quote.line()),
                    ("customer", &quote.customer),
                    ("total", &total),
                    ("partner", &quote.billed_to),
                ],
            ),
        ),
        PlacedBy::Customer => (
            "confirm-purchase-heading",
            tr.with(
                "confirm-purchase-summary",
                &[
                    ("line", &quote.line()),
                    ("total", &total),
                    ("partner", &quote.billed_to),
                ],
            ),
        ),
    };
    let mut review = Review::new(tr, heading, action, back).summary(summary);
    if placed_by == PlacedBy::Partner {
        review = review.fact(tr, "customer", "confirm-customer", quote.customer.clone());
    }
    let mut review = quote.facts(tr, review);
    for (name, value) in values {
        review = review.field(name, value);
    }
    review
}

/// What a partner's change to a reservation did, or would do before it is
/// confirmed.
pub enum Done {
    /// The customer's name and the reservation cancelled.
    Cancelled(String, Held),
    Renewed(Quote),
    Exchanged(Held, Quote),
}

/// The review of a renewal, exchange or cancellation of the reservation
/// `reservation_id`, listed on `page`; Back returns to its row there, with the
/// exchange's values when it is one.
pub fn of_reservation_change(
    tr: &Translator,
    done: &Done,
    page: &str,
    reservation_id: &str,
) -> Review {
    let verb = match done {
        Done::Cancelled(..) => "cancel",
        Done::Renewed(_) => "renew",
        Done::Exchanged(..) => "exchange",
    };
    let action = format!("{page}/{reservation_id}/{verb}");
    let row = format!("reservation-{reservation_id}");
    let back = match done {
        Done::Exchanged(_, quote) => back_to(
            page,
            &[
                ("exchange", reservation_id),
                ("offer_id", &quote.offer.id),
                ("quantity", &quote.quantity.to_string()),
            ],
            &row,
        ),
        _ => back_to(page, &[], &row),
    };
    match done {
        Done::Cancelled(customer, held) => cancellation(tr, customer, held, action, back),
        Done::Renewed(quote) => renewal(tr, quote, action, back),
        Done::Exchanged(held, quote) => exchange(tr, held, quote, action, back),
    }
}

fn cancellation(
    tr: &Translator,
    customer: &str,
    held: &Held,
    action: String,
    back: String,
) -> Review {
    let line = format!("{} × {}", held.quantity, held.name);
    Review::new(tr, "confirm-cancel-heading", action, back)
        .summary(tr.with(
            "confirm-cancel-summary",
            &[("line", &line), ("customer", customer)],
        ))
        .fact(tr, "customer", "confirm-customer", customer.to_owned())
        .fact(tr, "reservation", "confirm-reservation", held.name.clone())
        .fact(
            tr,
            "quantity",
            "confirm-quantity",
            held.quantity.to_string(),
        )
        .fact(
            tr,
            "planned-end",
            "confirm-planned-end",
            format_date(held.ends_on, tr.lang),
        )
        .irreversible()
}

/// The end of the term the quote buys, as the review says it.
fn until(tr: &Translator, quote: &Quote) -> String {
    quote
        .ends_on
        .map(|d| format_date(d, tr.lang))
        .unwrap_or_default()
}

fn renewal(tr: &Translator, quote: &Quote, action: String, back: String) -> Review {
    let review = Review::new(tr, "confirm-renew-heading", action, back)
        .summary(tr.with(
            "confirm-renew-summary",
            &[
                ("line", &quote.line()),
                ("customer", &quote.customer),
                ("until", &until(tr, quote)),
                ("total", &quote.total(tr)),
                ("partner", &quote.billed_to),
            ],
        ))
        .fact(tr, "customer", "confirm-customer", quote.customer.clone());
    quote.facts(tr, review)
}

fn exchange(tr: &Translator, held: &Held, quote: &Quote, action: String, back: String) -> Review {
    let old = format!("{} × {}", held.quantity, held.name);
    let review = Review::new(tr, "confirm-exchange-heading", action, back)
        .summary(tr.with(
            "confirm-exchange-summary",
            &[
                ("old", &old),
                ("customer", &quote.customer),
                ("line", &quote.line()),
                ("until", &until(tr, quote)),
                ("total", &quote.total(tr)),
                ("partner", &quote.billed_to),
            ],
        ))
        .fact(tr, "customer", "confirm-customer", quote.customer.clone())
        .fact(tr, "replaces", "confirm-replaces", old);
    quote
        .facts(tr, review)
        .field("offer_id", &quote.offer.id)
        .field("quantity", &quote.quantity.to_string())
        .irreversible()
}
