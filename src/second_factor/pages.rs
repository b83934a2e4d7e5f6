//! A person's own second factors (`/account/security`): the authenticators and
//! how many recovery codes are left, adding an authenticator (a QR code drawn
//! on the server, confirmed by a first code), removing one, and new recovery
//! codes. Each change is emailed to the login's own address.

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::audit::Action;
use crate::auth::identity::{Identity, SignedIn};
use crate::auth::own_change::record_and_tell;
use crate::auth::second_factor_rule::Policy;
use crate::auth::session::TypedSession;
use crate::config::Settings;
use crate::db::{self, DbConnection, DbError};
use crate::email::messages::SecondFactorChangedEmail;
use crate::email::outbox::OutboxError;
use crate::i18n::format_time;
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, render, see_other};

#[derive(Template)]
#[template(path = "security/overview.html")]
struct SecurityPage {
    layout: PageContext,
    factors: Vec<super::Factor>,
    codes_left: i64,
    /// The chosen membership's rule, when it has one.
    deadline: Option<String>,
    zone: chrono_tz::Tz,
    /// Whether the portal offers passkeys (on a domain name only).
    passkeys: bool,
}

impl SecurityPage {
    fn time(&self, at: &NaiveDateTime) -> String {
        format_time(*at, self.zone, self.layout.lang)
    }
}

fn deadline_of(identity: &Identity, layout: &PageContext) -> Option<String> {
    identity
        .membership
        .as_ref()
        .and_then(|m| m.second_factor_policy)
        .map(|policy: Policy| format_time(policy.deadline(), identity.login.time_zone, layout.lang))
}

pub async fn overview(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
) -> Result<HttpResponse, PageError> {
    let login_id = identity.login.id.clone();
    let (factors, codes_left) = db::run(&state.pool, move |conn| {
        Ok::<_, DbError>((
            super::factors_of(conn, &login_id)?,
            super::recovery_codes_left(conn, &login_id)?,
        ))
    })
    .await?;
    render(&SecurityPage {
        deadline: deadline_of(&identity, &layout),
        zone: identity.login.time_zone,
        passkeys: state.webauthn.is_some(),
        layout,
        factors,
        codes_left,
    })
}

#[derive(Template)]
#[template(path = "security/totp.html")]
struct EnrolPage {
    layout: PageContext,
    secret: String,
    qr_svg: String,
    label: String,
    errors: FieldErrors,
}

fn enrol_page(
    layout: PageContext,
    identity: &Identity,
    secret: String,
    label: String,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    let qr_svg = super::provisioning_uri(&secret, &identity.login.username)
        .and_then(|uri| super::qr_svg(&uri))
        .ok_or_else(|| PageError::internal(anyhow::anyhow!("the QR code could not be drawn")))?;
    render(&EnrolPage {
        layout,
        secret,
        qr_svg,
        label,
        errors,
    })
}

/// Shows a new secret; it is kept in the session until a first code confirms it.
pub async fn enrol_form(
    layout: PageContext,
    SignedIn(identity): SignedIn,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let secret = super::new_secret();
    session
        .set_enrolment_secret(&secret)
        .map_err(PageError::internal)?;
    let label = layout.tr.t("security-totp-default-label");
    enrol_page(layout, &identity, secret, label, FieldErrors::default())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EnrolForm {
    label: String,
    code: String,
}

#[derive(Template)]
#[template(path = "security/recovery_codes.html")]
struct RecoveryCodesPage {
    layout: PageContext,
    codes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub(super) enum ChangeError {
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Pool(#[from] DbError),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

/// Emails the login's own address about a change to its second factors and
/// notes it in the activity log of its organisations.
pub(super) fn tell(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
    action: Action,
    change_key: &'static str,
) -> Result<(), ChangeError> {
    record_and_tell(conn, now, login_id, action, |tr, full_name| {
        SecondFactorChangedEmail {
            tr,
            full_name,
            change_key,
            security_link: settings.link("/account/security"),
        }
    })?;
    Ok(())
}

/// Adds a second factor with `add` and tells the person; true when it is the
/// login's first, which comes with recovery codes.
pub(super) fn add_and_tell(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
    change_key: &'static str,
    add: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<String>,
) -> Result<bool, ChangeError> {
    let first = !super::has_factor(conn, login_id)?;
    add(conn)?;
    tell(
        conn,
        settings,
        now,
        login_id,
        Action::SecondFactorAdded,
        change_key,
    )?;
    Ok(first)
}

pub async fn enrol(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
    form: web::Form<EnrolForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let Some(secret) = session.enrolment_secret() else {
        return Ok(see_other("/account/security/totp"));
    };
    let now = state.clock.now();
    let label = form.label.trim().to_owned();
    let mut errors = FieldErrors::default();
    if label.is_empty() || label.chars().count() > 100 {
        errors.add("label", "field-required");
    }
    let step = super::matching_step(&secret, &identity.login.username, &form.code, now);
    if step.is_none() {
        errors.add("code", "second-factor-wrong");
    }
    let Some(step) = step.filter(|_| errors.is_empty()) else {
        return enrol_page(layout, &identity, secret, form.label, errors);
    };
    let settings = state.settings.clone();
    let login_id = identity.login.id.clone();
    let codes = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Vec<String>, ChangeError> {
            let add = |conn: &mut DbConnection| {
                super::add_totp(conn, now, &login_id, &label, &secret, step)
            };
            let first = add_and_tell(conn, &settings, now, &login_id, "email-factor-added", add)?;
            // The first factor comes with its recovery codes.
            Ok(if first {
                super::issue_recovery_codes(conn, now, &login_id)?
            } else {
                Vec::new()
            })
        })
    })
    .await
    .map_err(PageError::internal)?;
    session.clear_enrolment_secret();
    // Enrolling is presenting the factor.
    session
        .second_factor_presented(now.and_utc().timestamp())
        .map_err(PageError::internal)?;
    state.outbox_wake.notify_one();
    FlashMessage::success("flash-factor-added").send();
    if codes.is_empty() {
        return Ok(see_other("/account/security"));
    }
    render(&RecoveryCodesPage { layout, codes })
}

pub async fn remove(
    state: web::Data<AppState>,
    SignedIn(identity): SignedIn,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let factor_id = path.into_inner();
    let now = state.clock.now();
    let settings = state.settings.clone();
    let login_id = identity.login.id.clone();
    let removed = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<bool>, ChangeError> {
            let Some(kind) = super::remove(conn, &login_id, &factor_id)? else {
                return Ok(None);
            };
            let passkey = kind == super::passkeys::KIND.as_str();
            tell(
                conn,
                &settings,
                now,
                &login_id,
                Action::SecondFactorRemoved,
                if passkey {
                    "email-passkey-removed"
                } else {
                    "email-factor-removed"
                },
            )?;
            Ok(Some(passkey))
        })
    })
    .await
    .map_err(PageError::internal)?;
    let Some(passkey) = removed else {
        return Err(PageError::NotFound);
    };
    state.outbox_wake.notify_one();
    FlashMessage::success(if passkey {
        "flash-passkey-removed"
    } else {
        "flash-factor-removed"
    })
    .send();
    Ok(see_other("/account/security"))
}

/// New recovery codes, shown once; the old ones stop working.
pub async fn new_recovery_codes(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let login_id = identity.login.id.clone();
    let codes = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<Option<Vec<String>>, DbError> {
            if !super::has_factor(conn, &login_id)? {
                return Ok(None);
            }
            Ok(Some(super::issue_recovery_codes(conn, now, &login_id)?))
        })
    })
    .await?;
    match codes {
        Some(codes) => render(&RecoveryCodesPage { layout, codes }),
        None => Ok(see_other("/account/security")),
    }
}
