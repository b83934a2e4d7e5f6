//! The login's active sessions on the profile page, and "sign out everywhere
//! else".

use actix_web::{HttpResponse, web};
use actix_web_flash_messages::FlashMessage;

use crate::auth::identity::SignedIn;
use crate::auth::session::TypedSession;
use crate::auth::session_store::{ActiveSession, end_other_sessions_of};
use crate::db::{self, DbError};
use crate::i18n::{Lang, Translator, format_time};
use crate::state::AppState;
use crate::web::{PageError, see_other, succeeded};

/// One session as the profile shows it, in the reader's language and zone.
pub struct SessionRow {
    pub browser: String,
    pub address: String,
    pub signed_in_at: String,
    pub last_seen: String,
    pub current: bool,
}

impl SessionRow {
    pub fn of(
        session: &ActiveSession,
        current: Option<&str>,
        tr: &Translator,
        zone: chrono_tz::Tz,
        lang: Lang,
    ) -> Self {
        Self {
            browser: browser_label(session.user_agent.as_deref(), tr),
            address: session
                .client_address
                .clone()
                .unwrap_or_else(|| tr.t("profile-address-unknown")),
            signed_in_at: format_time(session.signed_in_at, zone, lang),
            last_seen: format_time(session.last_seen_at, zone, lang),
            current: current.is_some() && session.public_id.as_deref() == current,
        }
    }
}

/// "Firefox on Linux": the browser and the system a User-Agent names, from the
/// tokens browsers have sent for years. Good enough to recognise one's own
/// devices; nothing is decided on it.
pub fn browser_label(user_agent: Option<&str>, tr: &Translator) -> String {
    let (browser, system) = user_agent.map(browser_and_system).unwrap_or_default();
    match (browser, system) {
        (Some(browser), Some(system)) => tr.with(
            "profile-browser-on",
            &[("browser", browser), ("system", system)],
        ),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => tr.t("profile-browser-unknown"),
    }
}

fn browser_and_system(ua: &str) -> (Option<&'static str>, Option<&'static str>) {
    let has = |token: &str| ua.contains(token);
    // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser/") {
        Some("Samsung Internet")
    } else if has("Firefox/") || has("FxiOS/") {
        Some("Firefox")
    } else if has("Chromium/") {
        Some("Chromium")
    } else if has("Chrome/") || has("CriOS/") {
        Some("Chrome")
    } else if has("Safari/") {
        Some("Safari")
    } else if ua.starts_with("curl/") {
        Some("curl")
    } else {
        None
    };
    // Android also says Linux; iPhones and iPads also say "like Mac OS X".
    let system = if has("Windows") {
        Some("Windows")
    } else if has("Android") {
        Some("Android")
    } else if has("iPhone") || has("iPad") || has("iPod") {
        Some("iOS")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") {
        Some("Linux")
    } else {
        None
    };
    (browser, system)
}

/// Ends every session of the login but this one.
pub async fn end_others(
    state: web::Data<AppState>,
    SignedIn(identity): SignedIn,
    session: TypedSession,
) -> Result<HttpResponse, PageError> {
    let Some(mine) = session.public_id() else {
        // A session from before public ids: named now, and the person asked to
        // try again, rather than ending this one with the others.
        session.ensure_public_id().map_err(PageError::internal)?;
        FlashMessage::warning("flash-sessions-try-again").send();
        return Ok(see_other("/account#sessions"));
    };
    let login_id = identity.login.id.clone();
    let ended = db::run(&state.pool, move |conn| {
        end_other_sessions_of(conn, &login_id, &mine).map_err(DbError::from)
    })
    .await?;
    tracing::info!(ended, "other sessions of a login ended");
    Ok(succeeded("flash-other-sessions-ended", "/account#sessions"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(ua: &str) -> String {
        browser_label(Some(ua), &Lang::En.translator())
    }

    #[test]
    fn user_agents_are_named_by_browser_and_system() {
        assert_eq!(
            label("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            "Firefox on Linux"
        );
        assert_eq!(
            label(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
            ),
            "Edge on Windows"
        );
        assert_eq!(
            label(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
            ),
            "Safari on iOS"
        );
        assert_eq!(
            label(
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/130.0.0.0 Mobile Safari/537.36"
            ),
            "Chrome on Android"
        );
        assert_eq!(
            label(
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 \
                 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
            ),
            "Chrome on macOS"
        );
        assert_eq!(label("curl/8.5.0"), "curl");
        assert_eq!(label("something else"), "Unknown browser");
        assert_eq!(
            browser_label(None, &Lang::Fr.translator()),
            "Navigateur inconnu"
        );
        assert_eq!(
            browser_label(
                Some("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
                &Lang::Fr.translator()
            ),
            "Firefox sous Linux"
        );
    }
}
