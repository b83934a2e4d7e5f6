//! Monitors and dashboards (C1, C2) through the real server: the account's API
//! tokens, results and error-log entries posted through the JSON API, states,
//! dashboard figures and charts, tenant isolation, and the console's forms.

use crate::helpers::error_fields as fields;
use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::db::schema::{api_tokens, monitor_results, monitors};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::monitoring_helpers::{api_post, page, rfc3339};

struct Fixture {
    app: TestApp,
    adatum: String,
    bellows: String,
    admin: reqwest::Client,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
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

    let (status, body) = api_post(
        &app,
        &token,
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
        &app,
        &token,
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
    assert_eq!(raw_results(&app, &monitor), 0, "nothing half-saved");
    let (status, body) = api_post(&app, &token, &path, json!([1, 2])).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_json"))
    );

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

    // The error log.
    let errors = format!("/api/v1/monitors/{monitor}/errors");
    let (status, body) = api_post(
        &app,
        &token,
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
        &app,
        &token,
        &errors,
        json!({"logged_at": rfc3339(now), "severity": "critical", "message": "Certificate expires in 2 days"}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, shown) = page(&admin, &app, &format!("/customer/monitors/{monitor}")).await;
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

    let (status, body) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{theirs}/results"),
        json!({"checked_at": rfc3339(now), "success": false}),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, _) = api_post(
        &app,
        &token,
        "/api/v1/monitors/no-such-monitor/results",
        json!({"checked_at": rfc3339(now), "success": false}),
    )
    .await;
    assert_eq!(status, 404, "answered like a missing one");
    let (status, _) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{theirs}/errors"),
        json!({"logged_at": rfc3339(now), "severity": "error", "message": "x"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(raw_results(&app, &theirs), 0);
    let (_, listed) = api_get(&app, &token, "/api/v1/monitors").await;
    let names: Vec<&str> = listed["monitors"]
        .as_array()
        .map(|all| all.iter().filter_map(|m| m["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Ours"]);

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

#[tokio::test]
async fn a_dashboard_shows_availability_response_times_and_the_sla_from_known_results() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let shop = app.monitor(&adatum, "Shop");
    let api = app.monitor(&adatum, "API");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now();
    let at = |minutes: i64| rfc3339(now - Duration::minutes(minutes));
    let (status, body) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{shop}/results"),
        json!({"results": [
            {"checked_at": at(5), "success": true, "response_ms": 100},
            {"checked_at": at(65), "success": true, "response_ms": 200},
            {"checked_at": at(125), "success": true, "response_ms": 300},
            {"checked_at": at(185), "success": false},
            {"checked_at": at(60 * 48), "success": false},
        ]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{api}/results"),
        json!({"results": [
            {"checked_at": at(10), "success": true, "response_ms": 40},
            {"checked_at": at(20), "success": true, "response_ms": 60},
        ]}),
    )
    .await;
    assert_eq!(status, 201);

    let created = app
        .post_as(
            &admin,
            "/customer/dashboards",
            &[
                ("name", "Customer SLA"),
                ("sla_target", "99.9"),
                ("monitor_ids", &shop),
                ("monitor_ids", &api),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let location = created
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("to the dashboard")
        .to_owned();

    let (status, day) = page(&admin, &app, &format!("{location}?period=24h")).await;
    assert_eq!(status, 200);
    let row = |html: &str, monitor: &str| -> String {
        html.split(&format!("<tr data-monitor=\"{monitor}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</tr>").next())
            .expect("the monitor's row")
            .to_owned()
    };
    let shop_row = row(&day, &shop);
    assert!(
        shop_row.contains("<td class=\"availability\">75.000 %</td>"),
        "{shop_row}"
    );
    assert!(shop_row.contains("<td class=\"checks\">4</td>"));
    assert!(shop_row.contains("<td class=\"average\">200 ms</td>"));
    assert!(shop_row.contains("<td class=\"p95\">300 ms</td>"));
    assert!(shop_row.contains("data-sla=\"missed\""));
    let api_row = row(&day, &api);
    assert!(
        api_row.contains("<td class=\"availability\">100.000 %</td>"),
        "{api_row}"
    );
    assert!(api_row.contains("<td class=\"average\">50 ms</td>"));
    assert!(api_row.contains("<td class=\"p95\">60 ms</td>"));
    assert!(api_row.contains("data-sla=\"met\""));
    assert!(
        day.contains("id=\"sla\" data-sla=\"missed\">SLA 83.333 %"),
        "5 of 6 checks overall"
    );
    // In French, the numbers are written the French way.
    app.post_as(&admin, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, french) = page(&admin, &app, &format!("{location}?period=24h")).await;
    assert!(
        row(&french, &shop).contains("<td class=\"availability\">75,000 %</td>"),
        "{french}"
    );
    assert!(
        french.contains("83,333 %") && french.contains("99,9 %"),
        "{french}"
    );
    app.post_as(&admin, "/language", &[("lang", "en"), ("next", "/")])
        .await;
    assert!(day.contains("<svg"));
    assert!(
        day.contains("<title id=\"availability-chart-title\">Availability, Last 24 hours</title>")
    );
    assert!(day.contains("<desc id=\"response-chart-desc\">"));
    assert!(
        day.contains("data-missed=\"true\""),
        "the failing hour is hatched"
    );
    assert!(!day.contains("style="), "no inline styles under the CSP");

    // The older failure counts over 7 days.
    let (_, week) = page(&admin, &app, &format!("{location}?period=7d")).await;
    assert!(row(&week, &shop).contains("<td class=\"availability\">60.000 %</td>"));

    // A custom period: checked, and said next to its fields.
    let (status, wrong) = page(
        &admin,
        &app,
        &format!("{location}?period=custom&from=2026-02-30&to="),
    )
    .await;
    assert_eq!(status, 200);
    assert!(wrong.contains("id=\"from-error\""), "{wrong}");
    assert!(wrong.contains("id=\"to-error\""));
    assert!(
        wrong.contains("value=\"2026-02-30\""),
        "what was typed is kept"
    );
    let today = now.date();
    let from = (today - Duration::days(2)).format("%Y-%m-%d").to_string();
    let to = today.format("%Y-%m-%d").to_string();
    let (_, custom) = page(
        &admin,
        &app,
        &format!("{location}?period=custom&from={from}&to={to}"),
    )
    .await;
    assert!(!custom.contains("field-error"));
    assert!(row(&custom, &shop).contains("<td class=\"availability\">60.000 %</td>"));
    let (_, reversed) = page(
        &admin,
        &app,
        &format!("{location}?period=custom&from={to}&to={from}"),
    )
    .await;
    assert!(reversed.contains("The end must not be before the start."));
}

#[tokio::test]
async fn monitor_and_dashboard_forms_say_what_is_wrong_in_the_readers_language() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let bad = [
        ("name", "Warehouse router"),
        ("kind", "device"),
        ("target", "router 01"),
        ("site_id", ""),
    ];
    let response = app.post_as(&admin, "/customer/monitors", &bad).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("body");
    assert!(
        body.contains("Enter a host name, device name or IP address"),
        "{body}"
    );
    assert!(
        body.contains("value=\"router 01\""),
        "typed values are kept"
    );
    assert!(body.contains("value=\"Warehouse router\""));
    assert!(body.contains("<option value=\"device\" selected>"));

    app.post_as(&admin, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let response = app.post_as(&admin, "/customer/monitors", &bad).await;
    let body = response.text().await.expect("body");
    assert!(body.contains("Saisissez un nom d"), "{body}");
    assert!(body.contains("value=\"router 01\""));
    let response = app
        .post_as(
            &admin,
            "/customer/monitors",
            &[("name", ""), ("kind", "web"), ("target", "ftp://x.example")],
        )
        .await;
    let body = response.text().await.expect("body");
    assert!(body.contains("id=\"name-error\""));
    assert!(
        body.contains("Saisissez une adresse web complète"),
        "{body}"
    );
    let (_, list) = page(&admin, &app, "/customer/monitors").await;
    assert!(list.contains("no-monitors"), "nothing half-saved");

    let site = app.first_site(&adatum);
    let created = app
        .post_as(
            &admin,
            "/customer/monitors",
            &[
                ("name", "Warehouse router"),
                ("kind", "device"),
                ("target", "router-01.lan"),
                ("site_id", &site),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let location = created
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let monitor = location
        .trim_start_matches("/customer/monitors/")
        .to_owned();
    let again = app
        .post_as(
            &admin,
            "/customer/monitors",
            &[
                ("name", "warehouse ROUTER"),
                ("kind", "web"),
                ("target", "https://a.example"),
            ],
        )
        .await;
    let body = again.text().await.expect("body");
    assert!(body.contains("porte déjà ce nom"), "{body}");

    let edited = app
        .post_as(
            &admin,
            &format!("/customer/monitors/{monitor}/edit"),
            &[
                ("name", "Router"),
                ("kind", "device"),
                ("target", "10.0.0.1"),
                ("site_id", ""),
            ],
        )
        .await;
    assert_eq!(edited.status(), 303);
    let (_, shown) = page(&admin, &app, &location).await;
    assert!(shown.contains("<h1>Router</h1>") && shown.contains("10.0.0.1"));

    // The dashboard form, in French: the target is refused, the choices kept.
    let response = app
        .post_as(
            &admin,
            "/customer/dashboards",
            &[
                ("name", "SLA"),
                ("sla_target", "101"),
                ("monitor_ids", &monitor),
            ],
        )
        .await;
    let body = response.text().await.expect("body");
    assert!(body.contains("Saisissez un pourcentage"), "{body}");
    assert!(body.contains("value=\"101\""));
    assert!(body.contains(&format!("value=\"{monitor}\" checked")));
    let created = app
        .post_as(
            &admin,
            "/customer/dashboards",
            &[
                ("name", "SLA"),
                ("sla_target", "99,95"),
                ("monitor_ids", &monitor),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);

    let deleted = app
        .post_confirmed(&admin, &format!("/customer/monitors/{monitor}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let (status, _) = page(&admin, &app, &location).await;
    assert_eq!(status, 404);
}

/// The demo's monitoring (`serve --demo`): weeks of results on the first
/// customer, a dashboard over them with figures and charts.
#[tokio::test]
async fn the_demo_seeds_monitors_with_weeks_of_results_and_a_dashboard() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let now = app.clock_now();
    partnerdesk::db::write_transaction(&mut app.conn(), |conn| {
        partnerdesk::monitoring::demo::seed(conn, now, &ours)
    })
    .expect("demo monitoring");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, list) = page(&admin, &app, "/customer/monitors").await;
    assert_eq!(list.matches("<tr data-monitor=").count(), 4, "{list}");
    let (_, dashboards) = page(&admin, &app, "/customer/dashboards").await;
    let id = dashboards
        .split("<tr data-dashboard=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a demo dashboard")
        .to_owned();
    let (status, shown) = page(
        &admin,
        &app,
        &format!("/customer/dashboards/{id}?period=30d"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(shown.matches("<svg").count(), 2);
    assert!(!shown.contains("data-sla=\"no-data\""), "{shown}");
    let checks: i64 = shown
        .split("<td class=\"checks\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .and_then(|n| n.parse().ok())
        .expect("a count of checks");
    assert!(
        checks > 20 * 24 * 12,
        "three weeks every five minutes: {checks}"
    );
}

/// Agents posting at once into the same hour of the same monitor: the hourly
/// rollup counts every result, none overwritten.
#[tokio::test]
async fn concurrent_batches_all_count_in_the_rollup() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let monitor = app.monitor(&adatum, "Busy");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now();
    let path = format!("/api/v1/monitors/{monitor}/results");
    let posts = (0..8i64).map(|agent| {
        let results: Vec<Value> = (0..5i64)
            .map(|k| {
                json!({
                    "checked_at": rfc3339(now - Duration::seconds(agent * 5 + k + 1)),
                    "success": k != 0,
                    "response_ms": 100,
                })
            })
            .collect();
        let body = json!({ "results": results });
        let (app, token, path) = (&app, &token, &path);
        async move { api_post(app, token, path, body).await.0 }
    });
    let statuses = futures_util::future::join_all(posts).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let dashboard = app.dashboard(&adatum, "Busy SLA", &[&monitor]);
    let (_, shown) = page(
        &admin,
        &app,
        &format!("/customer/dashboards/{dashboard}?period=24h"),
    )
    .await;
    assert!(shown.contains("<td class=\"checks\">40</td>"), "{shown}");
    assert!(shown.contains("<td class=\"availability\">80.000 %</td>"));
}

/// A result at 09:05 UTC reads 10:05 (or 11:05 in summer) for a reader in
/// Europe/Paris, on the monitor's page and the dashboard's chart, and both
/// pages name the zone.
#[tokio::test]
async fn times_are_shown_in_the_readers_zone_with_the_zone_named() {
    use chrono::{NaiveTime, Timelike};
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let shop = app.monitor(&adatum, "Shop");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now();
    let five_past_nine = NaiveTime::from_hms_opt(9, 5, 0).expect("a time");
    let mut at = now.date().and_time(five_past_nine);
    if at > now {
        at -= Duration::days(1);
    }
    let (status, body) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{shop}/results"),
        json!({"results": [{"checked_at": rfc3339(at), "success": true, "response_ms": 80}]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let in_paris = at.and_utc().with_timezone(&chrono_tz::Europe::Paris);
    assert_ne!(in_paris.hour(), 9);

    let (_, monitor) = page(&admin, &app, &format!("/customer/monitors/{shop}")).await;
    assert!(
        monitor.contains(&partnerdesk::i18n::format_time(
            at,
            chrono_tz::Europe::Paris,
            partnerdesk::i18n::Lang::En
        )),
        "{monitor}"
    );
    assert!(monitor.contains("Times are in Paris time (Europe/Paris)."));

    let dashboard = app.dashboard(&adatum, "Shop SLA", &[shop.as_str()]);
    let (_, day) = page(
        &admin,
        &app,
        &format!("/customer/dashboards/{dashboard}?period=24h"),
    )
    .await;
    let hour = in_paris.format("%Y-%m-%d %H:00").to_string();
    let full = partnerdesk::monitoring::format_thousandths(100_000);
    assert!(
        day.contains(&format!("<title>{hour}: {full} %</title>")),
        "the bar of the result's hour, in Paris time: {day}"
    );
    assert!(day.contains("Times are in Paris time (Europe/Paris)."));
    let range = day
        .split("id=\"period-range\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the period's line");
    assert!(range.ends_with(" (Paris)"), "{range}");
    let to = now.with_minute(0).unwrap_or(now) + Duration::hours(1);
    let paris = chrono_tz::Europe::Paris;
    assert!(
        range.contains(&partnerdesk::i18n::format_time(
            to,
            paris,
            partnerdesk::i18n::Lang::En
        )),
        "{range}"
    );

    app.post_as(&admin, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, french) = page(&admin, &app, &format!("/customer/monitors/{shop}")).await;
    assert!(french.contains(&partnerdesk::i18n::format_time(
        at,
        paris,
        partnerdesk::i18n::Lang::Fr
    )));
    assert!(french.contains("Heures exprimées à l’heure de Paris (Europe/Paris)."));
}
