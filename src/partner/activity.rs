//! The activity log of a partner organisation, newest first, with filters by
//! customer, person, action and dates, and the same selection as a CSV file.
//! Owners only (the matrix's "see the activity log"). The log is append-only:
//! nothing here or anywhere else changes an entry, and the database refuses to.

use crate::auth::scope::PartnerScope;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::customers::export::defused;
use crate::customers::list::like_pattern;
use crate::db::schema::{activity_log, customer_accounts, partner_api_tokens};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::{Translator, format_time};
use crate::reach::CustomerReach;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, PartnerPage, render};

pub const PAGE_SIZE: i64 = 50;
/// The most entries one CSV file holds; the file says when more matched.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    customer: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<i64>,
}

impl Filters {
    /// The filters as a query string, without the page.
    fn query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("customer", &self.customer)
            .append_pair("person", &self.person)
            .append_pair("action", &self.action)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .finish()
    }
}

/// The filters checked, in the stored log's terms.
#[derive(Clone)]
struct Selection {
    partner_id: String,
    /// The customers the member reaches: a member limited to some groups
    /// sees only the entries about their customers.
    reach: CustomerReach,
    /// The customer the member works on: only its entries.
    context_id: Option<String>,
    /// Part of a customer's name or domain, lower-cased.
    customer: Option<String>,
    person: Option<String>,
    action: Option<Action>,
    from: Option<NaiveDateTime>,
    to: Option<NaiveDateTime>,
}

/// The start of a day in the viewer's zone, as the UTC time stored in the log.
fn day_start(day: NaiveDate, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    let local = zone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    Some(local.naive_utc())
}

fn parse_day(text: &str) -> Result<Option<NaiveDate>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ())
}

impl Selection {
    fn parse(filters: &Filters, member: &PartnerMember) -> Result<Selection, FieldErrors> {
        let context_id = member
            .identity
            .customer_context
            .as_ref()
            .map(|(id, _)| id.clone());
        let zone = member.identity.login.time_zone;
        Selection::of(filters, member.scope(), context_id, zone)
    }

    /// The filters of the organisation `scope`'s log, days read in `zone`,
    /// narrowed to the customer `context_id` if given.
    fn of(
        filters: &Filters,
        scope: &PartnerScope,
        context_id: Option<String>,
        zone: chrono_tz::Tz,
    ) -> Result<Selection, FieldErrors> {
        let mut errors = FieldErrors::default();
        let from = parse_day(&filters.from).unwrap_or_else(|()| {
            errors.add("from", "activity-date-invalid");
            None
        });
        let to = parse_day(&filters.to).unwrap_or_else(|()| {
            errors.add("to", "activity-date-invalid");
            None
        });
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.add("to", "activity-range-invalid");
        }
        let action = match filters.action.as_str() {
            "" => None,
            code => match Action::parse(code) {
                Some(action) => Some(action),
                None => {
                    errors.add("action", "activity-action-invalid");
                    None
                }
            },
        };
        if filters.customer.chars().count() > 200 {
            errors.add("customer", "field-too-long");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let customer = filters.customer.trim().to_lowercase();
        Ok(Selection {
            partner_id: scope.partner_id().as_str().to_owned(),
            reach: scope.reach().clone(),
            context_id,
            customer: (!customer.is_empty()).then_some(customer),
            person: Some(filters.person.clone()).filter(|p| !p.is_empty()),
            action,
            from: from.and_then(|day| day_start(day, zone)),
            to: to
                .and_then(|day| day.succ_opt())
                .and_then(|day| day_start(day, zone)),
        })
    }
}

/// One entry as read: its id, when, who, for whom, what, about which
/// customer (its name), through which API token (its name), and the
/// customer's id.
pub type LogRow = (
    String,
    NaiveDateTime,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The organisation's entries the page's `filters` select (days in UTC),
/// newest first, `limit` of them after `after` (the time and id of the last
/// entry read): the partner API's reading of this page.
pub fn entries_after(
    conn: &mut DbConnection,
    scope: &PartnerScope,
    filters: &Filters,
    after: Option<&(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Result<Vec<LogRow>, FieldErrors>> {
    match Selection::of(filters, scope, None, chrono_tz::UTC) {
        Ok(selection) => entries(conn, &selection, after, 0, limit).map(Ok),
        Err(errors) => Ok(Err(errors)),
    }
}

/// The entries of the selection, newest first, `limit` of them after `after`
/// (the last entry of the previous batch), or from `offset`.
fn entries(
    conn: &mut DbConnection,
    selection: &Selection,
    after: Option<&(NaiveDateTime, String)>,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<LogRow>> {
    let mut query = activity_log::table
        .left_join(customer_accounts::table)
        .left_join(partner_api_tokens::table)
        .filter(activity_log::partner_id.eq(&selection.partner_id))
        .into_boxed();
    if selection.reach.is_limited() {
        // The log is the owners' (who reach every customer); a member limited
        // to some groups, should a role ever read it, reads nothing.
        query = query.filter(crate::reach::rules::nobody());
    }
    if let Some(customer_id) = &selection.context_id {
        query = query.filter(activity_log::customer_id.eq(customer_id.clone()));
    }
    if let Some(customer) = &selection.customer {
        let pattern = like_pattern(customer);
        query = query.filter(
            activity_log::customer_id
                .eq(customer.clone())
                .or(customer_accounts::search_text
                    .like(pattern)
                    .escape('\\')
                    .assume_not_null()),
        );
    }
    if let Some(person) = &selection.person {
        query = query.filter(activity_log::actor_name.eq(person.clone()));
    }
    if let Some(action) = selection.action {
        query = query.filter(activity_log::action.eq(action.as_str()));
    }
    if let Some(from) = selection.from {
        query = query.filter(activity_log::occurred_at.ge(from));
    }
    if let Some(to) = selection.to {
        query = query.filter(activity_log::occurred_at.lt(to));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            activity_log::occurred_at
                .lt(*at)
                .or(activity_log::occurred_at
                    .eq(*at)
                    .and(activity_log::id.lt(id.clone()))),
        );
    }
    query
        .order((activity_log::occurred_at.desc(), activity_log::id.desc()))
        .limit(limit)
        .offset(offset)
        .select((
            activity_log::id,
            activity_log::occurred_at,
            activity_log::actor_name,
            activity_log::on_behalf_of,
            activity_log::action,
            activity_log::target,
            activity_log::details,
            customer_accounts::name.nullable(),
            partner_api_tokens::name.nullable(),
            activity_log::customer_id,
        ))
        .load(conn)
}

pub struct Row {
    pub at: String,
    pub person: String,
    pub action: String,
    pub customer: String,
    pub target: String,
    pub details: String,
}

fn row(entry: LogRow, zone: chrono_tz::Tz, tr: &Translator) -> Row {
    let (_, at, person, on_behalf_of, action, target, details, customer, token, _) = entry;
    let person = match (on_behalf_of, token) {
        (Some(partner), _) => format!(
            "{person} ({})",
            tr.with("activity-on-behalf-of", &[("partner", &partner)])
        ),
        (None, Some(token)) => format!(
            "{person} ({})",
            tr.with("activity-through-api-token", &[("token", &token)])
        ),
        (None, None) => person,
    };
    Row {
        at: format_time(at, zone, tr.lang),
        person,
        action: crate::log_wording::action_label(tr, action),
        customer: customer.unwrap_or_default(),
        target,
        details: crate::log_wording::shown_details(tr, &details),
    }
}

#[derive(Template)]
#[template(path = "partner/activity.html")]
struct ActivityPage {
    layout: PageContext,
    filters: Filters,
    errors: FieldErrors,
    rows: Vec<Row>,
    people: Vec<String>,
    actions: Vec<(&'static str, String)>,
    page: i64,
    has_next: bool,
    query_without_page: String,
    /// The customer the member works on, whose entries alone are shown.
    context: Option<String>,
}

fn people(conn: &mut DbConnection, scope: &PartnerScope) -> QueryResult<Vec<String>> {
    activity_log::table
        .filter(activity_log::partner_id.eq(scope.partner_id()))
        .select(activity_log::actor_name)
        .distinct()
        .order(activity_log::actor_name.asc())
        .load(conn)
}

pub async fn page(
    PageOf(state, layout, member): PartnerPage,
    query: web::Query<Filters>,
) -> Result<HttpResponse, PageError> {
    let filters = query.into_inner();
    let zone = member.identity.login.time_zone;
    let page = filters.page.unwrap_or(1).clamp(1, 10_000);
    let selection = Selection::parse(&filters, &member);
    let scope = member.scope().clone();
    let (entries, people, errors) = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        let people = people(conn, &scope)?;
        match selection {
            Ok(selection) => {
                let rows = entries(
                    conn,
                    &selection,
                    None,
                    (page - 1) * PAGE_SIZE,
                    PAGE_SIZE + 1,
                )?;
                Ok((rows, people, FieldErrors::default()))
            }
            Err(errors) => Ok((Vec::new(), people, errors)),
        }
    })
    .await?;
    let has_next = entries.len() as i64 > PAGE_SIZE;
    let rows = entries
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|entry| row(entry, zone, &layout.tr))
        .collect();
    let actions = Action::ALL
        .iter()
        .map(|a| (a.as_str(), layout.tr.t(a.label_key())))
        .collect();
    render(&ActivityPage {
        query_without_page: filters.query(),
        context: member
            .identity
            .customer_context
            .clone()
            .map(|(_, name)| name),
        layout,
        filters,
        errors,
        rows,
        people,
        actions,
        page,
        has_next,
    })
}

const EXPORT_BATCH: i64 = 2_000;

fn encode(rows: Vec<Row>, header: Option<[String; 6]>) -> Result<web::Bytes, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    if let Some(header) = header {
        writer.write_record(header)?;
    }
    for row in rows {
        writer.write_record([
            row.at.as_str(),
            &defused(&row.person),
            &row.action,
            &defused(&row.customer),
            &defused(&row.target),
            &defused(&row.details),
        ])?;
    }
    writer
        .into_inner()
        .map(web::Bytes::from)
        .map_err(|error| error.into_error().into())
}

/// The selection as a CSV file, in the reader's language and time zone, read
/// in batches so a long log does not sit in memory.
pub async fn csv(
    PageOf(state, layout, member): PartnerPage,
    query: web::Query<Filters>,
) -> Result<HttpResponse, PageError> {
    let filters = query.into_inner();
    let tr = layout.tr;
    let zone = member.identity.login.time_zone;
    let selection = Selection::parse(&filters, &member).map_err(|_| PageError::BadRequest)?;
    let pool = state.pool.clone();
    let read = move |after: Option<(NaiveDateTime, String)>| {
        let (pool, selection) = (pool.clone(), selection.clone());
        async move {
            db::run(&pool, move |conn| {
                entries(conn, &selection, after.as_ref(), 0, EXPORT_BATCH).map_err(DbError::from)
            })
            .await
        }
    };
    // The first batch is read before answering, so a failing database gets an
    // error page rather than a cut-off file.
    let first = read(None).await?;
    let header = [
        "activity-when",
        "activity-person",
        "activity-action",
        "activity-customer",
        "activity-target",
        "activity-details",
    ]
    .map(|key| tr.t(key));
    let last_of = |rows: &[LogRow]| rows.last().map(|r| (r.1, r.0.clone()));
    let start = (
        last_of(&first),
        first.len() as i64 == EXPORT_BATCH,
        EXPORT_BATCH,
    );
    let head = encode(
        first.into_iter().map(|e| row(e, zone, &tr)).collect(),
        Some(header),
    )
    .map_err(PageError::internal)?;
    let rest = futures_util::stream::unfold(start, move |(after, more, sent)| {
        let read = read.clone();
        async move {
            if !more || sent >= MAX_EXPORT_ROWS {
                return None;
            }
            let rows = match read(after).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::error!(?error, "activity export stopped");
                    return Some((Err(PageError::internal(error)), (None, false, sent)));
                }
            };
            let next = (
                last_of(&rows),
                rows.len() as i64 == EXPORT_BATCH,
                sent + EXPORT_BATCH,
            );
            let chunk = encode(rows.into_iter().map(|e| row(e, zone, &tr)).collect(), None)
                .map_err(PageError::internal);
            Some((chunk, next))
        }
    });
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, PageError>(head) }),
        rest,
    );
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((CONTENT_DISPOSITION, "attachment; filename=\"activity.csv\""))
        .streaming(body))
}
