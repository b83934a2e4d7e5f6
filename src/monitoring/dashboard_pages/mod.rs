//! The console's dashboard pages: the list with the form that creates one, a
//! dashboard over a chosen period with its figures and SVG charts, and the form
//! that renames it, sets its SLA target and chooses its monitors.

mod form;
mod view;

pub use form::DashboardForm;
pub use view::{MonitorLine, PeriodQuery, page};

use actix_web::{HttpResponse, web};
use askama::Template;

use super::dashboards::{self, DashboardError, DashboardSummary};
use super::format_thousandths;
use super::monitors::{self, Monitor};
use super::removal::{Removal, page_error_from};
use crate::access::CustomerCapability;
use crate::auth::identity::CustomerMember;
use crate::db::{self, DbError};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::ConfirmForm;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, succeeded};
use form::refusal;

#[derive(Template)]
#[template(path = "monitoring/dashboards.html")]
struct ListPage {
    layout: PageContext,
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
    layout: PageContext,
    member: &CustomerMember,
    typed: DashboardForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = member.scope().clone();
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

pub async fn list(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
    let typed = DashboardForm::initial();
    list_page(&state, layout, &member, typed, FieldErrors::default()).await
}

pub async fn create(
    PageOf(state, layout, member): CustomerPage,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let typed = DashboardForm::from_body(&body);
    let input = match typed.parse() {
        Ok(input) => input,
        Err(errors) => return list_page(&state, layout, &member, typed, errors).await,
    };
    let created = CustomerChange::run(&state, &member, move |conn, change| {
        dashboards::create(conn, change, change.scope(), &input)
    })
    .await;
    match created {
        Ok(id) => Ok(succeeded(
            "flash-dashboard-created",
            &format!("/customer/dashboards/{id}"),
        )),
        Err(e @ (DashboardError::NameTaken | DashboardError::UnknownMonitor)) => {
            list_page(&state, layout, &member, typed, refusal(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "monitoring/dashboard_form.html")]
struct FormPage {
    layout: PageContext,
    id: String,
    monitors: Vec<Monitor>,
    typed: DashboardForm,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    id: String,
    typed: Option<DashboardForm>,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = member.scope().clone();
    let now = state.clock.now();
    let dashboard_id = id.clone();
    let (found, monitors) = db::run(&state.pool, move |conn| {
        let found = dashboards::find(conn, &viewer, &dashboard_id)?;
        let monitors = monitors::list(conn, &viewer, now)?;
        Ok::<_, DbError>((found, monitors))
    })
    .await?;
    let dashboard = found
        .filter(|d| d.managed)
        .ok_or(PageError::NotFound)?
        .into_inner();
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
    PageOf(state, layout, member): CustomerPage,
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
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let typed = DashboardForm::from_body(&body);
    let input = match typed.parse() {
        Ok(input) => input,
        Err(errors) => return form_page(&state, layout, &member, id, Some(typed), errors).await,
    };
    let dashboard_id = id.clone();
    let changed = CustomerChange::run(&state, &member, move |conn, change| {
        let dashboard = dashboards::find_managed(conn, change.scope(), &dashboard_id)?;
        dashboards::update(conn, change, &dashboard, &input)
    })
    .await;
    match changed {
        Ok(()) => Ok(succeeded(
            "flash-dashboard-changed",
            &format!("/customer/dashboards/{id}"),
        )),
        Err(e @ (DashboardError::NameTaken | DashboardError::UnknownMonitor)) => {
            form_page(&state, layout, &member, id, Some(typed), refusal(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let dashboard_id = path.into_inner();
    let page = format!("/customer/dashboards/{dashboard_id}");
    let removing = Removal {
        back: format!("{page}/edit"),
        ..Removal::from_page(
            page,
            [
                "confirm-dashboard-delete-heading",
                "confirm-dashboard-delete-summary",
                "flash-dashboard-deleted",
            ],
            "/customer/dashboards",
            form.confirmed,
        )
    };
    removing
        .run(&state, layout, &member, move |conn, change| {
            let dashboard = dashboards::find_managed(conn, change.scope(), &dashboard_id)?;
            dashboards::delete(conn, change, &dashboard)
        })
        .await
}

page_error_from!(DashboardError);
