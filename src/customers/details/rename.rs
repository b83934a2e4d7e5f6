//! Renaming a customer.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use super::page::{Refusal, details_page};
use crate::accounts::DisplayName;
use crate::audit::Action;
use crate::auth::scope::Owned;
use crate::customers::{
    Customer, CustomerError, CustomerId, find, page_error, record_on_account, search_text,
};
use crate::db::DbConnection;
use crate::db::schema::customer_accounts;
use crate::tenancy::PartnerChange;
use crate::web::forms::NameForm;
use crate::web::{PageError, PageOf, PartnerPage, succeeded};

pub async fn rename(
    PageOf(state, layout, member): PartnerPage,
    customer_id: web::Path<String>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = customer_id.into_inner();
    let name = match DisplayName::parse(&form.name) {
        Ok(name) => name,
        Err(problem) => {
            let refusal = Refusal::name(problem.message_key(), form.into_inner().name);
            return details_page(&state, layout, &member, customer_id, refusal).await;
        }
    };
    let id = CustomerId::new(customer_id.clone());
    PartnerChange::run(&state, &member, move |conn, change| {
        let customer = find(conn, change.scope(), &id)?;
        rename_customer(conn, change, &customer, &name)
    })
    .await
    .map_err(page_error)?;
    Ok(succeeded(
        "flash-customer-renamed",
        &format!("/partner/customers/{customer_id}"),
    ))
}

pub fn rename_customer(
    conn: &mut DbConnection,
    change: &PartnerChange,
    customer: &Owned<Customer>,
    name: &DisplayName,
) -> Result<(), CustomerError> {
    if customer.name == name.as_str() {
        return Ok(());
    }
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(&customer.id)))
        .set((
            customer_accounts::name.eq(name.as_str()),
            customer_accounts::name_key.eq(name.as_str().to_lowercase()),
            customer_accounts::search_text.eq(search_text(name.as_str(), &customer.primary_domain)),
            customer_accounts::updated_at.eq(change.now),
        ))
        .execute(conn)?;
    let details = format!("{} → {}", customer.name, name.as_str());
    // Named as it is now called, unlike the other changes.
    record_on_account(
        conn,
        change.now,
        (&customer.id, Some(change.partner_id())),
        change.actor(),
        Action::CustomerRenamed,
        name.as_str(),
        &details,
    )?;
    crate::webhooks::emit(
        conn,
        change.now,
        change.partner_id(),
        &crate::webhooks::Event::renamed(&customer.id, name.as_str(), &customer.name),
    )?;
    Ok(())
}
