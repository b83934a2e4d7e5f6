//! Service health across the instance, as the operator records it
//! (`/admin/health`): what `partnerdesk health …` does, in pages. The list of
//! every customer's services, searched by the customer's or the partner's
//! name (here); one customer's services and incidents, adding a service and
//! opening an incident (`customer.rs`); one incident's timeline and its
//! updates (`incident.rs`). The changes are the domain's
//! (`service_health::add_service`, `open_incident`, `post_update`), so the
//! partner's and the customer's pages show them as they show the command
//! line's; each is also written to the instance's activity log.

pub mod customer;
pub mod incident;

use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use serde::Deserialize;

use super::{AdminPage, PAGE_SIZE, page_number};
use crate::auth::operator::InstanceOperator;
use crate::customers::Health;
use crate::db::schema::{customer_accounts, partner_organisations, services};
use crate::db::{self, DbConnection, DbError};
use crate::ids::CustomerId;
use crate::instance_log::{self, InstanceAction};
use crate::service_health::{HealthError, Recorder};
use crate::web::{PageContext, PageError, PageOf, render};

/// The longest search text.
const QUERY_MAX: usize = 200;
/// Customers listed under the services when searching, to add a first service.
const CUSTOMERS_FOUND: i64 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
}

/// One service of one customer.
pub struct ServiceRow {
    pub customer_id: String,
    pub customer: String,
    /// None once the customer left its partner.
    pub partner: Option<String>,
    pub service: String,
    pub state: Health,
}

/// A customer found by the search.
pub struct CustomerRow {
    pub id: String,
    pub name: String,
    pub partner: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/health.html")]
struct HealthListPage {
    layout: PageContext,
    rows: Vec<ServiceRow>,
    customers: Vec<CustomerRow>,
    q: String,
    page: i64,
    has_next: bool,
}

impl HealthListPage {
    /// The query string of this view on another page.
    fn page_link(&self, page: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        query.append_pair("page", &page.to_string());
        format!("/admin/health?{}", query.finish())
    }
}

pub async fn page(
    PageOf(state, layout, _): AdminPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let ListQuery { q, page } = query.into_inner();
    let q: String = q.trim().chars().take(QUERY_MAX).collect();
    let page = page_number(page.as_deref());
    let search = q.clone();
    let (rows, has_next, customers) = db::run(&state.pool, move |conn| {
        let (rows, has_next) = services_page(conn, &search, page)?;
        let customers = if search.is_empty() {
            Vec::new()
        } else {
            customers_named(conn, &search)?
        };
        Ok::<_, DbError>((rows, has_next, customers))
    })
    .await?;
    render(&HealthListPage {
        layout,
        rows,
        customers,
        q,
        page,
        has_next,
    })
}

/// The condition "the customer's or its partner's name holds `$q`", on a
/// query joining both; lower-cased on both sides so that both databases
/// search alike (a scan: the operator's pages are few and far between).
macro_rules! names_hold {
    ($q:expr) => {{
        let pattern = crate::customers::list::like_pattern($q);
        sql::<Bool>("(customer_accounts.name_key LIKE ")
            .bind::<Text, _>(pattern.clone())
            .sql(" ESCAPE '\\' OR lower(partner_organisations.name) LIKE ")
            .bind::<Text, _>(pattern)
            .sql(" ESCAPE '\\')")
    }};
}

/// One page of services, by customer then service name; and whether another
/// page follows.
fn services_page(
    conn: &mut DbConnection,
    q: &str,
    page: i64,
) -> QueryResult<(Vec<ServiceRow>, bool)> {
    let mut query = services::table
        .inner_join(customer_accounts::table.left_join(partner_organisations::table))
        .select((
            customer_accounts::id,
            customer_accounts::name,
            partner_organisations::name.nullable(),
            services::name,
            services::state,
        ))
        .order((
            customer_accounts::name_key.asc(),
            customer_accounts::id.asc(),
            services::name_key.asc(),
            services::id.asc(),
        ))
        .into_boxed();
    if !q.is_empty() {
        query = query.filter(names_hold!(q));
    }
    let found: Vec<(String, String, Option<String>, String, String)> = query
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .load(conn)?;
    let has_next = found.len() as i64 > PAGE_SIZE;
    let rows = found
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(
            |(customer_id, customer, partner, service, state)| ServiceRow {
                customer_id,
                customer,
                partner,
                service,
                state: Health::parse(&state).unwrap_or(Health::Healthy),
            },
        )
        .collect();
    Ok((rows, has_next))
}

/// The first customers whose or whose partner's name holds `q`, by name.
fn customers_named(conn: &mut DbConnection, q: &str) -> QueryResult<Vec<CustomerRow>> {
    let found: Vec<(String, String, Option<String>)> = customer_accounts::table
        .left_join(partner_organisations::table)
        .filter(names_hold!(q))
        .order((
            customer_accounts::name_key.asc(),
            customer_accounts::id.asc(),
        ))
        .limit(CUSTOMERS_FOUND)
        .select((
            customer_accounts::id,
            customer_accounts::name,
            partner_organisations::name.nullable(),
        ))
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(id, name, partner)| CustomerRow { id, name, partner })
        .collect())
}

/// A customer as the operator's health pages name it.
pub struct CustomerNamed {
    pub id: CustomerId,
    pub name: String,
    pub partner: Option<String>,
}

/// The customer `id` with its partner's name; None when no account has it.
fn customer_named(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CustomerNamed>> {
    customer_accounts::table
        .left_join(partner_organisations::table)
        .filter(customer_accounts::id.eq(id))
        .select((
            customer_accounts::id,
            customer_accounts::name,
            partner_organisations::name.nullable(),
        ))
        .first::<(String, String, Option<String>)>(conn)
        .optional()
        .map(|found| {
            found.map(|(id, name, partner)| CustomerNamed {
                id: CustomerId::new(id),
                name,
                partner,
            })
        })
}

/// Who the partner's and the customer's logs name: the operator, by name.
fn recorder(operator: &InstanceOperator) -> Recorder {
    Recorder(format!("Operator · {}", operator.identity.login.full_name))
}

/// Writes the change to the instance's log, naming the customer; in the
/// change's transaction.
fn logged(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    operator: &InstanceOperator,
    action: InstanceAction,
    customer: &CustomerNamed,
    details: &str,
) -> Result<(), HealthError> {
    instance_log::record(conn, now, operator.actor(), action, &customer.name, details)?;
    Ok(())
}
