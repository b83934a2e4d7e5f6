//! Sub-account forms and permissions: refusals explained in both languages,
//! permissions granted later applied on the next request, and tokens acting for a
//! sub-account.

use crate::customers::error_next_to;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::monitoring_helpers::{api_post, page, rfc3339};
use crate::sub_accounts::{Fixture, fixture};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use partnerdesk::i18n::Lang;
use serde_json::json;

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
        sub_account_and_alert_refusals(
            &app,
            &browser,
            lang,
            &shop,
            [quota_message, recipient_message],
        )
        .await;
        operator_refusals(&app, &browser, &operators, [invalid, already]).await;
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

/// A sub-account with a bad quota, an alert without monitors, then without
/// recipients: each refused in `lang`, with what was typed kept.
async fn sub_account_and_alert_refusals(
    app: &TestApp,
    browser: &reqwest::Client,
    lang: Lang,
    shop: &str,
    [quota_message, recipient_message]: [&str; 2],
) {
    let refused = app
        .post_as(
            browser,
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
            browser,
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
            browser,
            "/customer/alerts",
            &[
                ("name", "Typed alert"),
                ("failures", "2"),
                ("monitor_ids", shop),
            ],
        )
        .await;
    let body = refused.text().await.expect("body");
    assert!(body.contains(recipient_message), "{lang:?}: {body}");
    assert!(body.contains("checked"), "the chosen monitor stays chosen");
}

/// Inviting an operator: a bad address, then someone already in.
async fn operator_refusals(
    app: &TestApp,
    browser: &reqwest::Client,
    operators: &str,
    [invalid, already]: [&str; 2],
) {
    let invite = |email: &'static str, login: &'static str| {
        [
            ("full_name", "Typed Person"),
            ("email", email),
            ("username", login),
            ("language", "fr"),
        ]
    };
    let refused = app
        .post_as(browser, operators, &invite("not an email", ""))
        .await;
    assert_eq!(refused.status(), 200);
    let body = refused.text().await.expect("body");
    assert_eq!(error_next_to(&body, "email").as_deref(), Some(invalid));
    assert!(body.contains(r#"value="Typed Person""#) && body.contains(r#"value="not an email""#));
    let refused = app
        .post_as(
            browser,
            operators,
            &invite("vera@vendor.example", "vera@vendor.example"),
        )
        .await;
    assert_eq!(refused.status(), 200);
    let body = refused.text().await.expect("body");
    assert_eq!(error_next_to(&body, "username").as_deref(), Some(already));
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
    for (path, form) in [
        ("/customer/dashboards", &board[..]),
        ("/customer/alerts", &alert[..]),
    ] {
        let refused = app.post_as(&browser, path, form).await;
        assert_eq!(refused.status(), 403, "{path}");
    }
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
    alerts_stay_within_the_sub_account(&app, &browser, [&shop, &checkout], &vera).await;
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

/// Still within the sub-account: no monitor it does not see, no person of the
/// account, and no owner but itself.
async fn alerts_stay_within_the_sub_account(
    app: &TestApp,
    browser: &reqwest::Client,
    [shop, checkout]: [&str; 2],
    vera: &str,
) {
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
                ("monitor_ids", checkout),
                ("recipient_ids", vera),
            ],
        ),
        (
            "recipient_ids-error",
            vec![
                ("name", "Tell the boss"),
                ("failures", "1"),
                ("monitor_ids", shop),
                ("recipient_ids", admin_membership.as_str()),
            ],
        ),
    ] {
        let refused = app.post_as(browser, "/customer/alerts", &form).await;
        assert_eq!(refused.status(), 200);
        let body = refused.text().await.expect("body");
        assert!(body.contains(field), "{field}: {body}");
        assert!(
            !body.contains("admin@adatum.example"),
            "no account person offered"
        );
    }
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
    let now = app.clock_now();
    assert_eq!(list_status(&app, &token).await, 200);
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
    assert_eq!(list_status(&app, &token).await, 401);
    assert_eq!(post(token.clone(), now - Duration::minutes(2)).await, 401);
    // The account's own token still posts to the sub-account's monitor.
    assert_eq!(list_status(&app, &account_token).await, 200);
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
    assert_eq!(list_status(&app, &token).await, 200);
    assert_eq!(post(token, now - Duration::minutes(1)).await, 201);
}

/// The status of listing the monitors with `token`.
async fn list_status(app: &TestApp, token: &str) -> u16 {
    reqwest::Client::new()
        .get(app.url("/api/v1/monitors"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET")
        .status()
        .as_u16()
}
