//! The customer's service request pages: the account's requests, opening
//! one, and a request with its messages. A message from the customer reopens a
//! request that was waiting or resolved.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;

use super::views::{
    ListPage, ListQuery, MessageForm, NewPage, RequestForm, RequestPage, post_message,
};
use super::{Author, RequestError, Scope, Side, Status};
use crate::auth::identity::CustomerMember;
use crate::db;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, render, see_other};

fn scope(member: &CustomerMember) -> Scope {
    Scope::Customer(member.customer_id().to_owned().into_string())
}

fn author(member: &CustomerMember) -> Author {
    Author {
        login_id: member.identity.login.id.clone(),
        name: member.identity.login.full_name.clone(),
        membership_id: member.membership.id.clone(),
        side: Side::Customer,
    }
}

pub async fn list(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let status = Status::parse(&query.status);
    let scope = scope(&member);
    let (rows, total) = db::run(&state.pool, move |conn| {
        Ok::<_, db::DbError>((
            super::list(conn, &scope, status, None)?,
            super::count(conn, &scope, status, None)?,
        ))
    })
    .await?;
    render(&ListPage {
        layout,
        requests: rows,
        total,
        status,
        customer: None,
        action: "/customer/requests".to_owned(),
        partner_side: false,
        new_link: Some("/customer/requests/new".to_owned()),
        request_base: "/customer/requests/",
    })
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
    let new = match form.parse() {
        Ok(new) => new,
        Err(errors) => return render(&new_page(layout, &member, form, errors)),
    };
    let (now, settings, scope, author) = (
        state.clock.now(),
        state.settings.clone(),
        scope(&member),
        author(&member),
    );
    let customer_id = member.customer_id().to_owned();
    let id = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            super::open(conn, now, &settings, &scope, &customer_id, &author, &new)
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-request-opened").send();
    Ok(see_other(&format!("/customer/requests/{id}")))
}

async fn request_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
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
        back: "/customer/requests".to_owned(),
        base: format!("/customer/requests/{}", request.id),
        request,
        messages,
        partner_side: false,
        typed,
        errors,
    })
}

pub async fn page(
    state: web::Data<AppState>,
    layout: PageContext,
    member: CustomerMember,
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
    member: CustomerMember,
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
    let back = format!("/customer/requests/{id}");
    post_message(&state, scope(&member), author(&member), id, body).await?;
    Ok(see_other(&back))
}
