//! The owner's single sign-on page (`/partner/sso`): the provider's
//! connection and the claimed domains (proving them is `proof.rs`). Every
//! change is logged; the client secret is never shown back.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use super::flow;
use super::{ClaimedDomain, provider, sealed};
use crate::access::PartnerRole;
use crate::audit::{self, Action, Actor};
use crate::auth::identity::PartnerMember;
use crate::db::schema::{sso_connections, sso_domains};
use crate::db::{self, DbConnection, DbError};
use crate::ids::PartnerId;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, render_with_status, see_other};

pub const PAGE: &str = "/partner/sso";

/// The roles a person created at first sign-in may get: never owner, which a
/// person always hands out.
const NEW_STAFF_ROLES: [PartnerRole; 3] = [
    PartnerRole::AdminAgent,
    PartnerRole::SalesAgent,
    PartnerRole::HelpdeskAgent,
];

#[derive(Template)]
#[template(path = "sso/settings.html")]
struct SettingsPage {
    layout: PageContext,
    form: ConnectionForm,
    has_secret: bool,
    callback: String,
    roles: Vec<PartnerRole>,
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
    new_staff_role: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DomainForm {
    domain: String,
}

/// The page as stored, with `errors` on what was just typed.
async fn show(
    state: &AppState,
    layout: PageContext,
    partner_id: PartnerId,
    typed: Option<ConnectionForm>,
    new_domain: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let (connection, domains) = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        Ok((
            super::connection_of(conn, &partner_id)?,
            super::domains_of(conn, &partner_id)?,
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
        new_staff_role: c.new_staff_role.clone().unwrap_or_default(),
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
            form,
            has_secret: connection.is_some(),
            callback: flow::callback_url(&state.settings),
            roles: NEW_STAFF_ROLES.to_vec(),
            domains,
            new_domain,
            errors,
        },
        status,
    )
}

pub async fn page(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
) -> Result<HttpResponse, PageError> {
    let partner_id = member.partner_id().clone();
    show(
        &state,
        layout,
        partner_id,
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
    new_staff_role: Option<PartnerRole>,
}

fn check(form: &ConnectionForm, allow_http: bool) -> Result<Checked, FieldErrors> {
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
    let new_staff_role = match form.new_staff_role.as_str() {
        "" => None,
        value => match PartnerRole::parse(value).filter(|r| NEW_STAFF_ROLES.contains(r)) {
            Some(role) => Some(role),
            None => {
                errors.add("new_staff_role", "field-choose");
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Checked {
        issuer_url: form.issuer_url.trim().to_owned(),
        client_id: client_id.to_owned(),
        client_secret: (!secret.is_empty()).then(|| secret.to_owned()),
        required: form.required == "on",
        new_staff_role,
    })
}

pub async fn save(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    form: web::Form<ConnectionForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let partner_id = member.partner_id().clone();
    let errors = match check(&form, state.settings.sso_allow_http_issuers) {
        Err(errors) => errors,
        Ok(checked) => match connect(&state, &member, checked).await? {
            None => {
                FlashMessage::success("flash-sso-saved").send();
                return Ok(see_other(PAGE));
            }
            Some(errors) => errors,
        },
    };
    show(
        &state,
        layout,
        partner_id,
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
    member: &PartnerMember,
    checked: Checked,
) -> Result<Option<FieldErrors>, PageError> {
    let allow_http = state.settings.sso_allow_http_issuers;
    let issuer =
        provider::issuer_url(&checked.issuer_url, allow_http).map_err(PageError::internal)?;
    if let Err(error) = provider::discover(issuer).await {
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
    let actor = member.actor_parts();
    let partner_id = member.partner_id().clone();
    let stored = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            store(conn, now, &partner_id, &checked, sealed_secret, &actor)
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
    partner_id: &PartnerId,
    checked: &Checked,
    sealed_secret: Option<String>,
    actor: &(String, String, String),
) -> Result<bool, DbError> {
    let existing = super::connection_of(conn, partner_id)?;
    let secret_changed = sealed_secret.is_some();
    let Some(secret) = sealed_secret.or(existing.map(|c| c.client_secret_sealed)) else {
        return Ok(false);
    };
    diesel::delete(sso_connections::table.find(partner_id.as_str())).execute(conn)?;
    diesel::insert_into(sso_connections::table)
        .values((
            sso_connections::partner_id.eq(partner_id.as_str()),
            sso_connections::issuer_url.eq(&checked.issuer_url),
            sso_connections::client_id.eq(&checked.client_id),
            sso_connections::client_secret_sealed.eq(&secret),
            sso_connections::required.eq(checked.required),
            sso_connections::new_staff_role.eq(checked.new_staff_role.map(PartnerRole::as_str)),
            sso_connections::updated_at.eq(now),
        ))
        .execute(conn)?;
    let details = format!(
        "issuer {}, client {}, secret {}, required {}, new staff {}",
        checked.issuer_url,
        checked.client_id,
        if secret_changed { "changed" } else { "kept" },
        if checked.required { "yes" } else { "no" },
        checked.new_staff_role.map_or("none", PartnerRole::as_str),
    );
    log(
        conn,
        now,
        partner_id,
        actor,
        Action::SsoConnectionChanged,
        "",
        &details,
    )?;
    Ok(true)
}

pub(super) fn log(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    partner_id: &PartnerId,
    (login_id, name, membership_id): &(String, String, String),
    action: Action,
    target: &str,
    details: &str,
) -> QueryResult<()> {
    audit::record(
        conn,
        now,
        audit::Entry {
            partner_id: Some(partner_id.as_str()),
            customer_id: None,
            actor: Actor {
                login_id: Some(login_id),
                name,
                membership_id: Some(membership_id),
                on_behalf_of: None,
            },
            action,
            target,
            details,
        },
    )
}

/// Whether another organisation has proven `domain`.
pub(super) fn proven_elsewhere(
    conn: &mut DbConnection,
    partner_id: &PartnerId,
    domain: &str,
) -> QueryResult<bool> {
    let count: i64 = sso_domains::table
        .filter(sso_domains::domain.eq(domain))
        .filter(sso_domains::partner_id.ne(partner_id.as_str()))
        .filter(sso_domains::proven_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

pub async fn claim(
    state: web::Data<AppState>,
    layout: PageContext,
    member: PartnerMember,
    form: web::Form<DomainForm>,
) -> Result<HttpResponse, PageError> {
    let typed = form.into_inner().domain;
    let partner_id = member.partner_id().clone();
    let Some(domain) = super::parse_domain(&typed) else {
        let errors = FieldErrors::one("domain", "sso-domain-invalid");
        return show(&state, layout, partner_id, None, typed, errors).await;
    };
    let now = state.clock.now();
    let actor = member.actor_parts();
    let owner = partner_id.clone();
    let refusal = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<&'static str>, DbError> {
            if proven_elsewhere(conn, &owner, &domain)? {
                return Ok(Some("sso-domain-taken"));
            }
            if super::domains_of(conn, &owner)?
                .iter()
                .any(|d| d.domain == domain)
            {
                return Ok(Some("sso-domain-already"));
            }
            diesel::insert_into(sso_domains::table)
                .values((
                    sso_domains::id.eq(uuid::Uuid::new_v4().to_string()),
                    sso_domains::partner_id.eq(owner.as_str()),
                    sso_domains::domain.eq(&domain),
                    sso_domains::claimed_at.eq(now),
                ))
                .execute(conn)?;
            log(
                conn,
                now,
                &owner,
                &actor,
                Action::SsoDomainClaimed,
                &domain,
                "",
            )?;
            Ok(None)
        })
    })
    .await?;
    if let Some(key) = refusal {
        return show(
            &state,
            layout,
            partner_id,
            None,
            typed,
            FieldErrors::one("domain", key),
        )
        .await;
    }
    FlashMessage::success("flash-sso-domain-claimed").send();
    Ok(see_other(PAGE))
}

pub async fn remove(
    state: web::Data<AppState>,
    member: PartnerMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let domain_id = path.into_inner();
    let partner_id = member.partner_id().clone();
    let now = state.clock.now();
    let actor = member.actor_parts();
    let removed = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<bool, DbError> {
            let domain: Option<String> = sso_domains::table
                .filter(sso_domains::id.eq(&domain_id))
                .filter(sso_domains::partner_id.eq(partner_id.as_str()))
                .select(sso_domains::domain)
                .first(conn)
                .optional()?;
            let Some(domain) = domain else {
                return Ok(false);
            };
            diesel::delete(sso_domains::table.filter(sso_domains::id.eq(&domain_id)))
                .execute(conn)?;
            log(
                conn,
                now,
                &partner_id,
                &actor,
                Action::SsoDomainRemoved,
                &domain,
                "",
            )?;
            Ok(true)
        })
    })
    .await?;
    if !removed {
        return Err(PageError::NotFound);
    }
    FlashMessage::success("flash-sso-domain-removed").send();
    Ok(see_other(PAGE))
}
