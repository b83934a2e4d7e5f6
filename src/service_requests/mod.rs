//! Service requests: the tickets between a customer and its partner, opened by
//! the customer's people (`customer_pages`) or, on the customer's behalf, by
//! partner staff (`partner_pages`); messages go back and forth and each new
//! message or status change emails the other side (`notify`), through the
//! outbox, in each recipient's language. Every query is scoped by a [`Scope`]
//! taken from the membership. Not to be confused with service health, the
//! operator's record of incidents (`service_health`).

mod codes;
pub mod customer_pages;
pub mod demo;
pub mod desk;
mod events;
pub mod notify;
pub mod partner_pages;
pub mod views;

pub use codes::{Category, Side, Status};

use crate::ids::{CustomerId, PartnerId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{Action, Actor};
use crate::auth::scope::{ConsoleScope, Owned, PartnerScope};
use crate::db::DbConnection;
use crate::db::schema::{customer_accounts, service_request_messages, service_requests};
use crate::email::outbox::{self, OutboxError};

/// The longest title of a request.
pub const TITLE_MAX: usize = 120;
/// The longest description or message.
pub const TEXT_MAX: usize = 4000;

#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("no such request or customer")]
    NotFound,
    #[error("not a status")]
    Invalid,
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    #[error(transparent)]
    Database(#[from] crate::db::DbError),
}

impl From<diesel::result::Error> for RequestError {
    fn from(error: diesel::result::Error) -> Self {
        RequestError::Database(error.into())
    }
}

impl From<RequestError> for crate::web::PageError {
    fn from(error: RequestError) -> Self {
        match error {
            RequestError::NotFound => crate::web::PageError::NotFound,
            RequestError::Invalid => crate::web::PageError::BadRequest,
            other => crate::web::PageError::internal(other),
        }
    }
}

/// Whose requests a query may see: a partner's customers' or one account's.
#[derive(Debug, Clone)]
pub enum Scope {
    Partner(PartnerScope),
    Customer(ConsoleScope),
}

/// Who writes: the real person, the membership they act as, and their side.
#[derive(Debug, Clone)]
pub struct Author {
    pub login_id: String,
    pub name: String,
    pub membership_id: String,
    pub side: Side,
    /// The partner API token the person writes through, if so.
    pub api_token_id: Option<String>,
    /// The distributor the person writes for, in a reseller's portal.
    pub on_behalf_of: Option<String>,
}

#[derive(Debug, Clone, Queryable)]
pub struct Request {
    pub id: String,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub partner_id: Option<PartnerId>,
    pub title: String,
    pub category: String,
    pub description: String,
    pub status: String,
    pub opened_by_login_id: String,
    pub opened_by_name: String,
    pub opened_by_side: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Request {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Open)
    }

    pub fn category(&self) -> Category {
        Category::parse(&self.category).unwrap_or(Category::Other)
    }

    pub fn opened_by(&self) -> Side {
        Side::parse(&self.opened_by_side).unwrap_or(Side::Customer)
    }
}

pub struct Message {
    pub author_name: String,
    pub side: Side,
    pub body: String,
    pub created_at: NaiveDateTime,
}

/// The longest list shown at once.
pub const LIST_MAX: i64 = 200;

macro_rules! request_columns {
    () => {
        (
            service_requests::id,
            service_requests::customer_id,
            customer_accounts::name,
            customer_accounts::partner_id,
            service_requests::title,
            service_requests::category,
            service_requests::description,
            service_requests::status,
            service_requests::opened_by_login_id,
            service_requests::opened_by_name,
            service_requests::opened_by_side,
            service_requests::created_at,
            service_requests::updated_at,
        )
    };
}

/// The scope's requests, most recently active first.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    status: Option<Status>,
    customer_id: Option<&str>,
) -> QueryResult<Vec<Request>> {
    filtered(scope, status, customer_id)
        .select(request_columns!())
        .order((
            service_requests::updated_at.desc(),
            service_requests::id.asc(),
        ))
        .limit(LIST_MAX)
        .load(conn)
}

/// The scope's requests with the list's filters, newest opened first, `limit`
/// of them after `after` (the creation time and id of the last one read): a
/// stable order to page through, unlike the page's latest activity.
pub fn opened_after(
    conn: &mut DbConnection,
    scope: &Scope,
    (status, customer_id): (Option<Status>, Option<&str>),
    after: Option<&(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<Request>> {
    let mut query = filtered(scope, status, customer_id);
    if let Some((at, id)) = after {
        query = query.filter(
            service_requests::created_at
                .lt(*at)
                .or(service_requests::created_at
                    .eq(*at)
                    .and(service_requests::id.lt(id.clone()))),
        );
    }
    query
        .select(request_columns!())
        .order((
            service_requests::created_at.desc(),
            service_requests::id.desc(),
        ))
        .limit(limit)
        .load(conn)
}

/// How many requests the list with these filters holds, beyond its first
/// `LIST_MAX` too.
pub fn count(
    conn: &mut DbConnection,
    scope: &Scope,
    status: Option<Status>,
    customer_id: Option<&str>,
) -> QueryResult<i64> {
    filtered(scope, status, customer_id)
        .count()
        .get_result(conn)
}

type Filtered<'a> = diesel::helper_types::IntoBoxed<
    'a,
    diesel::helper_types::InnerJoin<service_requests::table, customer_accounts::table>,
    crate::db::MultiBackend,
>;

/// The requests of the scope with the list's filters, unsorted.
fn filtered<'a>(scope: &Scope, status: Option<Status>, customer_id: Option<&str>) -> Filtered<'a> {
    let mut query = service_requests::table
        .inner_join(customer_accounts::table)
        .into_boxed();
    query = match scope {
        // A member limited to some groups: their customers' requests only.
        Scope::Partner(partner) => match partner.customer_filter_on() {
            Some(in_reach) => query.filter(in_reach),
            None => query,
        }
        .filter(customer_accounts::partner_id.eq(partner.partner_id().clone())),
        Scope::Customer(account) => {
            query.filter(service_requests::customer_id.eq(account.customer_id().clone()))
        }
    };
    if let Some(status) = status {
        query = query.filter(service_requests::status.eq(status));
    }
    if let Some(customer_id) = customer_id {
        query = query.filter(service_requests::customer_id.eq(customer_id.to_owned()));
    }
    query
}

/// One request of the scope; any other id is missing.
pub fn find(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<Owned<Request>, RequestError> {
    let request: Request = filtered(scope, None, None)
        .filter(service_requests::id.eq(id.to_owned()))
        .select(request_columns!())
        .first(conn)
        .optional()?
        .ok_or(RequestError::NotFound)?;
    Ok(match scope {
        Scope::Partner(partner) => Owned::found_in(partner, request),
        Scope::Customer(account) => Owned::found_in(account, request),
    })
}

/// As `find`, with the request's row locked until the transaction ends, so that
/// concurrent messages and status changes take turns and each sees the last status.
pub fn find_for_change(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<Owned<Request>, RequestError> {
    find(conn, scope, id)?;
    diesel::update(service_requests::table.find(id))
        .set(service_requests::status.eq(service_requests::status))
        .execute(conn)?;
    find(conn, scope, id)
}

pub fn messages(conn: &mut DbConnection, request_id: &str) -> QueryResult<Vec<Message>> {
    let rows: Vec<(String, String, String, NaiveDateTime)> = service_request_messages::table
        .filter(service_request_messages::request_id.eq(request_id))
        .order((
            service_request_messages::created_at.asc(),
            service_request_messages::id.asc(),
        ))
        .select((
            service_request_messages::author_name,
            service_request_messages::author_side,
            service_request_messages::body,
            service_request_messages::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(author_name, side, body, created_at)| Message {
            author_name,
            side: Side::parse(&side).unwrap_or(Side::Customer),
            body,
            created_at,
        })
        .collect())
}

pub struct NewRequest {
    pub title: String,
    pub category: Category,
    pub description: String,
}

fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    author: &Author,
    request: (&CustomerId, Option<&PartnerId>),
    action: Action,
    target: &str,
    details: &str,
) -> QueryResult<()> {
    let actor = Actor {
        login_id: Some(&author.login_id),
        name: &author.name,
        membership_id: Some(&author.membership_id),
        on_behalf_of: author.on_behalf_of.as_deref(),
        api_token_id: author.api_token_id.as_deref(),
    };
    crate::customers::record_on_account(conn, now, request, actor, action, target, details)
}

/// Opens a request for the customer `scope` allows (a partner's customer, or the
/// member's own account); returns its id.
pub fn open(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    settings: &crate::config::Settings,
    scope: &Scope,
    customer_id: &CustomerId,
    author: &Author,
    new: &NewRequest,
) -> Result<String, RequestError> {
    let mut query = customer_accounts::table
        .filter(customer_accounts::id.eq(customer_id.to_owned()))
        .select((customer_accounts::name, customer_accounts::partner_id))
        .into_boxed();
    query = match scope {
        Scope::Partner(partner) => match partner.customer_filter() {
            Some(in_reach) => query.filter(in_reach),
            None => query,
        }
        .filter(customer_accounts::partner_id.eq(partner.partner_id().clone())),
        Scope::Customer(own) => query.filter(customer_accounts::id.eq(own.customer_id().clone())),
    };
    let partner_id: Option<PartnerId> = query
        .first::<(String, Option<PartnerId>)>(conn)
        .optional()?
        .ok_or(RequestError::NotFound)?
        .1;
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(service_requests::table)
        .values((
            service_requests::id.eq(&id),
            service_requests::customer_id.eq(customer_id),
            service_requests::title.eq(&new.title),
            service_requests::category.eq(new.category),
            service_requests::description.eq(&new.description),
            service_requests::status.eq(Status::Open),
            service_requests::opened_by_login_id.eq(&author.login_id),
            service_requests::opened_by_name.eq(&author.name),
            service_requests::opened_by_side.eq(author.side),
            service_requests::created_at.eq(now),
            service_requests::updated_at.eq(now),
        ))
        .execute(conn)?;
    record(
        conn,
        now,
        author,
        (customer_id, partner_id.as_ref()),
        Action::RequestOpened,
        &new.title,
        new.category.as_str(),
    )?;
    let request = find(conn, scope, &id)?;
    crate::webhooks::emit_for_customer(
        conn,
        now,
        partner_id.as_ref(),
        &events::request_event(crate::webhooks::EventType::RequestOpened, &request, author),
    )?;
    notify::other_side(
        conn,
        now,
        settings,
        &request,
        author,
        notify::Event::Opened(&new.description),
    )?;
    Ok(id)
}

/// Adds a message; a customer's message reopens a waiting or resolved request.
pub fn add_message(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    settings: &crate::config::Settings,
    request: &Owned<Request>,
    author: &Author,
    body: &str,
) -> Result<(), RequestError> {
    diesel::insert_into(service_request_messages::table)
        .values((
            service_request_messages::id.eq(uuid::Uuid::new_v4().to_string()),
            service_request_messages::request_id.eq(&request.id),
            service_request_messages::author_login_id.eq(&author.login_id),
            service_request_messages::author_name.eq(&author.name),
            service_request_messages::author_side.eq(author.side),
            service_request_messages::body.eq(body),
            service_request_messages::created_at.eq(now),
        ))
        .execute(conn)?;
    let reopen = author.side == Side::Customer && request.status() != Status::Open;
    let status = if reopen {
        Status::Open
    } else {
        request.status()
    };
    diesel::update(service_requests::table.find(&request.id))
        .set((
            service_requests::status.eq(status),
            service_requests::updated_at.eq(now),
        ))
        .execute(conn)?;
    if reopen {
        record_status_change(conn, now, author, request, status)?;
    }
    crate::webhooks::emit_for_customer(
        conn,
        now,
        request.partner_id.as_ref(),
        &events::request_event(crate::webhooks::EventType::RequestAnswered, request, author),
    )?;
    notify::other_side(
        conn,
        now,
        settings,
        request,
        author,
        notify::Event::Message(body),
    )
}

/// Sets the status (the partner's decision); no change, nothing recorded.
pub fn set_status(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    settings: &crate::config::Settings,
    request: &Owned<Request>,
    author: &Author,
    status: Status,
) -> Result<(), RequestError> {
    let changed = diesel::update(
        service_requests::table
            .filter(service_requests::id.eq(&request.id))
            .filter(service_requests::status.ne(status)),
    )
    .set((
        service_requests::status.eq(status),
        service_requests::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(());
    }
    record_status_change(conn, now, author, request, status)?;
    notify::other_side(
        conn,
        now,
        settings,
        request,
        author,
        notify::Event::Status(status),
    )
}

/// Logs that `request` went from the status it was read with to `status`.
fn record_status_change(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    author: &Author,
    request: &Request,
    status: Status,
) -> QueryResult<()> {
    record(
        conn,
        now,
        author,
        (&request.customer_id, request.partner_id.as_ref()),
        Action::RequestStatusChanged,
        &request.title,
        &format!("{} → {}", request.status, status.as_str()),
    )
}

/// Queues one email; used by `notify`.
pub fn enqueue(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    to: &str,
    email: &dyn crate::email::Email,
) -> Result<(), RequestError> {
    outbox::enqueue(conn, now, to, email).map_err(RequestError::from)?;
    Ok(())
}
