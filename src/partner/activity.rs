//! The activity log of a partner organisation, newest first, with filters. Owners
//! only (the matrix's "see the activity log").

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Action;
use crate::auth::identity::PartnerMember;
use crate::db::schema::activity_log;
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::startup::AppState;
use crate::web::{Layout, PageError, render};

pub const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct Filters {
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

pub struct Row {
    pub at: String,
    pub person: String,
    pub action: String,
    pub target: String,
    pub details: String,
}

#[derive(Template)]
#[template(path = "partner/activity.html")]
struct ActivityPage {
    layout: Layout,
    filters: Filters,
    rows: Vec<Row>,
    people: Vec<String>,
    actions: Vec<(&'static str, String)>,
    page: i64,
    has_next: bool,
    query_without_page: String,
    /// The customer the member works on, whose entries alone are shown.
    context: Option<String>,
}

/// The start of a day in the viewer's zone, as the UTC time stored in the log.
fn day_start(text: &str, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let local = zone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    Some(local.naive_utc())
}

type LogRow = (NaiveDateTime, String, String, String, String);

pub async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    member: PartnerMember,
    query: web::Query<Filters>,
) -> Result<HttpResponse, PageError> {
    let filters = query.into_inner();
    let zone = member.identity.login.time_zone;
    let page = filters.page.unwrap_or(1).max(1);
    let partner_id = member.partner_id().to_owned();
    let from = day_start(&filters.from, zone);
    let to = day_start(&filters.to, zone).map(|d| d + chrono::Duration::days(1));
    let person = filters.person.clone();
    let action = Action::parse(&filters.action);
    let context = member.identity.customer_context.clone();
    let context_id = context.as_ref().map(|(id, _)| id.clone());
    let (rows, people) = db::run(
        &state.pool,
        move |conn| -> Result<(Vec<LogRow>, Vec<String>), DbError> {
            let mut query = activity_log::table
                .filter(activity_log::partner_id.eq(&partner_id))
                .into_boxed();
            if let Some(customer_id) = &context_id {
                query = query.filter(activity_log::customer_id.eq(customer_id.clone()));
            }
            if !person.is_empty() {
                query = query.filter(activity_log::actor_name.eq(person.clone()));
            }
            if let Some(action) = action {
                query = query.filter(activity_log::action.eq(action.as_str()));
            }
            if let Some(from) = from {
                query = query.filter(activity_log::occurred_at.ge(from));
            }
            if let Some(to) = to {
                query = query.filter(activity_log::occurred_at.lt(to));
            }
            let rows = query
                .order((activity_log::occurred_at.desc(), activity_log::id.desc()))
                .limit(PAGE_SIZE + 1)
                .offset((page - 1) * PAGE_SIZE)
                .select((
                    activity_log::occurred_at,
                    activity_log::actor_name,
                    activity_log::action,
                    activity_log::target,
                    activity_log::details,
                ))
                .load(conn)?;
            let people = activity_log::table
                .filter(activity_log::partner_id.eq(&partner_id))
                .select(activity_log::actor_name)
                .distinct()
                .order(activity_log::actor_name.asc())
                .load(conn)?;
            Ok((rows, people))
        },
    )
    .await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    let rows = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|(at, person, action, target, details)| Row {
            at: format_time(at, zone, layout.lang),
            person,
            action: Action::parse(&action)
                .map(|a| layout.tr.t(a.label_key()))
                .unwrap_or(action),
            target,
            details,
        })
        .collect();
    let actions = Action::ALL
        .iter()
        .map(|a| (a.as_str(), layout.tr.t(a.label_key())))
        .collect();
    let query_without_page = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("person", &filters.person)
        .append_pair("action", &filters.action)
        .append_pair("from", &filters.from)
        .append_pair("to", &filters.to)
        .finish();
    render(&ActivityPage {
        layout,
        filters,
        rows,
        people,
        actions,
        page,
        has_next,
        query_without_page,
        context: context.map(|(_, name)| name),
    })
}
