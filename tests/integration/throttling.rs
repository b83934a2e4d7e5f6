//! Throttling of password checks by username and client address, through the
//! real server. Clients bound to other loopback addresses (127.0.0.x) stand for
//! other places on the internet; the server sees their socket addresses.

use chrono::Duration;
use partnerdesk::access::PartnerRole;
use partnerdesk::config::TrustedProxies;
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const WRONG: &str = "not the password at all";
const SAM: &str = "sam@contoso.example";
const THROTTLED: &str = "Too many attempts";

/// A browser connecting from `address` (a loopback address other than the
/// server's own 127.0.0.1).
fn browser_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(Some(address.parse().expect("an IP address")))
        .build()
        .expect("HTTP client")
}

/// An app with Sam, an active sales agent whose password is `PASSWORD`.
async fn app_with_sam(app: TestApp) -> TestApp {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, SAM, PartnerRole::SalesAgent);
    app
}

async fn sign_in_from(
    app: &TestApp,
    browser: &reqwest::Client,
    username: &str,
    password: &str,
) -> reqwest::Response {
    app.post_as(
        browser,
        "/login",
        &[("username", username), ("password", password)],
    )
    .await
}

/// Signs in from the default client with an `X-Forwarded-For` header.
async fn sign_in_forwarded_for(
    app: &TestApp,
    forwarded_for: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let token = app.csrf_token_of(&app.client).await;
    app.client
        .post(app.url("/login"))
        .header("X-Forwarded-For", forwarded_for)
        .form(&[
            ("username", username),
            ("password", password),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("POST")
}

async fn fail_times(app: &TestApp, browser: &reqwest::Client, username: &str, times: usize) {
    for n in 0..times {
        let status = sign_in_from(app, browser, username, WRONG).await.status();
        assert_eq!(status, 200, "failure {n} of {username} is checked");
    }
}

/// Sam signs in from an address that has not failed: the throttle is the
/// failing address's, not the account's.
async fn sam_signs_in_from_a_fresh_address(app: &TestApp, what: &str) {
    let response = sign_in_from(app, &browser_from("127.0.0.3"), SAM, PASSWORD).await;
    assert_eq!(response.status(), 303, "{what}");
}

async fn assert_throttled(response: reqwest::Response, what: &str) -> String {
    assert_eq!(response.status(), 429, "{what}");
    let body = response.text().await.expect("body");
    assert!(body.contains(THROTTLED), "{what}: {body}");
    body
}

#[tokio::test]
async fn the_right_password_from_another_address_works_after_five_failures_from_one() {
    let app = app_with_sam(spawn_app().await).await;
    let attacker = browser_from("127.0.0.2");
    fail_times(&app, &attacker, SAM, 5).await;
    assert_throttled(
        sign_in_from(&app, &attacker, SAM, PASSWORD).await,
        "the failing address waits, even with the right password",
    )
    .await;

    let sam = browser_from("127.0.0.3");
    assert_eq!(
        sign_in_from(&app, &sam, SAM, PASSWORD).await.status(),
        303,
        "Sam signs in from elsewhere"
    );
    // Sam's success elsewhere does not lift the failing address's back-off.
    assert_throttled(
        sign_in_from(&app, &attacker, SAM, PASSWORD).await,
        "the failing address still waits",
    )
    .await;
}

#[tokio::test]
async fn spraying_one_password_over_twenty_usernames_from_one_address_is_slowed() {
    let app = app_with_sam(spawn_app().await).await;
    let sprayer = browser_from("127.0.0.2");
    let mut statuses = Vec::new();
    for n in 0..20 {
        let username = if n == 12 {
            SAM.to_owned()
        } else {
            format!("person{n}@contoso.example")
        };
        let response = sign_in_from(&app, &sprayer, &username, WRONG).await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert_throttled(response, &username).await;
        }
    }
    assert_eq!(statuses[..10], [200; 10], "ten free failures: {statuses:?}");
    assert_eq!(
        statuses[10..],
        [429; 10],
        "slowed from the eleventh: {statuses:?}"
    );
    assert_throttled(
        sign_in_from(&app, &sprayer, SAM, PASSWORD).await,
        "the spraying address waits for a known name too",
    )
    .await;
    sam_signs_in_from_a_fresh_address(&app, "other addresses are not slowed").await;
}

#[tokio::test]
async fn the_back_off_lets_an_attempt_through_after_a_wait_that_doubles() {
    let app = app_with_sam(spawn_app().await).await;
    let browser = browser_from("127.0.0.2");
    fail_times(&app, &browser, SAM, 5).await;
    assert_throttled(
        sign_in_from(&app, &browser, SAM, WRONG).await,
        "throttled after five failures",
    )
    .await;

    // The first wait is 15 seconds; the attempt after it is checked.
    app.clock.advance(Duration::seconds(16));
    assert_eq!(
        sign_in_from(&app, &browser, SAM, WRONG).await.status(),
        200,
        "checked after the wait"
    );
    // That sixth failure doubles the wait to 30 seconds.
    app.clock.advance(Duration::seconds(16));
    assert_throttled(
        sign_in_from(&app, &browser, SAM, PASSWORD).await,
        "16 seconds are not enough after the sixth failure",
    )
    .await;
    app.clock.advance(Duration::seconds(16));
    assert_eq!(
        sign_in_from(&app, &browser, SAM, PASSWORD).await.status(),
        303,
        "the right password works once the wait is over"
    );
}

#[tokio::test]
async fn unknown_and_known_usernames_get_the_same_answer_while_throttled() {
    let app = app_with_sam(spawn_app().await).await;
    let mut bodies = Vec::new();
    for (name, address) in [(SAM, "127.0.0.2"), ("ghost@contoso.example", "127.0.0.3")] {
        let browser = browser_from(address);
        fail_times(&app, &browser, name, 5).await;
        let body = assert_throttled(sign_in_from(&app, &browser, name, PASSWORD).await, name).await;
        let body = body.replace(name, "NAME");
        assert!(
            body.contains(r#"value="NAME""#),
            "the form keeps the username"
        );
        bodies.push(body);
    }
    let without_tokens = |body: &str| {
        regex::Regex::new(r#"value="[0-9a-f]{64}""#)
            .expect("regex")
            .replace_all(body, "")
            .into_owned()
    };
    assert_eq!(without_tokens(&bodies[0]), without_tokens(&bodies[1]));
}

#[tokio::test]
async fn the_current_password_check_is_throttled_with_sign_in() {
    let app = app_with_sam(spawn_app().await).await;
    let browser = browser_from("127.0.0.2");
    assert_eq!(
        sign_in_from(&app, &browser, SAM, PASSWORD).await.status(),
        303
    );
    let new_password = "another long passphrase";
    let change = |current: &'static str| {
        let (app, browser) = (&app, &browser);
        async move {
            app.post_as(
                browser,
                "/account/password",
                &[
                    ("current_password", current),
                    ("password", new_password),
                    ("password_confirmation", new_password),
                ],
            )
            .await
        }
    };
    for _ in 0..5 {
        let wrong = change(WRONG).await;
        assert_eq!(wrong.status(), 200);
        assert!(
            wrong
                .text()
                .await
                .expect("body")
                .contains("This is not your current password")
        );
    }
    let throttled = change(PASSWORD).await;
    assert_eq!(throttled.status(), 429);
    let page = throttled.text().await.expect("body");
    let field_error = regex::Regex::new(r#"id="current_password-error">([^<]*)<"#)
        .expect("regex")
        .captures(&page)
        .map(|c| c[1].to_owned())
        .unwrap_or_default();
    assert!(field_error.contains(THROTTLED), "{page}");
    assert!(!page.contains(new_password), "passwords are not sent back");

    // The same back-off holds at sign-in from that address, and the password
    // was not changed.
    assert_throttled(
        sign_in_from(&app, &browser_from("127.0.0.2"), SAM, PASSWORD).await,
        "sign-in from the same address",
    )
    .await;
    let elsewhere = browser_from("127.0.0.3");
    assert_eq!(
        sign_in_from(&app, &elsewhere, SAM, new_password)
            .await
            .status(),
        200,
        "the new password was not set"
    );
    assert_eq!(
        sign_in_from(&app, &elsewhere, SAM, PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn x_forwarded_for_is_ignored_without_a_trusted_proxy() {
    let app = app_with_sam(spawn_app().await).await;
    for _ in 0..5 {
        let wrong = sign_in_forwarded_for(&app, "203.0.113.1", SAM, WRONG).await;
        assert_eq!(wrong.status(), 200);
    }
    assert_throttled(
        sign_in_forwarded_for(&app, "203.0.113.2", SAM, PASSWORD).await,
        "a forwarded address from an untrusted peer changes nothing",
    )
    .await;
}

#[tokio::test]
async fn x_forwarded_for_names_the_client_behind_a_trusted_proxy() {
    let app = app_with_sam(
        spawn_app_with(|settings| {
            settings.trusted_proxies = TrustedProxies::parse(["127.0.0.1"]).expect("proxies");
        })
        .await,
    )
    .await;
    for _ in 0..5 {
        let wrong = sign_in_forwarded_for(&app, "203.0.113.1", SAM, WRONG).await;
        assert_eq!(wrong.status(), 200);
    }
    assert_throttled(
        sign_in_forwarded_for(&app, "203.0.113.1", SAM, PASSWORD).await,
        "the forwarded client waits",
    )
    .await;
    // A client cannot pick its address by writing the header itself: the proxy
    // appends the address it saw, and that is the one believed.
    assert_throttled(
        sign_in_forwarded_for(&app, "203.0.113.2, 203.0.113.1", SAM, PASSWORD).await,
        "the left of the header is the client's own writing",
    )
    .await;
    assert_eq!(
        sign_in_forwarded_for(&app, "203.0.113.2", SAM, PASSWORD)
            .await
            .status(),
        303,
        "another client behind the proxy signs in"
    );
}

#[tokio::test]
async fn a_spike_of_failures_brakes_every_address_that_has_failures() {
    let app =
        app_with_sam(spawn_app_with(|settings| settings.failure_brake_per_minute = 3).await).await;
    let failing = browser_from("127.0.0.2");
    for n in 0..4 {
        let status = sign_in_from(&app, &failing, &format!("p{n}@contoso.example"), WRONG)
            .await
            .status();
        assert_eq!(status, 200, "within the address's free failures");
    }
    // Four failures in a minute is above the brake of three: the address
    // with failures waits although it has used only four of its ten.
    assert_throttled(
        sign_in_from(&app, &failing, SAM, PASSWORD).await,
        "a failing address under the brake",
    )
    .await;
    sam_signs_in_from_a_fresh_address(&app, "an address without failures is not braked").await;
}

#[tokio::test]
async fn past_a_hundred_failures_an_account_refuses_failing_addresses_only() {
    // The brake out of the way: this is about the account's ceiling.
    let app =
        app_with_sam(spawn_app_with(|settings| settings.failure_brake_per_minute = 10_000).await)
            .await;
    // 100 failures on Sam: five from each of twenty addresses, side by side.
    let mut attackers = tokio::task::JoinSet::new();
    for n in 0..20 {
        let address = format!("127.0.0.{}", 10 + n);
        let (url, app_address) = (app.url("/login"), app.address.clone());
        attackers.spawn(async move {
            let browser = browser_from(&address);
            for _ in 0..5 {
                let page = browser
                    .get(format!("{app_address}/"))
                    .send()
                    .await
                    .expect("GET")
                    .text()
                    .await
                    .expect("page");
                let token = crate::helpers::csrf_token_in(&page);
                let status = browser
                    .post(&url)
                    .form(&[
                        ("username", SAM),
                        ("password", WRONG),
                        ("csrf_token", &token),
                    ])
                    .send()
                    .await
                    .expect("POST")
                    .status();
                assert_eq!(status, 200, "{address}");
            }
        });
    }
    while let Some(done) = attackers.join_next().await {
        done.expect("an attacker finished");
    }
    // One more failure from a new address, which then may not try again
    // within the hour: the account has had its hundred.
    let another = browser_from("127.0.0.40");
    fail_times(&app, &another, SAM, 1).await;
    assert_throttled(
        sign_in_from(&app, &another, SAM, PASSWORD).await,
        "an address that failed on the account past the ceiling",
    )
    .await;
    assert_eq!(
        sign_in_from(&app, &browser_from("127.0.0.41"), SAM, PASSWORD)
            .await
            .status(),
        303,
        "Sam is not locked out from an address that has not been failing"
    );
}

#[test]
fn trusted_proxies_are_read_from_the_environment_and_a_bad_one_stops_the_start() {
    let run_with = |proxies: &str| {
        let data_dir = tempfile::tempdir().expect("temp dir");
        std::process::Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
            .arg("migrate")
            .env("PARTNERDESK_DATA_DIR", data_dir.path())
            .env("PARTNERDESK_TRUSTED_PROXIES", proxies)
            .output()
            .expect("run migrate")
    };
    let good = run_with("10.0.0.0/8, 192.168.1.7,2001:db8::/32");
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let bad = run_with("10.0.0.0/8, proxy.internal");
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("PARTNERDESK_TRUSTED_PROXIES") && stderr.contains("proxy.internal"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
