//! What every page shares: the page context, errors, flash messages, security
//! headers, static files and the language switch.

mod admin_nav;
pub mod assets;
mod banners;
pub mod compression;
pub mod confirm;
pub mod csrf;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod input;
pub mod json_api;
pub mod language;
pub mod operator_api;
pub mod page_context;
pub mod page_of;
pub mod text;

pub use errors::PageError;
pub use forms::FieldErrors;
pub use page_context::{Area, PageContext};
pub use page_of::{CustomerPage, PageOf, PartnerPage};

use actix_web::HttpResponse;
use actix_web::http::header::{ContentType, LOCATION};

/// Renders an askama template into an HTML answer.
pub fn render<T: askama::Template>(template: &T) -> Result<HttpResponse, PageError> {
    let body = template
        .render()
        .map_err(|e| PageError::internal(anyhow::Error::new(e)))?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::html())
        .body(body))
}

/// Renders an askama template under another status than 200, e.g. a form shown
/// again with a 429; the page is kept as it is (`errors::OwnPage`).
pub fn render_with_status<T: askama::Template>(
    template: &T,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, PageError> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    response.extensions_mut().insert(errors::OwnPage);
    Ok(response)
}

/// A redirect after a POST (303, so the browser follows with a GET).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

/// The answer to a post that did what it asked: a success flash (its message
/// id) and a redirect to `location`.
pub fn succeeded(flash_key: &'static str, location: &str) -> HttpResponse {
    actix_web_flash_messages::FlashMessage::success(flash_key).send();
    see_other(location)
}

/// Only paths on this site may be redirect targets; anything else goes home.
pub fn local_path(candidate: &str) -> &str {
    let is_local = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(|c| c.is_control());
    if is_local { candidate } else { "/" }
}

/// Where a person goes once signed in: the page they asked for, or the home of
/// their only membership (chosen for them), or the picker.
pub fn after_sign_in(
    session: &crate::auth::session::TypedSession,
    memberships: &[crate::auth::identity::Membership],
    next: &str,
) -> Result<String, PageError> {
    let next = local_path(next);
    let next = (next.len() > 1).then_some(next);
    match memberships {
        [only] => {
            session
                .choose_membership(&only.id)
                .map_err(PageError::internal)?;
            Ok(next.unwrap_or(only.home()).to_owned())
        }
        _ => Ok(next.unwrap_or("/memberships").to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(local_path("/partner?page=2"), "/partner?page=2");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path("/a\r\nSet-Cookie: x"), "/");
    }
}
