//! The partner's customers through the real server: the list against a known
//! data set, the contact card, details, renaming, groups, billing and
//! dissociation, and that no other partner's customer ever shows.

use partnerdesk::access::PartnerRole;
use partnerdesk::customers::{BillingType, CustomerState, Health, LicenceStatus};
use partnerdesk::i18n::Lang;

use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_frozen};

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

pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) ours: String,
    pub(crate) theirs_customer: String,
    pub(crate) theirs_group: String,
    pub(crate) retail: String,
}

/// Partner Contoso with a known set of customers, and Fabrikam with look-alikes.
pub(crate) async fn fixture() -> Fixture {
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
    let (all, total, page) = names(&owner, app, "/partner/customers".into()).await;
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

    search_finds(&owner, app).await;
    filters_narrow(&owner, &f).await;
    sorting_orders(&owner, app).await;
}

/// The names and total of a customer list page, and the page.
async fn names(
    owner: &reqwest::Client,
    app: &TestApp,
    path: String,
) -> (Vec<String>, Option<i64>, String) {
    let (status, page) = page_of(owner, app, &path).await;
    assert_eq!(status, 200, "{path}");
    (listed_names(&page), listed_total(&page), page)
}

/// Search: partial name, partial domain, case, short text, literal wildcards.
async fn search_finds(owner: &reqwest::Client, app: &TestApp) {
    let (found, total, _) = names(owner, app, "/partner/customers?q=NORTH".into()).await;
    assert_eq!(
        found,
        ["North Star Bakery", "Northwind Traders", "Wingtip 50% Off"]
    );
    assert_eq!(total, Some(3));
    assert_eq!(
        names(owner, app, "/partner/customers?q=tailspin.ex".into())
            .await
            .0,
        ["Tailspin Toys"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?q=ta".into()).await.0,
        ["North Star Bakery", "Tailspin Toys"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?q=50%25".into())
            .await
            .0,
        ["Wingtip 50% Off"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?q=secret".into())
            .await
            .0,
        Vec::<String>::new()
    );
}

/// Filters, alone and combined; another partner's group finds nothing.
async fn filters_narrow(owner: &reqwest::Client, f: &Fixture) {
    let app = &f.app;
    assert_eq!(
        names(owner, app, "/partner/customers?licence=trial".into())
            .await
            .0,
        ["North Star Bakery"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?billing=trial".into())
            .await
            .0,
        ["North Star Bakery"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?health=incident".into())
            .await
            .0,
        ["Tailspin Toys"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?state=creating".into())
            .await
            .0,
        ["Adventure Works"]
    );
    assert_eq!(
        names(owner, app, "/partner/customers?mine=1".into())
            .await
            .0,
        ["Northwind Traders"],
        "only customers with an unexpired licence supplied by us"
    );
    assert_eq!(
        names(owner, app, format!("/partner/customers?group={}", f.retail))
            .await
            .0,
        ["North Star Bakery", "Northwind Traders"]
    );
    let (none, _, page) = names(
        owner,
        app,
        format!("/partner/customers?group={}", f.theirs_group),
    )
    .await;
    assert!(none.is_empty(), "another partner's group finds nothing");
    assert!(page.contains("customers-no-match"));
    assert_eq!(
        names(
            owner,
            app,
            format!(
                "/partner/customers?q=north&group={}&licence=active",
                f.retail
            )
        )
        .await
        .0,
        ["Northwind Traders"]
    );
}

/// Sorting by name, health, creation and state.
async fn sorting_orders(owner: &reqwest::Client, app: &TestApp) {
    assert_eq!(
        names(owner, app, "/partner/customers?dir=desc".into())
            .await
            .0
            .first()
            .map(String::as_str),
        Some("Wingtip 50% Off")
    );
    assert_eq!(
        names(owner, app, "/partner/customers?sort=health".into())
            .await
            .0[..2],
        ["Tailspin Toys", "Wingtip 50% Off"],
        "worst health first"
    );
    assert_eq!(
        names(owner, app, "/partner/customers?sort=created".into())
            .await
            .0,
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
        names(owner, app, "/partner/customers?sort=state".into())
            .await
            .0,
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

/// A trial past its last day shows as ended, in the list and on the details
/// page, in both languages; `trial=ended` lists exactly those.
#[tokio::test]
async fn a_trial_past_its_end_shows_as_ended_and_has_its_filter() {
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_accounts;
    let app = spawn_app_frozen().await;
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
