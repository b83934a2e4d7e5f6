//! Monitors and dashboards (C1, C2) through the real server: the account's API
//! tokens, results and error-log entries posted through the JSON API, states,
//! dashboard figures and charts, tenant isolation, and the console's forms.

use crate::helpers::error_fields as fields;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use partnerdesk::db::schema::{api_tokens, monitor_results, monitors};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::monitoring_helpers::{api_post, page, rfc3339};

pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) adatum: String,
    pub(crate) bellows: String,
    pub(crate) admin: reqwest::Client,
}

pub(crate) async fn fixture() -> Fixture {
    fixture_on(spawn_app().await).await
}

/// The fixture on `app`, for a test that wants its clock.
pub(crate) async fn fixture_on(app: TestApp) -> Fixture {
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    Fixture {
        app,
        adatum,
        bellows,
        admin,
    }
}

async fn api_get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn raw_results(app: &TestApp, monitor: &str) -> i64 {
    monitor_results::table
        .filter(monitor_results::monitor_id.eq(monitor))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn api_tokens_are_shown_once_stored_hashed_and_revocable() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let refused = app
        .post_as(&admin, "/customer/api-tokens", &[("name", "  ")])
        .await;
    assert_eq!(refused.status(), 200);
    let body = refused.text().await.expect("body");
    assert!(body.contains("id=\"name-error\""), "{body}");
    assert!(!body.contains("token-value"));

    let created = app
        .post_as(&admin, "/customer/api-tokens", &[("name", "Paris agent")])
        .await;
    assert_eq!(created.status(), 200);
    assert_eq!(
        created
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let body = created.text().await.expect("body");
    let token = crate::monitoring_helpers::shown_token(&body);
    assert!(token.starts_with("pdm_") && token.len() > 60, "{token}");

    let (_, again) = page(&admin, &app, "/customer/api-tokens").await;
    assert!(again.contains("Paris agent"));
    assert!(!again.contains(&token), "shown only once");

    let (id, hash, scope, customer): (String, String, String, Option<String>) = api_tokens::table
        .filter(api_tokens::name.eq("Paris agent"))
        .select((
            api_tokens::id,
            api_tokens::token_hash,
            api_tokens::scope,
            api_tokens::customer_id,
        ))
        .first(&mut app.conn())
        .expect("stored token");
    assert_eq!(hash, partnerdesk::auth::tokens::digest(&token));
    assert_ne!(hash, token);
    assert_eq!(scope, "customer");
    assert_eq!(customer.as_deref(), Some(adatum.as_str()));

    let (status, listed) = api_get(&app, &token, "/api/v1/monitors").await;
    assert_eq!(status, 200, "{listed}");
    let revoked = app
        .post_confirmed(&admin, &format!("/customer/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status(), 303);
    let (status, _) = api_get(&app, &token, "/api/v1/monitors").await;
    assert_eq!(status, 401, "a revoked token is refused");
    let twice = app
        .post_as(&admin, &format!("/customer/api-tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(twice.status(), 404);

    // The customer's users and an operator token have no business here.
    app.customer_member(&adatum, "user@adatum.example", "user");
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    let (status, _) = page(&user, &app, "/customer/api-tokens").await;
    assert_eq!(status, 403);
    let operator = app.api_token();
    let (status, _) = api_get(&app, &operator, "/api/v1/monitors").await;
    assert_eq!(status, 401, "an operator token is no account token");
}

#[tokio::test]
async fn results_posted_through_the_api_are_validated_and_drive_the_state() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let monitor = app.monitor(&adatum, "Web shop");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now();
    let path = format!("/api/v1/monitors/{monitor}/results");

    invalid_results_are_refused_whole(&app, &token, &monitor, now).await;
    let (_, list) = page(&admin, &app, "/customer/monitors").await;
    assert!(list.contains("data-state=\"unknown\""), "{list}");

    // One failed check: down.
    let (status, body) = api_post(
        &app,
        &token,
        &path,
        json!({"checked_at": rfc3339(now - Duration::minutes(3)), "success": false, "message": "HTTP 503"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["accepted"], 1);
    let (_, list) = page(&admin, &app, "/customer/monitors").await;
    assert!(list.contains("data-state=\"down\""), "{list}");

    // A newer success: up. An older failure in the same batch changes nothing,
    // and a result sent again is ignored.
    let batch = json!({"results": [
        {"checked_at": rfc3339(now - Duration::minutes(1)), "success": true, "response_ms": 140},
        {"checked_at": rfc3339(now - Duration::minutes(30)), "success": false},
        {"checked_at": rfc3339(now - Duration::minutes(3)), "success": false},
    ]});
    let (status, body) = api_post(&app, &token, &path, batch).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (body["accepted"].as_i64(), body["duplicates"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(raw_results(&app, &monitor), 3);
    let (status, listed) = api_get(&app, &token, "/api/v1/monitors").await;
    assert_eq!(status, 200);
    assert_eq!(listed["monitors"][0]["state"], "up", "{listed}");
    let (_, shown) = page(&admin, &app, &format!("/customer/monitors/{monitor}")).await;
    assert!(
        shown.contains("id=\"monitor-state\" data-state=\"up\""),
        "{shown}"
    );
    assert!(shown.contains("HTTP 503"));

    // Without news for over an hour the state is unknown again.
    app.clock.advance(Duration::hours(2));
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, list) = page(&admin, &app, "/customer/monitors").await;
    assert!(list.contains("data-state=\"unknown\""), "{list}");

    the_error_log_is_validated_and_shown(&app, &admin, &token, &monitor, now).await;
}

/// Invalid results name each faulty field and save nothing, not even the
/// valid ones beside them.
async fn invalid_results_are_refused_whole(
    app: &TestApp,
    token: &str,
    monitor: &str,
    now: NaiveDateTime,
) {
    let path = format!("/api/v1/monitors/{monitor}/results");
    let (status, body) = api_post(
        app,
        token,
        &path,
        json!({"results": [
            {"checked_at": "yesterday", "success": "yes", "response_ms": -1},
            {"checked_at": rfc3339(now - Duration::minutes(2)), "success": true, "response_ms": 120},
            {"checked_at": rfc3339(now + Duration::hours(2)), "message": 5},
            7
        ]}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        fields(&body),
        [("results[3]".to_owned(), "must_be_an_object".to_owned())]
    );
    let (status, body) = api_post(
        app,
        token,
        &path,
        json!({"results": [
            {"checked_at": "yesterday", "success": "yes", "response_ms": -1},
            {"checked_at": rfc3339(now - Duration::minutes(2)), "success": true, "response_ms": 120},
            {"checked_at": rfc3339(now + Duration::hours(2)), "message": 5},
        ]}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let named: Vec<(String, String)> = fields(&body);
    for expected in [
        ("results[0].checked_at", "invalid"),
        ("results[0].success", "must_be_a_boolean"),
        ("results[0].response_ms", "out_of_range"),
        ("results[2].checked_at", "in_the_future"),
        ("results[2].success", "required"),
        ("results[2].message", "must_be_a_string"),
    ] {
        assert!(
            named.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {named:?}"
        );
    }
    assert_eq!(named.len(), 6, "the valid result names nothing: {named:?}");
    assert_eq!(raw_results(app, monitor), 0, "nothing half-saved");
    let (status, body) = api_post(app, token, &path, json!([1, 2])).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_json"))
    );
}

/// The error log: entries are validated, and shown on the monitor's page.
async fn the_error_log_is_validated_and_shown(
    app: &TestApp,
    admin: &reqwest::Client,
    token: &str,
    monitor: &str,
    now: NaiveDateTime,
) {
    let errors = format!("/api/v1/monitors/{monitor}/errors");
    let (status, body) = api_post(
        app,
        token,
        &errors,
        json!({"entries": [{"logged_at": rfc3339(now), "severity": "fatal"}]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        fields(&body),
        [
            ("entries[0].severity".to_owned(), "invalid".to_owned()),
            ("entries[0].message".to_owned(), "required".to_owned()),
        ]
    );
    let (status, _) = api_post(
        app,
        token,
        &errors,
        json!({"logged_at": rfc3339(now), "severity": "critical", "message": "Certificate expires in 2 days"}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, shown) = page(admin, app, &format!("/customer/monitors/{monitor}")).await;
    assert!(shown.contains("Certificate expires in 2 days"));
    assert!(shown.contains("data-severity=\"critical\""));
}

#[tokio::test]
async fn another_accounts_monitors_and_dashboards_are_not_found() {
    let Fixture {
        app,
        adatum,
        bellows,
        admin,
    } = fixture().await;
    let ours = app.monitor(&adatum, "Ours");
    let theirs = app.monitor(&bellows, "Theirs");
    let their_dashboard = app.dashboard(&bellows, "Their SLA", &[&theirs]);
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now();

    the_api_finds_only_our_monitors(&app, &token, &theirs, now).await;

    for path in [
        format!("/customer/monitors/{theirs}"),
        format!("/customer/monitors/{theirs}/edit"),
        format!("/customer/dashboards/{their_dashboard}"),
        format!("/customer/dashboards/{their_dashboard}/edit"),
    ] {
        let (status, _) = page(&admin, &app, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    for path in [
        format!("/customer/monitors/{theirs}/delete"),
        format!("/customer/dashboards/{their_dashboard}/delete"),
    ] {
        let response = app.post_as(&admin, &path, &[]).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let response = app
        .post_as(
            &admin,
            &format!("/customer/monitors/{theirs}/edit"),
            &[
                ("name", "Mine now"),
                ("kind", "web"),
                ("target", "https://x.example/"),
            ],
        )
        .await;
    assert_eq!(response.status(), 404);
    let name: String = monitors::table
        .find(&theirs)
        .select(monitors::name)
        .first(&mut app.conn())
        .expect("still there");
    assert_eq!(name, "Theirs");

    // A dashboard cannot take in another account's monitor.
    let response = app
        .post_as(
            &admin,
            "/customer/dashboards",
            &[
                ("name", "Sneaky"),
                ("sla_target", "99.9"),
                ("monitor_ids", &ours),
                ("monitor_ids", &theirs),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("body");
    assert!(body.contains("id=\"monitor_ids-error\""), "{body}");
    assert!(
        !body.contains("Theirs"),
        "their monitor is not even offered"
    );
    let (_, list) = page(&admin, &app, "/customer/dashboards").await;
    assert!(list.contains("no-dashboards"));
}

/// Through the API, another account's monitor is missing, like one that does
/// not exist, and the list names ours only.
async fn the_api_finds_only_our_monitors(
    app: &TestApp,
    token: &str,
    theirs: &str,
    now: NaiveDateTime,
) {
    let (status, body) = api_post(
        app,
        token,
        &format!("/api/v1/monitors/{theirs}/results"),
        json!({"checked_at": rfc3339(now), "success": false}),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, _) = api_post(
        app,
        token,
        "/api/v1/monitors/no-such-monitor/results",
        json!({"checked_at": rfc3339(now), "success": false}),
    )
    .await;
    assert_eq!(status, 404, "answered like a missing one");
    let (status, _) = api_post(
        app,
        token,
        &format!("/api/v1/monitors/{theirs}/errors"),
        json!({"logged_at": rfc3339(now), "severity": "error", "message": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(raw_results(app, theirs), 0);
    let (_, listed) = api_get(app, token, "/api/v1/monitors").await;
    let names: Vec<&str> = listed["monitors"]
        .as_array()
        .map(|all| all.iter().filter_map(|m| m["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Ours"]);
}
