//! The customer's service request pages: the account's requests, opening
//! one, and a request with its messages. A message from the customer reopens a
//! request that was waiting or resolved.

use actix_web::{HttpResponse, web};

use super::desk::{self, Desk};
use super::views::{ListQuery, MessageForm, NewPage, RequestForm};
use super::{Author, Scope, Side, Status};
use crate::auth::identity::CustomerMember;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, render};

fn desk(member: &CustomerMember) -> Desk {
    let (login_id, name, membership_id) = member.actor_parts();
    Desk {
        scope: Scope::Customer(member.scope().clone()),
        author: Author {
            login_id,
            name,
            membership_id,
            side: Side::Customer,
        },
    }
}

pub async fn list(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let status = Status::parse(&query.status);
    let action = "/customer/requests".to_owned();
    desk::list_page(&state, layout, desk(&member), status, None, action).await
}

fn new_page(
    layout: PageContext,
    member: &CustomerMember,
    typed: RequestForm,
    errors: FieldErrors,
) -> NewPage {
    NewPage {
        layout,
        customer_name: member.membership.tenant_name.clone(),
        action: "/customer/requests/new".to_owned(),
        back: "/customer/requests".to_owned(),
        typed,
        errors,
    }
}

pub async fn new_form(
    layout: PageContext,
    member: CustomerMember,
) -> Result<HttpResponse, PageError> {
    render(&new_page(
        layout,
        &member,
        RequestForm::default(),
        FieldErrors::default(),
    ))
}

pub async fn open(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    form: web::Form<RequestForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    match form.parse() {
        Ok(new) => desk::open(&state, desk(&member), member.customer_id().clone(), new).await,
        Err(errors) => render(&new_page(layout, &member, form, errors)),
    }
}

pub async fn page(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    desk::show(&state, layout, &desk(&member), path.into_inner()).await
}

pub async fn reply(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<MessageForm>,
) -> Result<HttpResponse, PageError> {
    let (id, form) = (path.into_inner(), form.into_inner());
    desk::reply(&state, layout, desk(&member), id, form).await
}
