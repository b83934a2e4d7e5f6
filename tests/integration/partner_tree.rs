//! The partner tree as a distributor sees it (issue 21, item 1): the figures
//! of its home over every organisation under it, each equal to the list it
//! links to, for each of its roles; that list read-only, with a reseller
//! column and filter; and every route of a reseller's customer refused to it
//! exactly as a missing customer is.

use std::collections::BTreeMap;

use partnerdesk::access::TokenScope;
use partnerdesk::routes::ROUTES;

use crate::customers::{page_of, unescape};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::partner_tree_fixture::{DISTRIBUTOR_STAFF, OWNER, RESELLER_OWNER, tree};

/// (figure id, count, link) of the network card of a home page.
fn network_figures(page: &str) -> BTreeMap<String, (i64, String)> {
    let figure =
        regex::Regex::new(r#"id="network-figure-([a-z_-]+)" data-count="(\d+)" href="([^"]+)""#)
            .expect("regex");
    figure
        .captures_iter(page)
        .map(|c| {
            let count = c[2].parse().expect("count");
            (c[1].to_owned(), (count, unescape(&c[3])))
        })
        .collect()
}

/// The customers the network list at `href` shows (one page: the fixture is
/// small), after checking they are as many as the total it states.
async fn listed(app: &TestApp, browser: &reqwest::Client, href: &str) -> Vec<String> {
    assert!(href.starts_with("/partner/network/customers"), "{href}");
    let (status, page) = page_of(browser, app, href).await;
    assert_eq!(status, 200, "{href}");
    let row = regex::Regex::new(r#"<tr data-customer="([^"]+)""#).expect("regex");
    let rows: Vec<String> = row.captures_iter(&page).map(|c| c[1].to_owned()).collect();
    let total = regex::Regex::new(r#"data-total="(\d+)""#).expect("regex");
    let total: usize = total
        .captures(&page)
        .map_or(0, |c| c[1].parse().expect("total"));
    assert_eq!(rows.len(), total, "{href}: every customer is listed");
    // Nothing on the list opens a customer.
    assert!(!page.contains("href=\"/partner/customers/"), "{href}");
    rows
}

/// Each network figure of `username`'s home against its list; the figures.
async fn figures_match(app: &TestApp, username: &str) -> BTreeMap<String, i64> {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let (status, home) = page_of(&browser, app, "/partner").await;
    assert_eq!(status, 200);
    let figures = network_figures(&home);
    assert!(figures.len() >= 9, "{username}: {figures:?}");
    let mut counts = BTreeMap::new();
    for (key, (count, href)) in figures {
        let rows = listed(app, &browser, &href).await;
        assert_eq!(rows.len() as i64, count, "{username}: {key} → {href}");
        counts.insert(key, count);
    }
    counts
}

#[tokio::test]
async fn each_figure_of_a_distributor_equals_the_list_it_links_to_for_each_role() {
    let app = spawn_app().await;
    let tree = tree(&app);
    for (username, role) in DISTRIBUTOR_STAFF {
        let counts = figures_match(&app, username).await;
        let expected = [
            ("all", 7),
            ("state-active", 5),
            ("state-creating", 1),
            ("state-suspended", 1),
            ("trials-ending", 2),
            ("licences-over", 2),
            ("health-incident", 2),
            ("health-advisory", 1),
            ("open-requests", 2),
        ];
        for (key, count) in expected {
            assert_eq!(
                counts.get(key),
                Some(&count),
                "{role:?}: {key} in {counts:?}"
            );
        }
    }
    // The reseller is a distributor too: of the sub-reseller alone.
    let counts = figures_match(&app, RESELLER_OWNER).await;
    for (key, count) in [("all", 3), ("trials-ending", 1), ("open-requests", 1)] {
        assert_eq!(
            counts.get(key),
            Some(&count),
            "reseller: {key} in {counts:?}"
        );
    }
    // An organisation with nothing under it shows no network at all.
    app.active_member(
        &tree.sub_reseller,
        "sue@sub.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    let browser = app.browser_signed_in("sue@sub.example", PASSWORD).await;
    let (_, home) = page_of(&browser, &app, "/partner").await;
    assert!(!home.contains("id=\"network\""), "{home}");
}

#[tokio::test]
async fn the_network_list_names_each_reseller_and_filters_by_one() {
    let app = spawn_app().await;
    let tree = tree(&app);
    let browser = app.browser_signed_in(OWNER, PASSWORD).await;
    let all = listed(&app, &browser, "/partner/network/customers").await;
    assert_eq!(all.len(), 7);
    let (_, page) = page_of(&browser, &app, "/partner/network/customers").await;
    let reseller_cell = format!(r#"data-reseller="{}">Reseller<"#, tree.reseller);
    let sub_cell = format!(r#"data-reseller="{}">Sub-reseller<"#, tree.sub_reseller);
    assert_eq!(page.matches(&reseller_cell).count(), 4, "{page}");
    assert_eq!(page.matches(&sub_cell).count(), 3, "{page}");
    let only = format!("/partner/network/customers?reseller={}", tree.sub_reseller);
    let rows = listed(&app, &browser, &only).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.contains(&tree.sub_customer));
    let filtered = format!("{only}&health=incident");
    assert_eq!(
        listed(&app, &browser, &filtered).await,
        vec![tree.sub_customer.clone()]
    );
    // Neither its own organisation nor one outside its tree is a reseller.
    for outside in [&tree.distributor, &tree.other] {
        let path = format!("/partner/network/customers?reseller={outside}");
        assert!(listed(&app, &browser, &path).await.is_empty(), "{path}");
    }
    // The reseller sees only what is under it.
    let reseller = app.browser_signed_in(RESELLER_OWNER, PASSWORD).await;
    let theirs = listed(&app, &reseller, "/partner/network/customers").await;
    assert_eq!(theirs.len(), 3);
    assert!(!theirs.contains(&tree.reseller_customer));
}

/// The network list's pages, one after the other, hold every customer of
/// the resellers once, by name then id as the database orders them, with a
/// filter too. On PostgreSQL the first pages are found among each
/// organisation's own first rows (`network::customers::page`), later ones
/// by one sort: both must agree with the database's order.
#[tokio::test]
async fn the_network_list_pages_through_every_reseller_by_name() {
    use diesel::prelude::*;
    use partnerdesk::customers::seed::{SeedOptions, generate};
    use partnerdesk::db::schema::customer_accounts;
    use partnerdesk::ids::PartnerId;
    let app = spawn_app().await;
    let tree = tree(&app);
    for (partner, count, seed) in [(&tree.reseller, 70, 7), (&tree.sub_reseller, 45, 8)] {
        let options = SeedOptions {
            partner_id: PartnerId::new(partner.clone()),
            count,
            groups: &[],
            seed,
        };
        generate(&mut app.conn(), app.clock_now(), &options).expect("customers");
    }
    let browser = app.browser_signed_in(OWNER, PASSWORD).await;
    let row = regex::Regex::new(r#"<tr data-customer="([^"]+)""#).expect("regex");
    for (filter, active_only) in [("", false), ("state=active&", true)] {
        let mut expected = customer_accounts::table
            .filter(customer_accounts::partner_id.eq_any([&tree.reseller, &tree.sub_reseller]))
            .order((customer_accounts::name_key, customer_accounts::id))
            .select(customer_accounts::id)
            .into_boxed();
        if active_only {
            expected = expected.filter(customer_accounts::state.eq("active"));
        }
        let expected: Vec<String> = expected.load(&mut app.conn()).expect("the network");
        assert!(expected.len() > 50, "{filter}: more than a page");
        let mut shown = Vec::new();
        for page in 1..=3 {
            let path = format!("/partner/network/customers?{filter}page={page}");
            let (status, text) = page_of(&browser, &app, &path).await;
            assert_eq!(status, 200, "{path}");
            shown.extend(row.captures_iter(&text).map(|c| c[1].to_owned()));
        }
        assert_eq!(
            shown, expected,
            "{filter}: the pages in the database's order"
        );
    }
}

/// A concrete path of a customer route, for the reseller's customer and its
/// request; other objects by an id nobody has.
fn path_for(path: &str, customer: &str, request: &str) -> String {
    let nobody = "00000000-0000-0000-0000-000000000000";
    let mut concrete = path
        .replace("{customer_id}", customer)
        .replace("{request_id}", request);
    for placeholder in [
        "{subscription_id}",
        "{reservation_id}",
        "{group_id}",
        "{permission}",
    ] {
        concrete = concrete.replace(placeholder, nobody);
    }
    concrete
}

#[tokio::test]
async fn every_route_of_a_resellers_customer_answers_404_to_the_distributor() {
    let app = spawn_app().await;
    let tree = tree(&app);
    let browser = app.browser_signed_in(OWNER, PASSWORD).await;
    let owner_membership = app.active_member_id(&tree.distributor, OWNER);
    let (_, token) = app.partner_api_token(&owner_membership, &TokenScope::ALL, None);
    let mut checked = 0;
    for route in ROUTES {
        let names_one = route.path.contains("{customer_id}") || route.path.contains("{request_id}");
        let area =
            route.path.starts_with("/partner/") || route.path.starts_with("/api/v1/partner/");
        if !(names_one && area) {
            continue;
        }
        for customer in [&tree.reseller_customer, &tree.sub_customer] {
            let path = path_for(route.path, customer, &tree.reseller_request);
            let status = if route.path.starts_with("/api/") {
                let method = reqwest::Method::from_bytes(route.method.as_bytes()).expect("method");
                let body = serde_json::json!({});
                app.api_send(
                    method,
                    &token,
                    &path,
                    Some(&body),
                    Some(&uuid::Uuid::new_v4().to_string()),
                )
                .await
                .status()
            } else if route.method == "GET" {
                browser
                    .get(app.url(&path))
                    .send()
                    .await
                    .expect("GET")
                    .status()
            } else {
                app.post_as(&browser, &path, &[("confirmed", "yes"), ("name", "Taken")])
                    .await
                    .status()
            };
            assert_eq!(status.as_u16(), 404, "{} {path}", route.method);
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked} requests");
    // Its own customer's page opens, so the 404s are the tree's doing.
    let (status, _) = page_of(&browser, &app, "/partner/customers").await;
    assert_eq!(status, 200);
}
