//! Customer context: a partner member picks a customer to work on; the
//! header names it with links to its pages, the activity log shows only it, and
//! clearing it returns to all customers.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::identity::PartnerMember;
use crate::auth::session::TypedSession;
use crate::console::users::{User, list as users_of};
use crate::customers::{self, Customer, CustomerError};
use crate::db;
use crate::state::AppState;
use crate::web::{PageContext, PageError, PageOf, PartnerPage, render, see_other};

#[derive(Deserialize)]
pub struct ContextForm {
    customer_id: String,
}

pub async fn choose(
    state: web::Data<AppState>,
    member: PartnerMember,
    session: TypedSession,
    form: web::Form<ContextForm>,
) -> Result<HttpResponse, PageError> {
    let scope = member.scope().clone();
    let customer_id = CustomerId::new(form.into_inner().customer_id);
    // Only one of this partner's customers can be chosen; any other id is missing.
    let customer = db::run(&state.pool, move |conn| {
        customers::find(conn, &scope, &customer_id)
    })
    .await
    .map_err(customers::details::page_error)?;
    session
        .set_customer_context(customer.id.as_str())
        .map_err(PageError::internal)?;
    Ok(see_other(&format!("/partner/customers/{}", customer.id)))
}

pub async fn clear(session: TypedSession) -> HttpResponse {
    session.clear_customer_context();
    see_other("/partner/customers")
}

#[derive(Template)]
#[template(path = "partner/customer_users.html")]
struct UsersPage {
    layout: PageContext,
    customer: Customer,
    users: Vec<User>,
}

/// The customer's people as its partner sees them: who they are and their role.
pub async fn users(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (customer, users) =
        customers::read_for_page(&state, &member, path.into_inner(), |conn, customer| {
            users_of(conn, &customer.id).map_err(CustomerError::from)
        })
        .await
        .map_err(customers::page_error)?;
    render(&UsersPage {
        layout,
        customer,
        users,
    })
}
