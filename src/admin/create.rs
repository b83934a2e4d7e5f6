//! Creating a partner organisation with its first owner, who is invited by
//! email: the same domain function as `partnerdesk create-partner`
//! (`organisations::create_by_operator`), fed by the same reading of the values
//! (`organisations::input`).

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::AdminPage;
use crate::db;
use crate::i18n::Lang;
use crate::organisations;
use crate::organisations::input::PartnerInput;
use crate::places::zones::{self, ZoneGroup};
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, succeeded};

/// The form as typed: every value comes back on a refusal.
#[derive(Debug, Clone, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    owner_username: String,
    #[serde(default)]
    owner_email: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
    /// The checkbox: present when ticked.
    second_factor_required: Option<String>,
}

impl CreateForm {
    fn initial(lang: Lang) -> Self {
        CreateForm {
            name: String::new(),
            owner_name: String::new(),
            owner_username: String::new(),
            owner_email: String::new(),
            language: lang.code().to_owned(),
            time_zone: "Europe/Paris".to_owned(),
            second_factor_required: Some("on".to_owned()),
        }
    }

    fn input(&self) -> PartnerInput {
        PartnerInput {
            name: self.name.clone(),
            owner_username: self.owner_username.clone(),
            owner_email: self.owner_email.clone(),
            owner_name: self.owner_name.clone(),
            language: self.language.clone(),
            time_zone: self.time_zone.clone(),
            parent: None,
            second_factor_required: self.second_factor_required.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/create_partner.html")]
struct CreatePage {
    layout: PageContext,
    form: CreateForm,
    errors: FieldErrors,
    languages: [Lang; 2],
    zones: Vec<ZoneGroup>,
}

fn form_page(
    layout: PageContext,
    form: CreateForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let zones = zones::groups(&form.time_zone, &layout.tr);
    let page = CreatePage {
        layout,
        form,
        errors,
        languages: Lang::ALL,
        zones,
    };
    render(&page)
}

pub async fn form(PageOf(_, layout, _): AdminPage) -> Result<HttpResponse, PageError> {
    let form = CreateForm::initial(layout.lang);
    form_page(layout, form, FieldErrors::default())
}

pub async fn create(
    PageOf(state, layout, operator): AdminPage,
    form: web::Form<CreateForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let new = match form.input().parse() {
        Ok(new) => new,
        Err(problems) => {
            let mut errors = FieldErrors::default();
            for (field, problem) in problems {
                errors.add(field, problem.message_key());
            }
            return form_page(layout, form, errors);
        }
    };
    let settings = state.settings.clone();
    let now = state.clock.now();
    let (login_id, name) = (
        operator.identity.login.id.clone(),
        operator.identity.login.full_name.clone(),
    );
    db::run(&state.pool, move |conn| {
        let actor = crate::instance_log::OperatorActor {
            login_id: Some(&login_id),
            name: &name,
        };
        organisations::create_by_operator(conn, &settings, now, actor, &new)
            .map_err(PageError::internal)
    })
    .await?;
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-admin-partner-created", "/admin"))
}
