//! The public pages an emailed link opens (activation, password reset, an
//! offer of a membership) speak the language of the person the link was sent
//! to, unless this browser chose a language already: whoever invited someone
//! in French should not see them land on an English page because the browser
//! says English. The language is then remembered for the browser, so the
//! form's answers follow it.

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use diesel::prelude::*;

use crate::auth::tokens::digest;
use crate::db::schema::{login_tokens, logins, memberships};
use crate::db::{self, DbConnection, DbError};
use crate::i18n::{LANGUAGE_COOKIE, Lang};
use crate::state::AppState;
use crate::web::language::language_cookie;

/// The paths whose last part is a link's token.
const LINK_PATHS: [&str; 3] = ["/activate/", "/reset-password/", "/invitations/"];

/// The token in a link page's path, if the path is one.
fn token_in(path: &str) -> Option<&str> {
    LINK_PATHS.iter().find_map(|prefix| {
        path.strip_prefix(prefix)
            .filter(|token| !token.is_empty() && !token.contains('/') && *token != "renew")
    })
}

/// The language of the login a link (used, expired or not) was sent to.
fn language_of_link(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Lang>> {
    let hash = digest(token);
    let by_token: Option<String> = login_tokens::table
        .inner_join(logins::table)
        .filter(login_tokens::token_hash.eq(&hash))
        .select(logins::language)
        .first(conn)
        .optional()?;
    let language = match by_token {
        Some(language) => Some(language),
        None => memberships::table
            .inner_join(logins::table)
            .filter(memberships::invitation_token_hash.eq(&hash))
            .select(logins::language)
            .first(conn)
            .optional()?,
    };
    Ok(language.as_deref().and_then(Lang::from_code))
}

/// The middleware.
pub async fn speak_the_recipients_language(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let chosen = req.cookie(LANGUAGE_COOKIE).is_some();
    let token = (req.method() == Method::GET && !chosen)
        .then(|| token_in(req.path()).map(str::to_owned))
        .flatten();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(token), Some(state)) = (token, state) else {
        return next.call(req).await;
    };
    let found = db::run(&state.pool, move |conn| {
        language_of_link(conn, &token).map_err(DbError::from)
    })
    .await;
    let Ok(Some(lang)) = found else {
        return next.call(req).await;
    };
    req.extensions_mut().insert(lang);
    let mut response = next.call(req).await?;
    if let Err(error) = response
        .response_mut()
        .add_cookie(&language_cookie(lang, state.settings.uses_https()))
    {
        tracing::warn!(%error, "cannot remember the link's language");
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::token_in;

    #[test]
    fn only_link_pages_carry_a_token() {
        assert_eq!(token_in("/activate/abc"), Some("abc"));
        assert_eq!(token_in("/reset-password/abc"), Some("abc"));
        assert_eq!(token_in("/invitations/abc"), Some("abc"));
        assert_eq!(token_in("/activate/renew"), None);
        assert_eq!(token_in("/invitations/abc/accept"), None);
        assert_eq!(token_in("/partner/customers"), None);
    }
}
