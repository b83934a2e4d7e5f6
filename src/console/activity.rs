//! The activity concerning a customer account, as its people see it: what they
//! did, and what their partner's people did, each under the real person's name
//! and, inside the console, on behalf of which partner.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::audit::Action;
use crate::db::schema::activity_log;
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::web::{CustomerPage, PageContext, PageError, PageOf, render};

const PAGE_SIZE: i64 = 50;

pub struct Row {
    pub at: String,
    pub person: String,
    pub on_behalf_of: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
}

#[derive(Template)]
#[template(path = "console/activity.html")]
struct ActivityPage {
    layout: PageContext,
    rows: Vec<Row>,
    page: i64,
    has_next: bool,
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

type EntryRow = (
    NaiveDateTime,
    String,
    Option<String>,
    String,
    String,
    String,
);

pub async fn page(
    PageOf(state, layout, member): CustomerPage,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let customer_id = member.customer_id().to_owned();
    let zone = member.identity.login.time_zone;
    let entries: Vec<EntryRow> = db::run(&state.pool, move |conn| {
        activity_log::table
            .filter(activity_log::customer_id.eq(&customer_id))
            .filter(activity_log::action.ne_all(Action::PARTNER_INTERNAL.map(|a| a.as_str())))
            .order((activity_log::occurred_at.desc(), activity_log::id.desc()))
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
            .select((
                activity_log::occurred_at,
                activity_log::actor_name,
                activity_log::on_behalf_of,
                activity_log::action,
                activity_log::target,
                activity_log::details,
            ))
            .load(conn)
            .map_err(DbError::from)
    })
    .await?;
    let has_next = entries.len() as i64 > PAGE_SIZE;
    let rows = entries
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|(at, person, on_behalf_of, action, target, details)| Row {
            at: format_time(at, zone, layout.lang),
            person,
            on_behalf_of,
            action: crate::log_wording::action_label(&layout.tr, action),
            target,
            details: crate::log_wording::shown_details(&layout.tr, &details),
        })
        .collect();
    render(&ActivityPage {
        layout,
        rows,
        page,
        has_next,
    })
}
