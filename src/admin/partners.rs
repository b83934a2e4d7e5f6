//! The partner organisations, as the operator sees them (`/admin`): name,
//! state, owners, customers, creation; searched by part of the name, a page at
//! a time; or one organisation's whole subtree (`?under=ID`), indented by
//! depth, each row naming its parent and how many resellers it has.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use serde::Deserialize;

use super::{AdminPage, PAGE_SIZE, page_number};
use crate::access::PartnerRole;
use crate::accounts::MembershipState;
use crate::db::schema::{customer_counts, logins, memberships, partner_organisations};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::format_time;
use crate::web::{PageContext, PageError, PageOf, render};

/// The longest search text.
const QUERY_MAX: usize = 200;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    page: Option<String>,
    /// An organisation whose subtree is listed instead of the search.
    under: Option<String>,
}

pub struct Owner {
    pub full_name: String,
    pub username: String,
    /// Invited, not yet accepted.
    pub pending: bool,
}

pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
    pub parent_id: Option<String>,
    /// 0 outside a subtree view; else 0 for its root, 1 below it, and so on.
    pub depth: usize,
    /// The organisations directly under this one.
    pub resellers: i64,
    pub created_at: NaiveDateTime,
    pub suspended: bool,
    pub owners: Vec<Owner>,
    pub customers: i64,
}

#[derive(Template)]
#[template(path = "admin/partners.html")]
struct PartnersPage {
    layout: PageContext,
    rows: Vec<PartnerRow>,
    q: String,
    page: i64,
    has_next: bool,
    /// The root of the subtree shown, if one is.
    under: Option<String>,
}

impl PartnersPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }

    /// The query string of this view on another page.
    fn page_link(&self, page: i64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        query.append_pair("page", &page.to_string());
        format!("/admin?{}", query.finish())
    }

    fn indent(&self, depth: &usize) -> String {
        "↳".repeat(*depth)
    }
}

pub async fn page(
    PageOf(state, layout, _operator): AdminPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let ListQuery { q, page, under } = query.into_inner();
    let q: String = q.trim().chars().take(QUERY_MAX).collect();
    let page = page_number(page.as_deref());
    let search = q.clone();
    let root = under.filter(|id| !id.trim().is_empty());
    let wanted = root.clone();
    let (rows, has_next) = db::run(&state.pool, move |conn| {
        match &wanted {
            Some(root) => subtree(conn, root).map(|rows| (rows, false)),
            None => list(conn, &search, page),
        }
        .map_err(DbError::from)
    })
    .await?;
    if root.is_some() && rows.is_empty() {
        return Err(PageError::NotFound);
    }
    render(&PartnersPage {
        layout,
        rows,
        q,
        page,
        has_next,
        under: root,
    })
}

/// `root` and every organisation under it, in tree order; empty when `root`
/// does not exist.
pub fn subtree(conn: &mut DbConnection, root: &str) -> QueryResult<Vec<PartnerRow>> {
    let mut order = vec![(root.to_owned(), 0)];
    order.extend(
        crate::network::tree::descendants(conn, root)?
            .into_iter()
            .map(|node| (node.id, node.depth)),
    );
    let ids: Vec<&str> = order.iter().map(|(id, _)| id.as_str()).collect();
    let found: Vec<Found> = partner_organisations::table
        .filter(partner_organisations::id.eq_any(&ids))
        .select((
            partner_organisations::id,
            partner_organisations::name,
            partner_organisations::parent_id,
            partner_organisations::created_at,
            partner_organisations::suspended_at.is_not_null(),
        ))
        .load(conn)?;
    let mut by_id: HashMap<String, Found> =
        found.into_iter().map(|row| (row.0.clone(), row)).collect();
    let ordered: Vec<(Found, usize)> = order
        .into_iter()
        .filter_map(|(id, depth)| by_id.remove(&id).map(|row| (row, depth)))
        .collect();
    rows_of(conn, ordered)
}

/// One page of the organisations whose name holds `q`, by name; and whether
/// another page follows.
pub fn list(conn: &mut DbConnection, q: &str, page: i64) -> QueryResult<(Vec<PartnerRow>, bool)> {
    let mut query = partner_organisations::table
        .select((
            partner_organisations::id,
            partner_organisations::name,
            partner_organisations::parent_id,
            partner_organisations::created_at,
            partner_organisations::suspended_at.is_not_null(),
        ))
        .order((
            partner_organisations::name.asc(),
            partner_organisations::id.asc(),
        ))
        .into_boxed();
    if !q.is_empty() {
        // Thousands of organisations at most: a scan is quick, and lower()
        // makes it the same search on both databases.
        query = query.filter(
            sql::<Bool>("lower(partner_organisations.name) LIKE ")
                .bind::<Text, _>(crate::customers::list::like_pattern(q))
                .sql(" ESCAPE '\\'"),
        );
    }
    let found: Vec<(String, String, Option<String>, NaiveDateTime, bool)> = query
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
        .load(conn)?;
    let has_next = found.len() as i64 > PAGE_SIZE;
    let found = found
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|row| (row, 0))
        .collect();
    Ok((rows_of(conn, found)?, has_next))
}

/// The rows shown for `found` (each with its depth), in that order.
fn rows_of(conn: &mut DbConnection, found: Vec<(Found, usize)>) -> QueryResult<Vec<PartnerRow>> {
    let ids: Vec<&str> = found.iter().map(|(row, _)| row.0.as_str()).collect();
    let rows: Vec<Found> = found.iter().map(|(row, _)| row.clone()).collect();
    let parents = parent_names(conn, &rows)?;
    let mut owners = owners_of(conn, &ids)?;
    let counts = customers_of(conn, &ids)?;
    let children = children_of(conn, &ids)?;
    Ok(found
        .into_iter()
        .map(
            |((id, name, parent, created_at, suspended), depth)| PartnerRow {
                owners: owners.remove(&id).unwrap_or_default(),
                customers: counts.get(&id).copied().unwrap_or(0),
                resellers: children.get(&id).copied().unwrap_or(0),
                parent: parent.as_ref().and_then(|p| parents.get(p).cloned()),
                parent_id: parent,
                depth,
                id,
                name,
                created_at,
                suspended,
            },
        )
        .collect())
}

/// How many organisations sit directly under each of `ids`.
fn children_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, i64>> {
    let counted: Vec<(Option<String>, i64)> = partner_organisations::table
        .filter(partner_organisations::parent_id.eq_any(ids))
        .group_by(partner_organisations::parent_id)
        .select((partner_organisations::parent_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(counted
        .into_iter()
        .filter_map(|(id, count)| id.map(|id| (id, count)))
        .collect())
}

type Found = (String, String, Option<String>, NaiveDateTime, bool);

fn parent_names(conn: &mut DbConnection, found: &[Found]) -> QueryResult<HashMap<String, String>> {
    let parents: Vec<&str> = found.iter().filter_map(|row| row.2.as_deref()).collect();
    if parents.is_empty() {
        return Ok(HashMap::new());
    }
    let named: Vec<(String, String)> = partner_organisations::table
        .filter(partner_organisations::id.eq_any(parents))
        .select((partner_organisations::id, partner_organisations::name))
        .load(conn)?;
    Ok(named.into_iter().collect())
}

/// The owners of each organisation, active or invited, by name.
fn owners_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, Vec<Owner>>> {
    let found: Vec<(Option<String>, String, String, MembershipState)> = memberships::table
        .inner_join(logins::table)
        .filter(memberships::partner_id.eq_any(ids))
        .filter(memberships::role.eq(PartnerRole::Owner.as_str()))
        .filter(memberships::state.eq_any([MembershipState::Active, MembershipState::Invited]))
        .order(logins::full_name.asc())
        .select((
            memberships::partner_id,
            logins::full_name,
            logins::username,
            memberships::state,
        ))
        .load(conn)?;
    let mut owners: HashMap<String, Vec<Owner>> = HashMap::new();
    for (partner_id, full_name, username, state) in found {
        if let Some(partner_id) = partner_id {
            owners.entry(partner_id).or_default().push(Owner {
                full_name,
                username,
                pending: state == MembershipState::Invited,
            });
        }
    }
    Ok(owners)
}

/// Each organisation's customers, from the kept counts.
fn customers_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, i64>> {
    let counted: Vec<(String, Option<i64>)> = customer_counts::table
        .filter(customer_counts::partner_id.eq_any(ids))
        .group_by(customer_counts::partner_id)
        .select((
            customer_counts::partner_id,
            diesel::dsl::sum(customer_counts::customers),
        ))
        .load(conn)?;
    Ok(counted
        .into_iter()
        .map(|(id, count)| (id, count.unwrap_or(0)))
        .collect())
}
