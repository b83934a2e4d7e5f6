//! The dashboard form: read from the body by hand (several `monitor_ids`
//! values), parsed into the dashboard's input, and the refusals that belong
//! next to its fields.

use crate::accounts::FieldError;
use crate::monitoring::dashboards::{DashboardError, DashboardInput};
use crate::monitoring::{NAME_MAX, parse_sla_target};
use crate::web::FieldErrors;

/// The dashboard form as typed: several `monitor_ids` values, so read by hand.
#[derive(Debug, Clone, Default)]
pub struct DashboardForm {
    pub(super) name: String,
    pub(super) sla_target: String,
    pub(super) monitor_ids: Vec<String>,
}

impl DashboardForm {
    /// What a blank form proposes.
    pub(super) fn initial() -> Self {
        DashboardForm {
            sla_target: "99.9".to_owned(),
            ..DashboardForm::default()
        }
    }

    pub(super) fn from_body(body: &[u8]) -> Self {
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

    pub(super) fn parse(&self) -> Result<DashboardInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::accounts::required_text(&self.name, NAME_MAX)
            .map_err(|e| errors.add("name", e.message_key()))
            .ok();
        let target = parse_sla_target(&self.sla_target)
            .map_err(|e| match e {
                FieldError::Invalid => errors.add("sla_target", "dashboard-target-invalid"),
                other => errors.add("sla_target", other.message_key()),
            })
            .ok();
        match (name, target) {
            (Some(name), Some(sla_target)) if errors.is_empty() => Ok(DashboardInput {
                name,
                sla_target,
                monitor_ids: self.monitor_ids.clone(),
            }),
            _ => Err(errors),
        }
    }

    pub(super) fn chosen(&self, monitor_id: &str) -> bool {
        self.monitor_ids.iter().any(|id| id == monitor_id)
    }
}

/// The field a refused change is shown next to, with why.
pub(super) fn refusal(error: &DashboardError) -> FieldErrors {
    let mut errors = FieldErrors::default();
    match error {
        DashboardError::NameTaken => errors.add("name", "dashboard-name-taken"),
        DashboardError::UnknownMonitor => errors.add("monitor_ids", "dashboard-monitor-unknown"),
        DashboardError::NotFound | DashboardError::Database(_) => {}
    }
    errors
}
