//! Sub-accounts (C3) and alert definitions (C4) through the real server and
//! SMTP receiver: the three use cases of seed 000 (SLA transparency, vendor
//! access, reseller), strict isolation of an operator in pages and API, grants
//! that take effect on the next request, the quota under concurrent creation,
//! and an alert sent once per failure episode.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use partnerdesk::db::schema::{email_outbox, monitors};
use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::customers::error_next_to;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app};
use crate::monitoring_helpers::{api_post, page, rfc3339};

struct Fixture {
    app: TestApp,
    adatum: String,
    admin: reqwest::Client,
    /// The account's own monitors: one on the SLA dashboard, one on an
    /// internal dashboard.
    shop: String,
    checkout: String,
    sla: String,
    internal: String,
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let shop = app.monitor(&adatum, "Shop");
    let checkout = app.monitor(&adatum, "Checkout API");
    let sla = app.dashboard(&adatum, "SLA", &[&shop]);
    let internal = app.dashboard(&adatum, "Internal", &[&checkout]);
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    Fixture {
        app,
        adatum,
        admin,
        shop,
        checkout,
        sla,
        internal,
    }
}

async fn api_monitor_ids(app: &TestApp, token: &str) -> Vec<String> {
    let body: Value = reqwest::Client::new()
        .get(app.url("/api/v1/monitors"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    let mut ids: Vec<String> = body["monitors"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|m| m["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// The ids of the rows of a listing table (`data-monitor="…"` and the like).
fn ids_in(body: &str, attribute: &str) -> Vec<String> {
    let pattern = regex::Regex::new(&format!(r#"{attribute}="([^"]+)""#)).expect("regex");
    let mut ids: Vec<String> = pattern
        .captures_iter(body)
        .map(|c| c[1].to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    all.sort();
    all
}

#[tokio::test]
async fn sla_transparency_an_end_customer_sees_its_dashboard_read_only_until_the_grant_goes() {
    let Fixture {
        app,
        admin,
        shop,
        checkout,
        sla,
        internal,
        ..
    } = fixture().await;
    // The administrator creates a view-only sub-account, grants the SLA
    // dashboard and invites the end customer's person.
    let created = app
        .post_as(
            &admin,
            "/customer/sub-accounts",
            &[("name", "Fabrikam (end customer)"), ("monitor_quota", "")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let sub_page = location(&created);
    assert!(
        sub_page.starts_with("/customer/sub-accounts/"),
        "{sub_page}"
    );
    let granted = app
        .post_as(
            &admin,
            &format!("{sub_page}/grants"),
            &[("dashboard_ids", sla.as_str())],
        )
        .await;
    assert_eq!(granted.status(), 303);
    let invited = app
        .post_as(
            &admin,
            &format!("{sub_page}/operators"),
            &[
                ("full_name", "Fay Client"),
                ("email", "fay@fabrikam.example"),
                ("username", ""),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(invited.status(), 303);
    let emails = app.mail.wait_for_to("fay@fabrikam.example", 1).await;
    assert_eq!(emails.len(), 1);
    assert!(
        emails[0].subject.contains("Fabrikam (end customer)"),
        "the invitation names the sub-account: {}",
        emails[0].subject
    );
    let link = emails[0]
        .links()
        .into_iter()
        .find(|l| l.contains("/activate/"))
        .expect("activation link");
    let path = link.trim_start_matches(&app.address).to_owned();
    let activated = app
        .post_form(
            &path,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
    let fay = app
        .browser_signed_in("fay@fabrikam.example", PASSWORD)
        .await;

    // Exactly the granted dashboard, and the monitor on it; nothing else.
    let (status, home) = page(&fay, &app, "/customer").await;
    assert_eq!(status, 200);
    assert!(
        home.contains(&format!("/customer/dashboards/{sla}")),
        "{home}"
    );
    assert!(!home.contains("Internal") && !home.contains("Checkout API"));
    let (_, dashboards) = page(&fay, &app, "/customer/dashboards").await;
    assert_eq!(ids_in(&dashboards, "data-dashboard"), sorted(&[&sla]));
    assert!(!dashboards.contains("dashboard-form"), "view only: no form");
    let (status, dashboard) = page(&fay, &app, &format!("/customer/dashboards/{sla}")).await;
    assert_eq!(status, 200);
    assert!(dashboard.contains("<svg") && dashboard.contains("Shop"));
    let (_, monitors) = page(&fay, &app, "/customer/monitors").await;
    assert_eq!(ids_in(&monitors, "data-monitor"), sorted(&[&shop]));
    assert_eq!(
        page(&fay, &app, &format!("/customer/monitors/{shop}"))
            .await
            .0,
        200
    );
    for hidden in [
        format!("/customer/dashboards/{internal}"),
        format!("/customer/monitors/{checkout}"),
        "/customer/dashboards/no-such-dashboard".to_owned(),
    ] {
        assert_eq!(page(&fay, &app, &hidden).await.0, 404, "{hidden}");
    }
    // Read-only: building, managing and the account's own pages are refused.
    for (path, form) in [
        (
            "/customer/dashboards",
            vec![("name", "Mine"), ("sla_target", "99")],
        ),
        (
            "/customer/monitors",
            vec![("name", "Mine"), ("kind", "web")],
        ),
        (
            "/customer/alerts",
            vec![("name", "Mine"), ("failures", "1")],
        ),
    ] {
        let refused = app.post_as(&fay, path, &form).await;
        assert_eq!(refused.status(), 403, "POST {path}");
    }
    for path in [
        "/customer/users",
        "/customer/sites",
        "/customer/activity",
        "/customer/sub-accounts",
        "/customer/orders",
        "/customer/api-tokens",
    ] {
        assert_eq!(page(&fay, &app, path).await.0, 403, "GET {path}");
    }

    // The grant goes: on Fay's very next request the dashboard is gone.
    let revoked = app
        .post_as(&admin, &format!("{sub_page}/grants"), &[])
        .await;
    assert_eq!(revoked.status(), 303);
    assert_eq!(
        page(&fay, &app, &format!("/customer/dashboards/{sla}"))
            .await
            .0,
        404
    );
    assert_eq!(
        page(&fay, &app, &format!("/customer/monitors/{shop}"))
            .await
            .0,
        404
    );
    let (_, dashboards) = page(&fay, &app, "/customer/dashboards").await;
    assert!(ids_in(&dashboards, "data-dashboard").is_empty());
}

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
    let admin_membership: String = {
        let (_, body) = page(&admin, &app, "/customer/alerts").await;
        let pattern = regex::Regex::new(r#"id="recipient-([^"]+)""#).expect("regex");
        let ids: Vec<String> = pattern
            .captures_iter(&body)
            .map(|c| c[1].to_owned())
            .collect();
        assert!(
            ids.contains(&vera),
            "the vendor's operator is offered: {body}"
        );
        ids.into_iter()
            .find(|id| *id != vera)
            .expect("the administrator is offered too")
    };
    // A definition for the vendor's sub-account, and the account's own.
    let created = app
        .post_as(
            &admin,
            "/customer/alerts",
            &[
                ("owner", vendor.as_str()),
                ("name", "CDN down"),
                ("failures", "3"),
                ("monitor_ids", cdn.as_str()),
                ("recipient_ids", vera.as_str()),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let refused = app
        .post_as(
            &admin,
            "/customer/alerts",
            &[
                ("owner", vendor.as_str()),
                ("name", "Shop for the vendor"),
                ("failures", "3"),
                ("monitor_ids", shop.as_str()),
                ("recipient_ids", admin_membership.as_str()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 200, "not the vendor's monitor or person");
    let body = refused.text().await.expect("body");
    assert!(body.contains("id=\"monitor_ids-error\""), "{body}");
    let own = app
        .post_as(
            &admin,
            "/customer/alerts",
            &[
                ("name", "Everything"),
                ("failures", "1"),
                ("monitor_ids", cdn.as_str()),
                ("recipient_ids", admin_membership.as_str()),
            ],
        )
        .await;
    assert_eq!(own.status(), 303);

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

    // The vendor reads the error log of its monitor, and sees only its alerts.
    let (status, _) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{cdn}/errors"),
        json!({"logged_at": rfc3339(next), "severity": "critical",
               "message": "Origin pool exhausted in fra-2"}),
    )
    .await;
    assert_eq!(status, 201);
    let vera_browser = app.browser_signed_in("vera@cdn.example", PASSWORD).await;
    let (status, monitor_page) =
        page(&vera_browser, &app, &format!("/customer/monitors/{cdn}")).await;
    assert_eq!(status, 200);
    assert!(monitor_page.contains("Origin pool exhausted in fra-2"));
    assert!(monitor_page.contains("502 Bad Gateway from edge"));
    let (_, alerts_page) = page(&vera_browser, &app, "/customer/alerts").await;
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
    // A name the account already uses elsewhere is free in the sub-account:
    // a refusal would tell the operator what the account holds.
    for name in ["Client site", "Checkout API"] {
        let created = app
            .post_as(
                &rex,
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
            &rex,
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

#[tokio::test]
async fn an_operator_finds_nothing_outside_its_grants_in_pages_counts_or_the_api() {
    let Fixture {
        app,
        adatum,
        shop,
        checkout,
        internal,
        ..
    } = fixture().await;
    let first = app.sub_account(&adatum, "First", Some(5));
    let second = app.sub_account(&adatum, "Second", Some(5));
    let ours = app.sub_account_monitor(&adatum, &first, "First's site");
    let theirs = app.sub_account_monitor(&adatum, &second, "Second's site");
    let their_board = app.sub_account_dashboard(&adatum, &second, "Second's board", &[&theirs]);
    app.grant(&first, &[], &[&shop]);
    app.operator(&first, "otto@first.example");
    let otto = app.browser_signed_in("otto@first.example", PASSWORD).await;

    for path in [
        format!("/customer/monitors/{theirs}"),
        format!("/customer/monitors/{checkout}"),
        format!("/customer/dashboards/{their_board}"),
        format!("/customer/dashboards/{internal}"),
        format!("/customer/monitors/{theirs}/edit"),
        format!("/customer/dashboards/{their_board}/edit"),
    ] {
        assert_eq!(page(&otto, &app, &path).await.0, 404, "{path}");
    }
    for path in [
        format!("/customer/monitors/{theirs}/delete"),
        format!("/customer/dashboards/{their_board}/delete"),
    ] {
        assert_eq!(app.post_as(&otto, &path, &[]).await.status(), 404, "{path}");
    }
    // Counts: the operator's home counts its own monitor and its grant only.
    let (_, home) = page(&otto, &app, "/customer").await;
    assert!(home.contains("data-monitors-total=\"2\""), "{home}");
    // A dashboard built from a monitor it does not see is refused.
    let refused = app
        .post_as(
            &otto,
            "/customer/dashboards",
            &[
                ("name", "Sneaky"),
                ("sla_target", "99"),
                ("monitor_ids", theirs.as_str()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 200);
    assert!(
        refused
            .text()
            .await
            .expect("body")
            .contains("monitor_ids-error")
    );

    // The API: a sub-account's token lists what the sub-account sees, and
    // posts only to the monitors it made.
    let (_, token) = app.sub_account_api_token(&adatum, &first);
    assert_eq!(api_monitor_ids(&app, &token).await, sorted(&[&ours, &shop]));
    let now = rfc3339(app.clock_now());
    let result = json!({"checked_at": now, "success": true, "response_ms": 80});
    for monitor in [&theirs, &checkout, &shop] {
        let (status, body) = api_post(
            &app,
            &token,
            &format!("/api/v1/monitors/{monitor}/results"),
            result.clone(),
        )
        .await;
        assert_eq!(status, 404, "{monitor}: {body}");
    }
    let (status, _) = api_post(
        &app,
        &token,
        &format!("/api/v1/monitors/{ours}/results"),
        result.clone(),
    )
    .await;
    assert_eq!(status, 201);
    // Another customer's token finds none of this account's monitors.
    let ours_partner = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let other = app.customer(&ours_partner, &CustomerSpec::named("Bellows"));
    let (_, foreign) = app.customer_api_token(&other);
    assert!(api_monitor_ids(&app, &foreign).await.is_empty());
    let (status, _) = api_post(
        &app,
        &foreign,
        &format!("/api/v1/monitors/{ours}/results"),
        result,
    )
    .await;
    assert_eq!(status, 404);

    // One login, two sub-accounts: each membership shows its own.
    let second_membership = app.operator(&second, "otto@first.example");
    let both = app.browser_signed_in("otto@first.example", PASSWORD).await;
    let (_, picker) = page(&both, &app, "/memberships").await;
    assert!(
        picker.contains("First") && picker.contains("Second"),
        "{picker}"
    );
    let switched = app
        .post_as(
            &both,
            "/memberships/switch",
            &[("membership_id", second_membership.as_str())],
        )
        .await;
    assert_eq!(switched.status(), 303);
    let (_, listed) = page(&both, &app, "/customer/monitors").await;
    assert_eq!(ids_in(&listed, "data-monitor"), sorted(&[&theirs]));
    assert_eq!(
        page(&both, &app, &format!("/customer/monitors/{ours}"))
            .await
            .0,
        404
    );
    // Removing the operator ends its access on the next request.
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let gone = app
        .post_confirmed(
            &admin,
            &format!("/customer/sub-accounts/{second}/operators/{second_membership}/remove"),
            &[],
        )
        .await;
    assert_eq!(gone.status(), 303);
    let after = both
        .get(app.url("/customer/monitors"))
        .send()
        .await
        .expect("GET");
    assert_ne!(
        after.status().as_u16(),
        200,
        "no longer an operator of Second"
    );
    let unsigned = client();
    assert_eq!(
        unsigned
            .get(app.url("/customer/sub-accounts"))
            .send()
            .await
            .expect("GET")
            .status()
            .as_u16(),
        303
    );
}

#[tokio::test]
async fn sub_account_and_alert_forms_say_what_is_wrong_in_french_and_english() {
    let Fixture {
        app, adatum, shop, ..
    } = fixture().await;
    let vendor = app.sub_account(&adatum, "Vendor", None);
    app.operator(&vendor, "vera@vendor.example");
    let operators = format!("/customer/sub-accounts/{vendor}/operators");
    for (lang, username, quota_message, recipient_message, invalid, already) in [
        (
            Lang::En,
            "en-admin@adatum.example",
            "Enter a whole number from 0 to 10,000.",
            "Choose at least one recipient.",
            "This value is not valid.",
            "This person already operates this sub-account.",
        ),
        (
            Lang::Fr,
            "fr-admin@adatum.example",
            "Saisissez un nombre entier de 0 à 10\u{202f}000.",
            "Choisissez au moins un destinataire.",
            "Cette valeur n'est pas valide.",
            "Cette personne est déjà opérateur de ce sous-compte.",
        ),
    ] {
        app.customer_administrator(&adatum, username);
        diesel::update(
            partnerdesk::db::schema::logins::table
                .filter(partnerdesk::db::schema::logins::username.eq(username)),
        )
        .set(partnerdesk::db::schema::logins::language.eq(lang.code()))
        .execute(&mut app.conn())
        .expect("language");
        let browser = app.browser_signed_in(username, PASSWORD).await;
        let refused = app
            .post_as(
                &browser,
                "/customer/sub-accounts",
                &[
                    ("name", "Typed name"),
                    ("can_manage_monitors", "on"),
                    ("monitor_quota", "lots"),
                ],
            )
            .await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert!(body.contains(quota_message), "{lang:?}: {body}");
        assert!(body.contains("value=\"Typed name\"") && body.contains("value=\"lots\""));
        let refused = app
            .post_as(
                &browser,
                "/customer/alerts",
                &[("name", "Typed alert"), ("failures", "2")],
            )
            .await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        let wanted = if lang == Lang::En {
            "Choose at least one monitor."
        } else {
            "Choisissez au moins un moniteur."
        };
        assert!(body.contains(wanted), "{lang:?}: {body}");
        assert!(body.contains("value=\"Typed alert\""));
        let refused = app
            .post_as(
                &browser,
                "/customer/alerts",
                &[
                    ("name", "Typed alert"),
                    ("failures", "2"),
                    ("monitor_ids", shop.as_str()),
                ],
            )
            .await;
        let body = refused.text().await.expect("body");
        assert!(body.contains(recipient_message), "{lang:?}: {body}");
        assert!(body.contains("checked"), "the chosen monitor stays chosen");
        // Inviting an operator: a bad address, then someone already in.
        let invite = |email: &'static str, login: &'static str| {
            [
                ("full_name", "Typed Person"),
                ("email", email),
                ("username", login),
                ("language", "fr"),
            ]
        };
        let refused = app
            .post_as(&browser, &operators, &invite("not an email", ""))
            .await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert_eq!(error_next_to(&body, "email").as_deref(), Some(invalid));
        assert!(
            body.contains(r#"value="Typed Person""#) && body.contains(r#"value="not an email""#)
        );
        let refused = app
            .post_as(
                &browser,
                &operators,
                &invite("vera@vendor.example", "vera@vendor.example"),
            )
            .await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert_eq!(error_next_to(&body, "username").as_deref(), Some(already));
    }
    let operators_now: i64 = partnerdesk::db::schema::memberships::table
        .filter(partnerdesk::db::schema::memberships::sub_account_id.eq(&vendor))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(operators_now, 1, "no operator half-invited");
    let subs: i64 = partnerdesk::db::schema::sub_accounts::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(
        subs, 1,
        "nothing half-saved: only the fixture's sub-account"
    );
}

#[tokio::test]
async fn permissions_granted_later_apply_on_the_next_request_and_stay_within_the_sub_account() {
    let Fixture {
        app,
        adatum,
        admin,
        shop,
        checkout,
        ..
    } = fixture().await;
    let vendor = app.sub_account(&adatum, "Vendor", None);
    app.grant(&vendor, &[], &[&shop]);
    let vera = app.operator(&vendor, "vera@vendor.example");
    let browser = app.browser_signed_in("vera@vendor.example", PASSWORD).await;
    let board = [
        ("name", "My view"),
        ("sla_target", "99.5"),
        ("monitor_ids", shop.as_str()),
    ];
    let alert = [
        ("name", "Shop down"),
        ("failures", "2"),
        ("monitor_ids", shop.as_str()),
        ("recipient_ids", vera.as_str()),
    ];
    assert_eq!(
        app.post_as(&browser, "/customer/dashboards", &board)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post_as(&browser, "/customer/alerts", &alert)
            .await
            .status(),
        403
    );
    // The administrator lets the vendor build dashboards and edit its alerts.
    let changed = app
        .post_as(
            &admin,
            &format!("/customer/sub-accounts/{vendor}"),
            &[
                ("name", "Vendor"),
                ("can_build_dashboards", "on"),
                ("can_edit_alerts", "on"),
                ("monitor_quota", ""),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    let built = app.post_as(&browser, "/customer/dashboards", &board).await;
    assert_eq!(built.status(), 303);
    let made = app.post_as(&browser, "/customer/alerts", &alert).await;
    assert_eq!(made.status(), 303);
    // Still within the sub-account: no monitor it does not see, no person of
    // the account, and no owner but itself.
    let admin_membership: String = partnerdesk::db::schema::memberships::table
        .inner_join(partnerdesk::db::schema::logins::table)
        .filter(partnerdesk::db::schema::logins::username.eq("admin@adatum.example"))
        .select(partnerdesk::db::schema::memberships::id)
        .first(&mut app.conn())
        .expect("the administrator's membership");
    for (field, form) in [
        (
            "monitor_ids-error",
            vec![
                ("name", "Checkout"),
                ("failures", "1"),
                ("monitor_ids", checkout.as_str()),
                ("recipient_ids", vera.as_str()),
            ],
        ),
        (
            "recipient_ids-error",
            vec![
                ("name", "Tell the boss"),
                ("failures", "1"),
                ("monitor_ids", shop.as_str()),
                ("recipient_ids", admin_membership.as_str()),
            ],
        ),
    ] {
        let refused = app.post_as(&browser, "/customer/alerts", &form).await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert!(body.contains(field), "{field}: {body}");
        assert!(
            !body.contains("admin@adatum.example"),
            "no account person offered"
        );
    }
    let (_, own) = page(&browser, &app, "/customer/alerts").await;
    assert!(own.contains("Shop down") && own.contains("After 2 failed checks in a row"));
    // The administrator sees both, marked as the sub-account's.
    let (_, all) = page(&admin, &app, "/customer/alerts").await;
    assert!(
        all.contains("Shop down") && all.contains("<td>Vendor</td>"),
        "{all}"
    );
    let (_, boards) = page(&admin, &app, "/customer/dashboards").await;
    assert!(boards.contains("My view"));
    // Taken away again: the next request is refused.
    let changed = app
        .post_as(
            &admin,
            &format!("/customer/sub-accounts/{vendor}"),
            &[("name", "Vendor"), ("monitor_quota", "")],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(
        app.post_as(&browser, "/customer/dashboards", &board)
            .await
            .status(),
        403
    );
}

/// The account's token page says which tokens act within a sub-account; an
/// operator's lists only its own, without the column.
#[tokio::test]
async fn the_account_token_page_names_the_sub_account_a_token_acts_for() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let vendor = app.sub_account(&adatum, "NetOps", Some(3));
    let (vendor_token, _) = app.sub_account_api_token(&adatum, &vendor);
    app.operator(&vendor, "fay@netops.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let created = app
        .post_as(&admin, "/customer/api-tokens", &[("name", "Agent")])
        .await;
    assert_eq!(created.status(), 200);
    let (status, listed) = page(&admin, &app, "/customer/api-tokens").await;
    assert_eq!(status, 200);
    let row_of = |body: &str, token: &str| -> String {
        let start = body
            .find(&format!(r#"data-token="{token}""#))
            .expect("the token's row");
        body[start..start + body[start..].find("</tr>").expect("row end")].to_owned()
    };
    assert!(row_of(&listed, &vendor_token).contains("Sub-account “NetOps”"));
    let account_rows = listed.matches("The whole account").count();
    assert_eq!(
        account_rows, 1,
        "the Agent token acts for the whole account"
    );

    let fay = app.browser_signed_in("fay@netops.example", PASSWORD).await;
    let (status, own) = page(&fay, &app, "/customer/api-tokens").await;
    assert_eq!(status, 200);
    assert!(own.contains(&format!(r#"data-token="{vendor_token}""#)));
    assert!(!own.contains("Acts for") && !own.contains("The whole account"));
}

/// A sub-account's token follows the sub-account's permission to manage
/// monitors on each request: taken away, the token lists and posts nothing
/// (as a revoked one); given back, it works again. The account's own tokens
/// are not touched.
#[tokio::test]
async fn a_sub_account_token_stops_when_its_operators_may_no_longer_manage_monitors() {
    let Fixture {
        app, adatum, admin, ..
    } = fixture().await;
    let vendor = app.sub_account(&adatum, "Vendor", Some(5));
    app.operator(&vendor, "vera@vendor.example");
    let vera = app.browser_signed_in("vera@vendor.example", PASSWORD).await;
    let created = app
        .post_as(&vera, "/customer/api-tokens", &[("name", "Probe")])
        .await;
    assert_eq!(created.status(), 200);
    let body = created.text().await.expect("body");
    let token = crate::monitoring_helpers::shown_token(&body);
    let (_, account_token) = app.customer_api_token(&adatum);
    let own = app.sub_account_monitor(&adatum, &vendor, "Vendor probe");
    let post = |token: String, at: NaiveDateTime| {
        let app = &app;
        let own = own.clone();
        async move {
            api_post(
                app,
                &token,
                &format!("/api/v1/monitors/{own}/results"),
                json!({"checked_at": rfc3339(at), "success": true, "response_ms": 90}),
            )
            .await
            .0
        }
    };
    let list_status = |token: String| {
        let app = &app;
        async move {
            reqwest::Client::new()
                .get(app.url("/api/v1/monitors"))
                .bearer_auth(token)
                .send()
                .await
                .expect("GET")
                .status()
                .as_u16()
        }
    };
    let now = app.clock_now();
    assert_eq!(list_status(token.clone()).await, 200);
    assert_eq!(post(token.clone(), now - Duration::minutes(3)).await, 201);

    let settings = |manage: bool| {
        let mut form = vec![("name", "Vendor"), ("monitor_quota", "5")];
        if manage {
            form.push(("can_manage_monitors", "on"));
        }
        form
    };
    let changed = app
        .post_as(
            &admin,
            &format!("/customer/sub-accounts/{vendor}"),
            &settings(false),
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(list_status(token.clone()).await, 401);
    assert_eq!(post(token.clone(), now - Duration::minutes(2)).await, 401);
    // The account's own token still posts to the sub-account's monitor.
    assert_eq!(list_status(account_token.clone()).await, 200);
    assert_eq!(
        post(account_token.clone(), now - Duration::minutes(2)).await,
        201
    );

    let changed = app
        .post_as(
            &admin,
            &format!("/customer/sub-accounts/{vendor}"),
            &settings(true),
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(list_status(token.clone()).await, 200);
    assert_eq!(post(token, now - Duration::minutes(1)).await, 201);
}
