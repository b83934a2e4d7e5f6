//! The language switch in the header.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::i18n::{LANGUAGE_COOKIE, Lang};
use crate::startup::AppState;
use crate::web::{PageError, local_path};

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

pub async fn switch(
    state: web::Data<AppState>,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::from_code(&form.lang).ok_or(PageError::BadRequest)?;
    let cookie = Cookie::build(LANGUAGE_COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .secure(state.settings.uses_https())
        .same_site(SameSite::Lax)
        .max_age(Duration::days(365))
        .finish();
    let next = local_path(form.next.as_deref().unwrap_or("/"));
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, next))
        .cookie(cookie)
        .finish())
}
