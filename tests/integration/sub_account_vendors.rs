//! Sub-accounts for vendors and resellers: alerts once per episode, the error log,
//! and the monitor quota of reseller operators, also under concurrent creation.

use crate::helpers::TestApp;
use crate::helpers::people::PASSWORD;
use crate::monitoring_helpers::{api_post, page, rfc3339};
use crate::sub_accounts::{Fixture, fixture, ids_in, sorted};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use partnerdesk::db::schema::{email_outbox, monitors};
use serde_json::json;

/// Posts one check result per minute from `start`, in order: `true` a success.
async fn post_checks(
    app: &TestApp,
    token: &str,
    monitor: &str,
    start: NaiveDateTime,
    checks: &[bool],
) -> NaiveDateTime {
    let mut at = start;
    for success in checks {
        let (status, body) = api_post(
            app,
            token,
            &format!("/api/v1/monitors/{monitor}/results"),
            json!({"checked_at": rfc3339(at), "success": success, "response_ms": 120,
                   "message": if *success { "200 OK" } else { "502 Bad Gateway from edge" }}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        at += Duration::minutes(1);
    }
    at
}

fn outbox_count(app: &TestApp, address: &str) -> i64 {
    email_outbox::table
        .filter(email_outbox::recipient.eq(address))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn vendor_access_the_vendor_is_alerted_once_per_episode_and_reads_its_error_log() {
    let Fixture {
        app,
        adatum,
        admin,
        shop,
        ..
    } = fixture().await;
    let cdn = app.monitor(&adatum, "CDN");
    let vendor = app.sub_account(&adatum, "CDN vendor", None);
    app.grant(&vendor, &[], &[&cdn]);
    let vera = app.operator(&vendor, "vera@cdn.example");
    alert_definitions(&app, &admin, &vendor, &cdn, &shop, &vera).await;

    let (_, token) = app.customer_api_token(&adatum);
    let start = app.clock_now() - Duration::minutes(30);
    // Two failures: below the vendor's rule of three.
    let next = post_checks(&app, &token, &cdn, start, &[false, false]).await;
    assert_eq!(outbox_count(&app, "vera@cdn.example"), 0);
    assert_eq!(
        outbox_count(&app, "admin@adatum.example"),
        1,
        "the account's rule of one alerted at the first"
    );
    // The third alerts the vendor; more failures in the same episode do not.
    let next = post_checks(&app, &token, &cdn, next, &[false, false, false]).await;
    let alerts = app.mail.wait_for_to("vera@cdn.example", 1).await;
    assert_eq!(alerts.len(), 1);
    assert!(
        alerts[0].subject.contains("Monitor down: CDN"),
        "{}",
        alerts[0].subject
    );
    assert!(
        alerts[0].text.contains("3 checks in a row"),
        "{}",
        alerts[0].text
    );
    assert!(
        alerts[0]
            .text
            .contains(&format!("/customer/monitors/{cdn}"))
    );
    assert_eq!(outbox_count(&app, "vera@cdn.example"), 1);
    // A batch resent by the agent changes nothing.
    let (status, body) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{cdn}/results"),
        json!({"results": [{"checked_at": rfc3339(start), "success": false}]}),
    )
    .await;
    assert_eq!((status, body["duplicates"].as_i64()), (201, Some(1)));
    // Recovery: one email; a new episode alerts again.
    let next = post_checks(&app, &token, &cdn, next, &[true, true]).await;
    let emails = app.mail.wait_for_to("vera@cdn.example", 2).await;
    assert_eq!(emails.len(), 2);
    assert!(
        emails[1].subject.contains("Monitor recovered: CDN"),
        "{}",
        emails[1].subject
    );
    post_checks(&app, &token, &cdn, next, &[false, false, false, false]).await;
    assert_eq!(outbox_count(&app, "vera@cdn.example"), 3);
    assert_eq!(outbox_count(&app, "admin@adatum.example"), 3);

    the_vendor_reads_its_error_log(&app, &token, &cdn, next).await;
}

/// A definition for the vendor's sub-account (alerting Vera at three failures),
/// one refused (neither the monitor nor the person is the vendor's), and the
/// account's own (alerting the administrator at the first).
async fn alert_definitions(
    app: &TestApp,
    admin: &reqwest::Client,
    vendor: &str,
    cdn: &str,
    shop: &str,
    vera: &str,
) {
    let admin_membership: String = {
        let (_, body) = page(admin, app, "/customer/alerts").await;
        let pattern = regex::Regex::new(r#"id="recipient-([^"]+)""#).expect("regex");
        let ids: Vec<String> = pattern
            .captures_iter(&body)
            .map(|c| c[1].to_owned())
            .collect();
        assert!(
            ids.iter().any(|id| id == vera),
            "the vendor's operator is offered: {body}"
        );
        ids.into_iter()
            .find(|id| id != vera)
            .expect("the administrator is offered too")
    };
    let created = app
        .post_as(
            admin,
            "/customer/alerts",
            &[
                ("owner", vendor),
                ("name", "CDN down"),
                ("failures", "3"),
                ("monitor_ids", cdn),
                ("recipient_ids", vera),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let refused = app
        .post_as(
            admin,
            "/customer/alerts",
            &[
                ("owner", vendor),
                ("name", "Shop for the vendor"),
                ("failures", "3"),
                ("monitor_ids", shop),
                ("recipient_ids", admin_membership.as_str()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 200, "not the vendor's monitor or person");
    let body = refused.text().await.expect("body");
    assert!(body.contains("id=\"monitor_ids-error\""), "{body}");
    let own = app
        .post_as(
            admin,
            "/customer/alerts",
            &[
                ("name", "Everything"),
                ("failures", "1"),
                ("monitor_ids", cdn),
                ("recipient_ids", admin_membership.as_str()),
            ],
        )
        .await;
    assert_eq!(own.status(), 303);
}

/// The vendor reads the error log of its monitor, and sees only its alerts.
async fn the_vendor_reads_its_error_log(
    app: &TestApp,
    token: &str,
    cdn: &str,
    next: NaiveDateTime,
) {
    let (status, _) = api_post(
        app,
        token,
        &format!("/api/v1/monitors/{cdn}/errors"),
        json!({"logged_at": rfc3339(next), "severity": "critical",
               "message": "Origin pool exhausted in fra-2"}),
    )
    .await;
    assert_eq!(status, 201);
    let vera_browser = app.browser_signed_in("vera@cdn.example", PASSWORD).await;
    let (status, monitor_page) =
        page(&vera_browser, app, &format!("/customer/monitors/{cdn}")).await;
    assert_eq!(status, 200);
    assert!(monitor_page.contains("Origin pool exhausted in fra-2"));
    assert!(monitor_page.contains("502 Bad Gateway from edge"));
    let (_, alerts_page) = page(&vera_browser, app, "/customer/alerts").await;
    assert!(alerts_page.contains("CDN down") && !alerts_page.contains("Everything"));
    assert!(!alerts_page.contains("admin@adatum.example"));
}

#[tokio::test]
async fn reseller_operators_create_monitors_up_to_their_quota_and_are_refused_beyond() {
    let Fixture {
        app,
        adatum,
        admin,
        shop,
        checkout,
        ..
    } = fixture().await;
    let reseller = app.sub_account(&adatum, "Northwind hosting", Some(2));
    app.grant(&reseller, &[], &[&shop]);
    app.operator(&reseller, "rex@northwind.example");
    let rex = app
        .browser_signed_in("rex@northwind.example", PASSWORD)
        .await;
    two_monitors_then_the_quota_refuses(&app, &rex).await;

    let made: Vec<String> = monitors::table
        .filter(monitors::sub_account_id.eq(&reseller))
        .select(monitors::id)
        .load(&mut app.conn())
        .expect("made");
    assert_eq!(made.len(), 2);
    let (_, listed) = page(&rex, &app, "/customer/monitors").await;
    let mut expected: Vec<&str> = made.iter().map(String::as_str).collect();
    expected.push(&shop);
    assert_eq!(ids_in(&listed, "data-monitor"), sorted(&expected));
    // The granted monitor is the account's: seen, not managed.
    let edit = app
        .post_as(
            &rex,
            &format!("/customer/monitors/{shop}/edit"),
            &[
                ("name", "Mine now"),
                ("kind", "web"),
                ("target", "https://x.example/"),
            ],
        )
        .await;
    assert_eq!(edit.status(), 404);
    assert_eq!(
        app.post_as(&rex, &format!("/customer/monitors/{checkout}/delete"), &[])
            .await
            .status(),
        404
    );
    // Deleting one of its own frees a place.
    let deleted = app
        .post_confirmed(&rex, &format!("/customer/monitors/{}/delete", made[0]), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    let again = app
        .post_as(
            &rex,
            "/customer/monitors",
            &[
                ("name", "One too many"),
                ("kind", "web"),
                ("target", "https://more.example/"),
            ],
        )
        .await;
    assert_eq!(again.status(), 303);
    // The administrator sees the sub-account's monitors with the account's.
    let (_, all) = page(&admin, &app, "/customer/monitors").await;
    assert_eq!(ids_in(&all, "data-monitor").len(), 4);
    let (_, subs) = page(&admin, &app, "/customer/sub-accounts").await;
    assert!(subs.contains("2 of 2 monitors"), "{subs}");
}

/// Two monitors fill the quota of two, the third is refused next to its name.
/// A name the account already uses elsewhere is free in the sub-account: a
/// refusal would tell the operator what the account holds.
async fn two_monitors_then_the_quota_refuses(app: &TestApp, rex: &reqwest::Client) {
    for name in ["Client site", "Checkout API"] {
        let created = app
            .post_as(
                rex,
                "/customer/monitors",
                &[
                    ("name", name),
                    ("kind", "web"),
                    ("target", "https://client.example/"),
                ],
            )
            .await;
        assert_eq!(created.status(), 303, "{name}");
    }
    let refused = app
        .post_as(
            rex,
            "/customer/monitors",
            &[
                ("name", "One too many"),
                ("kind", "web"),
                ("target", "https://more.example/"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 200);
    let body = refused.text().await.expect("body");
    assert!(body.contains("id=\"name-error\""), "{body}");
    assert!(body.contains("already has its 2 monitors"), "{body}");
    assert!(body.contains("value=\"One too many\""), "typed values kept");
}

#[tokio::test]
async fn the_quota_holds_under_concurrent_creation() {
    let Fixture { app, adatum, .. } = fixture().await;
    let reseller = app.sub_account(&adatum, "Northwind hosting", Some(3));
    app.operator(&reseller, "rex@northwind.example");
    let mut browsers = Vec::new();
    for _ in 0..8 {
        browsers.push(
            app.browser_signed_in("rex@northwind.example", PASSWORD)
                .await,
        );
    }
    let attempts = browsers.iter().enumerate().map(|(n, browser)| {
        let name = format!("Client {n}");
        let app = &app;
        async move {
            app.post_as(
                browser,
                "/customer/monitors",
                &[
                    ("name", &name),
                    ("kind", "device"),
                    ("target", "srv-01.lan"),
                ],
            )
            .await
            .status()
            .as_u16()
        }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 303, 303, 303]);
    let made: i64 = monitors::table
        .filter(monitors::sub_account_id.eq(&reseller))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(made, 3);
}
