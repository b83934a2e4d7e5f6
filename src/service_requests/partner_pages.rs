//! The partner's service request pages: every request of its customers, one
//! customer's, opening one on a customer's behalf, and a request with its messages.
//! The customer context limits the partner-wide list.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use serde::Deserialize;

use super::views::{
    ListPage, ListQuery, MessageForm, NewPage, RequestForm, RequestPage, post_message,
};
use super::{Author, RequestError, Scope, Side, Status};
use crate::auth::identity::PartnerMember;
use crate::customers;
use crate::db;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, render, see_other};

fn scope(member: &PartnerMember) -> Scope {
    Scope::Partner(member.partner_id().to_owned().into_string())
}

fn author(member: &PartnerMember) -> Author {
    let (login_id, name, membership_id) = member.actor_parts();
    Author {
        login_id,
        name,
        membership_id,
        side: Side::Partner,
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

async fn list_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    status: Option<Status>,
    customer: Option<(String, String)>,
    action: String,
) -> Result<HttpResponse, PageError> {
    let scope = scope(member);
    let only = customer.as_ref().map(|(id, _)| id.clone());
    let (rows, total) = db::run(&state.pool, move |conn| {
        Ok::<_, db::DbError>((
            super::list(conn, &scope, status, only.as_deref())?,
            super::count(conn, &scope, status, only.as_deref())?,
        ))
    })
    .await?;
    render(&ListPage {
        layout,
        requests: rows,
        total,
        status,
        new_link: customer
            .as_ref()
            .map(|(id, _)| format!("/partner/customers/{id}/requests/new")),
        customer,
        action,
        partner_side: true,
        request_base: "/partner/requests/",
    })
}

/// `/partner/requests`: all customers', or the chosen customer's (the filter, else
/// the customer context; `customer=all` sets the context aside).
pub async fn list(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
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
    list_page(
        &state,
        layout,
        &member,
        status,
        customer,
        "/partner/requests".to_owned(),
    )
    .await
}

/// `/partner/customers/{id}/requests`
pub async fn customer_list(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let customer = customer_of(&state, &member, path.into_inner()).await?;
    let action = format!("/partner/customers/{}/requests", customer.0);
    let status = Status::parse(&query.status);
    list_page(&state, layout, &member, status, Some(customer), action).await
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
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
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
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    path: web::Path<String>,
    form: web::Form<RequestForm>,
) -> Result<HttpResponse, PageError> {
    let customer = customer_of(&state, &member, path.into_inner()).await?;
    let form = form.into_inner();
    let new = match form.parse() {
        Ok(new) => new,
        Err(errors) => return render(&new_page(layout, customer, form, errors)),
    };
    let (now, settings, scope, author) = (
        state.clock.now(),
        state.settings.clone(),
        scope(&member),
        author(&member),
    );
    let customer_id = CustomerId::new(customer.0);
    let id = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            super::open(conn, now, &settings, &scope, &customer_id, &author, &new)
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-request-opened").send();
    Ok(see_other(&format!("/partner/requests/{id}")))
}

async fn request_page(
    state: &AppState,
    layout: PageContext,
    member: &PartnerMember,
    id: String,
    typed: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let scope = scope(member);
    let (request, messages) = db::run(&state.pool, move |conn| {
        let request = super::find(conn, &scope, &id)?;
        let messages = super::messages(conn, &request.id)?;
        Ok::<_, RequestError>((request, messages))
    })
    .await?;
    render(&RequestPage {
        layout,
        back: format!("/partner/customers/{}/requests", request.customer_id),
        base: format!("/partner/requests/{}", request.id),
        request,
        messages,
        partner_side: true,
        typed,
        errors,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    request_page(
        &state,
        layout,
        &member,
        path.into_inner(),
        String::new(),
        FieldErrors::default(),
    )
    .await
}

pub async fn reply(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    path: web::Path<String>,
    form: web::Form<MessageForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let body = match form.parse() {
        Ok(body) => body,
        Err(errors) => {
            return request_page(&state, layout, &member, id, form.body.clone(), errors).await;
        }
    };
    let back = format!("/partner/requests/{id}");
    post_message(&state, scope(&member), author(&member), id, body).await?;
    Ok(see_other(&back))
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
    let (now, settings, scope, author) = (
        state.clock.now(),
        state.settings.clone(),
        scope(&member),
        author(&member),
    );
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
    FlashMessage::success("flash-request-status").send();
    Ok(see_other(&back))
}
