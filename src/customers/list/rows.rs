//! Reading one page of a view: its rows with their groups and licence counts,
//! its number of matches and the partner's groups for the filters.

use crate::auth::scope::PartnerScope;
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use super::pg_search::searched_page_pg;
use super::query::{counted, searched_page, sorted, total};
use super::trigram::{SearchRange, uses_trigram_index};
use super::view::View;
use crate::customers::{BillingType, CustomerState, Health, LicenceStatus};
use crate::db::schema::{customer_accounts, customer_groups};
use crate::db::{DbConnection, MultiBackend};

/// What a row of the list shows.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customer_accounts)]
pub struct ListedCustomer {
    pub id: String,
    pub name: String,
    pub primary_domain: String,
    pub state: String,
    pub billing_type: String,
    pub trial_ends_on: Option<NaiveDate>,
    pub managed_order: bool,
    pub health_level: i32,
    pub created_at: NaiveDateTime,
}

pub struct Row {
    pub customer: ListedCustomer,
    pub state: CustomerState,
    pub billing: BillingType,
    pub health: Health,
    pub groups: Vec<String>,
    /// (status, count of licences in it)
    pub licences: Vec<(LicenceStatus, i64)>,
}

pub struct Listing {
    pub rows: Vec<Row>,
    pub total: i64,
    /// Whether the partner has any customer at all (for the empty state).
    pub has_any: bool,
    pub groups: Vec<(String, String)>,
}

/// A searched page's ids, each read with the number of matches, as that number
/// and the ids; None when the page is empty (past the last match), which tells
/// nothing of the number.
pub(super) fn with_total(rows: Vec<(String, i64)>) -> Option<(i64, Vec<String>)> {
    let total = rows.first().map(|&(_, total)| total)?;
    Some((total, rows.into_iter().map(|(id, _)| id).collect()))
}

type PageColumn<ST> =
    Box<dyn BoxableExpression<customer_accounts::table, MultiBackend, SqlType = ST>>;

/// What a page row shows beside its customer: the names of its groups (a JSON
/// array, by name) and its number of active, trial and expired licences; read
/// with the row rather than by one more query each.
type PageRowColumns = (
    diesel::dsl::AsSelect<ListedCustomer, MultiBackend>,
    PageColumn<Nullable<Text>>,
    PageColumn<BigInt>,
    PageColumn<BigInt>,
    PageColumn<BigInt>,
);
type PageRow = (ListedCustomer, Option<String>, i64, i64, i64);

fn page_row_columns(conn: &DbConnection, scope: &PartnerScope) -> PageRowColumns {
    // Only the partner's own groups, by name.
    let aggregate = match conn {
        DbConnection::Sqlite(_) => {
            "json_group_array(customer_groups.name ORDER BY customer_groups.name_key)"
        }
        DbConnection::Postgres(_) => {
            "json_agg(customer_groups.name ORDER BY customer_groups.name_key)::text"
        }
    };
    let groups = sql::<Nullable<Text>>(&format!(
        "(SELECT {aggregate} FROM customer_group_members JOIN customer_groups \
         ON customer_groups.id = customer_group_members.group_id \
         WHERE customer_group_members.customer_id = customer_accounts.id \
         AND customer_groups.partner_id = "
    ))
    .bind::<Text, _>(scope.partner_id().to_owned())
    .sql(")");
    let licences = |status: LicenceStatus| -> PageColumn<BigInt> {
        Box::new(
            sql::<BigInt>(
                "(SELECT COUNT(*) FROM licences WHERE licences.customer_id = customer_accounts.id \
                 AND licences.status = ",
            )
            .bind::<Text, _>(status.as_str())
            .sql(")"),
        )
    };
    (
        ListedCustomer::as_select(),
        Box::new(groups),
        licences(LicenceStatus::Active),
        licences(LicenceStatus::Trial),
        licences(LicenceStatus::Expired),
    )
}

/// The rows of the partner's customers `ids`, in that order.
fn rows_by_id(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    ids: &[String],
) -> QueryResult<Vec<PageRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let columns = page_row_columns(conn, scope);
    let mut rows: Vec<PageRow> = customer_accounts::table
        .filter(sql::<Bool>(partner_of_ids(conn)).bind::<Text, _>(scope.partner_id()))
        .filter(customer_accounts::id.eq_any(ids))
        .select(columns)
        .load(conn)?;
    sort_as_ids(&mut rows, ids, |row| &row.0.id);
    Ok(rows)
}

/// The condition, to bind to the partner's id, that keeps customers read by
/// id among the partner's: on SQLite the column is written `+partner_id`, which
/// keeps SQLite off the partner's indexes (it would walk them whole rather than
/// look the ids up).
pub fn partner_of_ids(conn: &DbConnection) -> &'static str {
    if matches!(conn, DbConnection::Sqlite(_)) {
        "+customer_accounts.partner_id = "
    } else {
        "customer_accounts.partner_id = "
    }
}

/// Puts rows read by id back in the order of `ids`.
pub fn sort_as_ids<T>(rows: &mut [T], ids: &[String], id: impl Fn(&T) -> &str) {
    let position: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| (id.as_str(), n))
        .collect();
    rows.sort_by_key(|row| position.get(id(row)).copied());
}

/// Reads one page of the view, its total and what the filters offer.
pub fn load(conn: &mut DbConnection, scope: &PartnerScope, view: &View) -> QueryResult<Listing> {
    let view = &super::query::with_group_rule(conn, scope, view)?;
    let (total, customers) = page_and_total(conn, scope, view)?;
    // Whether the partner has any customer, for the empty state.
    let has_any = total > 0 || (view.is_filtered() && counted(conn, scope, &View::default())? > 0);
    Ok(Listing {
        rows: customers.into_iter().map(listed_row).collect(),
        total,
        has_any,
        groups: groups_of_partner(conn, scope)?,
    })
}

/// The number of the view's matches and the rows of its page, each read the
/// way that costs the fewest rows on the connection's database.
fn page_and_total(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
) -> QueryResult<(i64, Vec<PageRow>)> {
    let offset = (view.page - 1) * view.per_page;
    let range = if uses_trigram_index(conn, view)
        && !view.filters_on_dates()
        && !super::query::reads_accounts(scope, view)
    {
        SearchRange::of(conn, scope)?
    } else {
        None
    };
    let found = if matches!(conn, DbConnection::Postgres(_)) && !view.q.is_empty() {
        searched_page_pg(conn, scope, view, offset)?
    } else if let Some(range) = range {
        with_total(searched_page(conn, scope, range, view, offset)?)
    } else {
        None
    };
    if let Some((total, ids)) = found {
        return Ok((total, rows_by_id(conn, scope, &ids)?));
    }
    let total = total(conn, scope, view, range)?;
    let customers = if offset >= total {
        Vec::new()
    } else {
        page_rows(conn, scope, view, offset)?
    };
    Ok((total, customers))
}

/// The rows of the view's page starting at `offset`.
fn page_rows(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    view: &View,
    offset: i64,
) -> QueryResult<Vec<PageRow>> {
    if matches!(conn, DbConnection::Sqlite(_)) && offset <= 1_000 {
        // SQLite reads a row only when a column outside the index is needed,
        // so the entries skipped by the offset cost no row; a second query
        // for the rows costs more than that on the first pages, and less
        // than the deferred row lookups of a long skip.
        let columns = page_row_columns(conn, scope);
        return sorted(conn, scope, view)
            .select(columns)
            .limit(view.per_page)
            .offset(offset)
            .load(conn);
    }
    // The page's ids first, from the index alone (PostgreSQL would read
    // every skipped row otherwise), then their rows.
    let ids: Vec<String> = sorted(conn, scope, view)
        .select(customer_accounts::id)
        .limit(view.per_page)
        .offset(offset)
        .load(conn)?;
    rows_by_id(conn, scope, &ids)
}

/// A page row as the list shows it: its codes read, its groups decoded, and
/// only the licence statuses it has.
fn listed_row((customer, groups, active, trial, expired): PageRow) -> Row {
    let licences = [
        (LicenceStatus::Active, active),
        (LicenceStatus::Trial, trial),
        (LicenceStatus::Expired, expired),
    ]
    .into_iter()
    .filter(|&(_, count)| count > 0)
    .collect();
    Row {
        state: CustomerState::parse(&customer.state).unwrap_or(CustomerState::Active),
        billing: BillingType::parse(&customer.billing_type).unwrap_or(BillingType::MonthlyUsage),
        health: Health::from_level(customer.health_level),
        groups: groups
            .and_then(|names| serde_json::from_str(&names).ok())
            .unwrap_or_default(),
        licences,
        customer,
    }
}

/// The partner's groups as (id, name), by name.
pub fn groups_of_partner(
    conn: &mut DbConnection,
    scope: &PartnerScope,
) -> QueryResult<Vec<(String, String)>> {
    customer_groups::table
        .filter(customer_groups::partner_id.eq(scope.partner_id()))
        .order((customer_groups::name_key.asc(), customer_groups::id.asc()))
        .select((customer_groups::id, customer_groups::name))
        .load(conn)
}
