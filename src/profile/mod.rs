//! The profile page (`/account`): the person's name, language and time
//! zone; links to the password and second-factor pages; the login's active
//! sessions with "sign out everywhere else"; the memberships held, each of which
//! can be left.

pub mod leave;
pub mod sessions;

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::accounts::DisplayName;
use crate::auth::identity::{Identity, Membership, SignedIn};
use crate::auth::session::TypedSession;
use crate::auth::session_store::active_sessions_of;
use crate::db::schema::logins;
use crate::db::{self, DbError};
use crate::i18n::Lang;
use crate::places::zones::{self, ZoneGroup};
use crate::state::AppState;
use crate::web::language::language_cookie;
use crate::web::{FieldErrors, PageContext, PageError, PageOf, see_other};
use sessions::SessionRow;

#[derive(Template)]
#[template(path = "profile/page.html")]
struct ProfilePage {
    layout: PageContext,
    username: String,
    email: String,
    form: ProfileForm,
    errors: FieldErrors,
    languages: [Lang; 2],
    zones: Vec<ZoneGroup>,
    sessions: Vec<SessionRow>,
    memberships: Vec<Membership>,
    /// The membership this session acts as, if any.
    acting_as: Option<String>,
}

impl ProfilePage {
    fn other_sessions(&self) -> usize {
        self.sessions.iter().filter(|s| !s.current).count()
    }
}

/// What the form sends; kept as typed to show it back with the errors.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    full_name: String,
    language: String,
    time_zone: String,
}

struct ProfileChange {
    full_name: DisplayName,
    language: Lang,
    time_zone: chrono_tz::Tz,
}

impl ProfileForm {
    fn of(identity: &Identity) -> Self {
        Self {
            full_name: identity.login.full_name.clone(),
            language: identity.login.language.code().to_owned(),
            time_zone: zones::shown(identity.login.time_zone.name()),
        }
    }

    fn parse(&self) -> Result<ProfileChange, FieldErrors> {
        let mut errors = FieldErrors::default();
        let full_name = DisplayName::parse(&self.full_name)
            .map_err(|e| errors.add("full_name", e.message_key()))
            .ok();
        let language = Lang::ALL
            .into_iter()
            .find(|lang| lang.code() == self.language);
        if language.is_none() {
            errors.add("language", "field-choose");
        }
        let time_zone = zones::parse(&self.time_zone)
            .map_err(|e| errors.add("time_zone", e.message_key()))
            .ok();
        match (full_name, language, time_zone) {
            (Some(full_name), Some(language), Some(time_zone)) => Ok(ProfileChange {
                full_name,
                language,
                time_zone,
            }),
            _ => Err(errors),
        }
    }
}

async fn profile_page(
    state: &AppState,
    layout: PageContext,
    identity: Identity,
    session: &TypedSession,
    form: ProfileForm,
    errors: FieldErrors,
) -> Result<HttpResponse, PageError> {
    // Named now if the session is older than public ids, so it can be told
    // apart from the others (and kept by "sign out everywhere else").
    let current = session.ensure_public_id().map_err(PageError::internal)?;
    let now = state.clock.now();
    let login_id = identity.login.id.clone();
    let active = db::run(&state.pool, move |conn| {
        active_sessions_of(conn, &login_id, now).map_err(DbError::from)
    })
    .await?;
    let zone = identity.login.time_zone;
    let sessions = active
        .iter()
        .map(|s| SessionRow::of(s, Some(&current), &layout.tr, zone, layout.lang))
        .collect();
    let page = ProfilePage {
        username: identity.login.username,
        email: identity.login.email,
        zones: zones::groups(&form.time_zone, &layout.tr),
        form,
        errors,
        languages: Lang::ALL,
        sessions,
        memberships: identity.memberships,
        acting_as: identity.membership.map(|m| m.id),
        layout,
    };
    // A refused form is answered 200 with its errors, as every form here is.
    crate::web::render(&page)
}

pub async fn page(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let form = ProfileForm::of(&identity);
    profile_page(
        &state,
        layout,
        identity,
        &session,
        form,
        FieldErrors::default(),
    )
    .await
}

pub async fn save(
    PageOf(state, layout, SignedIn(identity)): PageOf<SignedIn>,
    session: TypedSession,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let change = match form.parse() {
        Ok(change) => change,
        Err(errors) => {
            return profile_page(&state, layout, identity, &session, form, errors).await;
        }
    };
    let now = state.clock.now();
    let login_id = identity.login.id.clone();
    let language = change.language;
    db::run(&state.pool, move |conn| {
        diesel::update(logins::table.filter(logins::id.eq(&login_id)))
            .set((
                logins::full_name.eq(change.full_name.as_str()),
                logins::language.eq(change.language.code()),
                logins::time_zone.eq(change.time_zone.name()),
                logins::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(DbError::from)
    })
    .await?;
    // The flash is read on the next page, in the language just chosen.
    FlashMessage::success("flash-profile-saved").send();
    let mut answer = see_other("/account");
    answer
        .add_cookie(&language_cookie(language, state.settings.uses_https()))
        .map_err(PageError::internal)?;
    Ok(answer)
}
