//! An endpoint's delivery log, newest first, a page at a time.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::webhook_deliveries;
use crate::ids::PartnerId;

/// Deliveries per page of the log.
pub const PER_PAGE: i64 = 25;

/// One line of the log.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: String,
    pub event_type: String,
    pub state: String,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_status: Option<i32>,
    pub last_response_ms: Option<i32>,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
}

/// Page `page` (from 0) of the partner's endpoint's deliveries, newest first,
/// and whether an older page follows.
pub fn page(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
    endpoint_id: &str,
    page: i64,
) -> QueryResult<(Vec<Delivery>, bool)> {
    let mut rows = webhook_deliveries::table
        .filter(webhook_deliveries::partner_id.eq(partner_id))
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .offset(page.max(0).saturating_mul(PER_PAGE))
        .limit(PER_PAGE + 1)
        .select(Delivery::as_select())
        .load(conn)?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    Ok((rows, more))
}
