//! The console's home roll-ups (issue 8): for the account's administrator and
//! user, and for a sub-account's operator, each figure equals the count of the
//! list it links to, and counts only what the person may see.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::db::schema::{monitors, service_requests};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

async fn page(browser: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = browser.get(app.url(path)).send().await.expect("GET");
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

/// The `data-count` of the element with `id`, and the link it carries.
fn figure(body: &str, id: &str) -> Option<(i64, String)> {
    let pattern = regex::Regex::new(&format!(
        r#"<a href="([^"]+)" id="{id}" data-count="(\d+)""#
    ))
    .expect("regex");
    let found = pattern.captures(body)?;
    Some((found[2].parse().ok()?, found[1].replace("&amp;", "&")))
}

fn rows(body: &str, attribute: &str) -> i64 {
    body.matches(&format!("{attribute}=\"")).count() as i64
}

fn request_total(body: &str) -> i64 {
    let pattern = regex::Regex::new(r#"id="request-count" data-total="(\d+)""#).expect("regex");
    pattern
        .captures(body)
        .and_then(|c| c[1].parse().ok())
        .expect("the list's total")
}

/// Sets the monitor's latest result: `Some(true)` up, `Some(false)` down,
/// `None` stale (two hours old, so unknown).
fn last_result(app: &TestApp, monitor: &str, success: Option<bool>) {
    let now = app.clock_now();
    let at = if success.is_some() {
        now - Duration::minutes(2)
    } else {
        now - Duration::hours(2)
    };
    diesel::update(monitors::table.find(monitor))
        .set((
            monitors::last_checked_at.eq(Some(at)),
            monitors::last_success.eq(Some(success.unwrap_or(true))),
        ))
        .execute(&mut app.conn())
        .expect("last result");
}

#[tokio::test]
async fn every_console_figure_equals_the_list_it_links_to_for_each_person() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let other = app.customer(&partner, &CustomerSpec::named("Bellows"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    app.customer_member(&adatum, "user@adatum.example", "user");
    app.customer_administrator(&other, "admin@bellows.example");
    let states = [
        ("Shop", Some(true)),
        ("Checkout", Some(false)),
        ("Search", Some(false)),
        ("Legacy", None),
    ];
    let mut ids = Vec::new();
    for (name, state) in states {
        let id = app.monitor(&adatum, name);
        last_result(&app, &id, state);
        ids.push(id);
    }
    // Another account's monitor is down too: it never counts here.
    let theirs = app.monitor(&other, "Bellows shop");
    last_result(&app, &theirs, Some(false));
    let reseller = app.sub_account(&adatum, "Northwind", Some(5));
    let made = app.sub_account_monitor(&adatum, &reseller, "Client site");
    last_result(&app, &made, Some(false));
    app.grant(&reseller, &[], &[&ids[0]]);
    app.operator(&reseller, "rex@northwind.example");
    app.sub_account(&adatum, "Fabrikam", None);
    for title in ["Printer", "VPN", "Mailbox"] {
        app.service_request(&adatum, "admin@adatum.example", title);
    }
    let waiting = app.service_request(&adatum, "admin@adatum.example", "Invoices");
    diesel::update(service_requests::table.find(&waiting))
        .set(service_requests::status.eq("waiting"))
        .execute(&mut app.conn())
        .expect("waiting");
    app.service_request(&other, "admin@bellows.example", "Not ours");

    for (username, sees_sub_accounts, sees_requests) in [
        ("admin@adatum.example", true, true),
        ("user@adatum.example", false, true),
        ("rex@northwind.example", false, false),
    ] {
        figures_equal_their_lists(&app, username, sees_sub_accounts, sees_requests).await;
    }
    // The figures themselves, for the record: the account sees its five
    // monitors (three down), the operator its own and its grant.
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let home = page(&admin, &app, "/customer").await;
    assert_eq!(figure(&home, "monitors-down").map(|f| f.0), Some(3));
    assert_eq!(figure(&home, "requests-open").map(|f| f.0), Some(3));
    assert_eq!(figure(&home, "requests-waiting").map(|f| f.0), Some(1));
    let rex = app
        .browser_signed_in("rex@northwind.example", PASSWORD)
        .await;
    let home = page(&rex, &app, "/customer").await;
    assert_eq!(figure(&home, "monitors-down").map(|f| f.0), Some(1));
    assert_eq!(figure(&home, "monitors-up").map(|f| f.0), Some(1));
    assert!(home.contains("Client site") && !home.contains("Checkout"));
}

/// What `username` sees on the console's home: each figure equals the list it
/// links to; sub-accounts and requests only for whom they concern.
async fn figures_equal_their_lists(
    app: &TestApp,
    username: &str,
    sees_sub_accounts: bool,
    sees_requests: bool,
) {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let home = page(&browser, app, "/customer").await;
    for (id, state) in [
        ("monitors-down", "down"),
        ("monitors-up", "up"),
        ("monitors-unknown", "unknown"),
    ] {
        let (count, link) = figure(&home, id).unwrap_or_else(|| panic!("{username}: {id}"));
        assert_eq!(link, format!("/customer/monitors?state={state}"));
        let list = page(&browser, app, &link).await;
        assert_eq!(count, rows(&list, "data-monitor"), "{username}: {id}");
    }
    let all = page(&browser, app, "/customer/monitors").await;
    assert!(home.contains(&format!(
        "data-monitors-total=\"{}\"",
        rows(&all, "data-monitor")
    )));
    assert_eq!(
        figure(&home, "sub-accounts-count").map(|(n, _)| n),
        sees_sub_accounts.then_some(2),
        "{username}"
    );
    if sees_sub_accounts {
        let list = page(&browser, app, "/customer/sub-accounts").await;
        assert_eq!(rows(&list, "data-sub-account"), 2);
    }
    for id in ["requests-open", "requests-waiting"] {
        let found = figure(&home, id);
        assert_eq!(found.is_some(), sees_requests, "{username}: {id}");
        if let Some((count, link)) = found {
            let list = page(&browser, app, &link).await;
            assert_eq!(count, request_total(&list), "{username}: {id}");
        }
    }
}

#[tokio::test]
async fn an_account_without_monitors_or_requests_shows_zero_everywhere() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let home = page(&admin, &app, "/customer").await;
    assert!(home.contains("data-monitors-total=\"0\""));
    assert_eq!(figure(&home, "requests-open").map(|f| f.0), Some(0));
    assert_eq!(figure(&home, "sub-accounts-count").map(|f| f.0), Some(0));
}

/// The home page's devices figure.
fn devices_shown(body: &str) -> i64 {
    regex::Regex::new(r#"id="devices-count" data-count="(\d+)""#)
        .expect("regex")
        .captures(body)
        .expect("the devices figure")[1]
        .parse()
        .expect("a number")
}

/// The devices column of the sites page, summed.
fn devices_listed(body: &str) -> i64 {
    regex::Regex::new(r#"<td class="site-devices">(\d+)</td>"#)
        .expect("regex")
        .captures_iter(body)
        .map(|c| c[1].parse::<i64>().expect("a number"))
        .sum()
}

#[tokio::test]
async fn the_sites_figures_equal_the_sites_page_and_its_unassigned_filter() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let adatum = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let other = app.customer(&partner, &CustomerSpec::named("Bellows"));
    let administrator = app.customer_administrator(&adatum, "admin@adatum.example");
    app.customer_member(&adatum, "user@adatum.example", "user");
    app.customer_administrator(&other, "admin@bellows.example");
    app.enrolled_devices(&adatum, 3);
    // Another account's sites and devices count nowhere.
    app.enrolled_devices(&other, 5);
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    for name in ["Lyon", "Nantes"] {
        let created = app
            .post_as(
                &admin,
                "/customer/sites",
                &[("name", name), ("time_zone", "Europe/Paris")],
            )
            .await;
        assert_eq!(created.status(), 303);
    }
    let first_site = app.first_site(&adatum);
    app.site_administrator(&first_site, &administrator);
    let user = app.browser_signed_in("user@adatum.example", PASSWORD).await;
    for person in [&admin, &user] {
        let home = page(person, &app, "/customer").await;
        let (sites, href) = figure(&home, "sites-count").expect("the sites figure");
        assert_eq!((sites, href.as_str()), (3, "/customer/sites"));
        let listed = page(person, &app, &href).await;
        assert_eq!(rows(&listed, "data-site"), sites);
        let devices = devices_shown(&home);
        assert_eq!(devices, 3);
        assert_eq!(devices_listed(&listed), devices);
        let (unassigned, href) =
            figure(&home, "sites-unassigned").expect("the sites without an administrator");
        assert_eq!(unassigned, 2);
        let filtered = page(person, &app, &href).await;
        assert_eq!(rows(&filtered, "data-site"), unassigned);
        assert!(filtered.contains("Lyon") && filtered.contains("Nantes"));
        assert!(!filtered.contains(&format!(r#"data-site="{first_site}""#)));
        assert!(filtered.contains(r#"id="unassigned-filter""#));
    }
    // Once every site has an administrator, the figure goes.
    let listed = page(&admin, &app, "/customer/sites?administrators=none").await;
    let ids: Vec<String> = regex::Regex::new(r#"data-site="([^"]+)""#)
        .expect("regex")
        .captures_iter(&listed)
        .map(|c| c[1].to_owned())
        .collect();
    for site in &ids {
        app.site_administrator(site, &administrator);
    }
    let home = page(&admin, &app, "/customer").await;
    assert!(figure(&home, "sites-unassigned").is_none());
    let none_left = page(&admin, &app, "/customer/sites?administrators=none").await;
    assert_eq!(rows(&none_left, "data-site"), 0);
    // In French.
    app.post_as(&admin, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let home = page(&admin, &app, "/customer").await;
    assert!(
        home.contains(
            ">3 sites</a> · <span id=\"devices-count\" data-count=\"3\">3 appareils</span>"
        ),
        "{home}"
    );
}
