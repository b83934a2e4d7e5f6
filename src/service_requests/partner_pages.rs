//! The partner's service request pages: every request of its customers, one
//! customer's, opening one on a customer's behalf, and changing a request's
//! status (a request with its messages is `desk`'s page, shared with the
//! customer). The customer context limits the partner-wide list.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::desk::{self, Desk, DeskMember};
use super::views::{ListQuery, NewPage, RequestForm};
use super::{RequestError, Scope, Side, Status};
use crate::auth::identity::PartnerMember;
use crate::customers;
use crate::db;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render, succeeded};

impl DeskMember for PartnerMember {
    fn desk(&self) -> Desk {
        let scope = Scope::Partner(self.scope().clone());
        let mut desk = Desk::of(scope, Side::Partner, self.actor_parts());
        desk.author.on_behalf_of = self.actor().on_behalf_of.map(str::to_owned);
        desk
    }
}

/// The partner's customer `id` as (id, name); another's is missing.
async fn customer_of(
    state: &AppState,
    member: &PartnerMember,
    id: String,
) -> Result<(String, String), PageError> {
    let customer = customers::find_for_page(state, member, id)
        .await?
        .into_inner();
    Ok((customer.id.into_string(), customer.name))
}

/// `/partner/requests`: all customers', or the chosen customer's (the filter, else
/// the customer context; `customer=all` sets the context aside).
pub async fn list(
    PageOf(state, layout, member): PartnerPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let status = Status::parse(&query.status);
    let chosen = match query.customer.as_str() {
        "all" => None,
        "" => layout.customer_context().map(|(id, _)| id.clone()),
        id => Some(id.to_owned()),
    };
    let customer = match chosen {
        Some(id) => Some(customer_of(&state, &member, id).await?),
        None => None,
    };
    let action = "/partner/requests".to_owned();
    desk::list_page(&state, layout, member.desk(), status, customer, action).await
}

/// `/partner/customers/{id}/requests`
pub async fn customer_list(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let customer = customer_of(&state, &member, path.into_inner()).await?;
    let action = format!("/partner/customers/{}/requests", customer.0);
    let status = Status::parse(&query.status);
    desk::list_page(
        &state,
        layout,
        member.desk(),
        status,
        Some(customer),
        action,
    )
    .await
}

fn new_page(
    layout: PageContext,
    customer: (String, String),
    typed: RequestForm,
    errors: FieldErrors,
) -> NewPage {
    NewPage {
        layout,
        action: format!("/partner/customers/{}/requests/new", customer.0),
        back: format!("/partner/customers/{}/requests", customer.0),
        customer_name: customer.1,
        typed,
        errors,
    }
}

pub async fn new_form(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let customer = customer_of(&state, &member, path.into_inner()).await?;
    render(&new_page(
        layout,
        customer,
        RequestForm::default(),
        FieldErrors::default(),
    ))
}

pub async fn open(
    PageOf(state, layout, member): PartnerPage,
    path: web::Path<String>,
    form: web::Form<RequestForm>,
) -> Result<HttpResponse, PageError> {
    let customer = customer_of(&state, &member, path.into_inner()).await?;
    let form = form.into_inner();
    match form.parse() {
        Ok(new) => desk::open(&state, member.desk(), CustomerId::new(customer.0), new).await,
        Err(errors) => render(&new_page(layout, customer, form, errors)),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

pub async fn change_status(
    state: web::Data<AppState>,
    member: PartnerMember,
    path: web::Path<String>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let (now, settings) = (state.clock.now(), state.settings.clone());
    let Desk { scope, author } = member.desk();
    let back = format!("/partner/requests/{id}");
    let status = Status::parse(&form.status);
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            // The request is looked up first: a foreign id is missing, whatever
            // the status said.
            let request = super::find_for_change(conn, &scope, &id)?;
            match status {
                Some(status) => super::set_status(conn, now, &settings, &request, &author, status),
                None => Err(RequestError::Invalid),
            }
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-request-status", &back))
}
