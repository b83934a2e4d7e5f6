//! The customer buys its own reservations while its partner lets
//! it: from the console, for a usage subscription on which the buyer holds the
//! Owner role, billed to the partner, who is not notified. The purchase shows in
//! both order histories, on both reservations pages and in both activity logs.

use crate::ids::CustomerId;
use crate::ids::MembershipId;
use crate::ids::PartnerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use diesel::prelude::*;

use super::catalogue;
use super::orders::{self, Buyer, OfferChoice, OrderForm, OrderLine, Purpose};
use super::reservations::{Reservation, of_customer};
use super::review::{self, Quote};
use super::{CommerceError, OfferKind, PlacedBy, page_error};
use crate::access::CustomerCapability;
use crate::audit::Action;
use crate::auth::identity::CustomerMember;
use crate::customers::{self, Customer};
use crate::db::schema::{customer_accounts, partner_organisations};
use crate::db::{self, DbConnection};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::tenancy::purchase_permission::{is_on, owned_usage_subscriptions};
use crate::web::{
    CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, see_other, succeeded,
};

#[derive(Template)]
#[template(path = "commerce/customer_reservations.html")]
struct CustomerReservationsPage {
    layout: PageContext,
    reservations: Vec<Reservation>,
    partner: String,
    /// The purchase form, when the partner allows it and the person may buy.
    may_buy: bool,
    permission_on: bool,
    offers: Vec<OfferChoice>,
    /// The usage subscriptions on which the person holds the Owner role.
    subscriptions: Vec<(String, String)>,
    form: OrderForm,
    errors: FieldErrors,
}

async fn reservations_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    form: OrderForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let membership_id = member.membership.id.clone();
    let lang = layout.lang;
    let may_buy_role = member.role.can(CustomerCapability::BuyReservations);
    let (reservations, partner, permission_on, offers, subscriptions) =
        db::run(&state.pool, move |conn| -> Result<_, db::DbError> {
            let partner: Option<String> = customer_accounts::table
                .inner_join(partner_organisations::table)
                .filter(customer_accounts::id.eq(&customer_id))
                .select(partner_organisations::name)
                .first(conn)
                .optional()?;
            Ok((
                of_customer(conn, &customer_id, lang)?,
                partner.unwrap_or_default(),
                is_on(conn, &customer_id)?,
                catalogue::active(conn, Some(OfferKind::Reservation))?,
                owned_usage_subscriptions(conn, &customer_id, Some(&membership_id))?,
            ))
        })
        .await?;
    render(&CustomerReservationsPage {
        may_buy: permission_on && may_buy_role,
        offers: orders::offer_choices(&offers, &layout.tr),
        layout,
        reservations,
        partner,
        permission_on,
        subscriptions,
        form,
        errors,
    })
}

pub async fn page(
    PageOf(state, layout, member): CustomerPage,
    typed: web::Query<OrderForm>,
) -> Result<HttpResponse, PageError> {
    let form = typed.into_inner().or_one();
    reservations_page(&state, layout, &member, form, FieldErrors::default()).await
}

/// The account and its partner, when the partner lets the customer buy.
fn permitted_customer(
    conn: &mut DbConnection,
    customer_id: &CustomerId,
) -> Result<(Customer, PartnerId), CommerceError> {
    let customer: Customer = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id))
        .select(Customer::as_select())
        .first(conn)?;
    match customer.partner_id.clone() {
        Some(partner_id) if is_on(conn, customer_id)? => Ok((customer, partner_id)),
        _ => Err(CommerceError::NotPermitted),
    }
}

pub async fn buy(
    PageOf(state, layout, member): CustomerPage,
    form: web::Form<OrderForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let (quantity, mut errors) = form.checked_quantity();
    let typed = form.clone();
    let membership_id = MembershipId::new(member.membership.id.clone());
    let outcome =
        CustomerChange::run_once_confirmed(&state, &member, form.confirmed, move |conn, change| {
            purchase(conn, change, &typed, quantity, &membership_id)
        })
        .await;
    match outcome {
        Ok(quote) if !form.confirmed.yes() => {
            let action = "/customer/reservations".to_owned();
            review::of_order(
                &layout.tr,
                &quote,
                PlacedBy::Customer,
                action,
                "buy-reservation",
                &form,
            )
            .render(layout)
        }
        Ok(_) => Ok(succeeded(
            "flash-reservation-bought",
            "/customer/reservations",
        )),
        Err(CommerceError::NotPermitted) => {
            FlashMessage::error("flash-purchase-not-permitted").send();
            Ok(see_other("/customer/reservations"))
        }
        Err(CommerceError::Field { field, message_key }) => {
            errors.add(field, message_key);
            reservations_page(&state, layout, &member, form, errors).await
        }
        Err(error) => Err(page_error(error)),
    }
}

/// Places the customer's order of a reservation, billed to its partner, and
/// logs it; answers the quote the review shows.
fn purchase(
    conn: &mut DbConnection,
    change: &CustomerChange,
    form: &OrderForm,
    quantity: Option<i32>,
    membership_id: &MembershipId,
) -> Result<Quote, CommerceError> {
    let (customer, partner_id) = permitted_customer(conn, change.customer_id())?;
    let offer = catalogue::find_active(conn, &form.offer_id)?
        .filter(|offer| offer.kind() == OfferKind::Reservation)
        .ok_or(CommerceError::field("offer_id", "order-offer-required"))?;
    // Only a subscription on which the buyer holds the Owner role.
    let owned = owned_usage_subscriptions(conn, &customer.id, Some(membership_id))?;
    if !owned.iter().any(|(id, _)| *id == form.subscription_id) {
        return Err(CommerceError::field(
            "subscription_id",
            "purchase-subscription-not-owned",
        ));
    }
    let quantity = quantity.ok_or(CommerceError::field("quantity", "order-quantity-invalid"))?;
    let line = OrderLine {
        offer: &offer,
        quantity,
        subscription_id: Some(&form.subscription_id),
        purpose: Purpose::Purchase,
        starts_on: change.now.date(),
    };
    let buyer = Buyer {
        placed_by: PlacedBy::Customer,
        login_id: Some(change.login_id()),
        name: change.name(),
        now: change.now,
    };
    // Billed to the partner: the order is the partner's, like its own orders.
    orders::place(conn, &customer, &partner_id, &buyer, &line)?;
    // In the customer's log and the partner's; no email to anyone.
    customers::record_on_account(
        conn,
        change.now,
        (&customer.id, Some(&partner_id)),
        change.actor(),
        Action::CustomerPurchase,
        &customer.name,
        &orders::describe(&offer, quantity),
    )?;
    Quote::new(conn, &customer.name, &partner_id, &line)
}
