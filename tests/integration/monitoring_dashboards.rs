//! Dashboards and monitor forms: availability, response times and the SLA from
//! known results, refusals in the reader's language, the demo's monitors, rollups
//! under concurrent batches, and times in the reader's zone.

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_frozen};
use crate::monitoring::{Fixture, fixture, fixture_on};
use crate::monitoring_helpers::{api_post, page, rfc3339};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

#[tokio::test]
async fn a_dashboard_shows_availability_response_times_and_the_sla_from_known_results() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture_on(spawn_app_frozen().await).await;
    let shop = app.monitor(&adatum, "Shop");
    let api = app.monitor(&adatum, "API");
    let (_, token) = app.customer_api_token(&adatum);
    let now = app.clock_now();
    post_known_results(&app, &token, now, [&shop, &api]).await;
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
    the_day_reads(&day, &shop, &api);
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

    the_custom_period_is_checked(&app, &admin, &location, &shop, now.date()).await;
}

/// The row of `monitor` in a dashboard's table.
fn row(html: &str, monitor: &str) -> String {
    html.split(&format!("<tr data-monitor=\"{monitor}\">"))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .expect("the monitor's row")
        .to_owned()
}

/// Shop: three successes within three hours, a failure at three hours and one
/// two days ago; API: two quick successes.
async fn post_known_results(
    app: &TestApp,
    token: &str,
    now: NaiveDateTime,
    [shop, api]: [&str; 2],
) {
    let at = |minutes: i64| rfc3339(now - Duration::minutes(minutes));
    let (status, body) = api_post(
        app,
        token,
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
        app,
        token,
        &format!("/api/v1/monitors/{api}/results"),
        json!({"results": [
            {"checked_at": at(10), "success": true, "response_ms": 40},
            {"checked_at": at(20), "success": true, "response_ms": 60},
        ]}),
    )
    .await;
    assert_eq!(status, 201);
}

/// The last 24 hours: each monitor's availability, checks, average, p95 and SLA.
fn the_day_reads(day: &str, shop: &str, api: &str) {
    let shop_row = row(day, shop);
    assert!(
        shop_row.contains("<td class=\"availability\">75.000 %</td>"),
        "{shop_row}"
    );
    assert!(shop_row.contains("<td class=\"checks\">4</td>"));
    assert!(shop_row.contains("<td class=\"average\">200 ms</td>"));
    assert!(shop_row.contains("<td class=\"p95\">300 ms</td>"));
    assert!(shop_row.contains("data-sla=\"missed\""));
    let api_row = row(day, api);
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
}

/// A custom period: checked, and said next to its fields; the older failure
/// counts within it.
async fn the_custom_period_is_checked(
    app: &TestApp,
    admin: &reqwest::Client,
    location: &str,
    shop: &str,
    today: NaiveDate,
) {
    let (status, wrong) = page(
        admin,
        app,
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
    let from = (today - Duration::days(2)).format("%Y-%m-%d").to_string();
    let to = today.format("%Y-%m-%d").to_string();
    let (_, custom) = page(
        admin,
        app,
        &format!("{location}?period=custom&from={from}&to={to}"),
    )
    .await;
    assert!(!custom.contains("field-error"));
    assert!(row(&custom, shop).contains("<td class=\"availability\">60.000 %</td>"));
    let (_, reversed) = page(
        admin,
        app,
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
    monitor_refusals_in_english_then_french(&app, &admin).await;
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

    the_dashboard_form_in_french(&app, &admin, &monitor).await;

    let deleted = app
        .post_confirmed(&admin, &format!("/customer/monitors/{monitor}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let (status, _) = page(&admin, &app, &location).await;
    assert_eq!(status, 404);
}

/// A refused monitor is explained in the reader's language, with what was
/// typed kept and nothing saved.
async fn monitor_refusals_in_english_then_french(app: &TestApp, admin: &reqwest::Client) {
    let bad = [
        ("name", "Warehouse router"),
        ("kind", "device"),
        ("target", "router 01"),
        ("site_id", ""),
    ];
    let response = app.post_as(admin, "/customer/monitors", &bad).await;
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

    app.post_as(admin, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let response = app.post_as(admin, "/customer/monitors", &bad).await;
    let body = response.text().await.expect("body");
    assert!(body.contains("Saisissez un nom d"), "{body}");
    assert!(body.contains("value=\"router 01\""));
    let response = app
        .post_as(
            admin,
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
    let (_, list) = page(admin, app, "/customer/monitors").await;
    assert!(list.contains("no-monitors"), "nothing half-saved");
}

/// The dashboard form, in French: the target is refused, the choices kept.
async fn the_dashboard_form_in_french(app: &TestApp, admin: &reqwest::Client, monitor: &str) {
    let response = app
        .post_as(
            admin,
            "/customer/dashboards",
            &[
                ("name", "SLA"),
                ("sla_target", "101"),
                ("monitor_ids", monitor),
            ],
        )
        .await;
    let body = response.text().await.expect("body");
    assert!(body.contains("Saisissez un pourcentage"), "{body}");
    assert!(body.contains("value=\"101\""));
    assert!(body.contains(&format!("value=\"{monitor}\" checked")));
    let created = app
        .post_as(
            admin,
            "/customer/dashboards",
            &[
                ("name", "SLA"),
                ("sla_target", "99,95"),
                ("monitor_ids", monitor),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
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
    } = fixture_on(spawn_app_frozen().await).await;
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
