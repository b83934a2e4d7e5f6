//! Orders: the partner orders an offer for a customer; the order becomes a
//! subscription or a reservation on the customer's account. The order history
//! shows every order of the customer, newest first, with who placed it, for the
//! partner and for the customer.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::{Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::catalogue::{self, Offer};
use super::review::{self, Quote};
use super::{CommerceError, OfferKind, PlacedBy, money, page_error};
use crate::access::Capability;
use crate::audit::{self, Action};
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::customers::{self, Customer};
use crate::db::schema::{licences, orders, partner_organisations, reservations, subscriptions};
use crate::db::{self, DbConnection};
use crate::i18n::{Lang, format_time};
use crate::partner::change_once_confirmed;
use crate::state::AppState;
use crate::web::confirm::Confirmed;
use crate::web::{FieldErrors, Layout, PageError, render, see_other};

/// The most a single order may hold.
pub const MAX_QUANTITY: i32 = 100_000;

/// Why an order is placed: a first purchase, or a partner's renewal or exchange
/// of a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Purchase,
    Renewal,
    Exchange,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Purchase => "purchase",
            Purpose::Renewal => "renewal",
            Purpose::Exchange => "exchange",
        }
    }

    fn label_key(value: &str) -> &'static str {
        match value {
            "renewal" => "order-purpose-renewal",
            "exchange" => "order-purpose-exchange",
            _ => "order-purpose-purchase",
        }
    }
}

/// Who places an order, and when.
pub struct Buyer<'a> {
    pub placed_by: PlacedBy,
    /// None for orders made by the demo data or the operator.
    pub login_id: Option<&'a str>,
    pub name: &'a str,
    pub now: NaiveDateTime,
}

/// What an order is for, checked against the catalogue and the customer.
pub struct OrderLine<'a> {
    pub offer: &'a Offer,
    pub quantity: i32,
    /// The usage subscription a reservation applies to.
    pub subscription_id: Option<&'a str>,
    pub purpose: Purpose,
    pub starts_on: NaiveDate,
}

/// What an order created on the account.
pub struct Placed {
    pub order_id: String,
    pub item_id: String,
}

/// The end of a term of `months` starting on `from`.
pub fn term_end(from: NaiveDate, months: i32) -> NaiveDate {
    from.checked_add_months(Months::new(months.max(0) as u32))
        .unwrap_or(from)
}

/// Whether `subscription_id` is an active usage subscription of the customer.
pub fn is_active_usage_subscription(
    conn: &mut DbConnection,
    customer_id: &str,
    subscription_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        subscriptions::table
            .filter(subscriptions::id.eq(subscription_id))
            .filter(subscriptions::customer_id.eq(customer_id))
            .filter(subscriptions::kind.eq(OfferKind::UsageSubscription.as_str()))
            .filter(subscriptions::state.eq("active")),
    ))
    .get_result(conn)
}

/// Writes the order and what it becomes; the caller runs it in a write
/// transaction and has scoped `customer` to the membership in the session.
pub fn place(
    conn: &mut DbConnection,
    customer: &Customer,
    partner_id: &str,
    buyer: &Buyer<'_>,
    line: &OrderLine<'_>,
) -> Result<Placed, CommerceError> {
    let kind = line.offer.kind();
    let subscription_id = match (kind, line.subscription_id) {
        (OfferKind::Reservation, Some(id))
            if is_active_usage_subscription(conn, &customer.id, id)? =>
        {
            Some(id.to_owned())
        }
        (OfferKind::Reservation, _) => {
            return Err(CommerceError::field(
                "subscription_id",
                "order-subscription-required",
            ));
        }
        _ => None,
    };
    let order_id = insert_order(
        conn,
        customer,
        partner_id,
        buyer,
        line.offer,
        line.quantity,
        line.purpose,
    )?;
    let item_id = uuid::Uuid::new_v4().to_string();
    let ends_on = term_end(line.starts_on, line.offer.term_months);
    match (kind, subscription_id) {
        (OfferKind::Reservation, Some(subscription_id)) => {
            diesel::insert_into(reservations::table)
                .values((
                    reservations::id.eq(&item_id),
                    reservations::customer_id.eq(&customer.id),
                    reservations::order_id.eq(&order_id),
                    reservations::offer_id.eq(&line.offer.id),
                    reservations::subscription_id.eq(subscription_id),
                    reservations::name.eq(&line.offer.name),
                    reservations::quantity.eq(line.quantity),
                    reservations::state.eq("active"),
                    reservations::starts_on.eq(line.starts_on),
                    reservations::ends_on.eq(ends_on),
                    reservations::bought_by.eq(buyer.placed_by.as_str()),
                    reservations::created_at.eq(buyer.now),
                    reservations::updated_at.eq(buyer.now),
                ))
                .execute(conn)?;
        }
        _ => {
            let ends_on = (kind == OfferKind::TermSubscription).then_some(ends_on);
            diesel::insert_into(subscriptions::table)
                .values((
                    subscriptions::id.eq(&item_id),
                    subscriptions::customer_id.eq(&customer.id),
                    subscriptions::order_id.eq(&order_id),
                    subscriptions::offer_id.eq(&line.offer.id),
                    subscriptions::name.eq(&line.offer.name),
                    subscriptions::kind.eq(kind.as_str()),
                    subscriptions::quantity.eq(line.quantity),
                    subscriptions::state.eq("active"),
                    subscriptions::started_on.eq(line.starts_on),
                    subscriptions::ends_on.eq(ends_on),
                    subscriptions::created_at.eq(buyer.now),
                ))
                .execute(conn)?;
            // Seats bought for a term show with the customer's licences, so the
            // list's licence filters and "only my products" count them.
            if kind == OfferKind::TermSubscription {
                diesel::insert_into(licences::table)
                    .values((
                        licences::id.eq(uuid::Uuid::new_v4().to_string()),
                        licences::customer_id.eq(&customer.id),
                        licences::product.eq(&line.offer.name),
                        licences::quantity.eq(line.quantity),
                        licences::status.eq("active"),
                        licences::supplied_by_partner_id.eq(partner_id),
                        licences::expires_on.eq(ends_on),
                        licences::created_at.eq(buyer.now),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(Placed { order_id, item_id })
}

/// What `quantity` units of `offer` cost, when the quantity is one an order may hold.
pub fn total_cents(offer: &Offer, quantity: i32) -> Result<i64, CommerceError> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(CommerceError::field("quantity", "order-quantity-invalid"));
    }
    offer
        .unit_price_cents
        .checked_mul(i64::from(quantity))
        .ok_or(CommerceError::field("quantity", "order-quantity-invalid"))
}

/// Writes the order row alone: for a renewal, which extends what exists.
pub fn insert_order(
    conn: &mut DbConnection,
    customer: &Customer,
    partner_id: &str,
    buyer: &Buyer<'_>,
    offer: &Offer,
    quantity: i32,
    purpose: Purpose,
) -> Result<String, CommerceError> {
    let total = total_cents(offer, quantity)?;
    let kind = offer.kind();
    let order_id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(orders::table)
        .values((
            orders::id.eq(&order_id),
            orders::customer_id.eq(&customer.id),
            orders::partner_id.eq(partner_id),
            orders::offer_id.eq(&offer.id),
            orders::offer_name.eq(&offer.name),
            orders::offer_kind.eq(kind.as_str()),
            orders::purpose.eq(purpose.as_str()),
            orders::quantity.eq(quantity),
            orders::unit_price_cents.eq(offer.unit_price_cents),
            orders::total_cents.eq(total),
            orders::currency.eq(&offer.currency),
            orders::placed_by.eq(buyer.placed_by.as_str()),
            orders::placed_by_login_id.eq(buyer.login_id),
            orders::placed_by_name.eq(buyer.name),
            orders::created_at.eq(buyer.now),
        ))
        .execute(conn)?;
    Ok(order_id)
}

/// "3 × Reserved VM D2s (12 months)", for the activity log.
pub fn describe(offer: &Offer, quantity: i32) -> String {
    if offer.term_months > 0 {
        format!("{quantity} × {} ({} m)", offer.name, offer.term_months)
    } else {
        format!("{quantity} × {}", offer.name)
    }
}

/// One line of the order history.
pub struct HistoryRow {
    pub id: String,
    pub at: String,
    pub offer: String,
    pub kind_key: &'static str,
    pub purpose_key: &'static str,
    pub quantity: i32,
    pub total: String,
    pub placed_by: String,
    pub by_customer: bool,
    pub billed_to: String,
}

type HistoryData = (
    String,
    NaiveDateTime,
    String,
    String,
    String,
    i32,
    i64,
    String,
    String,
    String,
    String,
);

/// The customer's orders, newest first; the caller has scoped `customer_id`.
pub fn history(
    conn: &mut DbConnection,
    customer_id: &str,
    zone: chrono_tz::Tz,
    lang: Lang,
) -> QueryResult<Vec<HistoryRow>> {
    let rows: Vec<HistoryData> = orders::table
        .inner_join(partner_organisations::table)
        .filter(orders::customer_id.eq(customer_id))
        .order((orders::created_at.desc(), orders::id.desc()))
        .select((
            orders::id,
            orders::created_at,
            orders::offer_name,
            orders::offer_kind,
            orders::purpose,
            orders::quantity,
            orders::total_cents,
            orders::currency,
            orders::placed_by,
            orders::placed_by_name,
            partner_organisations::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, at, offer, kind, purpose, quantity, total, currency, by, name, partner)| {
                HistoryRow {
                    id,
                    at: format_time(at, zone, lang),
                    offer,
                    kind_key: OfferKind::parse(&kind)
                        .unwrap_or(OfferKind::UsageSubscription)
                        .label_key(),
                    purpose_key: Purpose::label_key(&purpose),
                    quantity,
                    total: money::format(total, &currency, lang),
                    placed_by: name,
                    by_customer: PlacedBy::parse(&by) == PlacedBy::Customer,
                    billed_to: partner,
                }
            },
        )
        .collect())
}

pub use crate::tenancy::purchase_permission::usage_subscriptions;

/// An offer as the order form lists it.
pub struct OfferChoice {
    pub id: String,
    pub label: String,
}

pub fn offer_choices(offers: &[Offer], tr: &crate::i18n::Translator) -> Vec<OfferChoice> {
    offers
        .iter()
        .map(|offer| {
            let price = money::format(offer.unit_price_cents, &offer.currency, tr.lang);
            let per = match offer.kind() {
                OfferKind::Reservation => tr.with_numbers(
                    "offer-per-term",
                    &[],
                    &[("months", offer.term_months.into())],
                ),
                _ => tr.t("offer-per-month"),
            };
            OfferChoice {
                id: offer.id.clone(),
                label: format!(
                    "{} · {} · {price} {per}",
                    offer.name,
                    tr.t(offer.kind().label_key())
                ),
            }
        })
        .collect()
}

/// The order form, posted; also read from the query string when Back returns
/// to it from the review, with the values typed.
#[derive(Deserialize, Default, Clone)]
pub struct OrderForm {
    #[serde(default)]
    pub offer_id: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub subscription_id: String,
    #[serde(default)]
    pub confirmed: Confirmed,
}

impl OrderForm {
    /// The form as first shown: the values Back brought, else a quantity of one.
    pub fn or_one(mut self) -> Self {
        if self.quantity.is_empty() {
            self.quantity = "1".into();
        }
        self
    }

    /// The quantity typed, or the message id saying why it is refused.
    pub fn quantity(&self) -> Result<i32, &'static str> {
        match self.quantity.trim().parse::<i32>() {
            Ok(n) if (1..=MAX_QUANTITY).contains(&n) => Ok(n),
            _ => Err("order-quantity-invalid"),
        }
    }
}

#[derive(Template)]
#[template(path = "commerce/orders.html")]
struct OrdersPage {
    layout: Layout,
    customer: Customer,
    rows: Vec<HistoryRow>,
    offers: Vec<OfferChoice>,
    usage_subscriptions: Vec<(String, String)>,
    can_order: bool,
    form: OrderForm,
    errors: FieldErrors,
}

async fn orders_page(
    state: &AppState,
    layout: Layout,
    member: &PartnerMember,
    customer_id: String,
    form: OrderForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().to_owned();
    let zone = member.identity.login.time_zone;
    let lang = layout.lang;
    let (customer, rows, offers, usage_subscriptions) =
        db::run(&state.pool, move |conn| -> Result<_, CommerceError> {
            let customer = customers::find(conn, &partner_id, &customer_id)?;
            let rows = history(conn, &customer.id, zone, lang)?;
            let offers = catalogue::active(conn, None)?;
            let usage = usage_subscriptions(conn, &customer.id)?;
            Ok((customer, rows, offers, usage))
        })
        .await
        .map_err(page_error)?;
    let offers = offer_choices(&offers, &layout.tr);
    render(&OrdersPage {
        can_order: member.role.can(Capability::ManageCustomers),
        layout,
        customer,
        rows,
        offers,
        usage_subscriptions,
        form,
        errors,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
    typed: web::Query<OrderForm>,
) -> Result<HttpResponse, PageError> {
    let form = typed.into_inner().or_one();
    orders_page(
        &state,
        layout,
        &member,
        customer_id.into_inner(),
        form,
        FieldErrors::default(),
    )
    .await
}

pub async fn place_order(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    customer_id: web::Path<String>,
    form: web::Form<OrderForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let quantity = form
        .quantity()
        .map_err(|key| errors.add(&layout.tr, "quantity", key))
        .ok();
    let typed = form.clone();
    let id = customer_id.clone();
    let outcome = change_once_confirmed(&state, &member, form.confirmed, move |conn, change| {
        // The customer first: another partner's id is missing whatever the form says.
        let customer = customers::find(conn, &change.partner_id, &id)?;
        let offer = catalogue::find_active(conn, &typed.offer_id)?
            .ok_or(CommerceError::field("offer_id", "order-offer-required"))?;
        let quantity =
            quantity.ok_or(CommerceError::field("quantity", "order-quantity-invalid"))?;
        let line = OrderLine {
            offer: &offer,
            quantity,
            subscription_id: Some(typed.subscription_id.as_str()).filter(|s| !s.is_empty()),
            purpose: Purpose::Purchase,
            starts_on: change.now.date(),
        };
        let buyer = Buyer {
            placed_by: PlacedBy::Partner,
            login_id: Some(&change.login_id),
            name: &change.name,
            now: change.now,
        };
        place(conn, &customer, &change.partner_id, &buyer, &line)?;
        audit::record(
            conn,
            change.now,
            audit::Entry {
                partner_id: Some(&change.partner_id),
                customer_id: Some(&customer.id),
                actor: change.actor(),
                action: Action::OrderPlaced,
                target: &customer.name,
                details: &describe(&offer, quantity),
            },
        )?;
        Quote::new(conn, &customer.name, &change.partner_id, &line)
    })
    .await;
    match outcome {
        Ok(quote) if !form.confirmed.yes() => {
            let action = format!("/partner/customers/{customer_id}/orders");
            review::of_order(
                &layout.tr,
                &quote,
                PlacedBy::Partner,
                action,
                "place-order",
                &form,
            )
            .render(layout)
        }
        Ok(_) => {
            FlashMessage::success("flash-order-placed").send();
            Ok(see_other(&format!(
                "/partner/customers/{customer_id}/orders"
            )))
        }
        Err(CommerceError::Field { field, message_key }) => {
            if !errors.has(field) {
                errors.add(&layout.tr, field, message_key);
            }
            orders_page(&state, layout, &member, customer_id, form, errors).await
        }
        Err(error) => Err(page_error(error)),
    }
}

#[derive(Template)]
#[template(path = "commerce/customer_orders.html")]
struct CustomerOrdersPage {
    layout: Layout,
    rows: Vec<HistoryRow>,
}

/// The customer's own order history, with what the partner and the customer
/// placed.
pub async fn customer_page(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let zone = member.identity.login.time_zone;
    let lang = layout.lang;
    let rows = db::run(&state.pool, move |conn| {
        history(conn, &customer_id, zone, lang).map_err(db::DbError::from)
    })
    .await?;
    render(&CustomerOrdersPage { layout, rows })
}
