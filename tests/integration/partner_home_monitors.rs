//! The partner home's "customers with a monitor down" (issue 8): shown only when
//! the partner's customers have monitors, equal to the customer list filtered by
//! `monitors=down`, moving with the app's clock, never counting another
//! partner's or a dissociated customer; the list's filter chip and the CSV
//! export keep the filter.

use chrono::{Duration, NaiveDateTime};
use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;
use serde_json::json;

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_home::{count_of, dissociate, figures, figures_match_lists, list_total};

/// Posts one check result of `monitor` through the JSON API.
async fn check(app: &TestApp, token: &str, monitor: &str, at: NaiveDateTime, success: bool) {
    let response = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/monitors/{monitor}/results")))
        .bearer_auth(token)
        .json(&json!({"results": [
            {"checked_at": at.and_utc().to_rfc3339(), "success": success, "response_ms": 90}
        ]}))
        .send()
        .await
        .expect("POST results");
    assert!(response.status().is_success(), "{}", response.status());
}

/// (customers, monitors) of the figure, None when it is not shown.
async fn monitors_down(app: &TestApp, username: &str) -> Option<(i64, i64)> {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let (status, page) = page_of(&browser, app, "/partner").await;
    assert_eq!(status, 200);
    let found = figures(&page);
    if !found.iter().any(|(id, _, _)| id == "figure-monitors-down") {
        return None;
    }
    let monitors = regex::Regex::new(r#"id="figure-monitors-down"[^>]* data-monitors="(\d+)""#)
        .expect("regex")
        .captures(&page)
        .expect("a monitor count")[1]
        .parse()
        .expect("monitors");
    Some((count_of(&found, "figure-monitors-down"), monitors))
}

#[tokio::test]
async fn customers_with_a_monitor_down_equal_the_filtered_list_and_follow_the_clock() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(&ours, &format!("{}@contoso.example", role.as_str()), role);
    }
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    let coho = app.customer(&ours, &CustomerSpec::named("Coho"));
    let gone = app.customer(&ours, &CustomerSpec::named("Ion"));
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&theirs, "owner@fabrikam.example", PartnerRole::Owner);
    let foreign = app.customer(&theirs, &CustomerSpec::named("Humongous"));

    // No monitor yet: no such figure.
    assert_eq!(monitors_down(&app, "owner@contoso.example").await, None);

    let now = app.clock_now();
    let shop = app.monitor(&adatum, "Shop");
    let mail = app.monitor(&adatum, "Mail");
    let api = app.monitor(&bellows, "Api");
    app.monitor(&coho, "Quiet");
    let left = app.monitor(&gone, "Gone");
    let other = app.monitor(&foreign, "Theirs");
    for (customer, monitor, minutes_ago, success) in [
        (&adatum, &shop, 5, false),
        (&adatum, &mail, 10, false),
        (&bellows, &api, 2, true),
        (&gone, &left, 3, false),
        (&foreign, &other, 3, false),
    ] {
        let (_, token) = app.customer_api_token(customer);
        check(
            &app,
            &token,
            monitor,
            now - Duration::minutes(minutes_ago),
            success,
        )
        .await;
    }
    // Ion leaves Contoso through the real server.
    let owner = dissociate(&app, "owner@contoso.example", &gone).await;

    for role in PartnerRole::ALL {
        let username = format!("{}@contoso.example", role.as_str());
        let found = figures_match_lists(&app, &username).await;
        assert_eq!(count_of(&found, "figure-monitors-down"), 1, "{role:?}");
        assert_eq!(
            monitors_down(&app, &username).await,
            Some((1, 2)),
            "{role:?}: Adatum's two monitors"
        );
    }
    the_monitors_down_filter_lists_adatum(&app, &owner).await;

    // Bellows's check fails too.
    let (_, token) = app.customer_api_token(&bellows);
    check(&app, &token, &api, app.clock_now(), false).await;
    let found = figures_match_lists(&app, "sales_agent@contoso.example").await;
    assert_eq!(count_of(&found, "figure-monitors-down"), 2);
    assert_eq!(
        monitors_down(&app, "owner@contoso.example").await,
        Some((2, 3))
    );
    // The other partner sees its own only.
    assert_eq!(
        monitors_down(&app, "owner@fabrikam.example").await,
        Some((1, 1))
    );

    // An hour without news: the monitors are unknown, not down.
    app.clock.advance(Duration::minutes(61));
    let found = figures_match_lists(&app, "owner@contoso.example").await;
    assert_eq!(count_of(&found, "figure-monitors-down"), 0);
    assert_eq!(
        monitors_down(&app, "owner@contoso.example").await,
        Some((0, 0))
    );
}

/// The filter lists Adatum only, is a removable chip kept by the other filters'
/// form, and the export reads the same view.
async fn the_monitors_down_filter_lists_adatum(app: &TestApp, owner: &reqwest::Client) {
    let (_, listed) = page_of(owner, app, "/partner/customers?monitors=down").await;
    assert!(listed.contains("Adatum"));
    assert!(!listed.contains("Bellows") && !listed.contains("Humongous"));
    assert!(!listed.contains("ion.example"));
    // The filter is a removable chip, kept by the other filters' form.
    let chip = &listed[listed
        .find(r#"id="monitors-down-filter""#)
        .expect("a filter chip")..];
    let removal = regex::Regex::new(r#"href="([^"]+)""#)
        .expect("regex")
        .captures(chip)
        .expect("a link to remove it")[1]
        .to_owned();
    assert_eq!(unescape(&removal), "/partner/customers");
    assert!(listed.contains(r#"<input type="hidden" name="monitors" value="down">"#));
    assert_eq!(
        list_total(app, owner, "/partner/customers?monitors=down&q=bell").await,
        0
    );
    // The export reads the same view.
    let csv = owner
        .get(app.url("/partner/customers.csv?monitors=down"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(csv.lines().count(), 2, "a header and Adatum: {csv}");
    assert!(csv.contains("Adatum"));
}

#[tokio::test]
async fn the_figure_goes_when_the_last_monitor_goes_or_its_customer_leaves() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let bellows = app.customer(&ours, &CustomerSpec::named("Bellows"));
    let shop = app.monitor(&adatum, "Shop");
    app.monitor(&bellows, "Api");
    assert_eq!(
        monitors_down(&app, "owner@contoso.example").await,
        Some((0, 0))
    );

    // Adatum's administrator deletes its monitor in the console.
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let deleted = app
        .post_confirmed(&admin, &format!("/customer/monitors/{shop}/delete"), &[])
        .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(
        monitors_down(&app, "owner@contoso.example").await,
        Some((0, 0)),
        "Bellows still has one"
    );

    // Bellows leaves: none of Contoso's customers has a monitor any more.
    dissociate(&app, "owner@contoso.example", &bellows).await;
    assert_eq!(monitors_down(&app, "owner@contoso.example").await, None);
    let found = figures_match_lists(&app, "owner@contoso.example").await;
    assert!(!found.iter().any(|(id, _, _)| id == "figure-monitors-down"));
}
