//! Activation, sign-in, the membership picker, sessions and CSRF, through the
//! real server and the real SMTP receiver. Throttling has its own module.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{logins, sessions};
use partnerdesk::i18n::Lang;

use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app};

async fn activation_link(app: &TestApp, address: &str, nth: usize) -> String {
    let emails = app.mail.wait_for_to(address, nth).await;
    assert!(
        emails.len() >= nth,
        "expected {nth} emails to {address}, got {}",
        emails.len()
    );
    emails[nth - 1]
        .links()
        .into_iter()
        .next()
        .expect("a link in the email")
}

fn path_of(link: &str) -> String {
    url::Url::parse(link).expect("link").path().to_owned()
}

fn session_cookie(app: &TestApp, client_response: &reqwest::Response) -> Option<String> {
    let _ = app;
    client_response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-partnerdesk="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// Bad input on the activation page at `path`: the message sits next to the
/// field, and nothing is used up.
async fn bad_passwords_are_refused_next_to_their_field(app: &TestApp, path: &str) {
    let short = app
        .post_form(
            path,
            &[("password", "short"), ("password_confirmation", "short")],
        )
        .await;
    assert_eq!(short.status(), 200);
    let body = short.text().await.expect("body");
    assert!(body.contains(r#"id="password-error""#), "{body}");
    assert!(body.contains("at least 8 characters"));
    let mismatch = app
        .post_form(
            path,
            &[
                ("password", PASSWORD),
                ("password_confirmation", "something else entirely"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(mismatch.contains(r#"id="password_confirmation-error""#));
}

#[tokio::test]
async fn an_invited_owner_activates_signs_in_and_lands_on_the_partner_home() {
    let app = spawn_app().await;
    app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let link = activation_link(&app, "olga@contoso.example", 1).await;
    assert!(
        link.starts_with(&app.address),
        "built from the configured base URL"
    );
    let path = path_of(&link);

    // Opening the link twice burns nothing: only the POST uses the token.
    for _ in 0..2 {
        let page = app.get_text(&path).await;
        assert!(page.contains("olga@contoso.example"), "{page}");
        assert!(page.contains("Choose your password"));
    }
    // A pending login has no power: it cannot sign in.
    let refused = app.sign_in("olga@contoso.example", PASSWORD).await;
    assert_eq!(refused.status(), 200);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("Incorrect username or password")
    );

    bad_passwords_are_refused_next_to_their_field(&app, &path).await;
    let done = app
        .post_form(
            &path,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/login");
    assert!(
        app.get_text("/login")
            .await
            .contains("Your password is set")
    );

    // Fixture logins carry a hash at argon2's lowest cost; the one the
    // application made here has the real cost, and signing in verifies it.
    let stored = app.stored_password_hash("olga@contoso.example");
    assert!(
        stored.starts_with("$argon2id$v=19$m=47104,t=1,p=1$"),
        "{stored}"
    );
    let signed_in = app.sign_in("Olga@Contoso.example", PASSWORD).await;
    assert_eq!(signed_in.status(), 303, "usernames are case-insensitive");
    assert_eq!(location(&signed_in), "/partner");
    let home = app.get_text("/partner").await;
    assert!(home.contains("<h1>Contoso</h1>"), "{home}");
    assert!(home.contains("Owner"));

    // The used link is dead.
    let again = app.get_text(&path).await;
    assert!(again.contains("can no longer be used"));
}

#[tokio::test]
async fn activation_errors_are_shown_in_french_too() {
    let app = spawn_app().await;
    app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::Fr);
    let path = path_of(&activation_link(&app, "olga@contoso.example", 1).await);
    app.post_form("/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let body = app
        .post_form(
            &path,
            &[
                ("password", "password123"),
                ("password_confirmation", "password123"),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(body.contains("fait partie des plus courants"), "{body}");
    assert!(body.contains(r#"<html lang="fr">"#));
}

#[tokio::test]
async fn an_expired_link_offers_a_new_one_and_the_old_one_dies() {
    let app = spawn_app().await;
    app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let first = path_of(&activation_link(&app, "olga@contoso.example", 1).await);
    app.clock.advance(chrono::Duration::hours(73));
    let expired = app.get_text(&first).await;
    assert!(expired.contains("can no longer be used"), "{expired}");
    let posted = app
        .post_form(
            &first,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await
        .text()
        .await
        .expect("body");
    assert!(posted.contains("can no longer be used"));

    let renew = app
        .post_form("/activate/renew", &[("identifier", "olga@contoso.example")])
        .await;
    assert!(
        renew
            .text()
            .await
            .expect("body")
            .contains("we have asked for a new link")
    );
    // The same answer for a name nobody has.
    let unknown = app
        .post_form(
            "/activate/renew",
            &[("identifier", "nobody@nowhere.example")],
        )
        .await;
    assert!(
        unknown
            .text()
            .await
            .expect("body")
            .contains("we have asked for a new link")
    );

    let second = path_of(&activation_link(&app, "olga@contoso.example", 2).await);
    assert_ne!(first, second);
    let done = app
        .post_form(
            &second,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        app.mail.received().len(),
        2,
        "no email for the unknown name"
    );
}

#[tokio::test]
async fn two_concurrent_redeemers_of_one_link_exactly_one_wins() {
    let app = spawn_app().await;
    app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let path = path_of(&activation_link(&app, "olga@contoso.example", 1).await);
    let app = &app;
    let path = &path;
    let mut attempts = Vec::new();
    for n in 0..2 {
        let browser = client();
        let token = app.csrf_token_of(&browser).await;
        let password = format!("{PASSWORD} number {n}");
        attempts.push(async move {
            browser
                .post(app.url(path))
                .form(&[
                    ("password", password.as_str()),
                    ("password_confirmation", password.as_str()),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .expect("POST")
                .status()
        });
    }
    let mut attempts = attempts.into_iter();
    let (first, second) = tokio::join!(
        attempts.next().expect("first"),
        attempts.next().expect("second")
    );
    let winners = [first, second].iter().filter(|s| s.as_u16() == 303).count();
    assert_eq!(winners, 1, "{first} {second}");
    let state: String = logins::table
        .select(logins::state)
        .first(&mut app.conn())
        .expect("login");
    assert_eq!(state, "active");
}

#[tokio::test]
async fn unknown_and_known_usernames_get_the_same_answer() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let known = app
        .sign_in("sam@contoso.example", "wrong password here")
        .await;
    let unknown = app
        .sign_in("nobody@contoso.example", "wrong password here")
        .await;
    let pending = app
        .sign_in("olga@contoso.example", "wrong password here")
        .await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(known.status(), pending.status());
    let strip = |body: String, name: &str| body.replace(name, "NAME");
    let known_body = strip(known.text().await.expect("body"), "sam@contoso.example");
    let unknown_body = strip(
        unknown.text().await.expect("body"),
        "nobody@contoso.example",
    );
    let strip_token = |body: &str| {
        regex::Regex::new(r#"value="[0-9a-f]{64}""#)
            .expect("regex")
            .replace_all(body, "")
            .into_owned()
    };
    assert_eq!(strip_token(&known_body), strip_token(&unknown_body));
}

#[tokio::test]
async fn a_person_with_two_memberships_picks_one_and_switches() {
    let app = spawn_app().await;
    let contoso = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&contoso, "multi@example.com", PartnerRole::HelpdeskAgent);
    app.active_member(&fabrikam, "multi@example.com", PartnerRole::Owner);

    let signed_in = app.sign_in("multi@example.com", PASSWORD).await;
    assert_eq!(location(&signed_in), "/memberships");
    let cookie_at_sign_in = session_cookie(&app, &signed_in).expect("a new session at sign-in");
    // Before choosing, partner pages send the person to the picker.
    assert_eq!(location(&app.get("/partner").await), "/memberships");
    let picker = app.get_text("/memberships").await;
    assert!(
        picker.contains("Contoso · Helpdesk agent") && picker.contains("Fabrikam · Owner"),
        "{picker}"
    );

    let membership_of = |name: &str| -> String {
        let pattern = regex::Regex::new(&format!(
            r#"name="membership_id" value="([0-9a-f-]+)">\s*<button type="submit" class="membership-choice">{name}"#
        ))
        .expect("regex");
        pattern
            .captures(&picker)
            .map(|c| c[1].to_owned())
            .expect("membership in picker")
    };
    let switched = app
        .post_form(
            "/memberships/switch",
            &[("membership_id", &membership_of("Fabrikam"))],
        )
        .await;
    assert_eq!(location(&switched), "/partner");
    let cookie_after_switch = session_cookie(&app, &switched).expect("a new session at the switch");
    assert_ne!(cookie_at_sign_in, cookie_after_switch);
    let home = app.get_text("/partner").await;
    assert!(home.contains("<h1>Fabrikam</h1>"));
    assert!(
        home.contains(r#"id="switch-membership""#),
        "the switcher is in the header"
    );

    app.post_form(
        "/memberships/switch",
        &[("membership_id", &membership_of("Contoso"))],
    )
    .await;
    assert!(app.get_text("/partner").await.contains("<h1>Contoso</h1>"));

    // Somebody else's membership cannot be chosen.
    let foreign = app.active_member(&contoso, "other@contoso.example", PartnerRole::Owner);
    assert_eq!(
        app.post_form("/memberships/switch", &[("membership_id", &foreign)])
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn logging_out_ends_the_session_and_the_old_cookie_is_refused() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    let signed_in = app.sign_in("sam@contoso.example", PASSWORD).await;
    let cookie = session_cookie(&app, &signed_in).expect("session cookie");
    assert_eq!(app.get("/partner").await.status(), 200);
    let out = app.post_form("/logout", &[]).await;
    assert_eq!(out.status(), 303);

    // The old cookie, replayed by another client, no longer opens anything.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let response = replay
        .get(app.url("/partner"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/login"));
    let signed_in_sessions: i64 = sessions::table
        .filter(sessions::login_id.is_not_null())
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(signed_in_sessions, 0);
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_and_12_hours_in_all() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.sign_in("sam@contoso.example", PASSWORD).await;
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(
        app.get("/partner").await.status(),
        200,
        "activity keeps the session"
    );
    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(
        app.get("/partner").await.status(),
        303,
        "idle for 31 minutes"
    );

    app.sign_in("sam@contoso.example", PASSWORD).await;
    let mut elapsed = chrono::Duration::zero();
    while elapsed < chrono::Duration::hours(11) + chrono::Duration::minutes(40) {
        app.clock.advance(chrono::Duration::minutes(20));
        elapsed += chrono::Duration::minutes(20);
        assert_eq!(
            app.get("/partner").await.status(),
            200,
            "still within 12 h ({elapsed})"
        );
    }
    app.clock.advance(chrono::Duration::minutes(25));
    assert_eq!(
        app.get("/partner").await.status(),
        303,
        "12 hours after sign-in"
    );
}

/// The idle expiry a signed-in session has in the table.
fn stored_idle_expiry(app: &TestApp) -> chrono::NaiveDateTime {
    sessions::table
        .filter(sessions::login_id.is_not_null())
        .select(sessions::idle_expires_at)
        .first(&mut app.conn())
        .expect("a signed-in session")
}

#[tokio::test]
async fn the_idle_expiry_is_written_once_a_minute_at_most() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.sign_in("sam@contoso.example", PASSWORD).await;
    let first = stored_idle_expiry(&app);
    app.clock.advance(chrono::Duration::seconds(50));
    assert_eq!(app.get("/partner").await.status(), 200);
    assert_eq!(
        stored_idle_expiry(&app),
        first,
        "less than a minute later, nothing is written"
    );
    app.clock.advance(chrono::Duration::seconds(20));
    assert_eq!(app.get("/partner").await.status(), 200);
    let moved = stored_idle_expiry(&app);
    let expected = app.clock_now() + chrono::Duration::minutes(30);
    assert!(
        moved > first + chrono::Duration::seconds(60)
            && (expected - moved).abs() < chrono::Duration::seconds(5),
        "a minute and more later, the expiry moves: {first} {moved}"
    );
    // Idle for 29 minutes after a request that wrote nothing: still signed in.
    app.clock.advance(chrono::Duration::seconds(30));
    assert_eq!(app.get("/partner").await.status(), 200);
    assert_eq!(stored_idle_expiry(&app), moved);
    app.clock.advance(chrono::Duration::minutes(29));
    assert_eq!(app.get("/partner").await.status(), 200);
}

#[tokio::test]
async fn a_post_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.sign_in("sam@contoso.example", PASSWORD).await;
    let refused = app.post_form_without_csrf("/logout", &[]).await;
    assert_eq!(refused.status(), 403);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("This form has expired")
    );
    let wrong = app
        .post_form_without_csrf("/logout", &[("csrf_token", &"0".repeat(64))])
        .await;
    assert_eq!(wrong.status(), 403);
    assert_eq!(app.get("/partner").await.status(), 200, "still signed in");
    let signin = app
        .post_form_without_csrf(
            "/login",
            &[("username", "sam@contoso.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signin.status(), 403);
}
