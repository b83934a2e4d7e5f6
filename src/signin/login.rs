//! The sign-in page. Unknown, pending, disabled and known usernames with a wrong
//! password all get the same answer, the same status and the same work (an argon2
//! verification), and the same throttling (`auth::throttle`, by username and
//! client address).

use crate::accounts::LoginState;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::accounts::Username;
use crate::audit::{self, Action, Actor};
use crate::auth::client_address::ClientAddress;
use crate::auth::identity::{Membership, memberships_of};
use crate::auth::password::verify_off_pool;
use crate::auth::session::{SignInClient, TypedSession};
use crate::auth::throttle::{self, Gate};
use crate::db::schema::logins;
use crate::db::{self, DbConnection, DbError};
use crate::email::mask_recipient;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::web::{PageContext, PageError, local_path, render_with_status, see_other};

#[derive(Template)]
#[template(path = "signin/login.html")]
struct LoginPage {
    layout: PageContext,
    username: String,
    next: String,
    error: Option<String>,
    /// Where a passkey's answer goes, when the portal offers passkeys.
    passkey_finish: Option<String>,
    /// The password form even for an address whose organisation signs in
    /// through its identity provider.
    password_only: bool,
}

/// Signing in with a passkey alone, when the portal offers passkeys.
fn passkey_finish(state: &AppState, next: &str) -> Option<String> {
    state.webauthn.as_ref().map(|_| {
        format!(
            "/login/passkey/finish?next={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        )
    })
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    method: Option<String>,
}

/// The form's `method` asking for the password even where single sign-on is
/// offered.
const PASSWORD_METHOD: &str = "password";

pub async fn form(
    state: web::Data<AppState>,
    layout: PageContext,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = local_path(query.next.as_deref().unwrap_or("")).to_owned();
    crate::web::render(&LoginPage {
        layout,
        username: String::new(),
        passkey_finish: passkey_finish(&state, &next),
        next,
        error: None,
        password_only: query.method.as_deref() == Some(PASSWORD_METHOD),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    /// Left empty by a person whose organisation signs in through its provider.
    #[serde(default)]
    password: String,
    next: Option<String>,
    #[serde(default)]
    method: String,
}

enum Outcome {
    SignedIn {
        login_id: String,
        memberships: Vec<Membership>,
    },
    /// The password was right; the second factor comes next.
    SecondFactor {
        login_id: String,
    },
    Refused,
    Throttled(throttle::Reason),
    /// The password was right, but the person's organisation requires its
    /// identity provider.
    SingleSignOnRequired,
}

pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    layout: PageContext,
    session: TypedSession,
    client: ClientAddress,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let now = state.clock.now();
    let typed = Typed {
        username: form.username.clone(),
        next: local_path(form.next.as_deref().unwrap_or("")).to_owned(),
        password_only: form.method == PASSWORD_METHOD,
    };
    if !typed.password_only
        && let Some(connection) = provider_for(&state, &typed.username).await?
    {
        let purpose = crate::sso::flow::Purpose::SignIn;
        let next = &typed.next;
        return crate::sso::flow::begin(&state, layout, &session, &connection, purpose, None, next)
            .await;
    }
    let outcome = attempt(&state, form.username, form.password, client, now).await?;
    match outcome {
        Outcome::Throttled(reason) => {
            tracing::warn!(
                username = %mask_recipient(&typed.username),
                client = %client,
                reason = reason.as_str(),
                "sign-in throttled"
            );
            typed.refuse(
                &state,
                layout,
                StatusCode::TOO_MANY_REQUESTS,
                "signin-throttled",
            )
        }
        Outcome::Refused => {
            tracing::warn!(
                username = %mask_recipient(&typed.username),
                client = %client,
                "sign-in failed"
            );
            typed.refuse(&state, layout, StatusCode::OK, "signin-failed")
        }
        Outcome::SingleSignOnRequired => {
            typed.refuse(&state, layout, StatusCode::FORBIDDEN, "signin-sso-required")
        }
        Outcome::SignedIn {
            login_id,
            memberships,
        } => {
            let at = now.and_utc().timestamp();
            session
                .sign_in(&login_id, at, &SignInClient::of(&req, client))
                .map_err(PageError::internal)?;
            enter(&session, &memberships, &typed.next)
        }
        Outcome::SecondFactor { login_id } => {
            session
                .await_second_factor(&login_id, now.and_utc().timestamp(), &typed.next)
                .map_err(PageError::internal)?;
            Ok(see_other("/login/second-factor"))
        }
    }
}

/// What the sign-in form sent that its page shows again when the attempt is
/// refused.
struct Typed {
    username: String,
    next: String,
    password_only: bool,
}

impl Typed {
    fn refuse(
        &self,
        state: &AppState,
        layout: PageContext,
        status: StatusCode,
        key: &str,
    ) -> Result<HttpResponse, PageError> {
        let page = LoginPage {
            error: Some(layout.tr.t(key)),
            layout,
            username: self.username.clone(),
            next: self.next.clone(),
            passkey_finish: passkey_finish(state, &self.next),
            password_only: self.password_only,
        };
        render_with_status(&page, status)
    }
}

/// The identity provider of the organisation that proved the typed address's
/// domain, if any: its people sign in there rather than with a password.
async fn provider_for(
    state: &AppState,
    typed: &str,
) -> Result<Option<crate::sso::Connection>, PageError> {
    let typed = typed.to_owned();
    Ok(db::run(&state.pool, move |conn| {
        crate::sso::provider_for(conn, &typed).map_err(DbError::from)
    })
    .await?)
}

/// One sign-in attempt, in three steps so that argon2 never runs while a pooled
/// connection waits on it: reserve an attempt and read the login, verify, then
/// record.
async fn attempt(
    state: &AppState,
    typed: String,
    password: String,
    client: ClientAddress,
    now: chrono::NaiveDateTime,
) -> Result<Outcome, PageError> {
    let brake = state.settings.failure_brake_per_minute;
    let looked_up = db::run(&state.pool, move |conn| {
        reserve_and_read(conn, &typed, &client, brake, now)
    })
    .await?;
    let (stored, active) = match &looked_up {
        Ok((_, Some((_, _, hash, state)))) => (hash.clone(), state == LoginState::Active.as_str()),
        // Unknown or throttled: the same work, so the answer's timing tells nothing.
        _ => (None, false),
    };
    let verified = verify_off_pool(password, stored).await? && active;
    match looked_up {
        Err(reason) => Ok(Outcome::Throttled(reason)),
        Ok((reservation, row)) => {
            let metrics = state.metrics.clone();
            Ok(db::run(&state.pool, move |conn| {
                record_attempt(conn, now, reservation, row, verified, &metrics)
            })
            .await?)
        }
    }
}

/// The attempt reserved behind the throttling gate, and the login typed; the
/// reason when the gate is closed.
fn reserve_and_read(
    conn: &mut DbConnection,
    typed: &str,
    client: &ClientAddress,
    brake: u32,
    now: chrono::NaiveDateTime,
) -> Result<Result<(throttle::Reservation, Option<LoginRow>), throttle::Reason>, DbError> {
    let key = Username::parse(typed)
        .map(|u| u.key())
        .unwrap_or_else(|_| typed.trim().to_lowercase());
    match throttle::reserve(conn, throttle::Kind::SignIn, &key, client, brake, now)? {
        Gate::Open(reservation) => {
            let row: Option<LoginRow> = logins::table
                .filter(logins::username_key.eq(&key))
                .select((
                    logins::id,
                    logins::full_name,
                    logins::password_hash,
                    logins::state,
                ))
                .first(conn)
                .optional()?;
            Ok(Ok((reservation, row)))
        }
        Gate::Throttled(reason) => Ok(Err(reason)),
    }
}

/// A login as sign-in reads it: id, full name, password hash, state.
type LoginRow = (String, String, Option<String>, String);

/// The attempt's outcome, recorded: the throttle told, the log written, and for
/// a right password the second step or the memberships to enter.
fn record_attempt(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    reservation: throttle::Reservation,
    row: Option<LoginRow>,
    verified: bool,
    metrics: &Metrics,
) -> Result<Outcome, DbError> {
    db::write_transaction(conn, |conn| match (&row, verified) {
        (Some((login_id, full_name, _, _)), true) => {
            reservation.succeeded(conn)?;
            if crate::sso::password_refused(conn, login_id)? {
                return Ok(Outcome::SingleSignOnRequired);
            }
            if crate::second_factor::has_factor(conn, login_id)? {
                return Ok(Outcome::SecondFactor {
                    login_id: login_id.clone(),
                });
            }
            let actor = Actor {
                login_id: Some(login_id),
                name: full_name,
                membership_id: None,
                on_behalf_of: None,
                api_token_id: None,
            };
            audit::record_for_login(conn, now, login_id, actor, Action::SignedIn, full_name)?;
            Ok(Outcome::SignedIn {
                login_id: login_id.clone(),
                memberships: memberships_of(conn, login_id)?,
            })
        }
        (known, _) => {
            reservation.failed(metrics);
            if let Some((login_id, full_name, _, _)) = known {
                let actor = Actor {
                    login_id: None,
                    name: "—",
                    membership_id: None,
                    on_behalf_of: None,
                    api_token_id: None,
                };
                audit::record_for_login(
                    conn,
                    now,
                    login_id,
                    actor,
                    Action::SignInFailed,
                    full_name,
                )?;
            }
            Ok(Outcome::Refused)
        }
    })
}

/// Once signed in: a person with one membership acts as it at once; then on to
/// `next` (a local path) if given, else the membership's home or the picker.
pub fn enter(
    session: &TypedSession,
    memberships: &[Membership],
    next: &str,
) -> Result<HttpResponse, PageError> {
    Ok(see_other(&crate::web::after_sign_in(
        session,
        memberships,
        next,
    )?))
}

pub async fn logout(state: web::Data<AppState>, session: TypedSession) -> HttpResponse {
    // Signing out inside a customer's console ends that "open customer" session too.
    if let Some(assisted) = session.assisted_session_id() {
        crate::assisted::end_on_the_way_out(&state, assisted).await;
    }
    // And inside a reseller's portal, that session.
    if let Some(assist) = session.reseller_assist_id() {
        crate::network::assist::end_on_the_way_out(&state, assist).await;
    }
    session.sign_out();
    FlashMessage::info("flash-signed-out").send();
    see_other("/")
}
