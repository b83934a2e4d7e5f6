//! The owner's single sign-on page (`/partner/sso` for a partner's owner,
//! `/customer/sso` for a customer's administrator): the provider's connection
//! and the claimed domains (`domains.rs`; proving them is `proof.rs` and
//! `dns.rs`). Every change is logged; the client secret is never shown back.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use super::{ClaimedDomain, Organisation, flow, provider, sealed};
use crate::audit::{Action, Actor};
use crate::auth::identity::{CustomerMember, PartnerMember};
use crate::db::schema::sso_connections;
use crate::db::{self, DbConnection, DbError};
use crate::ids::{CustomerId, PartnerId};
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render_with_status, succeeded};

/// The person managing single sign-on, and the organisation they manage it
/// for: a partner member on the partner's routes, a customer member of the
/// whole account on the console's (the route table has checked the role).
pub struct Manager {
    pub organisation: Organisation,
    /// (login id, full name, membership id).
    pub actor: (String, String, String),
}

impl Manager {
    pub fn actor(&self) -> Actor<'_> {
        actor_of(&self.actor)
    }

    pub fn login_id(&self) -> &str {
        &self.actor.0
    }
}

pub(super) fn actor_of((login_id, name, membership_id): &(String, String, String)) -> Actor<'_> {
    Actor {
        login_id: Some(login_id),
        name,
        membership_id: Some(membership_id),
        on_behalf_of: None,
        api_token_id: None,
    }
}

impl FromRequest for Manager {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let partner = PartnerMember::from_request(req, payload).into_inner();
        let manager = match partner {
            Ok(member) => Ok(Manager {
                organisation: Organisation::Partner(PartnerId::new(member.partner_id().as_str())),
                actor: member.actor_parts(),
            }),
            Err(_) => CustomerMember::from_request(req, payload)
                .into_inner()
                .and_then(|member| {
                    let account = member.account()?;
                    Ok(Manager {
                        organisation: Organisation::Customer(CustomerId::new(
                            account.customer_id().as_str(),
                        )),
                        actor: member.actor_parts(),
                    })
                }),
        };
        ready(manager)
    }
}

#[derive(Template)]
#[template(path = "sso/settings.html")]
struct SettingsPage {
    layout: PageContext,
    page: &'static str,
    form: ConnectionForm,
    has_secret: bool,
    callback: String,
    roles: Vec<(&'static str, &'static str)>,
    domains: Vec<ClaimedDomain>,
    new_domain: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ConnectionForm {
    issuer_url: String,
    client_id: String,
    client_secret: String,
    required: String,
    new_member_role: String,
}

/// The page as stored, with `errors` on what was just typed.
pub(super) async fn show(
    state: &AppState,
    layout: PageContext,
    organisation: Organisation,
    typed: Option<ConnectionForm>,
    new_domain: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let lookup = organisation.clone();
    let (connection, domains) = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        Ok((
            super::connection_of(conn, &lookup)?,
            super::domains_of(conn, &lookup)?,
        ))
    })
    .await?;
    let stored = connection.as_ref().map(|c| ConnectionForm {
        issuer_url: c.issuer_url.clone(),
        client_id: c.client_id.clone(),
        client_secret: String::new(),
        required: if c.required {
            "on".into()
        } else {
            String::new()
        },
        new_member_role: c.new_member_role.clone().unwrap_or_default(),
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut form = typed.or(stored).unwrap_or_default();
    form.client_secret.clear();
    render_with_status(
        &SettingsPage {
            layout,
            page: organisation.sso_page(),
            form,
            has_secret: connection.is_some(),
            callback: flow::callback_url(&state.settings),
            roles: organisation.new_member_roles(),
            domains,
            new_domain,
            errors,
        },
        status,
    )
}

pub async fn page(
    PageOf(state, layout, manager): PageOf<Manager>,
) -> Result<HttpResponse, PageError> {
    show(
        &state,
        layout,
        manager.organisation,
        None,
        String::new(),
        FieldErrors::default(),
    )
    .await
}

/// What a valid form stores.
struct Checked {
    issuer_url: String,
    client_id: String,
    client_secret: Option<String>,
    required: bool,
    new_member_role: Option<&'static str>,
}

fn check(
    form: &ConnectionForm,
    organisation: &Organisation,
    allow_http: bool,
) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::default();
    if provider::issuer_url(&form.issuer_url, allow_http).is_err() {
        errors.add("issuer_url", "sso-issuer-invalid");
    }
    let client_id = form.client_id.trim();
    if client_id.is_empty() || client_id.len() > 500 || client_id.chars().any(char::is_control) {
        errors.add("client_id", "field-invalid");
    }
    let secret = form.client_secret.trim();
    if secret.len() > 2000 || secret.chars().any(char::is_control) {
        errors.add("client_secret", "field-invalid");
    }
    let new_member_role = match form.new_member_role.as_str() {
        "" => None,
        value => {
            let role = organisation.parse_new_member_role(value);
            if role.is_none() {
                errors.add("new_member_role", "field-choose");
            }
            role
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Checked {
        issuer_url: form.issuer_url.trim().to_owned(),
        client_id: client_id.to_owned(),
        client_secret: (!secret.is_empty()).then(|| secret.to_owned()),
        required: form.required == "on",
        new_member_role,
    })
}

pub async fn save(
    PageOf(state, layout, manager): PageOf<Manager>,
    form: web::Form<ConnectionForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let allow_http = state.settings.sso_allow_http_issuers;
    let errors = match check(&form, &manager.organisation, allow_http) {
        Err(errors) => errors,
        Ok(checked) => match connect(&state, &manager, checked).await? {
            None => {
                return Ok(succeeded(
                    "flash-sso-saved",
                    manager.organisation.sso_page(),
                ));
            }
            Some(errors) => errors,
        },
    };
    show(
        &state,
        layout,
        manager.organisation,
        Some(form),
        String::new(),
        errors,
    )
    .await
}

/// Reads the provider's configuration, then stores the connection; what is
/// wrong with the form otherwise.
async fn connect(
    state: &AppState,
    manager: &Manager,
    checked: Checked,
) -> Result<Option<FieldErrors>, PageError> {
    let allow_http = state.settings.sso_allow_http_issuers;
    let issuer =
        provider::issuer_url(&checked.issuer_url, allow_http).map_err(PageError::internal)?;
    if let Err(error) = provider::discover(issuer, allow_http).await {
        tracing::info!(error = %error, "identity provider discovery failed");
        return Ok(Some(FieldErrors::one(
            "issuer_url",
            "sso-issuer-unreachable",
        )));
    }
    let sealed_secret =
        match &checked.client_secret {
            Some(secret) => Some(sealed::seal(&state.settings.secret_key, secret).map_err(
                |_| PageError::internal(anyhow::anyhow!("the client secret could not be sealed")),
            )?),
            None => None,
        };
    let now = state.clock.now();
    let actor = manager.actor.clone();
    let organisation = manager.organisation.clone();
    let stored = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            store(conn, now, &organisation, &checked, sealed_secret, &actor)
        })
    })
    .await?;
    Ok((!stored).then(|| FieldErrors::one("client_secret", "field-required")))
}

/// Writes the connection and logs it (never the secret); false when there is
/// no secret, neither typed nor stored.
fn store(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    organisation: &Organisation,
    checked: &Checked,
    sealed_secret: Option<String>,
    actor: &(String, String, String),
) -> Result<bool, DbError> {
    let existing = super::connection_of(conn, organisation)?;
    let secret_changed = sealed_secret.is_some();
    let Some(secret) = sealed_secret.or(existing.map(|c| c.client_secret_sealed)) else {
        return Ok(false);
    };
    diesel::delete(sso_connections::table.filter(super::owned_by!(sso_connections, organisation)))
        .execute(conn)?;
    diesel::insert_into(sso_connections::table)
        .values((
            sso_connections::id.eq(uuid::Uuid::new_v4().to_string()),
            sso_connections::partner_id.eq(organisation.partner_id()),
            sso_connections::customer_id.eq(organisation.customer_id()),
            sso_connections::issuer_url.eq(&checked.issuer_url),
            sso_connections::client_id.eq(&checked.client_id),
            sso_connections::client_secret_sealed.eq(&secret),
            sso_connections::required.eq(checked.required),
            sso_connections::new_member_role.eq(checked.new_member_role),
            sso_connections::updated_at.eq(now),
        ))
        .execute(conn)?;
    let details = format!(
        "issuer {}, client {}, secret {}, required {}, new people {}",
        checked.issuer_url,
        checked.client_id,
        if secret_changed { "changed" } else { "kept" },
        if checked.required { "yes" } else { "no" },
        checked.new_member_role.unwrap_or("none"),
    );
    organisation.log(
        conn,
        now,
        actor_of(actor),
        Action::SsoConnectionChanged,
        "",
        &details,
    )?;
    Ok(true)
}
