//! CSV export of the list as it is filtered and sorted (A9). The file is streamed
//! a thousand rows at a time, so a large partner's export neither waits for the
//! whole result nor holds it in memory.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use futures_util::stream;

use super::list::{LISTED, ListedCustomer, RawView, View, sorted};
use crate::auth::identity::PartnerMember;
use crate::db::{self, DbError, DbPool};
use crate::startup::AppState;
use crate::web::PageError;

const BATCH: i64 = 1_000;

pub const HEADER: [&str; 9] = [
    "id",
    "name",
    "primary_domain",
    "state",
    "billing_type",
    "trial_ends_on",
    "managed_order",
    "health",
    "created_at",
];

/// A spreadsheet would run a cell that starts like a formula; such cells are
/// written with a leading apostrophe.
fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn encode(rows: &[ListedCustomer], with_header: bool) -> Result<Bytes, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if with_header {
        writer.write_record(HEADER)?;
    }
    for row in rows {
        let health = super::Health::from_level(row.health_level);
        writer.write_record([
            row.id.as_str(),
            &defused(&row.name),
            &defused(&row.primary_domain),
            row.state.as_str(),
            row.billing_type.as_str(),
            &row.trial_ends_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            if row.managed_order { "yes" } else { "no" },
            health.as_str(),
            &row.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        ])?;
    }
    writer
        .into_inner()
        .map(Bytes::from)
        .map_err(|e| csv::Error::from(e.into_error()))
}

async fn batch(
    pool: &DbPool,
    partner_id: String,
    view: View,
    offset: i64,
) -> Result<Vec<ListedCustomer>, DbError> {
    db::run(pool, move |conn| {
        sorted(conn, &partner_id, &view)
            .select(LISTED)
            .limit(BATCH)
            .offset(offset)
            .load(conn)
            .map_err(DbError::from)
    })
    .await
}

pub async fn csv(
    state: web::Data<AppState>,
    member: PartnerMember,
    query: web::Query<RawView>,
) -> Result<HttpResponse, PageError> {
    let view = View::from(query.into_inner());
    let partner_id = member.partner_id().to_owned();
    let pool = state.pool.clone();
    // The first batch is read before answering, so a failing database still gets
    // a proper error page instead of a cut-off file.
    let first = batch(&pool, partner_id.clone(), view.clone(), 0).await?;
    let head = encode(&first, true).map_err(PageError::internal)?;
    let more = first.len() as i64 == BATCH;
    let rest = stream::unfold((BATCH, more), move |(offset, more)| {
        let (pool, partner_id, view) = (pool.clone(), partner_id.clone(), view.clone());
        async move {
            if !more {
                return None;
            }
            let rows = match batch(&pool, partner_id, view, offset).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(?error, "customer export stopped");
                    return Some((Err(PageError::internal(error)), (offset, false)));
                }
            };
            let more = rows.len() as i64 == BATCH;
            let chunk = encode(&rows, false).map_err(PageError::internal);
            Some((chunk, (offset + BATCH, more)))
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
