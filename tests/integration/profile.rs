//! The profile page (issue 16): name, language and time zone; the login's active
//! sessions and "sign out everywhere else"; leaving a membership, with the
//! last-owner and last-administrator rules, the activity log and the email; the
//! password-changed email in the person's language.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{logins, memberships, sessions};
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::monitoring_helpers::page;

pub(crate) const FIREFOX_ON_LINUX: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
pub(crate) const CHROME_ON_WINDOWS: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/// A browser sending `user_agent`, signed in as `username`.
pub(crate) async fn browser_as(app: &TestApp, user_agent: &str, username: &str) -> reqwest::Client {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(user_agent)
        .build()
        .expect("HTTP client");
    let response = app
        .post_as(
            &browser,
            "/login",
            &[("username", username), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303, "{username} signs in");
    browser
}

/// Where a GET of `path` leads: 200, or the path a redirect names.
pub(crate) async fn lands_on(app: &TestApp, browser: &reqwest::Client, path: &str) -> String {
    let response = browser.get(app.url(path)).send().await.expect("GET");
    match response.status().as_u16() {
        200 => "200".to_owned(),
        _ => response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    }
}

fn login_row(app: &TestApp, username: &str) -> (String, String, String) {
    logins::table
        .filter(logins::username_key.eq(username))
        .select((logins::full_name, logins::language, logins::time_zone))
        .first(&mut app.conn())
        .expect("login")
}

pub(crate) fn set_language(app: &TestApp, username: &str, lang: Lang) {
    diesel::update(logins::table.filter(logins::username_key.eq(username)))
        .set(logins::language.eq(lang.code()))
        .execute(&mut app.conn())
        .expect("language");
}

pub(crate) fn membership_state(app: &TestApp, membership_id: &str) -> String {
    memberships::table
        .find(membership_id)
        .select(memberships::state)
        .first(&mut app.conn())
        .expect("membership")
}

pub(crate) async fn switch_to(app: &TestApp, browser: &reqwest::Client, membership_id: &str) {
    let switched = app
        .post_as(
            browser,
            "/memberships/switch",
            &[("membership_id", membership_id)],
        )
        .await;
    assert_eq!(switched.status(), 303, "switched to {membership_id}");
}

pub(crate) async fn leave(app: &TestApp, browser: &reqwest::Client, membership_id: &str) -> String {
    let response = app
        .post_as(
            browser,
            "/account/leave",
            &[("membership_id", membership_id)],
        )
        .await;
    match response.status().as_u16() {
        303 => response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        status => status.to_string(),
    }
}

#[tokio::test]
async fn the_profile_changes_name_language_and_time_zone() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&contoso, "sam@contoso.example", PartnerRole::SalesAgent);
    let browser = browser_as(&app, FIREFOX_ON_LINUX, "sam@contoso.example").await;

    let (status, home) = page(&browser, &app, "/partner").await;
    assert_eq!(status, 200);
    assert!(
        home.contains(
            r#"<a class="person" href="/account" id="profile-link" title="Person sam@contoso.example">Person sam@contoso.example</a>"#
        ),
        "the header links to the profile with the person's name: {home}"
    );
    let (status, before) = page(&browser, &app, "/account").await;
    assert_eq!(status, 200);
    assert!(before.contains("Your profile"));
    assert!(before.contains(r#"<option value="Europe/Paris" selected>Paris (France)</option>"#));
    assert!(before.contains(r#"<optgroup label="Americas">"#));
    assert!(before.contains(r#"href="/account/password""#));
    assert!(before.contains(r#"href="/account/security""#));

    let saved = app
        .post_as(
            &browser,
            "/account",
            &[
                ("full_name", "  Samira Haddad "),
                ("language", "fr"),
                ("time_zone", "America/Argentina/Buenos_Aires"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(
        login_row(&app, "sam@contoso.example"),
        (
            "Samira Haddad".to_owned(),
            "fr".to_owned(),
            "America/Argentina/Buenos_Aires".to_owned()
        )
    );
    let (_, after) = page(&browser, &app, "/account").await;
    assert!(after.contains("Votre profil"), "now in French: {after}");
    assert!(after.contains("Votre profil a été enregistré."));
    assert!(after.contains(r#"<optgroup label="Amériques">"#));
    assert!(after.contains(
        r#"<option value="America/Argentina/Buenos_Aires" selected>Buenos Aires (Argentine)</option>"#
    ));
    assert!(!after.contains(r#"<option value="Europe/Paris" selected>"#));
    assert!(after.contains(
        r#"id="profile-link" title="Samira Haddad" aria-current="page">Samira Haddad</a>"#
    ));
}

#[tokio::test]
async fn a_bad_time_zone_or_name_is_refused_next_to_the_field_with_the_values_kept() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for (username, lang, zone_error, name_error) in [
        (
            "en@contoso.example",
            Lang::En,
            "Choose a time zone from the list. A city alone such as “Paris” is not enough: \
             the name reads Region/City, for example Europe/Paris.",
            "This field is required.",
        ),
        (
            "fr@contoso.example",
            Lang::Fr,
            "Choisissez un fuseau horaire dans la liste. Une ville seule comme « Paris » ne \
             suffit pas : le nom s’écrit Région/Ville, par exemple Europe/Paris.",
            "Ce champ est obligatoire.",
        ),
    ] {
        app.active_member(&contoso, username, PartnerRole::SalesAgent);
        set_language(&app, username, lang);
        let browser = browser_as(&app, FIREFOX_ON_LINUX, username).await;
        let before = login_row(&app, username);

        let refused = app
            .post_as(
                &browser,
                "/account",
                &[
                    ("full_name", "Kept Name"),
                    ("language", lang.code()),
                    ("time_zone", "Mars/Olympus_Mons"),
                ],
            )
            .await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert!(
            body.contains(&format!(
                r#"<p class="field-error" id="time_zone-error">{zone_error}</p>"#
            )),
            "the zone is refused next to its field ({lang:?}): {body}"
        );
        assert!(body.contains(r#"value="Kept Name""#), "the name is kept");
        assert!(
            body.contains(r#"<option value="Mars/Olympus_Mons" selected>"#),
            "the refused zone is shown back"
        );
        assert!(!body.contains("full_name-error"));
        assert_eq!(login_row(&app, username), before, "nothing saved");

        let refused = app
            .post_as(
                &browser,
                "/account",
                &[
                    ("full_name", "   "),
                    ("language", lang.code()),
                    ("time_zone", "Asia/Tokyo"),
                ],
            )
            .await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert!(body.contains(&format!(
            r#"<p class="field-error" id="full_name-error">{name_error}</p>"#
        )));
        assert!(body.contains(r#"<option value="Asia/Tokyo" selected>Tokyo ("#));
        assert!(!body.contains("time_zone-error"));
        assert_eq!(login_row(&app, username), before, "nothing saved");
    }
}

#[tokio::test]
async fn the_sessions_list_shows_both_clients_and_signing_out_everywhere_else_ends_the_other_only()
{
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&contoso, "sam@contoso.example", PartnerRole::SalesAgent);
    app.active_member(&contoso, "kim@contoso.example", PartnerRole::SalesAgent);
    let firefox = browser_as(&app, FIREFOX_ON_LINUX, "sam@contoso.example").await;
    let chrome = browser_as(&app, CHROME_ON_WINDOWS, "sam@contoso.example").await;
    let colleague = browser_as(&app, CHROME_ON_WINDOWS, "kim@contoso.example").await;

    let (status, listed) = page(&firefox, &app, "/account").await;
    assert_eq!(status, 200);
    assert!(
        listed.contains("<strong>Firefox on Linux</strong>"),
        "{listed}"
    );
    assert!(listed.contains("<strong>Chrome on Windows</strong>"));
    assert_eq!(
        listed.matches(r#"<li class="session"#).count(),
        2,
        "not kim's"
    );
    assert_eq!(listed.matches("This session").count(), 1);
    assert!(
        listed.contains(
            r#"<strong>Firefox on Linux</strong> <span class="tag" id="current-session">This session</span>"#
        ),
        "the current session is Firefox's"
    );
    assert_eq!(
        listed
            .matches(r#"<dd class="session-address">127.0.0.1</dd>"#)
            .count(),
        2
    );
    // The Chrome browser sees the same two, itself marked.
    let (_, from_chrome) = page(&chrome, &app, "/account").await;
    assert!(
        from_chrome.contains(
            r#"<strong>Chrome on Windows</strong> <span class="tag" id="current-session">"#
        )
    );

    let ended = app
        .post_as(&firefox, "/account/sessions/end-others", &[])
        .await;
    assert_eq!(ended.status(), 303);
    let (_, after) = page(&firefox, &app, "/account").await;
    assert!(after.contains("You have been signed out everywhere else."));
    assert_eq!(
        lands_on(&app, &chrome, "/partner").await,
        "/login?next=%2Fpartner"
    );
    assert_eq!(lands_on(&app, &firefox, "/partner").await, "200");
    assert_eq!(
        lands_on(&app, &colleague, "/partner").await,
        "200",
        "kim's own"
    );
    assert!(!after.contains("Chrome on Windows"));
    assert!(after.contains("You are signed in nowhere else."));
    assert!(!after.contains(r#"id="end-other-sessions""#));
    let sam_sessions: i64 = sessions::table
        .inner_join(logins::table)
        .filter(logins::username_key.eq("sam@contoso.example"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(sam_sessions, 1);
}

#[tokio::test]
async fn the_password_changed_email_is_in_the_persons_language() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&contoso, "sam@contoso.example", PartnerRole::SalesAgent);
    set_language(&app, "sam@contoso.example", Lang::Fr);
    // The browser asks for English; the email follows the person's own choice.
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(
            [(
                reqwest::header::ACCEPT_LANGUAGE,
                reqwest::header::HeaderValue::from_static("en"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .expect("HTTP client");
    let signed_in = app
        .post_as(
            &browser,
            "/login",
            &[("username", "sam@contoso.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed_in.status(), 303);
    let new_password = "another long enough passphrase";
    let changed = app
        .post_as(
            &browser,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", new_password),
                ("password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    let emails = app.mail.wait_for_to("sam@contoso.example", 1).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(
        emails[0].subject,
        "Votre mot de passe Partnerdesk a été modifié"
    );
    assert!(
        emails[0]
            .text
            .starts_with("Bonjour Person sam@contoso.example,")
    );
}
