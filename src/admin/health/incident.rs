//! One incident in the operator's area
//! (`/admin/health/customers/{id}/incidents/{incident_id}`): its timeline and,
//! while it is open, an update: a new entry, a change of state, or resolving it.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{CustomerNamed, customer_named, logged, recorder};
use crate::admin::AdminPage;
use crate::customers::Health;
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::instance_log::InstanceAction;
use crate::service_health::{self, HealthError, Incident, NewUpdate, TEXT_MAX};
use crate::state::AppState;
use crate::web::text::paragraphs;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

/// An update, as typed. `state` empty keeps the incident's state.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    state: String,
    /// The checkbox: present when ticked.
    resolve: Option<String>,
}

impl UpdateForm {
    fn parse(&self) -> Result<NewUpdate, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = paragraphs(&self.text, TEXT_MAX)
            .map_err(|e| errors.add("text", e.message_key()))
            .ok();
        let state = match self.state.trim() {
            "" => Ok(None),
            typed => service_health::incident_state(typed).map(Some).ok_or(()),
        };
        let state = state
            .map_err(|()| errors.add("state", "field-invalid"))
            .ok();
        match (text, state) {
            (Some(text), Some(state)) => Ok(NewUpdate {
                text,
                state,
                resolve: self.resolve.is_some(),
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/health_incident.html")]
struct IncidentPage {
    layout: PageContext,
    customer: CustomerNamed,
    incident: Incident,
    form: UpdateForm,
    errors: FieldErrors,
    states: [Health; 2],
}

impl IncidentPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }

    /// The name of a timeline entry's state (advisory, incident or resolved).
    fn entry_state(&self, code: &str) -> String {
        self.layout.tr.t(format!("health-{code}"))
    }

    fn customer_path(&self) -> String {
        format!("/admin/health/customers/{}", self.customer.id)
    }
}

async fn show(
    state: &AppState,
    layout: PageContext,
    (customer_id, incident_id): (String, String),
    form: UpdateForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let found = db::run(&state.pool, move |conn| {
        let Some(customer) = customer_named(conn, &customer_id)? else {
            return Ok(None);
        };
        let incident = service_health::incident(conn, &customer.id, &incident_id)?;
        Ok::<_, DbError>(incident.map(|incident| (customer, incident)))
    })
    .await?;
    let (customer, incident) = found.ok_or(PageError::NotFound)?;
    render(&IncidentPage {
        layout,
        customer,
        incident,
        form,
        errors,
        states: [Health::Advisory, Health::Incident],
    })
}

pub async fn page(
    PageOf(state, layout, _): AdminPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let ids = path.into_inner();
    show(
        &state,
        layout,
        ids,
        UpdateForm::default(),
        FieldErrors::default(),
    )
    .await
}

pub async fn update(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<(String, String)>,
    form: web::Form<UpdateForm>,
) -> Result<HttpResponse, PageError> {
    let (customer_id, incident_id) = path.into_inner();
    let form = form.into_inner();
    let update = match form.parse() {
        Ok(update) => update,
        Err(errors) => {
            return show(&state, layout, (customer_id, incident_id), form, errors).await;
        }
    };
    let here = format!("/admin/health/customers/{customer_id}/incidents/{incident_id}");
    let now = state.clock.now();
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = db::write_transaction(conn, |conn| {
            let customer =
                customer_named(conn, &customer_id)?.ok_or(HealthError::CustomerNotFound)?;
            let by = recorder(&operator);
            service_health::post_update(conn, now, &by, &customer.id, &incident_id, &update)?;
            let title = service_health::incident(conn, &customer.id, &incident_id)?
                .map(|incident| incident.title)
                .unwrap_or_default();
            let action = if update.resolve {
                InstanceAction::IncidentResolved
            } else {
                InstanceAction::IncidentUpdated
            };
            logged(conn, now, &operator, action, &customer, &title)
        });
        match outcome {
            Err(HealthError::Database(e)) => Err(PageError::from(e)),
            other => Ok(other),
        }
    })
    .await?;
    match outcome {
        Ok(()) => Ok(succeeded("flash-admin-incident-updated", &here)),
        Err(HealthError::AlreadyResolved) => {
            Ok(succeeded("flash-admin-incident-already-resolved", &here))
        }
        Err(_) => Err(PageError::NotFound),
    }
}
