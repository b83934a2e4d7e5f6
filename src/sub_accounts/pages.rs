//! The administrator's sub-account pages (`/customer/sub-accounts`): the list
//! with the form that creates one, and a sub-account's page with its name and
//! permissions, its grants, and its operators with the invitation form.

use crate::ids::CustomerId;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use super::operators::{self, Operator};
use super::{Grants, NAME_MAX, Permissions, QUOTA_MAX, SubAccount, SubAccountError};
use crate::auth::identity::CustomerMember;
use crate::db::schema::{dashboards, monitors};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::{Lang, format_time};
use crate::monitoring::removal::page_error_from;
use crate::state::AppState;
use crate::tenancy::CustomerChange;
use crate::web::{
    CustomerPage, FieldErrors, PageContext, PageError, PageOf, render, see_other, succeeded,
};

/// A sub-account's name and permissions as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    name: String,
    can_build_dashboards: Option<String>,
    can_manage_monitors: Option<String>,
    monitor_quota: String,
    can_edit_alerts: Option<String>,
}

impl SettingsForm {
    /// What a blank form proposes.
    fn initial() -> Self {
        SettingsForm {
            monitor_quota: "0".to_owned(),
            ..SettingsForm::default()
        }
    }

    fn of(sub_account: &SubAccount) -> Self {
        let p = sub_account.permissions;
        let on = |flag: bool| flag.then(|| "on".to_owned());
        SettingsForm {
            name: sub_account.name.clone(),
            can_build_dashboards: on(p.can_build_dashboards),
            can_manage_monitors: on(p.can_manage_monitors),
            monitor_quota: p.monitor_quota.to_string(),
            can_edit_alerts: on(p.can_edit_alerts),
        }
    }

    fn parse(&self) -> Result<(String, Permissions), FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = crate::accounts::required_text(&self.name, NAME_MAX)
            .map_err(|e| errors.add("name", e.message_key()))
            .ok();
        let manage = self.can_manage_monitors.is_some();
        let typed = self.monitor_quota.trim();
        // Without monitor management the quota means nothing, so none is asked.
        let quota = if !manage && typed.is_empty() {
            Some(0)
        } else {
            typed
                .parse::<i32>()
                .ok()
                .filter(|q| (0..=QUOTA_MAX).contains(q))
        };
        if quota.is_none() {
            errors.add_number(
                "monitor_quota",
                "sub-account-quota-invalid",
                ("max", QUOTA_MAX.into()),
            );
        }
        match (name, quota) {
            (Some(name), Some(monitor_quota)) if errors.is_empty() => Ok((
                name,
                Permissions {
                    can_build_dashboards: self.can_build_dashboards.is_some(),
                    can_manage_monitors: manage,
                    monitor_quota,
                    can_edit_alerts: self.can_edit_alerts.is_some(),
                },
            )),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "sub_accounts/list.html")]
struct ListPage {
    layout: PageContext,
    sub_accounts: Vec<SubAccount>,
    typed: SettingsForm,
    errors: FieldErrors,
}

async fn list_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    typed: SettingsForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let customer_id = member.customer_id().to_owned();
    let sub_accounts = db::run(&state.pool, move |conn| {
        super::list(conn, &customer_id).map_err(DbError::from)
    })
    .await?;
    render(&ListPage {
        layout,
        sub_accounts,
        typed,
        errors,
    })
}

pub async fn list(PageOf(state, layout, member): CustomerPage) -> Result<HttpResponse, PageError> {
    let typed = SettingsForm::initial();
    list_page(&state, layout, &member, typed, FieldErrors::default()).await
}

pub async fn create(
    PageOf(state, layout, member): CustomerPage,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner();
    let (name, permissions) = match typed.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return list_page(&state, layout, &member, typed, errors).await,
    };
    let created = CustomerChange::run(&state, &member, move |conn, change| {
        super::create(conn, change, &name, permissions)
    })
    .await;
    match created {
        Ok(id) => Ok(succeeded(
            "flash-sub-account-created",
            &format!("/customer/sub-accounts/{id}"),
        )),
        Err(SubAccountError::NameTaken) => {
            let errors = FieldErrors::one("name", "sub-account-name-taken");
            list_page(&state, layout, &member, typed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

page_error_from!(SubAccountError);

/// An invitation as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    pub(super) full_name: String,
    pub(super) email: String,
    pub(super) username: String,
    pub(super) language: String,
}

/// What can be granted: the account's own dashboards and monitors (id, name).
struct Grantable {
    dashboards: Vec<(String, String)>,
    monitors: Vec<(String, String)>,
}

fn grantable(conn: &mut DbConnection, customer_id: &CustomerId) -> QueryResult<Grantable> {
    Ok(Grantable {
        dashboards: dashboards::table
            .filter(dashboards::customer_id.eq(customer_id))
            .filter(dashboards::sub_account_id.is_null())
            .order((dashboards::name_key.asc(), dashboards::id.asc()))
            .select((dashboards::id, dashboards::name))
            .load(conn)?,
        monitors: monitors::table
            .filter(monitors::customer_id.eq(customer_id))
            .filter(monitors::sub_account_id.is_null())
            .order((monitors::name_key.asc(), monitors::id.asc()))
            .select((monitors::id, monitors::name))
            .load(conn)?,
    })
}

#[derive(Template)]
#[template(path = "sub_accounts/page.html")]
struct SubAccountPage {
    layout: PageContext,
    sub_account: SubAccount,
    grants: Grants,
    grantable: Grantable,
    operators: Vec<Operator>,
    settings: SettingsForm,
    settings_errors: FieldErrors,
    invite: InviteForm,
    invite_errors: FieldErrors,
    languages: [Lang; 2],
    zone: chrono_tz::Tz,
    now: NaiveDateTime,
}

impl SubAccountPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }

    fn granted_dashboard(&self, id: &str) -> bool {
        self.grants.dashboard_ids.iter().any(|d| d == id)
    }

    fn granted_monitor(&self, id: &str) -> bool {
        self.grants.monitor_ids.iter().any(|m| m == id)
    }
}

/// The typed forms of a sub-account's page, when one comes back with errors.
#[derive(Default)]
pub(super) struct Typed {
    pub(super) settings: Option<(SettingsForm, FieldErrors)>,
    pub(super) invite: Option<(InviteForm, FieldErrors)>,
}

pub(super) async fn sub_account_page(
    state: &AppState,
    layout: PageContext,
    member: &CustomerMember,
    id: String,
    typed: Typed,
) -> Result<HttpResponse, PageError> {
    let account = member.account()?.clone();
    let found = db::run(&state.pool, move |conn| {
        let Some(sub_account) = super::find(conn, &account, &id)? else {
            return Ok::<_, DbError>(None);
        };
        let grants = super::grants_of(conn, &id)?;
        let grantable = grantable(conn, account.customer_id())?;
        let operators = operators::list(conn, &sub_account)?;
        Ok(Some((
            sub_account.into_inner(),
            grants,
            grantable,
            operators,
        )))
    })
    .await?;
    let (sub_account, grants, grantable, operators) = found.ok_or(PageError::NotFound)?;
    let (settings, settings_errors) = typed
        .settings
        .unwrap_or_else(|| (SettingsForm::of(&sub_account), FieldErrors::default()));
    let (invite, invite_errors) = typed.invite.unwrap_or_else(|| {
        (
            InviteForm {
                language: layout.lang.code().to_owned(),
                ..InviteForm::default()
            },
            FieldErrors::default(),
        )
    });
    render(&SubAccountPage {
        zone: member.identity.login.time_zone,
        now: state.clock.now(),
        layout,
        sub_account,
        grants,
        grantable,
        operators,
        settings,
        settings_errors,
        invite,
        invite_errors,
        languages: Lang::ALL,
    })
}

pub async fn page(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    sub_account_page(&state, layout, &member, path.into_inner(), Typed::default()).await
}

pub(super) fn back_to(id: &str) -> HttpResponse {
    see_other(&format!("/customer/sub-accounts/{id}"))
}

pub async fn change(
    PageOf(state, layout, member): CustomerPage,
    path: web::Path<String>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let typed = form.into_inner();
    let (name, permissions) = match typed.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            let typed = Typed {
                settings: Some((typed, errors)),
                ..Typed::default()
            };
            return sub_account_page(&state, layout, &member, id, typed).await;
        }
    };
    let (account, sub_account_id) = (member.account()?.clone(), id.clone());
    let changed = CustomerChange::run(&state, &member, move |conn, change| {
        let sub_account = super::find_or_missing(conn, &account, &sub_account_id)?;
        super::update(conn, change, &sub_account, &name, permissions)
    })
    .await;
    match changed {
        Ok(()) => {
            FlashMessage::success("flash-sub-account-changed").send();
            Ok(back_to(&id))
        }
        Err(SubAccountError::NameTaken) => {
            let errors = FieldErrors::one("name", "sub-account-name-taken");
            let typed = Typed {
                settings: Some((typed, errors)),
                ..Typed::default()
            };
            sub_account_page(&state, layout, &member, id, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn set_grants(
    state: web::Data<AppState>,
    member: CustomerMember,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let mut grants = Grants {
        dashboard_ids: Vec::new(),
        monitor_ids: Vec::new(),
    };
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "dashboard_ids" if grants.dashboard_ids.len() < 1000 => {
                grants.dashboard_ids.push(value.into_owned());
            }
            "monitor_ids" if grants.monitor_ids.len() < 1000 => {
                grants.monitor_ids.push(value.into_owned());
            }
            _ => {}
        }
    }
    for list in [&mut grants.dashboard_ids, &mut grants.monitor_ids] {
        list.sort();
        list.dedup();
    }
    let (account, sub_account_id) = (member.account()?.clone(), id.clone());
    CustomerChange::run(&state, &member, move |conn, change| {
        let sub_account = super::find_or_missing(conn, &account, &sub_account_id)?;
        super::set_grants(conn, change, &sub_account, &grants)
    })
    .await
    .map_err(PageError::from)?;
    FlashMessage::success("flash-sub-account-grants-changed").send();
    Ok(back_to(&id))
}
