//! `/api/v1/partner/activity`: the organisation's activity log as its page
//! reads it (`partner::activity`), with the page's filters, newest first, paged
//! by cursor over (time, id): entries added meanwhile are newer, so paging on
//! neither skips nor repeats one.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{self, Keyset, rfc3339};
use super::writes::refused_all;
use crate::auth::partner_tokens::PartnerClient;
use crate::db;
use crate::i18n::Lang;
use crate::partner::activity::{Filters, LogRow, entries_after};
use crate::state::AppState;
use crate::web::json_api::ApiError;

/// One entry of the activity log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityEntry {
    pub id: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime)]
    pub at: String,
    /// The real person who acted.
    pub person: String,
    /// The partner a partner's user acted for inside a customer's console.
    pub on_behalf_of: Option<String>,
    /// The name of the API token the change was made through, if it was.
    pub api_token: Option<String>,
    /// The action's code (`order_placed`, `role_changed`, …).
    pub action: String,
    /// The action as the page names it, in the request's language.
    pub action_label: String,
    pub customer_id: Option<String>,
    pub customer_name: Option<String>,
    /// What the action was about, named as it was then.
    pub target: String,
    /// The details as the page shows them, in the request's language.
    pub details: String,
}

/// A page of entries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub entries: Vec<ActivityEntry>,
    /// Pass as `cursor` for the next (older) page; null on the last page.
    pub next_cursor: Option<String>,
}

fn entry(row: LogRow, lang: Lang) -> ActivityEntry {
    let tr = lang.translator();
    let (id, at, person, on_behalf_of, action, target, details, customer, token, customer_id) = row;
    ActivityEntry {
        id,
        at: rfc3339(at),
        person,
        on_behalf_of,
        api_token: token,
        action_label: crate::log_wording::action_label(&tr, action.clone()),
        action,
        customer_id,
        customer_name: customer,
        target,
        details: crate::log_wording::shown_details(&tr, &details),
    }
}

/// Lists the organisation's activity log.
#[utoipa::path(
    get,
    path = "/api/v1/partner/activity",
    tag = "activity",
    params(
        ("customer" = Option<String>, Query, description = "A customer's id, or part of its name or domain (at most 200 characters)"),
        ("person" = Option<String>, Query, description = "The person who acted, by full name"),
        ("action" = Option<String>, Query, description = "An action's code, e.g. `order_placed`"),
        ("from" = Option<String>, Query, description = "`YYYY-MM-DD`: entries from the start of this day (UTC)"),
        ("to" = Option<String>, Query, description = "`YYYY-MM-DD`: entries until the end of this day (UTC)"),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Entries per page, 50 when not given"),
    ),
    responses(
        (status = 200, description = "A page of entries, newest first", body = ActivityPage),
        (status = 400, description = "A malformed query string", body = super::openapi::ErrorBody),
        (status = 401, description = "No live token", body = super::openapi::ErrorBody),
        (status = 403, description = "The token lacks `activity:read`, or its creator's role may not see the activity log", body = super::openapi::ErrorBody),
        (status = 422, description = "A faulty filter, a cursor not made by this list, or a limit out of range", body = super::openapi::ErrorBody),
        (status = 503, description = "The database is out of reach", body = super::openapi::ErrorBody),
    ),
    security(("partner_token" = ["activity:read"])),
)]
pub async fn list(
    state: web::Data<AppState>,
    client: PartnerClient,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (cursor, limit) = keyset::paging(&req)?;
    let filters =
        web::Query::<Filters>::from_query(req.query_string()).map_err(|_| ApiError::Malformed)?;
    let scope = client.scope().clone();
    let after: Option<(NaiveDateTime, String)> = cursor.map(|c| (c.at, c.id));
    let rows = db::run(&state.pool, move |conn| {
        entries_after(conn, &scope, &filters, after.as_ref(), limit + 1).map_err(ApiError::from)
    })
    .await?
    .map_err(|errors| refused_all(&errors, lang))?;
    let (rows, next_cursor) = keyset::page_of(rows, limit, |row| Keyset {
        at: row.1,
        id: row.0.clone(),
    });
    Ok(HttpResponse::Ok().json(ActivityPage {
        entries: rows.into_iter().map(|row| entry(row, lang)).collect(),
        next_cursor,
    }))
}
