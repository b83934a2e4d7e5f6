//! Passkeys through the real server, without a browser: a small software
//! authenticator (a P-256 key, "none" attestation) answers the JSON ceremonies
//! as `static/passkeys.js` would. The ceremonies refuse a missing or foreign
//! state, another login's credential and a wrong CSRF token; wrong assertions
//! are throttled like codes. The browser journey is in `browser.rs`.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::second_factors;
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app_with_passkeys};
use crate::passkey_authenticator::{SoftPasskey, b64, unb64};

/// POSTs JSON as the script does, with the session's CSRF token in the header.
async fn post_json(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let token = app.csrf_token_of(browser).await;
    let response = browser
        .post(app.url(path))
        .header("X-CSRF-Token", token)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Starts the ceremony at `path`: the options the authenticator answers.
async fn start(app: &TestApp, browser: &reqwest::Client, path: &str) -> Value {
    post_json(app, browser, path, &json!({})).await.1
}

/// Starts the ceremony at `{base}/start` and finishes it at `{base}/finish` with
/// the passkey's answer; the status of the finish.
async fn present(
    app: &TestApp,
    browser: &reqwest::Client,
    base: &str,
    passkey: &mut SoftPasskey,
) -> u16 {
    let options = start(app, browser, &format!("{base}/start")).await;
    let finish = format!("{base}/finish");
    post_json(app, browser, &finish, &passkey.assert(&options))
        .await
        .0
}

/// Signs in with the password and adds a passkey; returns the browser and the
/// passkey.
async fn with_passkey(app: &TestApp, username: &str) -> (reqwest::Client, SoftPasskey) {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let (status, options) = post_json(
        app,
        &browser,
        "/account/security/passkeys/start",
        &json!({}),
    )
    .await;
    assert_eq!(status, 200, "{options}");
    assert_eq!(
        options["publicKey"]["authenticatorSelection"]["residentKey"], "required",
        "a discoverable credential, to sign in without a username"
    );
    let (passkey, credential) = SoftPasskey::create(app, &options);
    let (status, done) = post_json(
        app,
        &browser,
        "/account/security/passkeys/finish",
        &json!({"label": "Laptop", "credential": credential}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/account/security");
    assert_eq!(done["recovery_codes"], true, "the first factor");
    (browser, passkey)
}

/// A new browser whose password was right; the second step awaits.
async fn awaiting_second_step(app: &TestApp, username: &str) -> reqwest::Client {
    let browser = client();
    let response = app
        .post_as(
            &browser,
            "/login",
            &[("username", username), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        response.headers().get("location").map(|l| l.as_bytes()),
        Some(&b"/login/second-factor"[..])
    );
    browser
}

async fn setup() -> TestApp {
    let app = spawn_app_with_passkeys().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sam@contoso.example", PartnerRole::SalesAgent);
    app.active_member(&partner, "kim@contoso.example", PartnerRole::SalesAgent);
    app
}

#[tokio::test]
async fn a_passkey_is_stored_listed_mailed_and_removable() {
    let app = setup().await;
    let (browser, passkey) = with_passkey(&app, "sam@contoso.example").await;
    let (credential_id, kind): (Option<String>, String) = second_factors::table
        .select((second_factors::credential_id, second_factors::kind))
        .first(&mut app.conn())
        .expect("the passkey's row");
    assert_eq!(credential_id, Some(b64(&passkey.id)));
    assert_eq!(kind, "passkey");
    let security = browser
        .get(app.url("/account/security"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(security.contains("Laptop") && security.contains("Passkey"));
    let mail = app.emails_to("sam@contoso.example").await;
    assert!(
        mail.iter().any(|m| m
            .text
            .contains("A passkey was added to your Partnerdesk login")),
        "the person is told"
    );
    // The same credential cannot be registered twice, to anyone.
    let options = start(&app, &browser, "/account/security/passkeys/start").await;
    let excluded = options["publicKey"]["excludeCredentials"][0]["id"]
        .as_str()
        .map(unb64);
    assert_eq!(
        excluded,
        Some(passkey.id.clone()),
        "the authenticator is told"
    );
}

#[tokio::test]
async fn the_ceremonies_refuse_a_wrong_csrf_token_and_a_missing_or_foreign_state() {
    let app = setup().await;
    let (sam_browser, mut sam) = with_passkey(&app, "sam@contoso.example").await;

    nothing_starts_without_the_sessions_csrf_token(&app, &sam_browser, &mut sam).await;

    // No ceremony started in this session: refused, even with a right answer
    // to a challenge given to another session.
    let fresh = awaiting_second_step(&app, "sam@contoso.example").await;
    each_challenge_is_answered_once_in_its_own_session(&app, &fresh, &mut sam).await;
    // A registration's state is no sign-in's.
    let registration = start(&app, &sam_browser, "/account/security/passkeys/start").await;
    let (status, _) = post_json(
        &app,
        &sam_browser,
        "/account/step-up/passkey/finish",
        &sam.assert(&registration),
    )
    .await;
    assert_eq!(status, 400, "a step-up needs its own start");

    let ours = start(&app, &fresh, "/login/second-factor/passkey/start").await;
    let (status, done) = post_json(
        &app,
        &fresh,
        "/login/second-factor/passkey/finish",
        &sam.assert(&ours),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/partner");
    let home = fresh.get(app.url("/partner")).send().await.expect("GET");
    assert_eq!(home.status(), 200, "signed in");
}

/// Without the session's CSRF token, or with another, nothing starts; another
/// session's token finishes nothing.
async fn nothing_starts_without_the_sessions_csrf_token(
    app: &TestApp,
    sam_browser: &reqwest::Client,
    sam: &mut SoftPasskey,
) {
    for header in [None, Some("0".repeat(64))] {
        let mut request = sam_browser
            .post(app.url("/account/security/passkeys/start"))
            .json(&json!({}));
        if let Some(token) = header {
            request = request.header("X-CSRF-Token", token);
        }
        let response = request.send().await.expect("POST");
        assert_eq!(response.status(), 403);
    }
    let stranger = client();
    let options = start(app, &stranger, "/login/passkey/start").await;
    let forged = stranger
        .post(app.url("/login/passkey/finish"))
        .header("X-CSRF-Token", app.csrf_token_of(sam_browser).await)
        .json(&sam.assert(&options))
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), 403, "another session's token");
}

/// A challenge is answered only in the session that started it, and once.
async fn each_challenge_is_answered_once_in_its_own_session(
    app: &TestApp,
    fresh: &reqwest::Client,
    sam: &mut SoftPasskey,
) {
    let elsewhere = awaiting_second_step(app, "sam@contoso.example").await;
    let theirs = start(app, &elsewhere, "/login/second-factor/passkey/start").await;
    let finish = "/login/second-factor/passkey/finish";
    let (status, _) = post_json(app, fresh, finish, &sam.assert(&theirs)).await;
    assert_eq!(status, 400, "no state in this session");
    // A state of its own, answered with the other session's challenge.
    let ours = start(app, fresh, "/login/second-factor/passkey/start").await;
    assert_ne!(
        ours["publicKey"]["challenge"],
        theirs["publicKey"]["challenge"]
    );
    let (status, _) = post_json(app, fresh, finish, &sam.assert(&theirs)).await;
    assert_eq!(status, 400, "another session's challenge");
    // The state is used up by the wrong answer: the right one needs a new start.
    let (status, _) = post_json(app, fresh, finish, &sam.assert(&ours)).await;
    assert_eq!(status, 400, "each challenge is answered once");
}

#[tokio::test]
async fn another_logins_passkey_is_refused_and_its_own_signs_in_alone() {
    let app = setup().await;
    let (_, sam) = with_passkey(&app, "sam@contoso.example").await;
    let (_, mut kim) = with_passkey(&app, "kim@contoso.example").await;

    sams_second_step_refuses_kims_passkey(&app, &mut kim).await;

    // Without a username: Kim's passkey claiming to be Sam's user.
    let anyone = client();
    let options = start(&app, &anyone, "/login/passkey/start").await;
    assert!(
        options["publicKey"]["allowCredentials"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "any discoverable passkey"
    );
    let sams_user = sam.user.clone();
    let (status, _) = post_json(
        &app,
        &anyone,
        "/login/passkey/finish",
        &kim.assert_as(&options, Some(&sams_user)),
    )
    .await;
    assert_eq!(status, 400);

    // Kim's own passkey alone signs Kim in, second factor presented.
    let options = start(&app, &anyone, "/login/passkey/start").await;
    let (status, done) = post_json(
        &app,
        &anyone,
        "/login/passkey/finish?next=%2Faccount%2Fsecurity",
        &kim.assert(&options),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/account/security");
    let security = anyone
        .get(app.url("/account/security"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(security.contains("Laptop"), "Kim's own page");
    // Step-up is fresh: making recovery codes is not sent to confirm first.
    let codes = app
        .post_as(&anyone, "/account/security/recovery-codes", &[])
        .await;
    assert_eq!(codes.status(), 200);

    // Step-up with a passkey, once the last factor is old.
    app.clock.advance(chrono::Duration::minutes(20));
    let stale = app
        .post_as(&anyone, "/account/security/recovery-codes", &[])
        .await;
    assert_eq!(stale.status(), 303, "asked to confirm again");
    let options = start(&app, &anyone, "/account/step-up/passkey/start").await;
    let (status, done) = post_json(
        &app,
        &anyone,
        "/account/step-up/passkey/finish?next=%2Faccount%2Fsecurity",
        &kim.assert(&options),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect"], "/account/security");
    let codes = app
        .post_as(&anyone, "/account/security/recovery-codes", &[])
        .await;
    assert_eq!(codes.status(), 200, "confirmed with the passkey");
}

/// Sam's second step asks for Sam's passkey only, and refuses Kim's.
async fn sams_second_step_refuses_kims_passkey(app: &TestApp, kim: &mut SoftPasskey) {
    let browser = awaiting_second_step(app, "sam@contoso.example").await;
    let options = start(app, &browser, "/login/second-factor/passkey/start").await;
    let allowed: Vec<Value> = options["publicKey"]["allowCredentials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(allowed.len(), 1, "only Sam's passkey is asked for");
    let (status, _) = post_json(
        app,
        &browser,
        "/login/second-factor/passkey/finish",
        &kim.assert(&options),
    )
    .await;
    assert_eq!(status, 400);
    let page = browser.get(app.url("/partner")).send().await.expect("GET");
    assert_ne!(page.status(), 200, "nobody signed in");
}

#[tokio::test]
async fn wrong_assertions_are_throttled_like_codes() {
    let app = setup().await;
    let (_, mut sam) = with_passkey(&app, "sam@contoso.example").await;
    let (_, mut kim) = with_passkey(&app, "kim@contoso.example").await;
    let browser = awaiting_second_step(&app, "sam@contoso.example").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let status = present(&app, &browser, "/login/second-factor/passkey", &mut kim).await;
        statuses.push(status);
    }
    assert_eq!(statuses, [400, 400, 400, 400, 400, 429]);
    // Even the right passkey waits now.
    let status = present(&app, &browser, "/login/second-factor/passkey", &mut sam).await;
    assert_eq!(status, 429);
}
