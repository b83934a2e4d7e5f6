//! Asking for the second factor: after a right password at sign-in
//! (`/login/second-factor`), and again before an action that hands out access
//! when the last one is older than `STEP_UP_MINUTES` (`/account/step-up`).
//! Every check goes through the same throttling gate as passwords, by the
//! login's username and the client's address.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;

use super::{Proof, verify};
use crate::audit::{self, Action, Actor};
use crate::auth::client_address::ClientAddress;
use crate::auth::identity::SignedIn;
use crate::auth::session::{SignInClient, TypedSession};
use crate::auth::throttle::{self, Gate, Kind};
use crate::db::schema::logins;
use crate::db::{self, DbError};
use crate::state::AppState;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, local_path, see_other};

/// How long the second step of a sign-in may wait after the password.
pub const PENDING_MINUTES: i64 = 5;

#[derive(Template)]
#[template(path = "security/challenge.html")]
struct ChallengePage {
    layout: PageContext,
    /// Where the form posts.
    action: String,
    /// Signing in, or confirming an action.
    step_up: bool,
    /// Where the passkey ceremony starts and finishes, when the login has one.
    passkey: Option<(String, String)>,
    errors: FieldErrors,
}

/// The passkey ceremony's addresses, for a login with a passkey.
fn passkey_offer(step_up: bool, action: &str, has_passkey: bool) -> Option<(String, String)> {
    if !has_passkey {
        return None;
    }
    Some(if step_up {
        let query = action.split_once('?').map(|(_, q)| q).unwrap_or_default();
        (
            "/account/step-up/passkey/start".to_owned(),
            format!("/account/step-up/passkey/finish?{query}"),
        )
    } else {
        (
            "/login/second-factor/passkey/start".to_owned(),
            "/login/second-factor/passkey/finish".to_owned(),
        )
    })
}

/// Whether the login can present a passkey here (the portal offers passkeys
/// only on a domain name).
async fn can_use_passkey(state: &AppState, login_id: String) -> Result<bool, PageError> {
    if state.webauthn.is_none() {
        return Ok(false);
    }
    Ok(db::run(&state.pool, move |conn| -> Result<_, DbError> {
        Ok(super::passkeys::has_passkey(conn, &login_id)?)
    })
    .await?)
}

fn page(
    layout: PageContext,
    action: String,
    step_up: bool,
    has_passkey: bool,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let body = ChallengePage {
        passkey: passkey_offer(step_up, &action, has_passkey),
        layout,
        action,
        step_up,
        errors,
    }
    .render()
    .map_err(PageError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

/// What a check of a typed code came to.
enum Checked {
    Right(Proof),
    Wrong,
    Throttled,
}

/// Checks `typed` for the login through the throttling gate. The username is
/// the gate's key, as for passwords.
async fn check(
    state: &AppState,
    client: ClientAddress,
    login_id: String,
    typed: String,
) -> Result<Checked, PageError> {
    let now = state.clock.now();
    let brake = state.settings.failure_brake_per_minute;
    let metrics = state.metrics.clone();
    let checked = db::run(&state.pool, move |conn| -> Result<Checked, DbError> {
        let username: String = logins::table
            .find(&login_id)
            .select(logins::username_key)
            .first(conn)?;
        let reservation =
            match throttle::reserve(conn, Kind::SecondFactor, &username, &client, brake, now)? {
                Gate::Open(reservation) => reservation,
                Gate::Throttled(reason) => {
                    tracing::warn!(reason = reason.as_str(), "second factor throttled");
                    return Ok(Checked::Throttled);
                }
            };
        db::write_transaction(conn, |conn| {
            match verify(conn, now, &login_id, &username, &typed)? {
                Some(proof) => {
                    reservation.succeeded(conn)?;
                    Ok(Checked::Right(proof))
                }
                None => {
                    reservation.failed(&metrics);
                    Ok(Checked::Wrong)
                }
            }
        })
    })
    .await?;
    Ok(checked)
}

fn refused(
    layout: PageContext,
    action: String,
    step_up: bool,
    has_passkey: bool,
    checked: &Checked,
) -> Result<HttpResponse, PageError> {
    let mut errors = FieldErrors::default();
    let (key, status) = match checked {
        Checked::Throttled => ("signin-throttled", StatusCode::TOO_MANY_REQUESTS),
        _ => ("second-factor-wrong", StatusCode::OK),
    };
    errors.add("code", key);
    page(layout, action, step_up, has_passkey, errors, status)
}

/// The login whose password was right, if that was recent enough.
pub(super) fn awaiting(session: &TypedSession, now: NaiveDateTime) -> Option<(String, String)> {
    let (login_id, since, next) = session.awaiting_second_factor()?;
    let since = chrono::DateTime::from_timestamp(since, 0)?.naive_utc();
    (now <= since + chrono::Duration::minutes(PENDING_MINUTES)).then_some((login_id, next))
}

pub async fn sign_in_form(
    state: web::Data<AppState>,
    layout: PageContext,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let Some((login_id, _)) = awaiting(&session, state.clock.now()) else {
        return Ok(see_other("/login"));
    };
    page(
        layout,
        "/login/second-factor".to_owned(),
        false,
        can_use_passkey(&state, login_id).await?,
        FieldErrors::default(),
        StatusCode::OK,
    )
}

pub async fn sign_in_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: PageContext,
    session: TypedSession,
    client: ClientAddress,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some((login_id, next)) = awaiting(&session, now) else {
        return Ok(see_other("/login"));
    };
    let checked = check(&state, client, login_id.clone(), form.into_inner().code).await?;
    let Checked::Right(proof) = checked else {
        let has_passkey = can_use_passkey(&state, login_id).await?;
        return refused(
            layout,
            "/login/second-factor".to_owned(),
            false,
            has_passkey,
            &checked,
        );
    };
    let signing_in = SignInClient::of(&req, client);
    let destination =
        complete_sign_in(&state, &session, &signing_in, login_id, &next, proof).await?;
    Ok(see_other(&destination))
}

/// The second factor (or a passkey alone) was right: the login is signed in,
/// with its second factor presented; answers where to go next.
pub(super) async fn complete_sign_in(
    state: &AppState,
    session: &TypedSession,
    client: &SignInClient,
    login_id: String,
    next: &str,
    proof: Proof,
) -> Result<String, PageError> {
    let now = state.clock.now();
    let login = login_id.clone();
    let memberships = db::run(&state.pool, move |conn| {
        db::write_transaction(conn, |conn| -> Result<_, DbError> {
            let full_name: String = logins::table
                .find(&login)
                .select(logins::full_name)
                .first(conn)?;
            let actor = Actor {
                login_id: Some(&login),
                name: &full_name,
                membership_id: None,
                on_behalf_of: None,
                api_token_id: None,
            };
            audit::record_for_login(conn, now, &login, actor, Action::SignedIn, &full_name)?;
            if proof == Proof::RecoveryCode {
                audit::record_for_login(
                    conn,
                    now,
                    &login,
                    actor,
                    Action::RecoveryCodeUsed,
                    &full_name,
                )?;
            }
            Ok(crate::auth::identity::memberships_of(conn, &login)?)
        })
    })
    .await?;
    let at = now.and_utc().timestamp();
    session
        .sign_in(&login_id, at, client)
        .map_err(PageError::internal)?;
    session
        .second_factor_presented(at)
        .map_err(PageError::internal)?;
    crate::web::after_sign_in(session, &memberships, next)
}

/// Where a step-up (or a sign-in with a passkey) goes back to.
#[derive(Deserialize)]
pub struct NextQuery {
    pub(crate) next: Option<String>,
}

impl NextQuery {
    /// The local page asked for; home for anything else.
    pub fn page(&self) -> String {
        local_path(self.next.as_deref().unwrap_or("/")).to_owned()
    }
}

/// Notes in the session that the person has just presented their second
/// factor again, and tells them so on the next page.
pub(crate) fn stepped_up(state: &AppState, session: &TypedSession) -> Result<(), PageError> {
    session
        .second_factor_presented(state.clock.now().and_utc().timestamp())
        .map_err(PageError::internal)?;
    actix_web_flash_messages::FlashMessage::info("flash-step-up-done").send();
    Ok(())
}

fn step_up_action(next: &str) -> String {
    format!(
        "/account/step-up?next={}",
        url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    )
}

pub async fn step_up_form(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = query.page();
    page(
        layout,
        step_up_action(&next),
        true,
        can_use_passkey(&state, identity.login.id).await?,
        FieldErrors::default(),
        StatusCode::OK,
    )
}

pub async fn step_up_submit(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
    client: ClientAddress,
    query: web::Query<NextQuery>,
    form: web::Form<CodeForm>,
) -> Result<HttpResponse, PageError> {
    let next = query.page();
    let login_id = identity.login.id;
    let checked = check(&state, client, login_id.clone(), form.into_inner().code).await?;
    if !matches!(checked, Checked::Right(_)) {
        let has_passkey = can_use_passkey(&state, login_id).await?;
        return refused(layout, step_up_action(&next), true, has_passkey, &checked);
    }
    stepped_up(&state, &session)?;
    Ok(see_other(&next))
}
