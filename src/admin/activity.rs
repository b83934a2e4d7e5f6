//! The instance's activity log (`/admin/activity`): what operators did, who
//! and when, newest first, a page at a time.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{AdminPage, PAGE_SIZE, page_number};
use crate::db;
use crate::i18n::format_time;
use crate::instance_log::{self, InstanceEntry};
use crate::web::{PageContext, PageError, PageOf, render};

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/activity.html")]
struct ActivityPage {
    layout: PageContext,
    entries: Vec<InstanceEntry>,
    page: i64,
    has_next: bool,
}

impl ActivityPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }
}

pub async fn page(
    PageOf(state, layout, _): AdminPage,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let page = page_number(query.page.as_deref());
    let (entries, has_next) = db::run(&state.pool, move |conn| {
        Ok::<_, PageError>(instance_log::page(conn, (page - 1) * PAGE_SIZE, PAGE_SIZE)?)
    })
    .await?;
    render(&ActivityPage {
        layout,
        entries,
        page,
        has_next,
    })
}
