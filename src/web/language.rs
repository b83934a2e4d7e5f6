//! The language switch in the header: remembered in a cookie for visitors, and as
//! the person's own language once signed in (emails follow it too).

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::auth::identity::Identity;
use crate::db::schema::logins;
use crate::db::{self, DbError};
use crate::i18n::{LANGUAGE_COOKIE, Lang};
use crate::state::AppState;
use crate::web::{PageError, local_path};

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

pub async fn switch(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::from_code(&form.lang).ok_or(PageError::BadRequest)?;
    if let Some(identity) = Identity::of_request(&req) {
        let now = state.clock.now();
        db::run(&state.pool, move |conn| {
            diesel::update(logins::table.filter(logins::id.eq(&identity.login.id)))
                .set((logins::language.eq(lang.code()), logins::updated_at.eq(now)))
                .execute(conn)
                .map_err(DbError::from)
        })
        .await?;
    }
    let next = local_path(form.next.as_deref().unwrap_or("/"));
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, next))
        .cookie(language_cookie(lang, state.settings.uses_https()))
        .finish())
}

/// The cookie that remembers the language for this browser, signed in or not.
pub fn language_cookie(lang: Lang, secure: bool) -> Cookie<'static> {
    Cookie::build(LANGUAGE_COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(Duration::days(365))
        .finish()
}
