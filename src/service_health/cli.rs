//! The operator's `partnerdesk health …` commands, which record service health.

use crate::ids::CustomerId;
use clap::Subcommand;

use super::{HealthError, NAME_MAX, NewIncident, NewUpdate, Recorder, TEXT_MAX, TITLE_MAX};
use crate::config::Settings;
use crate::customers::Health;
use crate::web::text::{line, paragraphs};
use crate::{clock, db};

#[derive(Subcommand)]
pub enum HealthCommand {
    /// Add a service (healthy) to a customer.
    AddService {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        name: String,
    },
    /// Open an incident on one of the customer's services; prints its id.
    OpenIncident {
        #[arg(long)]
        customer: String,
        /// The service's name or id.
        #[arg(long)]
        service: String,
        #[arg(long)]
        title: String,
        /// advisory or incident.
        #[arg(long)]
        state: String,
        /// The first entry of the timeline.
        #[arg(long)]
        text: String,
    },
    /// Add to an incident's timeline, change its state or resolve it.
    Update {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        incident: String,
        #[arg(long)]
        text: String,
        /// advisory or incident.
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        resolve: bool,
    },
}

const CLI_RECORDER: &str = "Operator · command line";

fn field(flag: &str, error: crate::accounts::FieldError) -> anyhow::Error {
    anyhow::anyhow!("{flag}: {error}")
}

fn incident_state(flag: &str, raw: &str) -> anyhow::Result<Health> {
    super::incident_state(raw).ok_or_else(|| anyhow::anyhow!("{flag}: use advisory or incident"))
}

fn explain(error: HealthError) -> anyhow::Error {
    match error {
        HealthError::CustomerNotFound => anyhow::anyhow!("--customer: no such customer"),
        HealthError::ServiceNotFound => anyhow::anyhow!("--service: no such service"),
        HealthError::IncidentNotFound => anyhow::anyhow!("--incident: no such incident"),
        HealthError::NameTaken => {
            anyhow::anyhow!("--name: the customer already has a service with this name")
        }
        HealthError::AlreadyResolved => anyhow::anyhow!("--incident: already resolved"),
        HealthError::Database(e) => anyhow::Error::new(e),
    }
}

pub fn health(settings: &Settings, command: HealthCommand) -> anyhow::Result<()> {
    let pool = db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let now = clock::system().now();
    let by = Recorder(CLI_RECORDER.to_owned());
    match command {
        HealthCommand::AddService { customer, name } => {
            let customer = CustomerId::new(customer);
            let name = line(&name, NAME_MAX).map_err(|e| field("--name", e))?;
            let id = db::write_transaction(&mut conn, |conn| {
                super::add_service(conn, now, &by, &customer, &name)
            })
            .map_err(explain)?;
            println!("Service added: {id}");
        }
        HealthCommand::OpenIncident {
            customer,
            service,
            title,
            state,
            text,
        } => {
            let customer = CustomerId::new(customer);
            let new = NewIncident {
                service: line(&service, NAME_MAX).map_err(|e| field("--service", e))?,
                title: line(&title, TITLE_MAX).map_err(|e| field("--title", e))?,
                state: incident_state("--state", &state)?,
                text: paragraphs(&text, TEXT_MAX).map_err(|e| field("--text", e))?,
            };
            let id = db::write_transaction(&mut conn, |conn| {
                super::open_incident(conn, now, &by, &customer, &new)
            })
            .map_err(explain)?;
            println!("Incident opened: {id}");
        }
        HealthCommand::Update {
            customer,
            incident,
            text,
            state,
            resolve,
        } => {
            let customer = CustomerId::new(customer);
            let update = NewUpdate {
                text: paragraphs(&text, TEXT_MAX).map_err(|e| field("--text", e))?,
                state: state
                    .as_deref()
                    .map(|s| incident_state("--state", s))
                    .transpose()?,
                resolve,
            };
            db::write_transaction(&mut conn, |conn| {
                super::post_update(conn, now, &by, &customer, &incident, &update)
            })
            .map_err(explain)?;
            println!("Incident updated.");
        }
    }
    Ok(())
}
