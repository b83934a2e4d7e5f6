//! The demo's catalogue and a first customer's subscriptions and reservation,
//! so `serve --demo` has orders to look at and a permission ready to turn on.

use crate::ids::MembershipId;
use crate::ids::PartnerId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::OfferKind;
use super::catalogue::{self, NewOffer};
use super::orders::{self, Buyer, OrderLine, Purpose};
use super::{CommerceError, PlacedBy};
use crate::db::DbConnection;
use crate::db::schema::{orders as order_rows, subscription_owners};

const OFFERS: [(&str, OfferKind, &str, Option<i32>); 5] = [
    ("Azure plan", OfferKind::UsageSubscription, "0", None),
    (
        "Microsoft 365 E3",
        OfferKind::TermSubscription,
        "33.75",
        Some(12),
    ),
    (
        "Endpoint Protection",
        OfferKind::TermSubscription,
        "4.20",
        Some(1),
    ),
    (
        "Reserved VM D2s v5, 1 year",
        OfferKind::Reservation,
        "610.00",
        Some(12),
    ),
    (
        "Reserved VM D2s v5, 3 years",
        OfferKind::Reservation,
        "1420.00",
        Some(36),
    ),
];

/// Fills an empty catalogue, then gives the customer an Azure plan owned by
/// `owner_membership_id`, Microsoft 365 seats and a reservation, unless it
/// has orders already.
pub fn seed(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    customer: &crate::customers::Customer,
    partner_id: &PartnerId,
    owner_membership_id: &MembershipId,
) -> Result<(), CommerceError> {
    if catalogue::all(conn)?.is_empty() {
        for (name, kind, price, months) in OFFERS {
            let offer = NewOffer::parse(name, kind.as_str(), price, "EUR", months)
                .map_err(|_| CommerceError::NotFound)?;
            catalogue::add(conn, now, &offer)?;
        }
    }
    let has_orders: bool = diesel::select(diesel::dsl::exists(
        order_rows::table.filter(order_rows::customer_id.eq(&customer.id)),
    ))
    .get_result(conn)?;
    if has_orders {
        return Ok(());
    }
    let offers = catalogue::active(conn, None)?;
    let buyer = Buyer {
        placed_by: PlacedBy::Partner,
        login_id: None,
        name: "Olivia Owner",
        now,
    };
    let mut usage_subscription = None;
    // The plan first: the reservation applies to it.
    for (name, quantity) in [
        ("Azure plan", 1),
        ("Microsoft 365 E3", 25),
        ("Reserved VM D2s v5, 1 year", 2),
    ] {
        let Some(offer) = offers.iter().find(|offer| offer.name == name) else {
            continue;
        };
        let line = OrderLine {
            offer,
            quantity,
            subscription_id: usage_subscription.as_deref(),
            purpose: Purpose::Purchase,
            starts_on: now.date(),
        };
        let placed = orders::place(conn, customer, partner_id, &buyer, &line)?;
        if offer.kind() == OfferKind::UsageSubscription {
            diesel::insert_into(subscription_owners::table)
                .values((
                    subscription_owners::subscription_id.eq(&placed.item_id),
                    subscription_owners::membership_id.eq(owner_membership_id),
                    subscription_owners::assigned_at.eq(now),
                ))
                .execute(conn)?;
            usage_subscription = Some(placed.item_id);
        }
    }
    Ok(())
}
