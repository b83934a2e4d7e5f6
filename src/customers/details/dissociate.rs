//! Dissociating a customer: the partner lets it go, after a confirmation.

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::customers::{
    Customer, CustomerError, CustomerId, find, find_for_page, page_error, record_change,
};
use crate::db::DbConnection;
use crate::db::schema::{customer_accounts, customer_group_members, customer_groups};
use crate::tenancy::PartnerChange;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

#[derive(Template)]
#[template(path = "customers/dissociate.html")]
struct DissociatePage {
    layout: PageContext,
    customer: Customer,
    errors: FieldErrors,
}

impl DissociatePage {
    fn explain(&self) -> String {
        self.layout.tr.with(
            "customer-dissociate-explain",
            &[("name", &self.customer.name)],
        )
    }
}

pub async fn dissociate_form(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let customer = find_for_page(&state, &member, customer_id.into_inner()).await?;
    render(&DissociatePage {
        layout,
        customer: customer.into_inner(),
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: String,
}

pub async fn dissociate(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    if form.confirm != "yes" {
        let customer = find_for_page(&state, &member, customer_id).await?;
        let errors = FieldErrors::one("confirm", "customer-dissociate-confirm-required");
        return render(&DissociatePage {
            layout,
            customer: customer.into_inner(),
            errors,
        });
    }
    let customer_id = CustomerId::new(customer_id);
    PartnerChange::run(&state, &member, move |conn, change| {
        let customer = find(conn, change.scope(), &customer_id)?;
        dissociate_customer(conn, change, &customer)
    })
    .await
    .map_err(page_error)?;
    Ok(succeeded(
        "flash-customer-dissociated",
        "/partner/customers",
    ))
}

/// The partner lets go of the customer: the account, its people and its data stay;
/// the partner's groups forget it; both sides' logs record it.
pub fn dissociate_customer(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
) -> Result<(), CustomerError> {
    let partner_groups = customer_groups::table
        .filter(customer_groups::partner_id.eq(change.partner_id()))
        .select(customer_groups::id);
    diesel::delete(
        customer_group_members::table
            .filter(customer_group_members::customer_id.eq(&customer.id))
            .filter(customer_group_members::group_id.eq_any(partner_groups)),
    )
    .execute(conn)?;
    diesel::update(
        customer_accounts::table
            .filter(customer_accounts::id.eq(&customer.id))
            .filter(customer_accounts::partner_id.eq(change.partner_id())),
    )
    .set((
        customer_accounts::partner_id.eq(None::<String>),
        customer_accounts::updated_at.eq(change.now),
    ))
    .execute(conn)?;
    record_change(conn, change, customer, Action::CustomerDissociated, "")?;
    crate::webhooks::emit(
        conn,
        change.now,
        change.partner_id(),
        &crate::webhooks::Event::customer(
            crate::webhooks::EventType::CustomerDissociated,
            &customer.id,
            &customer.name,
        ),
    )?;
    Ok(())
}
