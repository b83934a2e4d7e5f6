//! The console's alert definition pages (`/customer/alerts`): the list with
//! the form that creates one, and the form that changes or deletes one. An
//! operator sees and edits its sub-account's only, when the sub-account allows.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::NAME_MAX;
use super::alert_definitions::{
    self, Definition, DefinitionError, DefinitionInput, Person, people_of, sub_accounts_of,
};
use super::alerts::FAILURES_MAX;
use super::monitors::{self, Monitor};
use super::removal::{Removal, page_error_from};
use super::scope::Viewer;
use crate::auth::identity::CustomerMember;
use crate::db::{self, DbError};
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::confirm::ConfirmForm;
use crate::web::{CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, succeeded};

/// The form as typed: several `monitor_ids` and `recipient_ids`, so read by hand.
#[derive(Debug, Clone, Default)]
pub struct AlertForm {
    name: String,
    failures: String,
    owner: String,
    monitor_ids: Vec<String>,
    recipient_ids: Vec<String>,
}

impl AlertForm {
    /// What a blank form proposes.
    fn initial() -> Self {
        AlertForm {
            failures: "3".to_owned(),
            ..AlertForm::default()
        }
    }

    fn from_body(body: &[u8]) -> Self {
        let mut form = AlertForm::default();
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "name" => form.name = value.into_owned(),
                "failures" => form.failures = value.into_owned(),
                "owner" => form.owner = value.into_owned(),
                "monitor_ids" if form.monitor_ids.len() < 1000 => {
                    form.monitor_ids.push(value.into_owned());
                }
                "recipient_ids" if form.recipient_ids.len() < 1000 => {
                    form.recipient_ids.push(value.into_owned());
                }
                _ => {}
            }
        }
        for list in [&mut form.monitor_ids, &mut form.recipient_ids] {
            list.sort();
            list.dedup();
        }
        form
    }

    fn of(definition: &Definition) -> Self {
        AlertForm {
            name: definition.name.clone(),
            failures: definition.failures.to_string(),
            owner: definition
                .owner
                .as_ref()
                .map(|(id, _)| id.clone())
                .unwrap_or_default(),
            monitor_ids: definition.monitor_ids.clone(),
            recipient_ids: definition.recipient_ids.clone(),
        }
    }

    fn parse(&self, viewer: &Viewer) -> Result<DefinitionInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::accounts::required_text(&self.name, NAME_MAX)
            .map_err(|e| errors.add("name", e.message_key()))
            .ok();
        let failures = self
            .failures
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=FAILURES_MAX).contains(n));
        if failures.is_none() {
            errors.add_number(
                "failures",
                "alert-failures-invalid",
                ("max", FAILURES_MAX.into()),
            );
        }
        let owner = match viewer.sub_account_id() {
            Some(own) => Some(own.to_owned()),
            None => Some(self.owner.trim())
                .filter(|o| !o.is_empty())
                .map(str::to_owned),
        };
        match (name, failures) {
            (Some(name), Some(failures)) if errors.is_empty() => Ok(DefinitionInput {
                name,
                failures,
                owner,
                monitor_ids: self.monitor_ids.clone(),
                recipient_ids: self.recipient_ids.clone(),
            }),
            _ => Err(errors),
        }
    }

    fn chosen(&self, id: &str) -> bool {
        self.monitor_ids.iter().any(|m| m == id)
    }

    fn chosen_recipient(&self, id: &str) -> bool {
        self.recipient_ids.iter().any(|m| m == id)
    }
}

/// The field a refused change is shown next to, with why.
fn refusal(error: &DefinitionError) -> FieldErrors {
    let mut errors = FieldErrors::default();
    let (field, key) = match error {
        DefinitionError::NameTaken => ("name", "alert-name-taken"),
        DefinitionError::UnknownOwner => ("owner", "alert-owner-unknown"),
        DefinitionError::NoMonitor => ("monitor_ids", "alert-monitor-required"),
        DefinitionError::UnknownMonitor => ("monitor_ids", "alert-monitor-unknown"),
        DefinitionError::NoRecipient => ("recipient_ids", "alert-recipient-required"),
        DefinitionError::UnknownRecipient => ("recipient_ids", "alert-recipient-unknown"),
        DefinitionError::NotFound | DefinitionError::Database(_) => return errors,
    };
    errors.add(field, key);
    errors
}

/// People to choose from, under the name of whose they are (`None`: the account).
pub struct PeopleGroup {
    pub owner: Option<(String, String)>,
    pub people: Vec<Person>,
}

/// What the forms offer: the viewer's monitors, and the people of each owner
/// the viewer may choose (an operator: its sub-account's operators only).
struct Choices {
    monitors: Vec<Monitor>,
    groups: Vec<PeopleGroup>,
}

fn choices(
    conn: &mut db::DbConnection,
    viewer: &Viewer,
    now: chrono::NaiveDateTime,
) -> Result<Choices, DbError> {
    let monitors = monitors::list(conn, viewer, now)?;
    let customer_id = viewer.customer_id();
    let groups = match viewer {
        Viewer::SubAccount(sub_account) => vec![PeopleGroup {
            people: people_of(conn, customer_id, Some(&sub_account.access().id))?,
            owner: Some((
                sub_account.access().id.clone(),
                sub_account.access().name.clone(),
            )),
        }],
        Viewer::Account(_) => {
            let mut groups = vec![PeopleGroup {
                owner: None,
                people: people_of(conn, customer_id, None)?,
            }];
            for (id, name) in sub_accounts_of(conn, customer_id)? {
                groups.push(PeopleGroup {
                    people: people_of(conn, customer_id, Some(&id))?,
                    owner: Some((id, name)),
                });
            }
            groups
        }
    };
    Ok(Choices { monitors, groups })
}

#[derive(Template)]
#[template(path = "monitoring/alerts.html")]
struct ListPage {
    layout: PageContext,
    definitions: Vec<Definition>,
    monitors: Vec<Monitor>,
    groups: Vec<PeopleGroup>,
    /// Whether the owner is chosen (the account's people choose; an operator's
    /// definitions are its sub-account's).
    choose_owner: bool,
    typed: AlertForm,
    errors: FieldErrors,
}

impl ListPage {
    fn monitor_names(&self, definition: &Definition) -> String {
        let names: Vec<&str> = self
            .monitors
            .iter()
            .filter(|m| definition.monitor_ids.contains(&m.id))
            .map(|m| m.name.as_str())
            .collect();
        names.join(", ")
    }

    fn recipient_names(&self, definition: &Definition) -> String {
        let names: Vec<&str> = self
            .groups
            .iter()
            .flat_map(|g| g.people.iter())
            .filter(|p| definition.recipient_ids.contains(&p.membership_id))
            .map(|p| p.name.as_str())
            .collect();
        names.join(", ")
    }
}

async fn list_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    typed: AlertForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = member.scope().clone();
    let choose_owner = viewer.sub_account_id().is_none();
    let now = state.clock.now();
    let (definitions, choices) = db::run(&state.pool, move |conn| {
        let definitions = alert_definitions::list(conn, &viewer)?;
        Ok::<_, DbError>((definitions, choices(conn, &viewer, now)?))
    })
    .await?;
    render(&ListPage {
        layout,
        definitions,
        monitors: choices.monitors,
        groups: choices.groups,
        choose_owner,
        typed,
        errors,
    })
}

pub async fn list(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
    let typed = AlertForm::initial();
    list_page(&state, layout, &member, typed, FieldErrors::default()).await
}

pub async fn create(
    PageOf(state, layout, member): CustomerPage,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let typed = AlertForm::from_body(&body);
    let viewer = member.scope().clone();
    let input = match typed.parse(&viewer) {
        Ok(input) => input,
        Err(errors) => return list_page(&state, layout, &member, typed, errors).await,
    };
    let created = CustomerChange::run(&state, &member, move |conn, change| {
        alert_definitions::create(conn, change, &viewer, &input)
    })
    .await;
    match created {
        Ok(_) => Ok(succeeded("flash-alert-created", "/customer/alerts")),
        Err(e @ (DefinitionError::NotFound | DefinitionError::Database(_))) => Err(e.into()),
        Err(e) => list_page(&state, layout, &member, typed, refusal(&e)).await,
    }
}

#[derive(Template)]
#[template(path = "monitoring/alert_form.html")]
struct FormPage {
    layout: PageContext,
    id: String,
    owner_name: Option<String>,
    monitors: Vec<Monitor>,
    groups: Vec<PeopleGroup>,
    typed: AlertForm,
    errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    id: String,
    typed: Option<AlertForm>,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let viewer = member.scope().clone();
    let now = state.clock.now();
    let definition_id = id.clone();
    let (found, choices) = db::run(&state.pool, move |conn| {
        let found = alert_definitions::find(conn, &viewer, &definition_id)?;
        Ok::<_, DbError>((found, choices(conn, &viewer, now)?))
    })
    .await?;
    let definition = found.ok_or(PageError::NotFound)?.into_inner();
    let owner_id = definition.owner.as_ref().map(|(id, _)| id.clone());
    // Only the owner's people can receive its alerts.
    let groups = choices
        .groups
        .into_iter()
        .filter(|g| g.owner.as_ref().map(|(id, _)| id) == owner_id.as_ref())
        .collect();
    render(&FormPage {
        typed: typed.unwrap_or_else(|| AlertForm::of(&definition)),
        owner_name: definition.owner.map(|(_, name)| name),
        layout,
        id,
        monitors: choices.monitors,
        groups,
        errors,
    })
}

pub async fn edit_form(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    form_page(&state, layout, &member, id, None, FieldErrors::default()).await
}

pub async fn edit(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let typed = AlertForm::from_body(&body);
    let viewer = member.scope().clone();
    let input = match typed.parse(&viewer) {
        Ok(input) => input,
        Err(errors) => return form_page(&state, layout, &member, id, Some(typed), errors).await,
    };
    let definition_id = id.clone();
    let changed = CustomerChange::run(&state, &member, move |conn, change| {
        let definition = alert_definitions::find_or_missing(conn, change.scope(), &definition_id)?;
        alert_definitions::update(conn, change, &definition, &input)
    })
    .await;
    match changed {
        Ok(()) => Ok(succeeded("flash-alert-changed", "/customer/alerts")),
        Err(e @ (DefinitionError::NotFound | DefinitionError::Database(_))) => Err(e.into()),
        Err(e) => form_page(&state, layout, &member, id, Some(typed), refusal(&e)).await,
    }
}

pub async fn delete(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, PageError> {
    let definition_id = path.into_inner();
    let removing = Removal::from_page(
        format!("/customer/alerts/{definition_id}"),
        [
            "confirm-alert-delete-heading",
            "confirm-alert-delete-summary",
            "flash-alert-deleted",
        ],
        "/customer/alerts",
        form.confirmed,
    );
    removing
        .run(&state, layout, &member, move |conn, change| {
            let definition =
                alert_definitions::find_or_missing(conn, change.scope(), &definition_id)?;
            alert_definitions::delete(conn, change, &definition)
        })
        .await
}

page_error_from!(DefinitionError);
