//! Password reset by email (60 minutes, single use, the same answer whether or not
//! the login exists) and password change while signed in. Either way every session
//! of the login ends and a notification email goes out. The current password asked
//! for a change goes through the same throttling as sign-in (`auth::throttle`).

use crate::accounts::LoginState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use crate::accounts::Username;
use crate::audit::Action;
use crate::auth::client_address::ClientAddress;
use crate::auth::identity::SignedIn;
use crate::auth::own_change::record_and_tell;
use crate::auth::password::check_new_password;
use crate::auth::password::{hash_off_pool, verify_off_pool};
use crate::auth::session::{SignInClient, TypedSession};
use crate::auth::session_store::end_sessions_of;
use crate::auth::throttle::{self, Gate};
use crate::auth::tokens::{self, TokenPurpose};
use crate::config::Settings;
use crate::db::schema::logins;
use crate::db::{self, DbConnection, DbError};
use crate::email::messages::{PasswordChangedEmail, PasswordResetEmail};
use crate::email::outbox;
use crate::i18n::Lang;
use crate::invitations::activation::ResendError;
use crate::invitations::link_request::{LinkRequestForm, send_link};
use crate::state::AppState;
use crate::web::{
    FieldErrors, PageContext, PageError, render, render_with_status, see_other, succeeded,
};

pub const RESET_VALID_MINUTES: i64 = 60;

#[derive(Template)]
#[template(path = "signin/reset_request.html")]
struct ResetRequestPage {
    layout: PageContext,
    sent: bool,
}

#[derive(Template)]
#[template(path = "signin/reset_choose.html")]
struct ResetChoosePage {
    layout: PageContext,
    token: String,
    valid: bool,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "signin/change_password.html")]
struct ChangePasswordPage {
    layout: PageContext,
    errors: FieldErrors,
}

pub async fn request_form(layout: PageContext) -> Result<HttpResponse, PageError> {
    render(&ResetRequestPage {
        layout,
        sent: false,
    })
}

pub async fn request(
    state: web::Data<AppState>,
    layout: PageContext,
    form: web::Form<LinkRequestForm>,
) -> Result<HttpResponse, PageError> {
    send_link(&state, &form, |conn, settings, now, identifier| {
        let found: Option<(String, String, String, String)> = logins::table
            .filter(logins::state.eq(LoginState::Active))
            .filter(logins::username_key.eq(identifier))
            .select((
                logins::id,
                logins::email,
                logins::full_name,
                logins::language,
            ))
            .first(conn)
            .optional()?;
        let Some((login_id, email, full_name, language)) = found else {
            return Ok(false);
        };
        // Its organisation's provider is the only way in: no link is sent
        // (the page answers the same, whoever asks).
        if crate::sso::password_refused(conn, &login_id)? {
            return Ok(false);
        }
        let token = tokens::issue(
            conn,
            &login_id,
            TokenPurpose::PasswordReset,
            now,
            chrono::Duration::minutes(RESET_VALID_MINUTES),
        )?;
        let message = PasswordResetEmail {
            tr: Lang::from_code(&language).unwrap_or_default().translator(),
            full_name,
            link: settings.link(&format!("/reset-password/{token}")),
            valid_minutes: RESET_VALID_MINUTES,
        };
        outbox::enqueue(conn, now, &email, &message)?;
        Ok(true)
    })
    .await?;
    render(&ResetRequestPage { layout, sent: true })
}

fn reset_login_of(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let login = tokens::login_of(
        conn,
        token,
        TokenPurpose::PasswordReset,
        LoginState::Active,
        now,
    )?;
    match login {
        // A link sent before the organisation required single sign-on.
        Some((login_id, _)) if crate::sso::password_refused(conn, &login_id)? => Ok(None),
        found => Ok(found.map(|(login_id, _)| login_id)),
    }
}

pub async fn choose_form(
    state: web::Data<AppState>,
    layout: PageContext,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = state.clock.now();
    let lookup = token.clone();
    let valid = db::run(&state.pool, move |conn| {
        reset_login_of(conn, &lookup, now).map_err(DbError::from)
    })
    .await?
    .is_some();
    render(&ResetChoosePage {
        layout,
        token,
        valid,
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    password: String,
    password_confirmation: String,
}

/// Stores a new password, ends every session of the login, records the change and
/// queues the notification, in the caller's transaction.
pub fn store_new_password(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
    hash: &str,
    action: Action,
) -> Result<(), ResendError> {
    diesel::update(logins::table.filter(logins::id.eq(login_id)))
        .set((
            logins::password_hash.eq(Some(hash)),
            logins::updated_at.eq(now),
        ))
        .execute(conn)?;
    end_sessions_of(conn, login_id)?;
    // A reset link mailed before the change must not set another password.
    crate::auth::tokens::kill_all_of(conn, login_id, now)?;
    record_and_tell(conn, now, login_id, action, |tr, full_name| {
        PasswordChangedEmail {
            tr,
            full_name,
            reset_link: settings.link("/password-reset"),
        }
    })?;
    Ok(())
}

pub async fn choose(
    state: web::Data<AppState>,
    layout: PageContext,
    token: web::Path<String>,
    form: web::Form<NewPasswordForm>,
) -> Result<HttpResponse, PageError> {
    let token = token.into_inner();
    let now = state.clock.now();
    if let Err(problem) = check_new_password(&form.password, &form.password_confirmation) {
        let errors = FieldErrors::one(problem.field(), problem.message_key());
        return render(&ResetChoosePage {
            layout,
            token,
            valid: true,
            errors,
        });
    }
    let hash = hash_off_pool(form.into_inner().password).await?;
    let settings = state.settings.clone();
    let changed = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<bool, ResendError> {
            let Some(login_id) = reset_login_of(conn, &token, now)? else {
                return Ok(false);
            };
            if !tokens::claim(conn, &token, now)? {
                return Ok(false);
            }
            store_new_password(
                conn,
                &settings,
                now,
                &login_id,
                &hash,
                Action::PasswordReset,
            )?;
            Ok(true)
        })
    })
    .await
    .map_err(PageError::internal)?;
    if !changed {
        return render(&ResetChoosePage {
            layout,
            token: String::new(),
            valid: false,
            errors: FieldErrors::default(),
        });
    }
    state.outbox_wake.notify_one();
    Ok(succeeded("flash-password-reset", "/login"))
}

pub async fn change_form(layout: PageContext) -> Result<HttpResponse, PageError> {
    render(&ChangePasswordPage {
        layout,
        errors: FieldErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    current_password: String,
    password: String,
    password_confirmation: String,
}

enum CurrentPassword {
    /// Right: the stored hash it was verified against.
    Right(String),
    Wrong,
    Throttled(throttle::Reason),
}

/// Checks the current password of `login_id` behind the throttling gate: a wrong
/// one is a failed password for that username from that address. As at sign-in,
/// argon2 runs between two connections, never while one is held.
async fn check_current_password(
    state: &AppState,
    login_id: String,
    username: &str,
    client: ClientAddress,
    typed: String,
) -> Result<CurrentPassword, PageError> {
    let key = Username::parse(username)
        .map(|u| u.key())
        .unwrap_or_else(|_| username.to_lowercase());
    let now = state.clock.now();
    let brake = state.settings.failure_brake_per_minute;
    let reserved = db::run(&state.pool, move |conn| -> Result<_, DbError> {
        let kind = throttle::Kind::CurrentPassword;
        match throttle::reserve(conn, kind, &key, &client, brake, now)? {
            Gate::Open(reservation) => {
                let stored: Option<String> = logins::table
                    .filter(logins::id.eq(login_id))
                    .select(logins::password_hash)
                    .first(conn)?;
                Ok(Ok((reservation, stored)))
            }
            Gate::Throttled(reason) => Ok(Err(reason)),
        }
    })
    .await?;
    // Throttled or without a password: the same work against no hash.
    let stored = reserved
        .as_ref()
        .ok()
        .and_then(|(_, stored)| stored.clone());
    let right = verify_off_pool(typed, stored).await?;
    match reserved {
        Err(reason) => Ok(CurrentPassword::Throttled(reason)),
        Ok((reservation, Some(hash))) if right => {
            db::run(&state.pool, move |conn| {
                reservation.succeeded(conn).map_err(DbError::from)
            })
            .await?;
            Ok(CurrentPassword::Right(hash))
        }
        Ok((reservation, _)) => {
            reservation.failed(&state.metrics);
            Ok(CurrentPassword::Wrong)
        }
    }
}

pub async fn change(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: PageContext,
    SignedIn(identity): SignedIn,
    session: TypedSession,
    client: ClientAddress,
    form: web::Form<ChangePasswordForm>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::default();
    let login_id = identity.login.id.clone();
    let form = form.into_inner();
    let current = check_current_password(
        &state,
        login_id.clone(),
        &identity.login.username,
        client,
        form.current_password,
    )
    .await?;
    let mut status = StatusCode::OK;
    let verified = match current {
        CurrentPassword::Right(verified) => Some(verified),
        CurrentPassword::Wrong => {
            errors.add("current_password", "current-password-wrong");
            None
        }
        CurrentPassword::Throttled(reason) => {
            tracing::warn!(client = %client, reason = reason.as_str(), "current password throttled");
            errors.add("current_password", "current-password-throttled");
            status = StatusCode::TOO_MANY_REQUESTS;
            None
        }
    };
    if let Err(problem) = check_new_password(&form.password, &form.password_confirmation) {
        errors.add(problem.field(), problem.message_key());
    }
    let Some(verified) = verified.filter(|_| errors.is_empty()) else {
        return render_with_status(&ChangePasswordPage { layout, errors }, status);
    };
    let hash = hash_off_pool(form.password).await?;
    let settings = state.settings.clone();
    let stored_for = login_id.clone();
    let changed = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| {
            replace_password(conn, &settings, now, &stored_for, &verified, &hash)
        })
    })
    .await
    .map_err(PageError::internal)?;
    if !changed {
        errors.add("current_password", "current-password-wrong");
        return render_with_status(&ChangePasswordPage { layout, errors }, status);
    }
    state.outbox_wake.notify_one();
    // Every session ended, this one included; the person stays signed in here on a
    // new session, as the membership they were acting as.
    session
        .sign_in(
            &login_id,
            now.and_utc().timestamp(),
            &SignInClient::of(&req, client),
        )
        .map_err(PageError::internal)?;
    if let Some(membership) = &identity.membership {
        session
            .choose_membership(&membership.id)
            .map_err(PageError::internal)?;
    }
    FlashMessage::success("flash-password-changed").send();
    Ok(see_other(
        identity
            .membership
            .as_ref()
            .map(|m| m.home())
            .unwrap_or("/memberships"),
    ))
}

/// Stores the new password if the one verified is still the login's current
/// password (a reset or another session may have changed it since); false
/// otherwise. Call inside a write transaction.
fn replace_password(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
    login_id: &str,
    verified: &str,
    hash: &str,
) -> Result<bool, ResendError> {
    let current: Option<String> = logins::table
        .filter(logins::id.eq(login_id))
        .select(logins::password_hash)
        .first(conn)?;
    if current.as_deref() != Some(verified) {
        return Ok(false);
    }
    store_new_password(conn, settings, now, login_id, hash, Action::PasswordChanged)?;
    Ok(true)
}
