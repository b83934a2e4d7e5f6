//! One dashboard over a chosen period: its figures and SVG charts.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::access::CustomerCapability;
use crate::accounts::FieldError;
use crate::db::{self, DbError};
use crate::monitoring::charts::{self, Chart, ChartText};
use crate::monitoring::dashboards;
use crate::monitoring::format_thousandths;
use crate::monitoring::monitors::{self, Monitor};
use crate::monitoring::stats::{self, Figures, Period, PeriodChoice, PeriodError};
use crate::places::zones;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render};

/// One monitor's line on a dashboard.
pub struct MonitorLine {
    pub monitor: Monitor,
    pub figures: Figures,
}

#[derive(askama::Template)]
#[template(path = "monitoring/dashboard.html")]
struct DashboardPage {
    layout: PageContext,
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

fn period_of(query: &PeriodQuery, now: chrono::NaiveDateTime, errors: &mut FieldErrors) -> Period {
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
            match error {
                PeriodError::From(problem) => {
                    errors.add("from", day_message(problem));
                    // The end is checked on its own too, so both fields say what is wrong.
                    if let Err(problem) = stats::day(&query.to) {
                        errors.add("to", day_message(problem));
                    }
                }
                PeriodError::To(problem) => errors.add("to", day_message(problem)),
                PeriodError::Reversed => errors.add("to", "dashboard-period-reversed"),
                PeriodError::TooLong => errors.add_number(
                    "to",
                    "dashboard-period-too-long",
                    ("days", stats::CUSTOM_MAX_DAYS.into()),
                ),
                PeriodError::Future => errors.add("from", "dashboard-period-future"),
            }
            Period {
                choice: PeriodChoice::Custom,
                ..Period::last(PeriodChoice::Week, now)
            }
        }
    }
}

pub async fn page(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<HttpResponse, PageError> {
    let dashboard_id = path.into_inner();
    let query = query.into_inner();
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let period = period_of(&query, now, &mut errors);
    let viewer = member.scope().clone();
    let found = db::run(&state.pool, move |conn| {
        // One snapshot: the figures add up reads of two rollup tables.
        db::read_snapshot(conn, |conn| {
            let Some(dashboard) = dashboards::find(conn, &viewer, &dashboard_id)? else {
                return Ok::<_, DbError>(None);
            };
            let all = monitors::list(conn, &viewer, now)?;
            let figures = stats::figures(conn, &dashboard.monitor_ids, &period)?;
            let slots = stats::series(conn, &dashboard.monitor_ids, &period)?;
            Ok(Some((dashboard.into_inner(), all, figures, slots)))
        })
    })
    .await?;
    let (dashboard, all, figures, slots) = found.ok_or(PageError::NotFound)?;
    let (lines, overall) = monitor_lines(all, &dashboard.monitor_ids, figures);
    let zone = layout.zone();
    let charts = charts_of(&layout, &period, dashboard.sla_target, &slots, zone);
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

/// The lines of the dashboard's monitors with their figures, and the figures
/// of them all together.
fn monitor_lines(
    all: Vec<Monitor>,
    chosen: &[String],
    figures: Vec<(String, Figures)>,
) -> (Vec<MonitorLine>, Figures) {
    let figures: BTreeMap<String, Figures> = figures.into_iter().collect();
    let lines: Vec<MonitorLine> = all
        .into_iter()
        .filter(|m| chosen.contains(&m.id))
        .map(|monitor| MonitorLine {
            figures: figures.get(&monitor.id).cloned().unwrap_or_default(),
            monitor,
        })
        .collect();
    let mut overall = Figures::default();
    for line in &lines {
        overall.add(&line.figures);
    }
    (lines, overall)
}

/// The availability and response-time charts of the period.
fn charts_of(
    layout: &PageContext,
    period: &Period,
    sla_target: i64,
    slots: &[stats::Slot],
    zone: chrono_tz::Tz,
) -> Vec<Chart> {
    let tr = &layout.tr;
    let period_label = tr.t(period.choice.label_key());
    let target = format_thousandths(sla_target);
    let no_data = tr.t("dashboard-no-data");
    vec![
        charts::availability(
            "availability-chart",
            ChartText {
                title: tr.with("dashboard-chart-availability", &[("period", &period_label)]),
                desc: tr.with("dashboard-chart-availability-desc", &[("target", &target)]),
                no_data: no_data.clone(),
            },
            slots,
            period.slot_hours(),
            zone,
            sla_target,
        ),
        charts::response_time(
            "response-chart",
            ChartText {
                title: tr.with("dashboard-chart-response", &[("period", &period_label)]),
                desc: tr.t("dashboard-chart-response-desc"),
                no_data,
            },
            slots,
            period.slot_hours(),
            zone,
        ),
    ]
}
