//! The request pages' work both sides do alike: listing, showing a request
//! with its messages, opening one and answering it. A [`Desk`] holds what
//! differs: whose requests are seen, who writes, and where the pages live.

use actix_web::{HttpResponse, web};

use super::views::{ListPage, MessageForm, RequestPage};
use super::{Author, NewRequest, Request, RequestError, Scope, Side, Status};
use crate::db;
use crate::ids::CustomerId;
use crate::state::AppState;
use crate::tenancy::Member;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

/// One side's view of the requests, made from the member asking.
pub struct Desk {
    pub scope: Scope,
    pub author: Author,
}

/// A member with a desk: the partner's staff and the customer's people answer
/// a request through the same handlers.
pub trait DeskMember: Member {
    fn desk(&self) -> Desk;
}

impl Desk {
    /// The desk of `scope`, where the member acting as `actor` (login id, full
    /// name, membership id) writes from `side`.
    pub fn of(scope: Scope, side: Side, actor: (String, String, String)) -> Desk {
        let (login_id, name, membership_id) = actor;
        Desk {
            scope,
            author: Author {
                login_id,
                name,
                membership_id,
                side,
                api_token_id: None,
                on_behalf_of: None,
            },
        }
    }

    fn partner_side(&self) -> bool {
        self.author.side == Side::Partner
    }

    /// The prefix of a request's page on this side.
    fn request_base(&self) -> &'static str {
        match self.author.side {
            Side::Partner => "/partner/requests/",
            Side::Customer => "/customer/requests/",
        }
    }

    /// The list a request's page goes back to: the partner's of that customer.
    fn back_from(&self, request: &Request) -> String {
        match self.author.side {
            Side::Partner => format!("/partner/customers/{}/requests", request.customer_id),
            Side::Customer => "/customer/requests".to_owned(),
        }
    }

    /// Where a new request is opened from this list, if anywhere: a partner
    /// opens one only on a chosen customer's behalf.
    fn new_link(&self, customer: Option<&(String, String)>) -> Option<String> {
        match self.author.side {
            Side::Partner => {
                customer.map(|(id, _)| format!("/partner/customers/{id}/requests/new"))
            }
            Side::Customer => Some("/customer/requests/new".to_owned()),
        }
    }
}

/// The list of the desk's requests with a status, limited to `customer`
/// (id, name) when one is chosen; its filter form posts to `action`.
pub async fn list_page(
    state: &AppState,
    layout: PageContext,
    desk: Desk,
    status: Option<Status>,
    customer: Option<(String, String)>,
    action: String,
) -> Result<HttpResponse, PageError> {
    let scope = desk.scope.clone();
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
        new_link: desk.new_link(customer.as_ref()),
        customer,
        action,
        partner_side: desk.partner_side(),
        request_base: desk.request_base(),
    })
}

/// The request `id` with its messages and the reply form, as typed.
pub async fn request_page(
    state: &AppState,
    layout: PageContext,
    desk: &Desk,
    id: String,
    typed: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let scope = desk.scope.clone();
    let (request, messages) = db::run(&state.pool, move |conn| {
        let request = super::find(conn, &scope, &id)?.into_inner();
        let messages = super::messages(conn, &request.id)?;
        Ok::<_, RequestError>((request, messages))
    })
    .await?;
    render(&RequestPage {
        layout,
        back: desk.back_from(&request),
        base: format!("{}{}", desk.request_base(), request.id),
        request,
        messages,
        partner_side: desk.partner_side(),
        typed,
        errors,
    })
}

/// `…/requests/{id}`: the request with its messages and an empty reply form.
pub async fn page<M: DeskMember>(
    PageOf(state, layout, member): PageOf<M>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (desk, id) = (member.desk(), path.into_inner());
    request_page(
        &state,
        layout,
        &desk,
        id,
        String::new(),
        FieldErrors::default(),
    )
    .await
}

/// Opens a request for the customer (which the desk's scope must reach),
/// emails the other side and shows the new request.
pub async fn open(
    state: &AppState,
    desk: Desk,
    customer_id: CustomerId,
    new: NewRequest,
) -> Result<HttpResponse, PageError> {
    let (now, settings) = (state.clock.now(), state.settings.clone());
    let base = desk.request_base();
    let Desk { scope, author } = desk;
    let id = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            super::open(conn, now, &settings, &scope, &customer_id, &author, &new)
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-request-opened", &format!("{base}{id}")))
}

/// `…/requests/{id}/messages`: adds the message typed, reopening the request
/// if the customer writes, and emails the other side; a faulty message shows
/// the page again.
pub async fn reply<M: DeskMember>(
    PageOf(state, layout, member): PageOf<M>,
    path: web::Path<String>,
    form: web::Form<MessageForm>,
) -> Result<HttpResponse, PageError> {
    let (desk, id, form) = (member.desk(), path.into_inner(), form.into_inner());
    let body = match form.parse() {
        Ok(body) => body,
        Err(errors) => return request_page(&state, layout, &desk, id, form.body, errors).await,
    };
    let back = format!("{}{id}", desk.request_base());
    let (now, settings) = (state.clock.now(), state.settings.clone());
    let Desk { scope, author } = desk;
    db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            let request = super::find_for_change(conn, &scope, &id)?;
            super::add_message(conn, now, &settings, &request, &author, &body)
        })
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-request-replied", &back))
}
