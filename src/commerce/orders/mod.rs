//! Orders: the partner orders an offer for a customer; the order becomes a
//! subscription or a reservation on the customer's account. The order history
//! shows every order of the customer, newest first, with who placed it, for the
//! partner and for the customer.

mod form;
mod pages;
mod queries;

use crate::tenancy::purchase_permission::usage_subscriptions;
pub use form::{OfferChoice, OrderForm, offer_choices};
pub use pages::{customer_page, page, place_order};
pub use queries::{HistoryRow, history, insert_order, is_active_usage_subscription, place};

use chrono::{Months, NaiveDate, NaiveDateTime};

use super::catalogue::Offer;
use super::{CommerceError, PlacedBy};

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

impl<'a> Buyer<'a> {
    /// The partner member making `change`, who places the order.
    pub fn partner(change: &'a crate::tenancy::PartnerChange) -> Self {
        Buyer {
            placed_by: PlacedBy::Partner,
            login_id: Some(&change.login_id),
            name: &change.name,
            now: change.now,
        }
    }
}

/// Places the order a partner member makes for its customer, logs it as
/// `action` and returns what it created and its quote.
pub fn place_for_partner(
    conn: &mut crate::db::DbConnection,
    change: &crate::tenancy::PartnerChange,
    customer: &crate::auth::scope::Owned<crate::customers::Customer>,
    line: &OrderLine<'_>,
    action: crate::audit::Action,
    details: &str,
) -> Result<(Placed, super::review::Quote), CommerceError> {
    let placed = place(
        conn,
        customer,
        change.partner_id(),
        &Buyer::partner(change),
        line,
    )?;
    crate::customers::record_change(conn, change, customer, action, details)?;
    let quote = super::review::Quote::new(conn, &customer.name, change.partner_id(), line)?;
    Ok((placed, quote))
}

/// Places the order a partner member typed for the customer `customer_id`
/// (found in the change's scope first), logged; `quantity` is the typed
/// quantity's reading. Returns what it created and its quote.
pub fn order_as_partner(
    conn: &mut crate::db::DbConnection,
    change: &crate::tenancy::PartnerChange,
    customer_id: &crate::ids::CustomerId,
    typed: &OrderForm,
    quantity: Option<i32>,
) -> Result<(Placed, super::review::Quote), CommerceError> {
    // The customer first: another partner's id is missing whatever the form says.
    let customer = crate::customers::find(conn, change.scope(), customer_id)?;
    let offer = super::catalogue::find_active(conn, &typed.offer_id)?
        .ok_or(CommerceError::field("offer_id", "order-offer-required"))?;
    let quantity = quantity.ok_or(CommerceError::field("quantity", "order-quantity-invalid"))?;
    let line = OrderLine {
        offer: &offer,
        quantity,
        subscription_id: Some(typed.subscription_id.as_str()).filter(|s| !s.is_empty()),
        purpose: Purpose::Purchase,
        starts_on: change.now.date(),
    };
    let details = describe(&offer, quantity);
    place_for_partner(
        conn,
        change,
        &customer,
        &line,
        crate::audit::Action::OrderPlaced,
        &details,
    )
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

/// "3 × Reserved VM D2s (12 months)", for the activity log.
pub fn describe(offer: &Offer, quantity: i32) -> String {
    if offer.term_months > 0 {
        format!("{quantity} × {} ({} m)", offer.name, offer.term_months)
    } else {
        format!("{quantity} × {}", offer.name)
    }
}
