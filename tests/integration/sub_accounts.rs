//! Sub-accounts (C3) and alert definitions (C4) through the real server and
//! SMTP receiver: the three use cases of seed 000 (SLA transparency, vendor
//! access, reseller), strict isolation of an operator in pages and API, grants
//! that take effect on the next request, the quota under concurrent creation,
//! and an alert sent once per failure episode.

use partnerdesk::i18n::Lang;
use serde_json::{Value, json};

use crate::helpers::customers::CustomerSpec;
use crate::helpers::location;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, client, spawn_app};
use crate::monitoring_helpers::{api_post, page, rfc3339};

pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) adatum: String,
    pub(crate) admin: reqwest::Client,
    /// The account's own monitors: one on the SLA dashboard, one on an
    /// internal dashboard.
    pub(crate) shop: String,
    pub(crate) checkout: String,
    pub(crate) sla: String,
    pub(crate) internal: String,
}

pub(crate) async fn fixture() -> Fixture {
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
pub(crate) fn ids_in(body: &str, attribute: &str) -> Vec<String> {
    let pattern = regex::Regex::new(&format!(r#"{attribute}="([^"]+)""#)).expect("regex");
    let mut ids: Vec<String> = pattern
        .captures_iter(body)
        .map(|c| c[1].to_owned())
        .collect();
    ids.sort();
    ids
}

pub(crate) fn sorted(ids: &[&str]) -> Vec<String> {
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
    let (sub_page, fay) = an_end_customer_with_the_sla_dashboard(&app, &admin, &sla).await;
    sees_exactly_the_grant(&app, &fay, [&sla, &shop], [&internal, &checkout]).await;
    read_only(&app, &fay).await;

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

/// The administrator creates a view-only sub-account, grants it the SLA
/// dashboard and invites the end customer's person, Fay, who activates and
/// signs in. Returns the sub-account's page and Fay's browser.
async fn an_end_customer_with_the_sla_dashboard(
    app: &TestApp,
    admin: &reqwest::Client,
    sla: &str,
) -> (String, reqwest::Client) {
    let created = app
        .post_as(
            admin,
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
            admin,
            &format!("{sub_page}/grants"),
            &[("dashboard_ids", sla)],
        )
        .await;
    assert_eq!(granted.status(), 303);
    let invited = app
        .post_as(
            admin,
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
    (sub_page, fay)
}

/// Exactly the granted dashboard and the monitor on it; nothing else.
async fn sees_exactly_the_grant(
    app: &TestApp,
    fay: &reqwest::Client,
    [sla, shop]: [&str; 2],
    [internal, checkout]: [&str; 2],
) {
    let (status, home) = page(fay, app, "/customer").await;
    assert_eq!(status, 200);
    assert!(
        home.contains(&format!("/customer/dashboards/{sla}")),
        "{home}"
    );
    assert!(!home.contains("Internal") && !home.contains("Checkout API"));
    let (_, dashboards) = page(fay, app, "/customer/dashboards").await;
    assert_eq!(ids_in(&dashboards, "data-dashboard"), sorted(&[sla]));
    assert!(!dashboards.contains("dashboard-form"), "view only: no form");
    let (status, dashboard) = page(fay, app, &format!("/customer/dashboards/{sla}")).await;
    assert_eq!(status, 200);
    assert!(dashboard.contains("<svg") && dashboard.contains("Shop"));
    let (_, monitors) = page(fay, app, "/customer/monitors").await;
    assert_eq!(ids_in(&monitors, "data-monitor"), sorted(&[shop]));
    assert_eq!(
        page(fay, app, &format!("/customer/monitors/{shop}"))
            .await
            .0,
        200
    );
    for hidden in [
        format!("/customer/dashboards/{internal}"),
        format!("/customer/monitors/{checkout}"),
        "/customer/dashboards/no-such-dashboard".to_owned(),
    ] {
        assert_eq!(page(fay, app, &hidden).await.0, 404, "{hidden}");
    }
}

/// Read-only: building, managing and the account's own pages are refused.
async fn read_only(app: &TestApp, fay: &reqwest::Client) {
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
        let refused = app.post_as(fay, path, &form).await;
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
        assert_eq!(page(fay, app, path).await.0, 403, "GET {path}");
    }
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

    the_api_sees_only_what_the_sub_account_sees(
        &app,
        &adatum,
        &first,
        [&ours, &shop],
        [&theirs, &checkout],
    )
    .await;
    one_login_in_two_sub_accounts_sees_each_in_turn(&app, &second, &ours, &theirs).await;
}

/// A sub-account's token lists the monitors the sub-account sees (`seen`) and
/// posts only to the one it made (the first of `seen`); another customer's
/// token finds none of them.
async fn the_api_sees_only_what_the_sub_account_sees(
    app: &TestApp,
    adatum: &str,
    first: &str,
    seen: [&str; 2],
    unseen: [&str; 2],
) {
    let [ours, shop] = seen;
    let [theirs, checkout] = unseen;
    let (_, token) = app.sub_account_api_token(adatum, first);
    assert_eq!(api_monitor_ids(app, &token).await, sorted(&[ours, shop]));
    let now = rfc3339(app.clock_now());
    let result = json!({"checked_at": now, "success": true, "response_ms": 80});
    for monitor in [&theirs, &checkout, &shop] {
        let (status, body) = api_post(
            app,
            &token,
            &format!("/api/v1/monitors/{monitor}/results"),
            result.clone(),
        )
        .await;
        assert_eq!(status, 404, "{monitor}: {body}");
    }
    let (status, _) = api_post(
        app,
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
    assert!(api_monitor_ids(app, &foreign).await.is_empty());
    let (status, _) = api_post(
        app,
        &foreign,
        &format!("/api/v1/monitors/{ours}/results"),
        result,
    )
    .await;
    assert_eq!(status, 404);
}

/// One login operating two sub-accounts sees each membership's own monitors;
/// removed from one, it loses that access on the next request.
async fn one_login_in_two_sub_accounts_sees_each_in_turn(
    app: &TestApp,
    second: &str,
    ours: &str,
    theirs: &str,
) {
    let second_membership = app.operator(second, "otto@first.example");
    let both = app.browser_signed_in("otto@first.example", PASSWORD).await;
    let (_, picker) = page(&both, app, "/memberships").await;
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
    let (_, listed) = page(&both, app, "/customer/monitors").await;
    assert_eq!(ids_in(&listed, "data-monitor"), sorted(&[theirs]));
    assert_eq!(
        page(&both, app, &format!("/customer/monitors/{ours}"))
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

/// Another account's administrator naming this account's sub-account and its
/// operator gets 404 from every operator route, and nothing changes.
#[tokio::test]
async fn another_accounts_administrator_cannot_touch_a_sub_accounts_operators() {
    use diesel::prelude::*;
    use partnerdesk::db::schema::memberships;
    let Fixture { app, adatum, .. } = fixture().await;
    let first = app.sub_account(&adatum, "First", Some(5));
    let otto = app.operator(&first, "otto@first.example");
    let fabrikam = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let bellows = app.customer(&fabrikam, &CustomerSpec::named("Bellows"));
    app.customer_administrator(&bellows, "admin@bellows.example");
    let intruder = app
        .browser_signed_in("admin@bellows.example", PASSWORD)
        .await;
    let base = format!("/customer/sub-accounts/{first}/operators");
    let invite = [
        ("full_name", "Eve Intruder"),
        ("email", "eve@intruder.example"),
        ("username", "eve@intruder.example"),
        ("language", "en"),
    ];
    let tries = [
        (base.clone(), &invite[..]),
        (format!("{base}/{otto}/remove"), &[("confirmed", "yes")][..]),
        (format!("{base}/{otto}/resend"), &[][..]),
    ];
    for (path, form) in tries {
        let answer = app.post_as(&intruder, &path, form).await;
        assert_eq!(answer.status(), 404, "{path}");
    }
    let operators: Vec<String> = memberships::table
        .filter(memberships::sub_account_id.eq(&first))
        .select(memberships::state)
        .load(&mut app.conn())
        .expect("the sub-account's operators");
    assert_eq!(operators, ["active"], "Otto stays, nobody was invited");
}
