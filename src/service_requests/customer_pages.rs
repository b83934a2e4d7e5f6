//! The customer's service request pages: the account's requests and opening
//! one. A request with its messages is `desk`'s page, shared with the partner;
//! a message from the customer reopens a request that was waiting or resolved.

use actix_web::{HttpResponse, web};

use super::desk::{self, Desk, DeskMember};
use super::views::{ListQuery, NewPage, RequestForm};
use super::{Scope, Side, Status};
use crate::auth::identity::CustomerMember;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render};

impl DeskMember for CustomerMember {
    fn desk(&self) -> Desk {
        let scope = Scope::Customer(self.scope().clone());
        Desk::of(scope, Side::Customer, self.actor_parts())
    }
}

pub async fn list(
    PageOf(state, layout, member): CustomerPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let status = Status::parse(&query.status);
    let action = "/customer/requests".to_owned();
    desk::list_page(&state, layout, member.desk(), status, None, action).await
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
    PageOf(state, layout, member): CustomerPage,
    form: web::Form<RequestForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    match form.parse() {
        Ok(new) => desk::open(&state, member.desk(), member.customer_id().clone(), new).await,
        Err(errors) => render(&new_page(layout, &member, form, errors)),
    }
}
