//! The order pages: the partner's order history of a customer with its order
//! form, and the customer's own order history.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;

use super::form::{OfferChoice, OrderForm, offer_choices};
use super::queries::{HistoryRow, history};
use super::{order_as_partner, usage_subscriptions};
use crate::access::Capability;
use crate::auth::identity::PartnerMember;
use crate::auth::scope::Owned;
use crate::commerce::review;
use crate::commerce::{CommerceError, PlacedBy, catalogue, page_error};
use crate::customers::{self, Customer};
use crate::db::{self, DbConnection};
use crate::state::AppState;
use crate::tenancy::PartnerChange;
use crate::web::{
    CustomerPage, FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, see_other,
};

#[derive(Template)]
#[template(path = "commerce/orders.html")]
struct OrdersPage {
    layout: PageContext,
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
    layout: PageContext,
    member: &PartnerMember,
    customer_id: String,
    form: OrderForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let zone = member.identity.login.time_zone;
    let lang = layout.lang;
    let read = move |conn: &mut DbConnection, customer: &Owned<Customer>| {
        let rows = history(conn, &customer.id, zone, lang)?;
        let offers = catalogue::active(conn, None)?;
        let usage = usage_subscriptions(conn, &customer.id)?;
        Ok::<_, CommerceError>((rows, offers, usage))
    };
    let (customer, (rows, offers, usage_subscriptions)) =
        customers::read_for_page(state, member, customer_id, read)
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
    PageOf(state, layout, member): PartnerPage,
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
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<OrderForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let form = form.into_inner();
    let (quantity, mut errors) = form.checked_quantity();
    let typed = form.clone();
    let id = CustomerId::new(customer_id.clone());
    let outcome =
        PartnerChange::run_once_confirmed(&state, &member, form.confirmed, move |conn, change| {
            order_as_partner(conn, change, &id, &typed, quantity).map(|(_, quote)| quote)
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
            errors.add(field, message_key);
            orders_page(&state, layout, &member, customer_id, form, errors).await
        }
        Err(error) => Err(page_error(error)),
    }
}

#[derive(Template)]
#[template(path = "commerce/customer_orders.html")]
struct CustomerOrdersPage {
    layout: PageContext,
    rows: Vec<HistoryRow>,
}

/// The customer's own order history, with what the partner and the customer
/// placed.
pub async fn customer_page(
    PageOf(state, layout, member): CustomerPage,
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
