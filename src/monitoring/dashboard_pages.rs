//! The console's dashboard pages: the list with the form that creates one, a
//! dashboard over a chosen period with its figures and SVG charts, and the form
//! that renames it, sets its SLA target and chooses its monitors.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use serde::Deserialize;

use super::charts::{self, Chart, ChartText};
use super::dashboards::{self, DashboardError, DashboardInput, DashboardSummary};
use super::monitors::{self, Monitor};
use super::scope::Viewer;
use super::stats::{self, Figures, Period, PeriodChoice, PeriodError};
use super::{NAME_MAX, format_thousandths, parse_sla_target};
use crate::access::CustomerCapability;
use crate::accounts::FieldError;
use crate::auth::identity::CustomerMember;
use crate::console::{change_as, change_once_confirmed};
use crate::db::{self, DbError};
use crate::places::zones;
use crate::state::AppState;
use crate::web::confirm::{ConfirmForm, removal};
use crate::web::{FieldErrors, Layout, PageError, render, see_other};

/// The dashboard form as typed: several `monitor_ids` values, so read by hand.
#[derive(Debug, Clone, Default)]
pub struct DashboardForm {
    name: String,
    sla_target: String,
    monitor_ids: Vec<String>,
}

impl DashboardForm {
    fn from_body(body: &[u8]) -> Self {
        let mut form = DashboardForm::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "name" => form.name = value.into_owned(),
                "sla_target" => form.sla_target = value.into_owned(),
                "monitor_ids" if form.monitor_ids.len() < 1000 => {
                    form.monitor_ids.push(value.into_owned());
                }
                _ => {}
            }
        }
        form.monitor_ids.sort();
        form.monitor_ids.dedup();
        form
    }

    fn parse(&self, layout: &Layout, errors: &mut FieldErrors) -> Option<DashboardInput> {
        let name = crate::accounts::required_text(&self.name, NAME_MAX)
            .map_err(|e| errors.add(&layout.tr, "name", e.message_key()))
            .ok();
        let target = parse_sla_target(&self.sla_target)
            .map_err(|e| match e {
                FieldError::Invalid => {
                    errors.add(&layout.tr, "sla_target", "dashboard-target-invalid")
                }
                other => errors.add(&layout.tr, "sla_target", other.message_key()),
            })
            .ok();
        Some(DashboardInput {
            name: name?,
            sla_target: target?,
            monitor_ids: self.monitor_ids.clone(),
        })
    }

    fn chosen(&self, monitor_id: &str) -> bool {
        self.monitor_ids.iter().any(|id| id == monitor_id)
    }
}

fn add_error(layout: &Layout, errors: &mut FieldErrors, error: &DashboardError) {
    match error {
        DashboardError::NameTaken => errors.add(&layout.tr, "name", "dashboard-name-taken"),
        DashboardError::UnknownMonitor => {
            errors.add(&layout.tr, "monitor_ids", "dashboard-monitor-unknown")
        }
        DashboardError::NotFound | DashboardError::Database(_) => {}
    }
}

#[derive(Template)]
#[template(path = "monitoring/dashboards.html")]
struct ListPage {
    layout: Layout,
    dashboards: Vec<DashboardSummary>,
    monitors: Vec<Monitor>,
    can_manage: bool,
    typed: DashboardForm,
    errors: FieldErrors,
}

impl ListPage {
    fn target(&self, value: &i64) -> String {
        format_thousandths(*value)
    }
}

async fn list_page(
    state: &AppState,
    layout: Layout,
    member: &CustomerMember,
    typed: DashboardForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = Viewer::of(member);
    let now = state.clock.now();
    let (found, monitors) = db::run(&state.pool, move |conn| {
        let found = dashboards::list(conn, &viewer)?;
        let monitors = monitors::list(conn, &viewer, now)?;
        Ok::<_, DbError>((found, monitors))
    })
    .await?;
    render(&ListPage {
        can_manage: layout.customer_may(CustomerCapability::ManageDashboards),
        layout,
        dashboards: found,
        monitors,
        typed,
        errors,
    })
}

pub async fn list(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
) -> Result<HttpResponse, PageError> {
    let typed = DashboardForm {
        sla_target: "99.9".to_owned(),
        ..DashboardForm::default()
    };
    list_page(&state, layout, &member, typed, FieldErrors::default()).await
}

pub async fn create(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let typed = DashboardForm::from_body(&body);
    let mut errors = FieldErrors::default();
    let Some(input) = typed.parse(&layout, &mut errors) else {
        return list_page(&state, layout, &member, typed, errors).await;
    };
    let viewer = Viewer::of(&member);
    let created = change_as(&state, &member, move |conn, change| {
        dashboards::create(conn, change, &viewer, &input)
    })
    .await;
    match created {
        Ok(id) => {
            FlashMessage::success("flash-dashboard-created").send();
            Ok(see_other(&format!("/customer/dashboards/{id}")))
        }
        Err(e @ (DashboardError::NameTaken | DashboardError::UnknownMonitor)) => {
            add_error(&layout, &mut errors, &e);
            list_page(&state, layout, &member, typed, errors).await
        }
        Err(DashboardError::NotFound) => Err(PageError::NotFound),
        Err(DashboardError::Database(e)) => Err(e.into()),
    }
}

/// One monitor's line on a dashboard.
pub struct MonitorLine {
    pub monitor: Monitor,
    pub figures: Figures,
}

#[derive(Template)]
#[template(path = "monitoring/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    id: String,
    name: String,
    sla_target: i64,
    lines: Vec<MonitorLine>,
    overall: Figures,
    period: Period,
    /// The custom period as typed (from, to), and the message about it.
    custom: (String, String),
    errors: FieldErrors,
    choices: [PeriodChoice; 5],
    charts: Vec<Chart>,
    can_manage: bool,
    /// The reader's zone.
    zone: chrono_tz::Tz,
}

impl DashboardPage {
    fn percent(&self, value: Option<i64>) -> String {
        value
            .map(|v| {
                format!(
                    "{} %",
                    crate::i18n::format_thousandths(v, true, self.layout.lang)
                )
            })
            .unwrap_or_else(|| "—".to_owned())
    }

    fn ms(&self, value: Option<i64>) -> String {
        value
            .map(|v| format!("{v} ms"))
            .unwrap_or_else(|| "—".to_owned())
    }

    fn verdict(&self, figures: &Figures) -> (&'static str, String) {
        match figures.meets(self.sla_target) {
            Some(true) => ("met", self.layout.tr.t("dashboard-sla-met")),
            Some(false) => ("missed", self.layout.tr.t("dashboard-sla-missed")),
            None => ("no-data", self.layout.tr.t("dashboard-no-data")),
        }
    }

    fn target(&self) -> String {
        crate::i18n::format_thousandths(self.sla_target, false, self.layout.lang)
    }

    /// A time of the period in the reader's zone, and as `<time>` says it.
    fn local(&self, at: &chrono::NaiveDateTime) -> String {
        crate::i18n::format_time(*at, self.zone, self.layout.lang)
    }

    fn machine(&self, at: &chrono::NaiveDateTime) -> String {
        at.and_utc().format("%Y-%m-%dT%H:%MZ").to_string()
    }

    fn city(&self) -> String {
        zones::city(self.zone)
    }

    /// Where the times are, and what a daily bar covers when there are some.
    fn times_note(&self) -> String {
        let note = zones::times_note(self.zone, &self.layout.tr);
        if self.period.slot_hours() >= 24 {
            format!("{note} {}", self.layout.tr.t("places-daily-bars"))
        } else {
            note
        }
    }
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn day_message(problem: FieldError) -> &'static str {
    match problem {
        FieldError::Required => "field-required",
        _ => "dashboard-date-invalid",
    }
}

fn period_of(
    query: &PeriodQuery,
    now: chrono::NaiveDateTime,
    layout: &Layout,
    errors: &mut FieldErrors,
) -> Period {
    let choice = PeriodChoice::ALL
        .into_iter()
        .find(|c| c.as_str() == query.period)
        .unwrap_or(PeriodChoice::Week);
    if choice != PeriodChoice::Custom {
        return Period::last(choice, now);
    }
    match Period::custom(&query.from, &query.to, now) {
        Ok(period) => period,
        Err(error) => {
            let tr = &layout.tr;
            match error {
                PeriodError::From(problem) => {
                    errors.add(tr, "from", day_message(problem));
                    // The end is checked on its own too, so both fields say what is wrong.
                    if let Err(problem) = stats::day(&query.to) {
                        errors.add(tr, "to", day_message(problem));
                    }
                }
                PeriodError::To(problem) => errors.add(tr, "to", day_message(problem)),
                PeriodError::Reversed => errors.add(tr, "to", "dashboard-period-reversed"),
                PeriodError::TooLong => errors.add_number(
                    tr,
                    "to",
                    "dashboard-period-too-long",
                    ("days", stats::CUSTOM_MAX_DAYS.into()),
                ),
                PeriodError::Future => errors.add(tr, "from", "dashboard-period-future"),
            }
            Period {
                choice: PeriodChoice::Custom,
                ..Period::last(PeriodChoice::Week, now)
            }
        }
    }
}

pub async fn page(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    path: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let dashboard_id = path.into_inner();
    let query = query.into_inner();
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let period = period_of(&query, now, &layout, &mut errors);
    let viewer = Viewer::of(&member);
    let found = db::run(&state.pool, move |conn| {
        // One snapshot: the figures add up reads of two rollup tables.
        db::read_snapshot(conn, |conn| {
            let Some(dashboard) = dashboards::find(conn, &viewer, &dashboard_id)? else {
                return Ok::<_, DbError>(None);
            };
            let all = monitors::list(conn, &viewer, now)?;
            let figures = stats::figures(conn, &dashboard.monitor_ids, &period)?;
            let slots = stats::series(conn, &dashboard.monitor_ids, &period)?;
            Ok(Some((dashboard, all, figures, slots)))
        })
    })
    .await?;
    let (dashboard, all, figures, slots) = found.ok_or(PageError::NotFound)?;
    let figures: BTreeMap<String, Figures> = figures.into_iter().collect();
    let lines: Vec<MonitorLine> = all
        .into_iter()
        .filter(|m| dashboard.monitor_ids.contains(&m.id))
        .map(|monitor| MonitorLine {
            figures: figures.get(&monitor.id).cloned().unwrap_or_default(),
            monitor,
        })
        .collect();
    let mut overall = Figures::default();
    for line in &lines {
        overall.add(&line.figures);
    }
    let zone = layout.zone();
    let tr = &layout.tr;
    let period_label = tr.t(period.choice.label_key());
    let target = format_thousandths(dashboard.sla_target);
    let no_data = tr.t("dashboard-no-data");
    let charts = vec![
        charts::availability(
            "availability-chart",
            ChartText {
                title: tr.with("dashboard-chart-availability", &[("period", &period_label)]),
                desc: tr.with("dashboard-chart-availability-desc", &[("target", &target)]),
                no_data: no_data.clone(),
            },
            &slots,
            period.slot_hours(),
            zone,
            dashboard.sla_target,
        ),
        charts::response_time(
            "response-chart",
            ChartText {
                title: tr.with("dashboard-chart-response", &[("period", &period_label)]),
                desc: tr.t("dashboard-chart-response-desc"),
                no_data,
            },
            &slots,
            period.slot_hours(),
            zone,
        ),
    ];
    render(&DashboardPage {
        can_manage: dashboard.managed && layout.customer_may(CustomerCapability::ManageDashboards),
        id: dashboard.id,
        name: dashboard.name,
        sla_target: dashboard.sla_target,
        lines,
        overall,
        period,
        custom: (query.from, query.to),
        errors,
        choices: PeriodChoice::ALL,
        charts,
        zone,
        layout,
    })
}

#[derive(Template)]
#[template(path = "monitoring/dashboard_form.html")]
struct FormPage {
    layout: Layout,
    id: String,
    monitors: Vec<Monitor>,
    typed: DashboardForm,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    layout: Layout,
    member: &CustomerMember,
    id: String,
    typed: Option<DashboardForm>,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = Viewer::of(member);
    let now = state.clock.now();
    let dashboard_id = id.clone();
    let (found, monitors) = db::run(&state.pool, move |conn| {
        let found = dashboards::find(conn, &viewer, &dashboard_id)?;
        let monitors = monitors::list(conn, &viewer, now)?;
        Ok::<_, DbError>((found, monitors))
    })
    .await?;
    let dashboard = found.filter(|d| d.managed).ok_or(PageError::NotFound)?;
    let typed = typed.unwrap_or_else(|| DashboardForm {
        name: dashboard.name,
        sla_target: format_thousandths(dashboard.sla_target),
        monitor_ids: dashboard.monitor_ids,
    });
    render(&FormPage {
        layout,
        id,
        monitors,
        typed,
        errors,
    })
}

pub async fn edit_form(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    form_page(
        &state,
        layout,
        &member,
        path.into_inner(),
        None,
        FieldErrors::default(),
    )
    .await
}

pub async fn edit(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let typed = DashboardForm::from_body(&body);
    let mut errors = FieldErrors::default();
    let Some(input) = typed.parse(&layout, &mut errors) else {
        return form_page(&state, layout, &member, id, Some(typed), errors).await;
    };
    let dashboard_id = id.clone();
    let viewer = Viewer::of(&member);
    let changed = change_as(&state, &member, move |conn, change| {
        dashboards::update(conn, change, &viewer, &dashboard_id, &input)
    })
    .await;
    match changed {
        Ok(()) => {
            FlashMessage::success("flash-dashboard-changed").send();
            Ok(see_other(&format!("/customer/dashboards/{id}")))
        }
        Err(e @ (DashboardError::NameTaken | DashboardError::UnknownMonitor)) => {
            add_error(&layout, &mut errors, &e);
            form_page(&state, layout, &member, id, Some(typed), errors).await
        }
        Err(DashboardError::NotFound) => Err(PageError::NotFound),
        Err(DashboardError::Database(e)) => Err(e.into()),
    }
}

pub async fn delete(
    state: web::Data<AppState>,
    layout: Layout,
    member: CustomerMember,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let dashboard_id = path.into_inner();
    let id = dashboard_id.clone();
    let viewer = Viewer::of(&member);
    let confirmed = form.confirmed;
    let deleted = change_once_confirmed(&state, &member, confirmed, move |conn, change| {
        dashboards::delete(conn, change, &viewer, &id)
    })
    .await;
    match deleted {
        Ok(name) if !confirmed.yes() => {
            let page = format!("/customer/dashboards/{dashboard_id}");
            let (action, back) = (format!("{page}/delete"), format!("{page}/edit"));
            let tr = &layout.tr;
            let (heading, summary) = (
                "confirm-dashboard-delete-heading",
                "confirm-dashboard-delete-summary",
            );
            removal(tr, heading, summary, &name, action, back).render(layout)
        }
        Ok(_) => {
            FlashMessage::success("flash-dashboard-deleted").send();
            Ok(see_other("/customer/dashboards"))
        }
        Err(DashboardError::NotFound) => Err(PageError::NotFound),
        Err(DashboardError::Database(e)) => Err(e.into()),
        Err(DashboardError::NameTaken | DashboardError::UnknownMonitor) => {
            Err(PageError::BadRequest)
        }
    }
}
