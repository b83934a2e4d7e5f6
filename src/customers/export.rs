//! CSV export of the list as it is filtered and sorted. The customers' ids are
//! read first, in order; the file is then streamed a thousand rows at a time,
//! so a large partner's export neither waits for the whole result nor holds
//! its rows in memory (only their ids), and holds each customer once. It is
//! UTF-8 with a byte-order mark (so that spreadsheets read accents right),
//! comma-separated unless `sep=semicolon` asks for what a spreadsheet set up
//! for French expects; the import takes both.

use crate::auth::scope::PartnerScope;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use futures_util::stream;

use chrono::{NaiveDate, NaiveDateTime};

use super::list::{RawView, View, partner_of_ids, sort_as_ids, sorted};
use crate::auth::identity::PartnerMember;
use crate::db::schema::customer_accounts;
use crate::db::{self, DbError, DbPool, MultiBackend};
use crate::state::AppState;
use crate::web::PageError;

const BATCH: usize = 1_000;

/// What a spreadsheet takes as the sign of UTF-8 text.
const BYTE_ORDER_MARK: &str = "\u{feff}";

/// How the cells of the file are separated (`?sep=semicolon`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct ExportOptions {
    #[serde(default)]
    sep: String,
}

impl ExportOptions {
    fn delimiter(&self) -> u8 {
        if self.sep == "semicolon" { b';' } else { b',' }
    }
}

/// The columns of an export, which are also the columns an import reads (the
/// import ignores the ones the portal sets itself: id, data region, state, health
/// and creation time).
pub const HEADER: [&str; 22] = [
    "id",
    "name",
    "primary_domain",
    "country",
    "data_region",
    "time_zone",
    "reference_number",
    "subscription_term",
    "state",
    "billing_type",
    "trial_ends_on",
    "managed_order",
    "health",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "region",
    "contact_name",
    "contact_email",
    "contact_phone",
    "created_at",
];

/// A row of the export: the list's row and what an import needs besides.
#[derive(Debug, Queryable)]
struct ExportedCustomer {
    id: String,
    name: String,
    primary_domain: String,
    country: String,
    data_region: String,
    time_zone: String,
    reference_number: String,
    subscription_term: String,
    state: String,
    billing_type: String,
    trial_ends_on: Option<NaiveDate>,
    managed_order: bool,
    health_level: i32,
    address_line1: String,
    address_line2: String,
    postal_code: String,
    city: String,
    region: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    created_at: NaiveDateTime,
}

/// A spreadsheet would run a cell that starts like a formula; such cells are
/// written with a leading apostrophe, which the import takes off again.
pub fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn encode(
    rows: &[ExportedCustomer],
    with_header: bool,
    delimiter: u8,
) -> Result<Bytes, csv::Error> {
    let start = if with_header {
        BYTE_ORDER_MARK.as_bytes().to_vec()
    } else {
        Vec::new()
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(start);
    if with_header {
        writer.write_record(HEADER)?;
    }
    for row in rows {
        let health = super::Health::from_level(row.health_level);
        let trial_ends_on = row
            .trial_ends_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let created_at = row.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        writer.write_record([
            row.id.as_str(),
            &defused(&row.name),
            &defused(&row.primary_domain),
            &row.country,
            &row.data_region,
            &row.time_zone,
            &defused(&row.reference_number),
            &row.subscription_term,
            &row.state,
            &row.billing_type,
            &trial_ends_on,
            if row.managed_order { "yes" } else { "no" },
            health.as_str(),
            &defused(&row.address_line1),
            &defused(&row.address_line2),
            &defused(&row.postal_code),
            &defused(&row.city),
            &defused(&row.region),
            &defused(&row.contact_name),
            &defused(&row.contact_email),
            &defused(&row.contact_phone),
            &created_at,
        ])?;
    }
    writer
        .into_inner()
        .map(Bytes::from)
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The ids of the view's customers in its order, read once before the first
/// row: each batch then reads its thousand customers by id. Paging the view
/// itself (an offset) read all the rows before each batch again (a
/// quadratic export, probing each account's groups again for a member
/// limited to some), and a customer written between two batches could
/// shift the rest of the file: exported twice, or not at all.
async fn ids_in_order(
    pool: &DbPool,
    scope: PartnerScope,
    view: View,
) -> Result<Vec<String>, DbError> {
    db::run(pool, move |conn| {
        let view = crate::customers::list::with_group_rule(conn, &scope, &view)?;
        sorted(conn, &scope, &view)
            .select(customer_accounts::id)
            .load(conn)
            .map_err(DbError::from)
    })
    .await
}

/// The customers of `ids` still in the member's reach, in the order of `ids`;
/// one deleted or moved away since the ids were read is left out.
async fn batch(
    pool: &DbPool,
    scope: PartnerScope,
    ids: Vec<String>,
) -> Result<Vec<ExportedCustomer>, DbError> {
    use customer_accounts as c;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db::run(pool, move |conn| {
        let partner = partner_of_ids(conn);
        let mut query = c::table
            .filter(sql::<Bool>(partner).bind::<Text, _>(scope.partner_id().as_str().to_owned()))
            .filter(c::id.eq_any(&ids))
            .into_boxed::<MultiBackend>();
        if let Some(in_reach) = scope.customer_filter() {
            query = query.filter(in_reach);
        }
        let mut rows: Vec<ExportedCustomer> = query
            .select((
                c::id,
                c::name,
                c::primary_domain,
                c::country,
                c::data_region,
                c::time_zone,
                c::reference_number,
                c::subscription_term,
                c::state,
                c::billing_type,
                c::trial_ends_on,
                c::managed_order,
                c::health_level,
                c::address_line1,
                c::address_line2,
                c::postal_code,
                c::city,
                c::region,
                c::contact_name,
                c::contact_email,
                c::contact_phone,
                c::created_at,
            ))
            .load(conn)?;
        sort_as_ids(&mut rows, &ids, |row| &row.id);
        Ok(rows)
    })
    .await
}

pub async fn csv(
    state: web::Data<AppState>,
    member: PartnerMember,
    query: web::Query<RawView>,
    options: web::Query<ExportOptions>,
) -> Result<HttpResponse, PageError> {
    let view = View::from(query.into_inner()).at(state.clock.now());
    let delimiter = options.delimiter();
    let scope = member.scope().clone();
    let pool = state.pool.clone();
    // The ids and the first batch are read before answering, so a failing
    // database still gets a proper error page instead of a cut-off file.
    let mut ids = ids_in_order(&pool, scope.clone(), view).await?.into_iter();
    let first_ids = ids.by_ref().take(BATCH).collect();
    let first = batch(&pool, scope.clone(), first_ids).await?;
    let head = encode(&first, true, delimiter).map_err(PageError::internal)?;
    let rest = stream::unfold(Some(ids), move |ids| {
        let (pool, scope) = (pool.clone(), scope.clone());
        async move {
            let mut ids = ids?;
            let next: Vec<String> = ids.by_ref().take(BATCH).collect();
            if next.is_empty() {
                return None;
            }
            match batch(&pool, scope, next).await {
                Ok(rows) => Some((
                    encode(&rows, false, delimiter).map_err(PageError::internal),
                    Some(ids),
                )),
                Err(error) => {
                    tracing::error!(?error, "customer export stopped");
                    Some((Err(PageError::internal(error)), None))
                }
            }
        }
    });
    let body = futures_util::StreamExt::chain(stream::once(async move { Ok(head) }), rest);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            "attachment; filename=\"customers.csv\"",
        ))
        .streaming(body))
}
