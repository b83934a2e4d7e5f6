//! The order queries: placing an order and what it becomes, and reading the
//! order history.

use crate::ids::CustomerId;
use crate::ids::PartnerId;
use crate::tenancy::kinds::LicenceStatus;
use crate::tenancy::kinds::ReservationState;
use crate::tenancy::kinds::SubscriptionState;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{Buyer, OrderLine, Placed, Purpose, term_end, total_cents};
use crate::commerce::catalogue::Offer;
use crate::commerce::{CommerceError, OfferKind, PlacedBy, money};
use crate::customers::Customer;
use crate::db::DbConnection;
use crate::db::schema::{licences, orders, partner_organisations, reservations, subscriptions};
use crate::i18n::{Lang, format_time};

/// Whether `subscription_id` is an active usage subscription of the customer.
pub fn is_active_usage_subscription(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    subscription_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        subscriptions::table
            .filter(subscriptions::id.eq(subscription_id))
            .filter(subscriptions::customer_id.eq(customer_id))
            .filter(subscriptions::kind.eq(OfferKind::UsageSubscription.as_str()))
            .filter(subscriptions::state.eq(SubscriptionState::Active)),
    ))
    .get_result(conn)
}

/// Writes the order and what it becomes; the caller runs it in a write
/// transaction and has scoped `customer` to the membership in the session.
pub fn place(
    conn: &mut DbConnection,
    customer: &Customer,
    partner_id: &PartnerId,
    buyer: &Buyer<'_>,
    line: &OrderLine<'_>,
) -> Result<Placed, CommerceError> {
    let kind = line.offer.kind();
    let reservation_of = match (kind, line.subscription_id) {
        (OfferKind::Reservation, Some(id))
            if is_active_usage_subscription(conn, &customer.id, id)? =>
        {
            Some(id)
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
    let item = NewItem {
        id: uuid::Uuid::new_v4().to_string(),
        customer,
        order_id: &order_id,
        buyer,
        line,
    };
    match reservation_of {
        Some(subscription_id) => insert_reservation(conn, &item, subscription_id)?,
        None => insert_subscription(conn, &item, partner_id)?,
    }
    Ok(Placed {
        item_id: item.id,
        order_id,
    })
}

/// What an order becomes on the account, before it is written.
struct NewItem<'a> {
    id: String,
    customer: &'a Customer,
    order_id: &'a str,
    buyer: &'a Buyer<'a>,
    line: &'a OrderLine<'a>,
}

impl NewItem<'_> {
    fn ends_on(&self) -> NaiveDate {
        term_end(self.line.starts_on, self.line.offer.term_months)
    }
}

fn insert_reservation(
    conn: &mut DbConnection,
    item: &NewItem<'_>,
    subscription_id: &str,
) -> QueryResult<()> {
    let (line, now) = (item.line, item.buyer.now);
    diesel::insert_into(reservations::table)
        .values((
            reservations::id.eq(&item.id),
            reservations::customer_id.eq(&item.customer.id),
            reservations::order_id.eq(item.order_id),
            reservations::offer_id.eq(&line.offer.id),
            reservations::subscription_id.eq(subscription_id),
            reservations::name.eq(&line.offer.name),
            reservations::quantity.eq(line.quantity),
            reservations::state.eq(ReservationState::Active),
            reservations::starts_on.eq(line.starts_on),
            reservations::ends_on.eq(item.ends_on()),
            reservations::bought_by.eq(item.buyer.placed_by.as_str()),
            reservations::created_at.eq(now),
            reservations::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

fn insert_subscription(
    conn: &mut DbConnection,
    item: &NewItem<'_>,
    partner_id: &PartnerId,
) -> QueryResult<()> {
    let (line, now) = (item.line, item.buyer.now);
    let kind = line.offer.kind();
    let ends_on = (kind == OfferKind::TermSubscription).then(|| item.ends_on());
    diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::id.eq(&item.id),
            subscriptions::customer_id.eq(&item.customer.id),
            subscriptions::order_id.eq(item.order_id),
            subscriptions::offer_id.eq(&line.offer.id),
            subscriptions::name.eq(&line.offer.name),
            subscriptions::kind.eq(kind.as_str()),
            subscriptions::quantity.eq(line.quantity),
            subscriptions::state.eq(SubscriptionState::Active),
            subscriptions::started_on.eq(line.starts_on),
            subscriptions::ends_on.eq(ends_on),
            subscriptions::created_at.eq(now),
        ))
        .execute(conn)?;
    // Seats bought for a term show with the customer's licences, so the
    // list's licence filters and "only my products" count them.
    if kind == OfferKind::TermSubscription {
        diesel::insert_into(licences::table)
            .values((
                licences::id.eq(uuid::Uuid::new_v4().to_string()),
                licences::customer_id.eq(&item.customer.id),
                licences::product.eq(&line.offer.name),
                licences::quantity.eq(line.quantity),
                licences::status.eq(LicenceStatus::Active),
                licences::supplied_by_partner_id.eq(partner_id),
                licences::expires_on.eq(ends_on),
                licences::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Writes the order row alone: for a renewal, which extends what exists.
pub fn insert_order(
    conn: &mut DbConnection,
    customer: &Customer,
    partner_id: &PartnerId,
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
    crate::webhooks::emit(
        conn,
        buyer.now,
        partner_id,
        &order_event(&order_id, customer, offer, quantity, buyer),
    )?;
    Ok(order_id)
}

/// `order.placed`: the order, its customer, what was bought and by whom (the
/// partner, or the customer's own purchase).
fn order_event(
    order_id: &str,
    customer: &Customer,
    offer: &Offer,
    quantity: i32,
    buyer: &Buyer<'_>,
) -> crate::webhooks::Event {
    crate::webhooks::Event {
        kind: crate::webhooks::EventType::OrderPlaced,
        data: serde_json::json!({
            "order": {
                "id": order_id,
                "offer": { "id": offer.id, "name": offer.name },
                "quantity": quantity,
                "placed_by": buyer.placed_by.as_str(),
            },
            "customer": { "id": customer.id.as_str(), "name": customer.name },
        }),
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
    customer_id: &CustomerId,
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
