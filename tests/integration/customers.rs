//! The partner's customers through the real server: the list against a known
//! data set, the contact card, details, renaming, groups, billing and
//! dissociation, and that no other partner's customer ever shows.

use partnerdesk::access::PartnerRole;
use partnerdesk::customers::{BillingType, CustomerState, Health, LicenceStatus};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

/// The names listed on a customer list page, in order.
pub fn listed_names(page: &str) -> Vec<String> {
    let pattern =
        regex::Regex::new(r#"class="contact-link" href="[^"]+">([^<]+)</a>"#).expect("regex");
    pattern
        .captures_iter(page)
        .map(|c| unescape(&c[1]))
        .collect()
}

/// Undoes the HTML escaping of attribute values and text.
pub fn unescape(text: &str) -> String {
    text.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
}

/// The message shown next to `field` on a page (`id="{field}-error"`).
pub fn error_next_to(page: &str, field: &str) -> Option<String> {
    regex::Regex::new(&format!(r#"id="{field}-error">([^<]+)<"#))
        .expect("regex")
        .captures(page)
        .map(|c| unescape(&c[1]))
}

/// The total the list announces.
pub fn listed_total(page: &str) -> Option<i64> {
    let pattern = regex::Regex::new(r#"data-total="(\d+)""#).expect("regex");
    pattern
        .captures(page)
        .map(|c| c[1].parse().expect("number"))
}

pub async fn page_of(browser: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let response = browser.get(app.url(path)).send().await.expect("GET");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

struct Fixture {
    app: TestApp,
    ours: String,
    theirs_customer: String,
    theirs_group: String,
    retail: String,
}

/// Partner Contoso with a known set of customers, and Fabrikam with look-alikes.
async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let spec = |name: &str| CustomerSpec::named(name);
    let northwind = app.customer(
        &ours,
        &CustomerSpec {
            licences: vec![(LicenceStatus::Active, true)],
            managed_order: true,
            age_minutes: 50,
            ..spec("Northwind Traders")
        },
    );
    let north_star = app.customer(
        &ours,
        &CustomerSpec {
            billing: BillingType::Trial,
            licences: vec![(LicenceStatus::Trial, false)],
            age_minutes: 40,
            ..spec("North Star Bakery")
        },
    );
    app.customer(
        &ours,
        &CustomerSpec {
            domain: "tailspin.example".into(),
            health: Health::Incident,
            state: CustomerState::Suspended,
            licences: vec![(LicenceStatus::Expired, true)],
            age_minutes: 30,
            ..spec("Tailspin Toys")
        },
    );
    app.customer(
        &ours,
        &CustomerSpec {
            domain: "wingtip-north.example".into(),
            health: Health::Advisory,
            billing: BillingType::TermSubscription,
            age_minutes: 20,
            ..spec("Wingtip 50% Off")
        },
    );
    app.customer(
        &ours,
        &CustomerSpec {
            state: CustomerState::Creating,
            age_minutes: 10,
            ..spec("Adventure Works")
        },
    );
    let retail = app.group_with(&ours, "Retail", &[&northwind, &north_star]);
    let theirs_customer = app.customer(
        &theirs,
        &CustomerSpec {
            licences: vec![(LicenceStatus::Trial, true)],
            ..spec("Northwind Secret Imports")
        },
    );
    let theirs_group = app.group_with(&theirs, "Retail", &[&theirs_customer]);
    Fixture {
        app,
        ours,
        theirs_customer,
        theirs_group,
        retail,
    }
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages_one_partners_customers() {
    let f = fixture().await;
    let app = &f.app;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let names = |path: String| {
        let owner = owner.clone();
        async move {
            let (status, page) = page_of(&owner, app, &path).await;
            assert_eq!(status, 200, "{path}");
            (listed_names(&page), listed_total(&page), page)
        }
    };

    let (all, total, page) = names("/partner/customers".into()).await;
    assert_eq!(
        all,
        [
            "Adventure Works",
            "North Star Bakery",
            "Northwind Traders",
            "Tailspin Toys",
            "Wingtip 50% Off"
        ]
    );
    assert_eq!(total, Some(5));
    assert!(
        !page.contains("Secret"),
        "another partner's customer never shows"
    );
    assert!(
        page.contains(r#"class="managed""#),
        "the managed-order marker"
    );
    assert!(
        page.contains(r#"<span class="tag">Retail</span>"#),
        "the groups of a row"
    );
    assert!(
        page.contains(r#"<span class="licence licence-trial">Trial 1</span>"#),
        "the licences of a row, by status"
    );

    // Search: partial name, partial domain, case, short text, literal wildcards.
    let (found, total, _) = names("/partner/customers?q=NORTH".into()).await;
    assert_eq!(
        found,
        ["North Star Bakery", "Northwind Traders", "Wingtip 50% Off"]
    );
    assert_eq!(total, Some(3));
    assert_eq!(
        names("/partner/customers?q=tailspin.ex".into()).await.0,
        ["Tailspin Toys"]
    );
    assert_eq!(
        names("/partner/customers?q=ta".into()).await.0,
        ["North Star Bakery", "Tailspin Toys"]
    );
    assert_eq!(
        names("/partner/customers?q=50%25".into()).await.0,
        ["Wingtip 50% Off"]
    );
    assert_eq!(
        names("/partner/customers?q=secret".into()).await.0,
        Vec::<String>::new()
    );

    // Filters.
    assert_eq!(
        names("/partner/customers?licence=trial".into()).await.0,
        ["North Star Bakery"]
    );
    assert_eq!(
        names("/partner/customers?billing=trial".into()).await.0,
        ["North Star Bakery"]
    );
    assert_eq!(
        names("/partner/customers?health=incident".into()).await.0,
        ["Tailspin Toys"]
    );
    assert_eq!(
        names("/partner/customers?state=creating".into()).await.0,
        ["Adventure Works"]
    );
    assert_eq!(
        names("/partner/customers?mine=1".into()).await.0,
        ["Northwind Traders"],
        "only customers with an unexpired licence supplied by us"
    );
    assert_eq!(
        names(format!("/partner/customers?group={}", f.retail))
            .await
            .0,
        ["North Star Bakery", "Northwind Traders"]
    );
    let (none, _, page) = names(format!("/partner/customers?group={}", f.theirs_group)).await;
    assert!(none.is_empty(), "another partner's group finds nothing");
    assert!(page.contains("customers-no-match"));
    assert_eq!(
        names(format!(
            "/partner/customers?q=north&group={}&licence=active",
            f.retail
        ))
        .await
        .0,
        ["Northwind Traders"]
    );

    // Sorting.
    assert_eq!(
        names("/partner/customers?dir=desc".into())
            .await
            .0
            .first()
            .map(String::as_str),
        Some("Wingtip 50% Off")
    );
    assert_eq!(
        names("/partner/customers?sort=health".into()).await.0[..2],
        ["Tailspin Toys", "Wingtip 50% Off"],
        "worst health first"
    );
    assert_eq!(
        names("/partner/customers?sort=created".into()).await.0,
        [
            "Adventure Works",
            "Wingtip 50% Off",
            "Tailspin Toys",
            "North Star Bakery",
            "Northwind Traders"
        ],
        "newest first"
    );
    assert_eq!(
        names("/partner/customers?sort=state".into()).await.0,
        [
            "North Star Bakery",
            "Northwind Traders",
            "Wingtip 50% Off",
            "Adventure Works",
            "Tailspin Toys"
        ],
        "active, creating, suspended; by name within each"
    );
}

#[tokio::test]
async fn pages_keep_the_whole_view_in_their_links() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    for n in 0..30 {
        app.customer(&ours, &CustomerSpec::named(&format!("Shop {n:02}")));
    }
    app.customer(&ours, &CustomerSpec::named("Bakery"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, first) = page_of(&owner, &app, "/partner/customers?q=shop&per=25").await;
    assert_eq!(listed_names(&first).len(), 25);
    assert_eq!(listed_total(&first), Some(30));
    let next = regex::Regex::new(r#"id="next-page" href="([^"]+)""#)
        .expect("regex")
        .captures(&first)
        .map(|c| unescape(&c[1]))
        .expect("a next page link");
    assert!(
        next.contains("q=shop") && next.contains("per=25") && next.contains("page=2"),
        "{next}"
    );
    let (_, second) = page_of(&owner, &app, &next).await;
    assert_eq!(
        listed_names(&second),
        ["Shop 25", "Shop 26", "Shop 27", "Shop 28", "Shop 29"]
    );
    assert!(second.contains(r#"id="previous-page""#));
    assert!(!second.contains(r#"id="next-page""#));
    // Nonsense in the URL falls back to the defaults instead of failing.
    let (status, odd) = page_of(
        &owner,
        &app,
        "/partner/customers?per=100000&page=zz&sort=evil",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        listed_names(&odd).len(),
        31,
        "all 31 on one page of the default size"
    );
}

#[tokio::test]
async fn empty_and_no_match_states_say_what_to_do() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::Fr);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, empty) = page_of(&owner, &app, "/partner/customers").await;
    assert!(empty.contains(r#"id="customers-empty""#));
    assert!(empty.contains("/partner/customers/new"));
    app.customer(&ours, &CustomerSpec::named("Contoso Pharma"));
    let (_, none) = page_of(&owner, &app, "/partner/customers?q=zzz").await;
    assert!(none.contains(r#"id="customers-no-match""#));
}

#[tokio::test]
async fn another_partners_customer_is_missing_by_every_path() {
    let f = fixture().await;
    let app = &f.app;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let id = &f.theirs_customer;
    for path in [
        format!("/partner/customers/{id}"),
        format!("/partner/customers/{id}/contact"),
        format!("/partner/customers/{id}/dissociate"),
    ] {
        assert_eq!(page_of(&owner, app, &path).await.0, 404, "{path}");
    }
    for (path, form) in [
        (
            format!("/partner/customers/{id}/rename"),
            vec![("name", "Mine now")],
        ),
        (
            format!("/partner/customers/{id}/dissociate"),
            vec![("confirm", "yes")],
        ),
        (
            format!("/partner/customers/{id}/term"),
            vec![("term", "annual")],
        ),
        (format!("/partner/customers/{id}/billing/convert"), vec![]),
        (
            format!("/partner/customers/{id}/groups"),
            vec![("group_id", f.retail.as_str())],
        ),
    ] {
        let response = app.post_as(&owner, &path, &form).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    // Our group cannot take their customer, and their group is not ours to use.
    let ours_any = listed_ids(&page_of(&owner, app, "/partner/customers").await.1);
    let response = app
        .post_as(
            &owner,
            &format!("/partner/customers/{}/groups", ours_any[0]),
            &[("group_id", f.theirs_group.as_str())],
        )
        .await;
    assert_eq!(response.status(), 404);
    let (_, still) = page_of(&owner, app, "/partner/customers?q=secret").await;
    assert!(listed_names(&still).is_empty());
    assert!(!f.ours.is_empty());
}

/// The ids of the listed customers, in order.
pub fn listed_ids(page: &str) -> Vec<String> {
    regex::Regex::new(r#"data-customer="([^"]+)""#)
        .expect("regex")
        .captures_iter(page)
        .map(|c| c[1].to_owned())
        .collect()
}

#[tokio::test]
async fn the_contact_card_and_details_show_the_customer() {
    let f = fixture().await;
    let app = &f.app;
    let helpdesk_id =
        app.active_member(&f.ours, "help@contoso.example", PartnerRole::HelpdeskAgent);
    assert!(!helpdesk_id.is_empty());
    let helpdesk = app
        .browser_signed_in("help@contoso.example", PASSWORD)
        .await;
    let (_, list) = page_of(&helpdesk, app, "/partner/customers?q=northwind").await;
    let id = listed_ids(&list).remove(0);
    let (status, card) = page_of(&helpdesk, app, &format!("/partner/customers/{id}/contact")).await;
    assert_eq!(status, 200);
    assert!(card.contains(r#"id="contact-card""#));
    assert!(card.contains("Contact of Northwind Traders"));
    assert!(card.contains("contact@northwind-traders.example"));
    let (status, details) = page_of(&helpdesk, app, &format!("/partner/customers/{id}")).await;
    assert_eq!(status, 200);
    for expected in [
        "Retail",
        "Endpoint Protection",
        "REF-1",
        "eu-central",
        "Europe/Paris",
        "75002",
    ] {
        assert!(details.contains(expected), "details show {expected}");
    }
    // A helpdesk agent sees but cannot rename, regroup or dissociate.
    assert!(!details.contains(r#"id="save-name""#));
    assert!(!details.contains(r#"id="dissociate""#));
    let refused = app
        .post_as(
            &helpdesk,
            &format!("/partner/customers/{id}/rename"),
            &[("name", "X")],
        )
        .await;
    assert_eq!(refused.status(), 403);
}

/// The ids in a CSV export, in order, after checking its header.
fn exported_ids(csv_text: &str) -> Vec<String> {
    let mut lines = csv_text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some(partnerdesk::customers::export::HEADER.join(",").as_str())
    );
    lines
        .map(|line| line.split(',').next().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn the_export_holds_exactly_the_filtered_list_in_its_order() {
    let f = fixture().await;
    let app = &f.app;
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for view in [
        "",
        "?q=north&sort=created",
        "?licence=trial",
        "?group=nobody",
    ] {
        let (_, list) = page_of(&owner, app, &format!("/partner/customers{view}")).await;
        let response = owner
            .get(app.url(&format!("/partner/customers.csv{view}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200);
        assert!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/csv"))
        );
        let text = response.text().await.expect("body");
        assert_eq!(exported_ids(&text), listed_ids(&list), "{view}");
        assert!(!text.contains("Secret"));
    }
}

#[tokio::test]
async fn a_large_export_streams_every_row_and_defuses_formulas() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    partnerdesk::customers::seed::generate(
        &mut app.conn(),
        app.clock_now(),
        &partnerdesk::customers::seed::SeedOptions {
            partner_id: ours.clone(),
            count: 2_345,
            groups: &[],
            seed: 7,
        },
    )
    .expect("seeded");
    app.customer(&ours, &CustomerSpec::named("=HYPERLINK(evil)"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let text = owner
        .get(app.url("/partner/customers.csv?sort=created"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let ids = exported_ids(&text);
    assert_eq!(ids.len(), 2_346);
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no row twice across batches");
    assert!(text.contains(",'=HYPERLINK(evil),"));
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

/// The ids a plain reading of the tables gives for a page of the partner's
/// customers: licences probed customer by customer, text compared with LIKE.
fn expected_page(
    app: &TestApp,
    partner: &str,
    filter: &str,
    order: &str,
    page: i64,
) -> Vec<String> {
    use diesel::RunQueryDsl;
    let query = format!(
        "SELECT c.id AS id FROM customer_accounts c WHERE c.partner_id = '{partner}' AND ({filter}) \
         ORDER BY {order} LIMIT 50 OFFSET {}",
        (page - 1) * 50
    );
    let rows: Vec<IdRow> = diesel::sql_query(query)
        .load(&mut app.conn())
        .expect("reference query");
    rows.into_iter().map(|r| r.id).collect()
}

fn expected_total(app: &TestApp, partner: &str, filter: &str) -> i64 {
    use diesel::RunQueryDsl;
    let query = format!(
        "SELECT c.id AS id FROM customer_accounts c WHERE c.partner_id = '{partner}' AND ({filter})"
    );
    let rows: Vec<IdRow> = diesel::sql_query(query)
        .load(&mut app.conn())
        .expect("reference count");
    rows.len() as i64
}

/// Runs SQL written straight to the database, as another program would.
fn write(app: &TestApp, statement: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(statement)
        .execute(&mut app.conn())
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// The list keeps summaries (licence flags, counts by filter, a search index by
/// partner) up to date with triggers; whatever writes the tables, its totals and
/// pages stay those of a plain reading of them.
#[tokio::test]
async fn the_list_agrees_with_the_tables_whatever_writes_them() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    for (partner, count, seed) in [(&ours, 600, 11), (&theirs, 200, 12)] {
        partnerdesk::customers::seed::generate(
            &mut app.conn(),
            app.clock_now(),
            &partnerdesk::customers::seed::SeedOptions {
                partner_id: partner.clone(),
                count,
                groups: &["Retail", "Health"],
                seed,
            },
        )
        .expect("seeded");
    }
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let licence = |status: &str| {
        format!(
            "EXISTS (SELECT 1 FROM licences l WHERE l.customer_id = c.id AND l.status = '{status}')"
        )
    };
    let mine = "EXISTS (SELECT 1 FROM licences l WHERE l.customer_id = c.id \
                AND l.supplied_by_partner_id = c.partner_id AND l.status <> 'expired')";
    let retail_of = |partner: &str| {
        format!(
            "c.id IN (SELECT m.customer_id FROM customer_group_members m JOIN customer_groups g \
             ON g.id = m.group_id WHERE g.partner_id = '{partner}' AND g.name = 'Retail')"
        )
    };
    let retail_id = {
        use diesel::RunQueryDsl;
        let rows: Vec<IdRow> = diesel::sql_query(format!(
            "SELECT id FROM customer_groups WHERE partner_id = '{ours}' AND name = 'Retail'"
        ))
        .load(&mut app.conn())
        .expect("group");
        rows[0].id.clone()
    };
    let by_name = "c.name_key, c.id";
    let views: Vec<(String, String, &str, i64)> = vec![
        (String::new(), "1 = 1".into(), by_name, 1),
        ("page=3".into(), "1 = 1".into(), by_name, 3),
        (
            "q=dental".into(),
            "c.search_text LIKE '%dental%'".into(),
            by_name,
            1,
        ),
        (
            "q=ber&sort=created".into(),
            "c.search_text LIKE '%ber%'".into(),
            "c.created_at DESC, c.id DESC",
            1,
        ),
        (
            "q=zzyzx".into(),
            "c.search_text LIKE '%zzyzx%'".into(),
            by_name,
            1,
        ),
        (
            "q=e&sort=state&page=2".into(),
            "c.search_text LIKE '%e%'".into(),
            "c.state, c.name_key, c.id",
            2,
        ),
        ("licence=active".into(), licence("active"), by_name, 1),
        (
            "licence=expired&billing=monthly_usage".into(),
            format!(
                "{} AND c.billing_type = 'monthly_usage'",
                licence("expired")
            ),
            by_name,
            1,
        ),
        (
            "q=summit&licence=trial".into(),
            format!("c.search_text LIKE '%summit%' AND {}", licence("trial")),
            by_name,
            1,
        ),
        (
            "mine=1&state=active&sort=state&page=2".into(),
            format!("{mine} AND c.state = 'active'"),
            "c.state, c.name_key, c.id",
            2,
        ),
        (
            "health=incident&sort=health&dir=asc".into(),
            "c.health_level = 2".into(),
            "c.health_level, c.name_key, c.id",
            1,
        ),
        (
            "sort=health".into(),
            "1 = 1".into(),
            "c.health_level DESC, c.name_key, c.id",
            1,
        ),
        (
            format!("q=ent&group={retail_id}&mine=1"),
            format!(
                "c.search_text LIKE '%ent%' AND {} AND {mine}",
                retail_of(&ours)
            ),
            by_name,
            1,
        ),
    ];
    let check = |stage: &'static str| {
        let (owner, app, views, ours) = (&owner, &app, &views, &ours);
        async move {
            for (query, filter, order, page) in views {
                let path = format!("/partner/customers?{query}");
                let (status, list) = page_of(owner, app, &path).await;
                assert_eq!(status, 200, "{stage}: {path}");
                let total = expected_total(app, ours, filter);
                if total > 0 {
                    assert_eq!(listed_total(&list), Some(total), "{stage}: total of {path}");
                } else {
                    assert!(list.contains("customers-no-match"), "{stage}: {path}");
                }
                assert_eq!(
                    listed_ids(&list),
                    expected_page(app, ours, filter, order, *page),
                    "{stage}: page of {path}"
                );
            }
        }
    };
    check("after seeding").await;

    // Licences: new ones (ours and someone else's), status changes, deletions.
    write(
        &app,
        &format!(
            "INSERT INTO licences (id, customer_id, product, quantity, status, supplied_by_partner_id, \
             expires_on, created_at) SELECT 'new-' || c.id, c.id, 'Firewall', 1, 'active', \
             CASE WHEN c.name_key < 'm' THEN c.partner_id END, NULL, c.created_at \
             FROM customer_accounts c WHERE c.partner_id = '{ours}' AND c.health_level = 1"
        ),
    );
    write(
        &app,
        "UPDATE licences SET status = 'expired' WHERE product = 'Email Security'",
    );
    write(
        &app,
        "UPDATE licences SET status = 'trial' WHERE product = 'Cloud Backup' AND status = 'active'",
    );
    write(
        &app,
        "DELETE FROM licences WHERE product = 'Firewall' AND quantity > 100",
    );
    // Customers: state, health and billing changes, renames, a dissociation, and
    // customers moving in from the other partner with their licences.
    write(
        &app,
        "UPDATE customer_accounts SET state = 'suspended', health_level = 2 WHERE name_key LIKE 'a%'",
    );
    write(
        &app,
        "UPDATE customer_accounts SET billing_type = 'monthly_usage', trial_ends_on = NULL \
         WHERE billing_type = 'trial' AND name_key LIKE 'b%'",
    );
    write(
        &app,
        "UPDATE customer_accounts SET name = 'Zzyzx ' || name, name_key = 'zzyzx ' || name_key, \
         search_text = 'zzyzx ' || search_text WHERE name_key LIKE 'c%'",
    );
    write(
        &app,
        &format!(
            "UPDATE customer_accounts SET partner_id = NULL WHERE partner_id = '{ours}' AND name_key LIKE 'd%'"
        ),
    );
    write(
        &app,
        &format!(
            "UPDATE licences SET supplied_by_partner_id = '{ours}' WHERE customer_id IN \
             (SELECT id FROM customer_accounts WHERE partner_id = '{theirs}' AND name_key LIKE 'q%')"
        ),
    );
    write(
        &app,
        &format!(
            "UPDATE customer_accounts SET partner_id = '{ours}' WHERE partner_id = '{theirs}' AND name_key LIKE 'q%'"
        ),
    );
    check("after writes").await;
}

#[tokio::test]
async fn a_chosen_customer_scopes_the_partner_pages_until_cleared() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let adatum = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let other = app.customer(&ours, &CustomerSpec::named("Other"));
    let foreign = app.customer(&theirs, &CustomerSpec::named("Foreign"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for (id, name) in [(&adatum, "Adatum Corp"), (&other, "Other Corp")] {
        let renamed = app
            .post_as(
                &owner,
                &format!("/partner/customers/{id}/rename"),
                &[("name", name)],
            )
            .await;
        assert_eq!(renamed.status(), 303);
    }
    let refused = app
        .post_as(&owner, "/partner/context", &[("customer_id", &foreign)])
        .await;
    assert_eq!(
        refused.status(),
        404,
        "another partner's customer cannot be chosen"
    );
    let chosen = app
        .post_as(&owner, "/partner/context", &[("customer_id", &adatum)])
        .await;
    assert_eq!(chosen.status(), 303);

    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    assert!(
        list.contains(r#"id="customer-context""#) && list.contains("<strong>Adatum Corp</strong>"),
        "the header names the customer on every partner page"
    );
    let (_, log) = page_of(&owner, &app, "/partner/activity?action=customer_renamed").await;
    assert!(log.contains("Adatum → Adatum Corp"));
    assert!(
        !log.contains("Other → Other Corp"),
        "only the chosen customer's entries"
    );
    assert!(log.contains(r#"id="activity-context""#));
    let (status, users) =
        page_of(&owner, &app, &format!("/partner/customers/{adatum}/users")).await;
    assert_eq!(status, 200);
    assert!(users.contains(r#"data-username="admin@adatum.example""#));
    assert_eq!(
        page_of(&owner, &app, &format!("/partner/customers/{foreign}/users"))
            .await
            .0,
        404
    );

    let cleared = app.post_as(&owner, "/partner/context/clear", &[]).await;
    assert_eq!(cleared.status(), 303);
    let (_, log) = page_of(&owner, &app, "/partner/activity?action=customer_renamed").await;
    assert!(log.contains("Other → Other Corp") && log.contains("Adatum → Adatum Corp"));
    assert!(!log.contains(r#"id="customer-context""#));

    // A customer that leaves the partner leaves the context too.
    app.post_as(&owner, "/partner/context", &[("customer_id", &adatum)])
        .await;
    let dissociated = app
        .post_as(
            &owner,
            &format!("/partner/customers/{adatum}/dissociate"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(dissociated.status(), 303);
    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    assert!(!list.contains(r#"id="customer-context""#));
}

/// The export opens in a spreadsheet with its accents: UTF-8 with a byte-order
/// mark, comma-separated, or semicolon-separated when asked (the list offers
/// both); the filters still apply.
#[tokio::test]
async fn the_export_carries_a_byte_order_mark_and_either_separator() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    app.customer(&ours, &CustomerSpec::named("Café Lumière"));
    app.customer(&ours, &CustomerSpec::named("Northwind"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, list) = page_of(&owner, &app, "/partner/customers?q=caf").await;
    assert!(
        list.contains("/partner/customers.csv?q=caf&amp;sep=semicolon"),
        "{list}"
    );
    for (query, separator) in [("?q=caf", ','), ("?q=caf&sep=semicolon", ';')] {
        let bytes = owner
            .get(app.url(&format!("/partner/customers.csv{query}")))
            .send()
            .await
            .expect("GET")
            .bytes()
            .await
            .expect("body");
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{query}: a byte-order mark"
        );
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                partnerdesk::customers::export::HEADER
                    .join(&separator.to_string())
                    .as_str()
            )
        );
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 1, "{query}: {rows:?}");
        assert!(
            rows[0].contains(&format!("{separator}Café Lumière{separator}")),
            "{rows:?}"
        );
    }
}

/// A trial past its last day shows as ended, in the list and on the details
/// page, in both languages; `trial=ended` lists exactly those.
#[tokio::test]
async fn a_trial_past_its_end_shows_as_ended_and_has_its_filter() {
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_accounts;
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let trial = |name: &str| CustomerSpec {
        billing: BillingType::Trial,
        ..CustomerSpec::named(name)
    };
    let ended = app.customer(&ours, &trial("Ended"));
    let running = app.customer(&ours, &trial("Running"));
    let today = app.clock_now().date();
    for (customer, ends) in [
        (&ended, today - chrono::Duration::days(4)),
        (&running, today + chrono::Duration::days(4)),
    ] {
        diesel::update(customer_accounts::table.find(customer))
            .set(customer_accounts::trial_ends_on.eq(Some(ends)))
            .execute(&mut app.conn())
            .expect("trial end");
    }
    app.customer(&ours, &CustomerSpec::named("Paying"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, list) = page_of(&owner, &app, "/partner/customers").await;
    let row = |body: &str, name: &str| -> String {
        let start = body.find(&format!(">{name}<")).expect("the row");
        body[start..start + body[start..].find("</tr>").expect("row end")].to_owned()
    };
    assert!(row(&list, "Ended").contains("ended on"), "{list}");
    assert!(row(&list, "Running").contains("until"));
    let (_, filtered) = page_of(&owner, &app, "/partner/customers?trial=ended").await;
    assert_eq!(listed_names(&filtered), ["Ended"]);
    assert!(filtered.contains(r#"id="trials-ended-filter""#));
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{ended}")).await;
    assert!(details.contains(r#"id="trial-ended""#), "{details}");
    app.post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, french) = page_of(&owner, &app, "/partner/customers?trial=ended").await;
    assert!(row(&french, "Ended").contains("terminé le"), "{french}");
    assert!(french.contains("Essais terminés sans avoir été convertis"));
}

/// Every page about one customer carries the same tabs to the others: users,
/// service requests and health included.
#[tokio::test]
async fn the_pages_about_one_customer_share_its_tabs() {
    let app = spawn_app().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&ours, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&ours, &CustomerSpec::named("Adatum"));
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    for page in [
        "users",
        "requests",
        "health",
        "orders",
        "subscriptions",
        "reservations",
    ] {
        let (status, body) = page_of(
            &owner,
            &app,
            &format!("/partner/customers/{customer}/{page}"),
        )
        .await;
        assert_eq!(status, 200, "{page}");
        for tab in ["users", "orders", "health", "requests"] {
            assert!(
                body.contains(&format!(r#"href="/partner/customers/{customer}/{tab}""#)),
                "{page} lacks the {tab} tab"
            );
        }
    }
}
