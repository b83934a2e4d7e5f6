//! Reservations: bought by the partner in an order, or by the customer itself
//! while it has the permission. Both show here, those of the customer
//! marked as such. Exchanging, cancelling and renewing are the partner's alone,
//! whoever bought: the customer has no route to them.

use crate::ids::CustomerId;
use crate::tenancy::kinds::ReservationState;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use super::catalogue::{self, Offer};
use super::orders::{self, Buyer, OfferChoice, OrderLine, Purpose};
use super::review::{self, Done, Quote};
use super::{CommerceError, OfferKind, PlacedBy, page_error};
use crate::access::Capability;
use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::auth::scope::{Owned, PartnerScope};
use crate::customers::{self, Customer};
use crate::db::DbConnection;
use crate::db::schema::{reservations, subscriptions};
use crate::i18n::{Lang, format_date};
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::confirm::{ConfirmForm, Confirmed};
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render, see_other};

pub struct Reservation {
    pub id: String,
    pub name: String,
    pub quantity: i32,
    pub subscription: String,
    pub state: String,
    pub active: bool,
    pub starts_on: String,
    pub ends_on: String,
    pub by_customer: bool,
}

impl Reservation {
    pub fn state_key(&self) -> &'static str {
        match self.state.as_str() {
            "cancelled" => "reservation-cancelled",
            "exchanged" => "reservation-exchanged",
            _ => "reservation-active",
        }
    }
}

/// The customer's reservations, newest first; `customer_id` is scoped by the caller.
pub fn of_customer(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
    lang: Lang,
) -> QueryResult<Vec<Reservation>> {
    type Row = (
        String,
        String,
        i32,
        String,
        String,
        NaiveDate,
        NaiveDate,
        String,
    );
    let rows: Vec<Row> = reservations::table
        .inner_join(subscriptions::table)
        .filter(reservations::customer_id.eq(customer_id))
        .order((reservations::created_at.desc(), reservations::id.desc()))
        .select((
            reservations::id,
            reservations::name,
            reservations::quantity,
            subscriptions::name,
            reservations::state,
            reservations::starts_on,
            reservations::ends_on,
            reservations::bought_by,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, quantity, subscription, state, starts_on, ends_on, by)| Reservation {
                id,
                name,
                quantity,
                subscription,
                active: state == ReservationState::Active.as_str(),
                state,
                starts_on: format_date(starts_on, lang),
                ends_on: format_date(ends_on, lang),
                by_customer: PlacedBy::parse(&by) == PlacedBy::Customer,
            },
        )
        .collect())
}

#[derive(Template)]
#[template(path = "commerce/reservations.html")]
struct ReservationsPage {
    layout: PageContext,
    customer: Customer,
    reservations: Vec<Reservation>,
    /// Reservation offers to exchange for.
    offers: Vec<OfferChoice>,
    can_change: bool,
    /// An exchange typed before, when Back returns from its review.
    typed: ExchangeTyped,
}

/// The exchange form of one reservation as it was typed.
#[derive(Deserialize, Default)]
pub struct ExchangeTyped {
    /// The reservation's id.
    #[serde(default)]
    exchange: String,
    #[serde(default)]
    offer_id: String,
    #[serde(default)]
    quantity: String,
}

impl ReservationsPage {
    fn offer_chosen(&self, reservation: &Reservation, offer_id: &str) -> bool {
        self.typed.exchange == reservation.id && self.typed.offer_id == offer_id
    }

    fn quantity_typed(&self, reservation: &Reservation) -> String {
        if self.typed.exchange == reservation.id {
            self.typed.quantity.clone()
        } else {
            reservation.quantity.to_string()
        }
    }
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    typed: web::Query<ExchangeTyped>,
) -> Result<HttpResponse, PageError> {
    let lang = layout.lang;
    let read = move |conn: &mut DbConnection, customer: &Owned<Customer>| {
        let reservations = of_customer(conn, &customer.id, lang)?;
        let offers = catalogue::active(conn, Some(OfferKind::Reservation))?;
        Ok::<_, CommerceError>((reservations, offers))
    };
    let (customer, (reservations, offers)) =
        customers::read_for_page(&state, &member, customer_id.into_inner(), read)
            .await
            .map_err(page_error)?;
    render(&ReservationsPage {
        offers: orders::offer_choices(&offers, &layout.tr),
        can_change: member.role.can(Capability::ManageCustomers),
        layout,
        customer,
        reservations,
        typed: typed.into_inner(),
    })
}

/// An active reservation of the customer, with what renewing or exchanging needs.
pub struct Held {
    id: String,
    pub name: String,
    offer_id: String,
    subscription_id: String,
    pub quantity: i32,
    pub ends_on: NaiveDate,
}

/// The active reservation `reservation_id` of the partner's `customer`;
/// another's is missing, and one that ended is refused as no longer active.
pub fn find_active(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    customer: &Owned<Customer>,
    reservation_id: &str,
) -> Result<Owned<Held>, CommerceError> {
    type Row = (String, String, String, String, i32, NaiveDate, String);
    let row: Option<Row> = reservations::table
        .filter(reservations::id.eq(reservation_id))
        .filter(reservations::customer_id.eq(&customer.id))
        .select((
            reservations::id,
            reservations::name,
            reservations::offer_id,
            reservations::subscription_id,
            reservations::quantity,
            reservations::ends_on,
            reservations::state,
        ))
        .first(conn)
        .optional()?;
    let (id, name, offer_id, subscription_id, quantity, ends_on, state) =
        row.ok_or(CommerceError::NotFound)?;
    if state != ReservationState::Active.as_str() {
        return Err(CommerceError::NotActive);
    }
    let held = Held {
        id,
        name,
        offer_id,
        subscription_id,
        quantity,
        ends_on,
    };
    Ok(Owned::found_in(scope, held))
}

fn end_reservation(
    conn: &mut DbConnection,
    change: &PartnerChange,
    held: &Owned<Held>,
    state: &str,
) -> QueryResult<usize> {
    diesel::update(
        reservations::table
            .filter(reservations::id.eq(&held.id))
            .filter(reservations::state.eq(ReservationState::Active)),
    )
    .set((
        reservations::state.eq(state),
        reservations::updated_at.eq(change.now),
    ))
    .execute(conn)
}

/// Ends the reservation today; returns what it was.
pub fn cancel(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    reservation_id: &str,
) -> Result<Held, CommerceError> {
    let held = find_active(conn, change.scope(), customer, reservation_id)?;
    end_reservation(conn, change, &held, "cancelled")?;
    customers::record_change(
        conn,
        change,
        customer,
        Action::ReservationCancelled,
        &held.name,
    )?;
    Ok(held.into_inner())
}

/// Extends the reservation by its offer's term from its current end, with a
/// renewal order billed like the first; returns that order's quote.
pub fn renew(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    reservation_id: &str,
) -> Result<Quote, CommerceError> {
    let held = find_active(conn, change.scope(), customer, reservation_id)?;
    let offer = catalogue::find(conn, &held.offer_id)?.ok_or(CommerceError::NotFound)?;
    let buyer = Buyer::partner(change);
    orders::insert_order(
        conn,
        customer,
        change.partner_id(),
        &buyer,
        &offer,
        held.quantity,
        Purpose::Renewal,
    )?;
    let line = OrderLine {
        offer: &offer,
        quantity: held.quantity,
        subscription_id: Some(&held.subscription_id),
        purpose: Purpose::Renewal,
        starts_on: held.ends_on,
    };
    let quote = Quote::new(conn, &customer.name, change.partner_id(), &line)?;
    let ends_on = orders::term_end(held.ends_on, offer.term_months);
    diesel::update(reservations::table.filter(reservations::id.eq(&held.id)))
        .set((
            reservations::ends_on.eq(ends_on),
            reservations::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    customers::record_change(
        conn,
        change,
        customer,
        Action::ReservationRenewed,
        &orders::describe(&offer, held.quantity),
    )?;
    Ok(quote)
}

/// Replaces the reservation with another reservation offer on the same
/// subscription, from today, with an exchange order; returns the reservation
/// it ends, the new order's quote and what the order created.
pub fn exchange(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    reservation_id: &str,
    offer: &Offer,
    quantity: i32,
) -> Result<(Held, Quote, orders::Placed), CommerceError> {
    let held = find_active(conn, change.scope(), customer, reservation_id)?;
    if offer.kind() != OfferKind::Reservation {
        return Err(CommerceError::field("offer_id", "order-offer-required"));
    }
    end_reservation(conn, change, &held, "exchanged")?;
    let line = OrderLine {
        offer,
        quantity,
        subscription_id: Some(&held.subscription_id),
        purpose: Purpose::Exchange,
        starts_on: change.now.date(),
    };
    let details = format!("{} → {}", held.name, orders::describe(offer, quantity));
    let action = Action::ReservationExchanged;
    let (placed, quote) =
        orders::place_for_partner(conn, change, customer, &line, action, &details)?;
    Ok((held.into_inner(), quote, placed))
}

/// Exchanges the reservation for the offer and quantity typed (the
/// reservation is checked first, then what was typed).
pub fn exchange_typed(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    reservation_id: &str,
    offer_id: &str,
    quantity: &str,
) -> Result<(Held, Quote, orders::Placed), CommerceError> {
    find_active(conn, change.scope(), customer, reservation_id)?;
    let offer = catalogue::find_active(conn, offer_id)?
        .ok_or(CommerceError::field("offer_id", "order-offer-required"))?;
    let quantity = quantity
        .trim()
        .parse::<i32>()
        .map_err(|_| CommerceError::field("quantity", "order-quantity-invalid"))?;
    exchange(conn, change, customer, reservation_id, &offer, quantity)
}

#[derive(Deserialize)]
pub struct ExchangeForm {
    #[serde(default)]
    offer_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    confirmed: Confirmed,
}

/// What the partner does to one reservation.
pub enum Change {
    Cancel,
    Renew,
    Exchange { offer_id: String, quantity: String },
}

async fn change_reservation(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    path: (String, String),
    what: Change,
    confirmed: Confirmed,
) -> Result<HttpResponse, PageError> {
    let (customer_id, reservation_id) = path;
    let (id, rid) = (CustomerId::new(customer_id.clone()), reservation_id.clone());
    let flash = match &what {
        Change::Cancel => "flash-reservation-cancelled",
        Change::Renew => "flash-reservation-renewed",
        Change::Exchange { .. } => "flash-reservation-exchanged",
    };
    let outcome =
        PartnerChange::run_once_confirmed(state, member, confirmed, move |conn, change| {
            let customer = customers::find(conn, change.scope(), &id)?;
            match what {
                Change::Cancel => cancel(conn, change, &customer, &rid)
                    .map(|held| Done::Cancelled(customer.name.clone(), held)),
                Change::Renew => renew(conn, change, &customer, &rid).map(Done::Renewed),
                Change::Exchange { offer_id, quantity } => {
                    exchange_typed(conn, change, &customer, &rid, &offer_id, &quantity)
                        .map(|(held, quote, _)| Done::Exchanged(held, quote))
                }
            }
        })
        .await;
    let page = format!("/partner/customers/{customer_id}/reservations");
    match outcome {
        Ok(done) if !confirmed.yes() => {
            let tr = &layout.tr;
            return review::of_reservation_change(tr, &done, &page, &reservation_id).render(layout);
        }
        Ok(_) => FlashMessage::success(flash).send(),
        Err(CommerceError::Field { message_key, .. }) => FlashMessage::error(message_key).send(),
        Err(error) => return Err(page_error(error)),
    }
    Ok(see_other(&page))
}

pub async fn cancel_request(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<(String, String)>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let path = path.into_inner();
    change_reservation(
        &state,
        layout,
        &member,
        path,
        Change::Cancel,
        form.confirmed,
    )
    .await
}

pub async fn renew_request(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<(String, String)>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let path = path.into_inner();
    change_reservation(&state, layout, &member, path, Change::Renew, form.confirmed).await
}

pub async fn exchange_request(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<(String, String)>,
    form: web::Form<ExchangeForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let what = Change::Exchange {
        offer_id: form.offer_id,
        quantity: form.quantity,
    };
    change_reservation(
        &state,
        layout,
        &member,
        path.into_inner(),
        what,
        form.confirmed,
    )
    .await
}
