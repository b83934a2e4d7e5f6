//! The console's monitor pages: the list with states, a monitor with its recent
//! results and error log, and the form that creates or edits one.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::monitors::{self, ErrorRow, Monitor, MonitorError, MonitorInput, ResultRow};
use super::removal::{Removal, page_error_from};
use super::{Kind, NAME_MAX, State, parse_target};
use crate::access::CustomerCapability;
use crate::auth::identity::CustomerMember;
use crate::auth::scope::Owned;
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::ConfirmForm;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, succeeded};

/// Results and error-log entries shown on a monitor's page.
const RECENT: i64 = 50;

/// Whether the person may create monitors (an operator: if the sub-account
/// allows it).
fn may_manage(layout: &PageContext) -> bool {
    layout.customer_may(CustomerCapability::ManageMonitors)
}

fn zone_of(layout: &PageContext) -> chrono_tz::Tz {
    layout
        .identity
        .as_ref()
        .map_or(chrono_tz::UTC, |i| i.login.time_zone)
}

#[derive(Template)]
#[template(path = "monitoring/monitors.html")]
struct ListPage {
    layout: PageContext,
    monitors: Vec<Monitor>,
    /// The state the list is narrowed to (`?state=`), as the home page links.
    only: Option<State>,
    can_manage: bool,
    zone: chrono_tz::Tz,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
}

impl ListPage {
    fn time(&self, at: &Option<chrono::NaiveDateTime>) -> String {
        at.map(|at| format_time(at, self.zone, self.layout.lang))
            .unwrap_or_default()
    }
}

pub async fn list(
    PageOf(state, layout, member): CustomerPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.scope().clone();
    let now = state.clock.now();
    let only = State::parse(&query.state);
    let found = db::run(&state.pool, move |conn| {
        monitors::list(conn, &viewer, now).map_err(DbError::from)
    })
    .await?;
    render(&ListPage {
        zone: zone_of(&layout),
        can_manage: may_manage(&layout),
        layout,
        monitors: found
            .into_iter()
            .filter(|m| only.is_none_or(|state| m.state == state))
            .collect(),
        only,
    })
}

#[derive(Template)]
#[template(path = "monitoring/monitor.html")]
struct MonitorPage {
    layout: PageContext,
    monitor: Monitor,
    results: Vec<ResultRow>,
    errors: Vec<ErrorRow>,
    can_manage: bool,
    zone: chrono_tz::Tz,
}

impl MonitorPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }

    fn severity(&self, code: &str) -> String {
        self.layout.tr.t(format!("monitor-severity-{code}"))
    }
}

pub async fn page(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let monitor_id = path.into_inner();
    let viewer = member.scope().clone();
    let manager = viewer.clone();
    let now = state.clock.now();
    let found = db::run(&state.pool, move |conn| {
        let Some(monitor) = monitors::find(conn, &viewer, &monitor_id, now)? else {
            return Ok::<_, DbError>(None);
        };
        let monitor = monitor.into_inner();
        let results = monitors::recent_results(conn, &monitor.id, RECENT)?;
        let errors = monitors::error_log(conn, &monitor.id, RECENT)?;
        Ok(Some((monitor, results, errors)))
    })
    .await?;
    let (monitor, results, errors) = found.ok_or(PageError::NotFound)?;
    render(&MonitorPage {
        zone: zone_of(&layout),
        can_manage: may_manage(&layout) && monitor.managed_by(&manager),
        layout,
        monitor,
        results,
        errors,
    })
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MonitorForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    site_id: String,
}

impl MonitorForm {
    /// What a blank form proposes.
    fn initial() -> Self {
        MonitorForm {
            kind: Kind::Web.as_str().to_owned(),
            ..MonitorForm::default()
        }
    }

    fn of(monitor: &Monitor) -> Self {
        MonitorForm {
            name: monitor.name.clone(),
            kind: monitor.kind.as_str().to_owned(),
            target: monitor.target.clone(),
            site_id: monitor.site_id.clone().unwrap_or_default(),
        }
    }

    /// The validated monitor, or the message for each refused field.
    fn parse(&self) -> Result<MonitorInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::accounts::required_text(&self.name, NAME_MAX)
            .map_err(|e| errors.add("name", e.message_key()))
            .ok();
        let kind = Kind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "monitor-kind-invalid");
        }
        let target = kind.and_then(|kind| {
            parse_target(kind, &self.target)
                .map_err(|e| match e {
                    crate::accounts::FieldError::Invalid if kind == Kind::Device => {
                        errors.add("target", "monitor-target-invalid-host")
                    }
                    crate::accounts::FieldError::Invalid => {
                        errors.add("target", "monitor-target-invalid-url")
                    }
                    other => errors.add("target", other.message_key()),
                })
                .ok()
        });
        let site_id = Some(self.site_id.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        match (name, kind, target) {
            (Some(name), Some(kind), Some(target)) if errors.is_empty() => Ok(MonitorInput {
                name,
                kind,
                target,
                site_id,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "monitoring/monitor_form.html")]
struct FormPage {
    layout: PageContext,
    /// The monitor being edited, or `None` for a new one.
    editing: Option<String>,
    typed: MonitorForm,
    errors: FieldErrors,
    sites: Vec<(String, String)>,
    kinds: [Kind; 3],
}

impl FormPage {
    fn action(&self) -> String {
        match &self.editing {
            Some(id) => format!("/customer/monitors/{id}/edit"),
            None => "/customer/monitors".to_owned(),
        }
    }
}

async fn form_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    editing: Option<String>,
    typed: MonitorForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = member.scope().clone();
    let sites = db::run(&state.pool, move |conn| {
        monitors::sites_of(conn, &viewer).map_err(DbError::from)
    })
    .await?;
    let response = render(&FormPage {
        layout,
        editing,
        typed,
        errors,
        sites,
        kinds: Kind::ALL,
    })?;
    Ok(response)
}

pub async fn new_form(
    PageOf(state, layout, member): CustomerPage,
) -> Result<HttpResponse, PageError> {
    let typed = MonitorForm::initial();
    form_page(&state, layout, &member, None, typed, FieldErrors::default()).await
}

/// The field a refused change is shown next to, with why.
fn refusal(error: &MonitorError) -> FieldErrors {
    let mut errors = FieldErrors::default();
    match error {
        MonitorError::NameTaken => errors.add("name", "monitor-name-taken"),
        MonitorError::UnknownSite => errors.add("site_id", "monitor-site-unknown"),
        MonitorError::QuotaReached { quota } => {
            errors.add_number("name", "monitor-quota-reached", ("quota", quota.into()))
        }
        MonitorError::NotFound | MonitorError::Database(_) => {}
    }
    errors
}

pub async fn create(
    PageOf(state, layout, member): CustomerPage,
    form: web::Form<MonitorForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner();
    let input = match typed.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(&state, layout, &member, None, typed, errors).await,
    };
    let created = CustomerChange::run(&state, &member, move |conn, change| {
        monitors::create(conn, change, change.scope(), &input)
    })
    .await;
    match created {
        Ok(id) => Ok(succeeded(
            "flash-monitor-created",
            &format!("/customer/monitors/{id}"),
        )),
        Err(
            e @ (MonitorError::NameTaken
            | MonitorError::UnknownSite
            | MonitorError::QuotaReached { .. }),
        ) => form_page(&state, layout, &member, None, typed, refusal(&e)).await,
        Err(e) => Err(e.into()),
    }
}

/// The monitor the member may change, for its form: missing (404) when it is
/// not one of the member's to manage.
async fn managed_monitor(
    state: &AppState,
    member: &CustomerMember,
    monitor_id: String,
) -> Result<Owned<Monitor>, PageError> {
    let viewer = member.scope().clone();
    let now = state.clock.now();
    db::run(&state.pool, move |conn| {
        monitors::find_managed(conn, &viewer, &monitor_id, now)
    })
    .await
    .map_err(PageError::from)
}

pub async fn edit_form(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let monitor = managed_monitor(&state, &member, path.into_inner()).await?;
    let typed = MonitorForm::of(&monitor);
    form_page(
        &state,
        layout,
        &member,
        Some(monitor.id.clone()),
        typed,
        FieldErrors::default(),
    )
    .await
}

pub async fn edit(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<MonitorForm>,
) -> Result<HttpResponse, PageError> {
    let monitor_id = path.into_inner();
    let typed = form.into_inner();
    managed_monitor(&state, &member, monitor_id.clone()).await?;
    let input = match typed.parse() {
        Ok(input) => input,
        Err(errors) => {
            return form_page(&state, layout, &member, Some(monitor_id), typed, errors).await;
        }
    };
    let id = monitor_id.clone();
    let changed = CustomerChange::run(&state, &member, move |conn, change| {
        let monitor = monitors::find_managed(conn, change.scope(), &id, change.now)?;
        monitors::update(conn, change, &monitor, &input)
    })
    .await;
    match changed {
        Ok(()) => Ok(succeeded(
            "flash-monitor-changed",
            &format!("/customer/monitors/{monitor_id}"),
        )),
        Err(e @ (MonitorError::NameTaken | MonitorError::UnknownSite)) => {
            form_page(
                &state,
                layout,
                &member,
                Some(monitor_id),
                typed,
                refusal(&e),
            )
            .await
        }
        Err(MonitorError::QuotaReached { .. }) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let monitor_id = path.into_inner();
    let removing = Removal::from_page(
        format!("/customer/monitors/{monitor_id}"),
        [
            "confirm-monitor-delete-heading",
            "confirm-monitor-delete-summary",
            "flash-monitor-deleted",
        ],
        "/customer/monitors",
        form.confirmed,
    );
    removing
        .run(&state, layout, &member, move |conn, change| {
            let monitor = monitors::find_managed(conn, change.scope(), &monitor_id, change.now)?;
            monitors::delete(conn, change, &monitor)
        })
        .await
}

page_error_from!(MonitorError);
