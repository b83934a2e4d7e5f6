//! One customer's service health in the operator's area
//! (`/admin/health/customers/{id}`): its services and incidents as its partner
//! and its people see them, a service added, an incident opened with the
//! first entry of its timeline.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{CustomerNamed, customer_named, logged, recorder};
use crate::admin::AdminPage;
use crate::customers::Health;
use crate::db::{self, DbError};
use crate::i18n::format_time;
use crate::instance_log::InstanceAction;
use crate::service_health::{
    self, HealthError, Incident, NAME_MAX, NewIncident, Service, TEXT_MAX, TITLE_MAX,
};
use crate::state::AppState;
use crate::web::text::{line, paragraphs};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

/// Adding a service, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ServiceForm {
    #[serde(default)]
    name: String,
}

/// Opening an incident, as typed.
#[derive(Debug, Clone, Deserialize)]
pub struct IncidentForm {
    #[serde(default)]
    service: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    text: String,
}

impl Default for IncidentForm {
    fn default() -> Self {
        IncidentForm {
            service: String::new(),
            title: String::new(),
            state: Health::Advisory.as_str().to_owned(),
            text: String::new(),
        }
    }
}

impl IncidentForm {
    /// The incident to open, or the problem of each field.
    fn parse(&self) -> Result<NewIncident, FieldErrors> {
        let mut errors = FieldErrors::default();
        let service = line(&self.service, NAME_MAX)
            .map_err(|e| errors.add("service", e.message_key()))
            .ok();
        let title = line(&self.title, TITLE_MAX)
            .map_err(|e| errors.add("title", e.message_key()))
            .ok();
        let state = service_health::incident_state(&self.state);
        if state.is_none() {
            errors.add("state", "field-invalid");
        }
        let text = paragraphs(&self.text, TEXT_MAX)
            .map_err(|e| errors.add("text", e.message_key()))
            .ok();
        match (service, title, state, text) {
            (Some(service), Some(title), Some(state), Some(text)) => Ok(NewIncident {
                service,
                title,
                state,
                text,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/health_customer.html")]
struct CustomerHealthPage {
    layout: PageContext,
    customer: CustomerNamed,
    services: Vec<Service>,
    incidents: Vec<Incident>,
    service_form: ServiceForm,
    service_errors: FieldErrors,
    incident_form: IncidentForm,
    incident_errors: FieldErrors,
    states: [Health; 2],
}

impl CustomerHealthPage {
    fn time(&self, at: &chrono::NaiveDateTime) -> String {
        format_time(*at, self.layout.zone(), self.layout.lang)
    }

    fn open_incidents(&self) -> usize {
        self.incidents
            .iter()
            .filter(|i| i.resolved_at.is_none())
            .count()
    }
}

/// The forms of the page: as typed when one was refused, else empty.
#[derive(Default)]
struct Forms {
    service: ServiceForm,
    service_errors: FieldErrors,
    incident: IncidentForm,
    incident_errors: FieldErrors,
}

async fn show(
    state: &AppState,
    layout: PageContext,
    customer_id: String,
    forms: Forms,
) -> Result<HttpResponse, PageError> {
    let found = db::run(&state.pool, move |conn| {
        let Some(customer) = customer_named(conn, &customer_id)? else {
            return Ok(None);
        };
        let (services, incidents) = service_health::overview(conn, &customer.id)?;
        Ok::<_, DbError>(Some((customer, services, incidents)))
    })
    .await?;
    let (customer, services, incidents) = found.ok_or(PageError::NotFound)?;
    render(&CustomerHealthPage {
        layout,
        customer,
        services,
        incidents,
        service_form: forms.service,
        service_errors: forms.service_errors,
        incident_form: forms.incident,
        incident_errors: forms.incident_errors,
        states: [Health::Advisory, Health::Incident],
    })
}

pub async fn page(
    PageOf(state, layout, _): AdminPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    show(&state, layout, path.into_inner(), Forms::default()).await
}

fn page_path(customer_id: &str) -> String {
    format!("/admin/health/customers/{customer_id}")
}

pub async fn add_service(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<String>,
    form: web::Form<ServiceForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = path.into_inner();
    let form = form.into_inner();
    let refused = |key: &str| Forms {
        service: form.clone(),
        service_errors: FieldErrors::one("name", key),
        ..Forms::default()
    };
    let name = match line(&form.name, NAME_MAX) {
        Ok(name) => name,
        Err(e) => return show(&state, layout, customer_id, refused(e.message_key())).await,
    };
    let now = state.clock.now();
    let id = customer_id.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = db::write_transaction(conn, |conn| {
            let customer = customer_named(conn, &id)?.ok_or(HealthError::CustomerNotFound)?;
            let by = recorder(&operator);
            service_health::add_service(conn, now, &by, &customer.id, &name)?;
            let action = InstanceAction::ServiceAdded;
            logged(conn, now, &operator, action, &customer, &name)
        });
        match outcome {
            Err(HealthError::Database(e)) => Err(PageError::from(e)),
            other => Ok(other),
        }
    })
    .await?;
    match outcome {
        Ok(()) => Ok(succeeded(
            "flash-admin-service-added",
            &page_path(&customer_id),
        )),
        Err(HealthError::NameTaken) => {
            show(
                &state,
                layout,
                customer_id,
                refused("admin-health-name-taken"),
            )
            .await
        }
        Err(_) => Err(PageError::NotFound),
    }
}

pub async fn open_incident(
    PageOf(state, layout, operator): AdminPage,
    path: web::Path<String>,
    form: web::Form<IncidentForm>,
) -> Result<HttpResponse, PageError> {
    let customer_id = path.into_inner();
    let form = form.into_inner();
    let refused = |errors| Forms {
        incident: form.clone(),
        incident_errors: errors,
        ..Forms::default()
    };
    let new = match form.parse() {
        Ok(new) => new,
        Err(errors) => return show(&state, layout, customer_id, refused(errors)).await,
    };
    let now = state.clock.now();
    let id = customer_id.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = db::write_transaction(conn, |conn| {
            let customer = customer_named(conn, &id)?.ok_or(HealthError::CustomerNotFound)?;
            let by = recorder(&operator);
            let incident = service_health::open_incident(conn, now, &by, &customer.id, &new)?;
            let action = InstanceAction::IncidentOpened;
            logged(conn, now, &operator, action, &customer, &new.title)?;
            Ok(incident)
        });
        match outcome {
            Err(HealthError::Database(e)) => Err(PageError::from(e)),
            other => Ok(other),
        }
    })
    .await?;
    match outcome {
        Ok(incident) => Ok(succeeded(
            "flash-admin-incident-opened",
            &format!("{}/incidents/{incident}", page_path(&customer_id)),
        )),
        Err(HealthError::ServiceNotFound) => {
            let errors = FieldErrors::one("service", "admin-health-service-unknown");
            show(&state, layout, customer_id, refused(errors)).await
        }
        Err(_) => Err(PageError::NotFound),
    }
}
