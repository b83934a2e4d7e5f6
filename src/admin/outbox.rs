//! The email outbox as the operator sees it (`/admin/outbox`): how many emails
//! are in each state, the failed and given-up ones with their reasons (never
//! their bodies: they may hold activation links), and retrying one or all of
//! them, which the instance's activity log records.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{AdminPage, PAGE_SIZE, page_number};
use crate::db::{self, DbConnection};
use crate::email::outbox::{self, FailedEmail, OutboxState};
use crate::i18n::format_time;
use crate::instance_log::{self, InstanceAction, OperatorActor};
use crate::web::confirm::{ConfirmForm, Review};
use crate::web::{PageContext, PageError, PageOf, render, succeeded};

const PAGE: &str = "/admin/outbox";

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    layout: PageContext,
    /// Every state with its count, in the order of `OutboxState::ALL`.
    counts: Vec<(OutboxState, i64)>,
    failed: Vec<FailedEmail>,
    page: i64,
    has_next: bool,
}

impl OutboxPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }

    fn state_label(&self, state: &OutboxState) -> String {
        self.layout
            .tr
            .t(format!("admin-outbox-state-{}", state.as_str()))
    }

    fn failed_total(&self) -> i64 {
        self.counts
            .iter()
            .filter(|(state, _)| matches!(state, OutboxState::Failed | OutboxState::Dead))
            .map(|(_, count)| count)
            .sum()
    }
}

pub async fn page(
    PageOf(state, layout, _): AdminPage,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let page = page_number(query.page.as_deref());
    let now = state.clock.now();
    let (backlog, mut failed) = db::run(&state.pool, move |conn| {
        let backlog = outbox::backlog(conn, now)?;
        let failed = outbox::failed(conn, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)?;
        Ok::<_, PageError>((backlog, failed))
    })
    .await?;
    let has_next = failed.len() as i64 > PAGE_SIZE;
    failed.truncate(PAGE_SIZE as usize);
    let counts = OutboxState::ALL
        .iter()
        .map(|state| {
            let count = backlog
                .by_state
                .iter()
                .find(|(code, _)| code == state.as_str())
                .map_or(0, |(_, count)| *count);
            (*state, count)
        })
        .collect();
    render(&OutboxPage {
        layout,
        counts,
        failed,
        page,
        has_next,
    })
}

/// Puts `id` (or every failed email) back to be sent, logged in the
/// operator's name; answers how many.
fn put_back(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: OperatorActor<'_>,
    id: Option<&str>,
) -> Result<usize, PageError> {
    db::write_transaction(conn, |conn| {
        let recipients = outbox::retry(conn, now, id)?;
        match (id, recipients.as_slice()) {
            (Some(_), []) => return Err(PageError::NotFound),
            (Some(_), [recipient]) => {
                let action = InstanceAction::EmailRetried;
                instance_log::record(conn, now, actor, action, recipient, "")?;
            }
            (_, recipients) => {
                let count = recipients.len().to_string();
                let action = InstanceAction::FailedEmailsRetried;
                instance_log::record(conn, now, actor, action, &count, "")?;
            }
        }
        Ok(recipients.len())
    })
}

pub async fn retry_one(
    PageOf(state, _, operator): AdminPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let login = operator.identity.login.clone();
    let now = state.clock.now();
    db::run(&state.pool, move |conn| {
        let actor = OperatorActor {
            login_id: Some(&login.id),
            name: &login.full_name,
        };
        put_back(conn, now, actor, Some(&id))
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-admin-email-retried", PAGE))
}

pub async fn retry_all(
    PageOf(state, layout, operator): AdminPage,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    if !form.confirmed.yes() {
        let failed = db::run(&state.pool, move |conn| {
            Ok::<_, PageError>(outbox::failed(conn, 0, i64::MAX)?.len())
        })
        .await?;
        let tr = &layout.tr;
        return Review::new(
            tr,
            "admin-confirm-retry-heading",
            format!("{PAGE}/retry"),
            PAGE.to_owned(),
        )
        .summary(tr.with_numbers(
            "admin-confirm-retry-summary",
            &[],
            &[("count", failed.into())],
        ))
        .confirm_label(tr, "admin-outbox-retry-all")
        .render(layout);
    }
    let login = operator.identity.login.clone();
    db::run(&state.pool, move |conn| {
        let actor = OperatorActor {
            login_id: Some(&login.id),
            name: &login.full_name,
        };
        put_back(conn, now, actor, None)
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-admin-emails-retried", PAGE))
}
