//! The partner home page (issue 8, first step): every figure links to the
//! customer list filtered to exactly its customers, and equals that list's
//! count, for several roles and data sets, never counting another partner's or a
//! dissociated customer.

use chrono::Duration;
use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::customers::{BillingType, CustomerState, Health};
use partnerdesk::db::schema::customer_accounts;
use partnerdesk::i18n::Lang;

use crate::customers::{page_of, unescape};
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app_frozen};

/// (figure id, count, link) of every figure on the home page.
pub(crate) fn figures(page: &str) -> Vec<(String, i64, String)> {
    let figure = regex::Regex::new(r#"id="(figure-[a-z_-]+)" data-count="(\d+)" href="([^"]+)""#)
        .expect("regex");
    figure
        .captures_iter(page)
        .map(|c| {
            (
                c[1].to_owned(),
                c[2].parse().expect("count"),
                unescape(&c[3]),
            )
        })
        .collect()
}

/// The number of items the list at `href` holds: customers, or service requests.
pub(crate) async fn list_total(app: &TestApp, browser: &reqwest::Client, href: &str) -> i64 {
    let (status, page) = page_of(browser, app, href).await;
    assert_eq!(status, 200, "{href}");
    if href.starts_with("/partner/staff") {
        let total = regex::Regex::new(r#"id="staff-count" data-total="(\d+)""#).expect("regex");
        return total.captures(&page).expect("a staff count")[1]
            .parse()
            .expect("total");
    }
    if href.starts_with("/partner/requests") {
        let total = regex::Regex::new(r#"id="request-count" data-total="(\d+)""#).expect("regex");
        let shown = page.matches("<tr data-request=").count() as i64;
        let total: i64 = total.captures(&page).expect("a request count")[1]
            .parse()
            .expect("total");
        assert_eq!(shown, total, "{href}: every request is listed");
        return total;
    }
    let total = regex::Regex::new(r#"id="customer-count" data-total="(\d+)""#).expect("regex");
    match total.captures(&page) {
        Some(c) => c[1].parse().expect("total"),
        None => {
            assert!(
                page.contains("customers-no-match") || page.contains("customers-empty"),
                "{href}: neither a count nor an empty state"
            );
            0
        }
    }
}

/// Checks every figure against its list for `username`; returns the figures.
pub(crate) async fn figures_match_lists(
    app: &TestApp,
    username: &str,
) -> Vec<(String, i64, String)> {
    let browser = app.browser_signed_in(username, PASSWORD).await;
    let (status, page) = page_of(&browser, app, "/partner").await;
    assert_eq!(status, 200);
    let found = figures(&page);
    assert!(found.len() >= 9, "{username}: {found:?}");
    for (id, count, href) in &found {
        assert!(
            ["/partner/customers", "/partner/requests", "/partner/staff"]
                .iter()
                .any(|list| href.starts_with(list)),
            "{id}: {href}"
        );
        assert_eq!(
            list_total(app, &browser, href).await,
            *count,
            "{username}: {id} → {href}"
        );
    }
    found
}

pub(crate) fn count_of(figures: &[(String, i64, String)], id: &str) -> i64 {
    figures
        .iter()
        .find(|(found, _, _)| found == id)
        .map(|(_, count, _)| *count)
        .unwrap_or_else(|| panic!("no figure {id}"))
}

/// `owner` dissociates the customer through the real server; returns the
/// owner's signed-in browser.
pub async fn dissociate(app: &TestApp, owner: &str, customer: &str) -> reqwest::Client {
    let browser = app.browser_signed_in(owner, PASSWORD).await;
    let dissociated = app
        .post_as(
            &browser,
            &format!("/partner/customers/{customer}/dissociate"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(dissociated.status(), 303);
    browser
}

fn licence(app: &TestApp, customer: &str, status: &str, expires_in_days: i64) {
    use partnerdesk::db::schema::licences;
    diesel::insert_into(licences::table)
        .values((
            licences::id.eq(uuid::Uuid::new_v4().to_string()),
            licences::customer_id.eq(customer),
            licences::product.eq("Backup"),
            licences::quantity.eq(10),
            licences::status.eq(status),
            licences::expires_on.eq(app.reader_today() + Duration::days(expires_in_days)),
            licences::created_at.eq(app.clock_now()),
        ))
        .execute(&mut app.conn())
        .expect("licence");
}

fn set_trial_end(app: &TestApp, customer: &str, in_days: i64) {
    diesel::update(customer_accounts::table.find(customer))
        .set(customer_accounts::trial_ends_on.eq(app.reader_today() + Duration::days(in_days)))
        .execute(&mut app.conn())
        .expect("trial end");
}

#[tokio::test]
async fn each_figure_equals_the_list_it_links_to_for_every_role() {
    let app = spawn_app_frozen().await;
    let ours = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    for role in PartnerRole::ALL {
        app.active_member(&ours, &format!("{}@contoso.example", role.as_str()), role);
    }
    let (soon, foreign) = customers_for_every_figure(&app, &ours);
    requests_two_open_one_waiting(&app, &soon, &foreign).await;
    for role in PartnerRole::ALL {
        figures_for(&app, role).await;
    }
    // The worst-off customers are named, incidents first.
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&owner, &app, "/partner").await;
    let worst = &page[page.find(r#"id="worst-health""#).expect("worst list")..];
    let (adatum, coho) = (
        worst.find("Adatum").expect("Adatum"),
        worst.find("Coho").expect("Coho"),
    );
    assert!(adatum < coho, "an incident comes before an advisory");
    assert!(!page.contains("Humongous") && !page.contains("Ion"));
    // The trial filter holds with a search and with the other filters.
    let trials = count_link(&page, "figure-trials-ending");
    for (extra, want) in [
        ("&q=adatum", 1),
        ("&q=coho", 0),
        ("&q=ad", 1),
        ("&state=creating", 1),
    ] {
        let href = format!("{trials}{extra}");
        assert_eq!(list_total(&app, &owner, &href).await, want, "{href}");
    }
    let csv = owner
        .get(app.url(&trials.replace("/partner/customers?", "/partner/customers.csv?")))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(
        csv.lines().count(),
        3,
        "the export reads the same view: {csv}"
    );
}

/// Seven customers of `ours` that each figure counts differently, another
/// partner's and one that left; returns Adatum's and the foreign one's ids.
pub(crate) fn customers_for_every_figure(app: &TestApp, ours: &str) -> (String, String) {
    let spec = |name: &str, state, billing, health| CustomerSpec {
        state,
        billing,
        health,
        ..CustomerSpec::named(name)
    };
    use BillingType::{MonthlyUsage, TermSubscription, Trial};
    use CustomerState::{Active, Creating, Suspended};
    use Health::{Advisory, Healthy, Incident};
    let soon = app.customer(ours, &spec("Adatum", Active, Trial, Incident));
    let today = app.customer(ours, &spec("Bellows", Creating, Trial, Healthy));
    let later = app.customer(ours, &spec("Coho", Active, Trial, Advisory));
    let past = app.customer(ours, &spec("Datum", Suspended, Trial, Healthy));
    let edge = app.customer(ours, &spec("Edge", Active, MonthlyUsage, Incident));
    // Licences: Adatum's and Edge's (twice) expire within 30 days; Bellows's
    // later; Coho's has expired already.
    licence(app, &soon, "active", 10);
    licence(app, &edge, "active", 1);
    licence(app, &edge, "active", 29);
    licence(app, &today, "active", 40);
    licence(app, &later, "expired", 5);
    app.customer(ours, &spec("Fourth", Active, TermSubscription, Advisory));
    app.customer(ours, &spec("Grove", Suspended, MonthlyUsage, Healthy));
    set_trial_end(app, &soon, 13);
    set_trial_end(app, &today, 0);
    set_trial_end(app, &later, 15);
    set_trial_end(app, &past, -2);
    // Another partner's customers, and one that left us, count nowhere.
    let theirs = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    let foreign = app.customer(&theirs, &spec("Humongous", Active, Trial, Incident));
    set_trial_end(app, &foreign, 3);
    licence(app, &foreign, "active", 3);
    let gone = app.customer(ours, &spec("Ion", Active, Trial, Incident));
    set_trial_end(app, &gone, 3);
    licence(app, &gone, "active", 3);
    diesel::update(customer_accounts::table.find(&gone))
        .set(customer_accounts::partner_id.eq(None::<String>))
        .execute(&mut app.conn())
        .expect("dissociated");
    (soon, foreign)
}

/// Two open requests of Adatum and one waiting on it; another partner's open one.
pub(crate) async fn requests_two_open_one_waiting(app: &TestApp, soon: &str, foreign: &str) {
    app.customer_administrator(soon, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    for title in ["VPN down", "Printer", "Mail"] {
        let opened = app
            .post_as(
                &admin,
                "/customer/requests/new",
                &[
                    ("title", title),
                    ("category", "technical"),
                    ("description", "Help."),
                ],
            )
            .await;
        assert_eq!(opened.status(), 303);
    }
    let helpdesk = app
        .browser_signed_in("helpdesk_agent@contoso.example", PASSWORD)
        .await;
    let (_, listed) = page_of(&helpdesk, app, "/partner/requests").await;
    let first = regex::Regex::new(r#"href="/partner/requests/([^"]+)""#)
        .expect("regex")
        .captures(&listed)
        .expect("a request")[1]
        .to_owned();
    let waiting = app
        .post_as(
            &helpdesk,
            &format!("/partner/requests/{first}/status"),
            &[("status", "waiting")],
        )
        .await;
    assert_eq!(waiting.status(), 303);
    app.customer_administrator(foreign, "admin@humongous.example");
    let theirs_admin = app
        .browser_signed_in("admin@humongous.example", PASSWORD)
        .await;
    app.post_as(
        &theirs_admin,
        "/customer/requests/new",
        &[
            ("title", "Other"),
            ("category", "technical"),
            ("description", "Help."),
        ],
    )
    .await;
}

/// What `role` sees on the home page: each figure equals the list it links to.
async fn figures_for(app: &TestApp, role: PartnerRole) {
    let found = figures_match_lists(app, &format!("{}@contoso.example", role.as_str())).await;
    let serves = role.can(partnerdesk::access::Capability::ServiceRequestsOnBehalf);
    assert_eq!(
        found.iter().any(|(id, _, _)| id == "figure-open-requests"),
        serves,
        "{role:?}"
    );
    if serves {
        assert_eq!(count_of(&found, "figure-open-requests"), 2, "{role:?}");
    }
    assert_eq!(count_of(&found, "figure-all"), 7, "{role:?}");
    assert_eq!(
        count_of(&found, "figure-trials-ending"),
        2,
        "{role:?}: Adatum and Bellows"
    );
    assert_eq!(
        count_of(&found, "figure-trials-ended"),
        1,
        "{role:?}: Datum, two days past its end"
    );
    assert_eq!(
        count_of(&found, "figure-licences-expiring"),
        2,
        "{role:?}: Adatum and Edge, not the dissociated Ion (its licences follow it)"
    );
    assert_eq!(count_of(&found, "figure-health-incident"), 2, "{role:?}");
    assert_eq!(count_of(&found, "figure-health-advisory"), 2, "{role:?}");
    assert_eq!(count_of(&found, "figure-billing-trial"), 4, "{role:?}");
    assert_eq!(count_of(&found, "figure-state-suspended"), 2, "{role:?}");
}

fn count_link(page: &str, id: &str) -> String {
    figures(page)
        .into_iter()
        .find(|(found, _, _)| found == id)
        .map(|(_, _, href)| href)
        .unwrap_or_else(|| panic!("no figure {id}"))
}

#[tokio::test]
async fn a_partner_with_no_customers_sees_zeros_that_lead_to_empty_lists() {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let found = figures_match_lists(&app, "owner@contoso.example").await;
    assert!(found.iter().all(|(_, count, _)| *count == 0), "{found:?}");
}

#[tokio::test]
async fn recent_activity_shows_to_the_roles_that_may_read_the_log() {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::Fr);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    app.active_member(
        &partner,
        "helpdesk@contoso.example",
        PartnerRole::HelpdeskAgent,
    );
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&owner, &app, "/partner").await;
    assert!(page.contains(r#"id="recent-activity""#));
    assert!(
        page.contains("Person owner@contoso.example"),
        "the owner's own sign-in"
    );
    let helpdesk = app
        .browser_signed_in("helpdesk@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&helpdesk, &app, "/partner").await;
    assert!(!page.contains(r#"id="recent-activity""#));
    // In French, for a French reader.
    app.post_as(&helpdesk, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, page) = page_of(&helpdesk, &app, "/partner").await;
    assert!(unescape(&page).contains("se terminant dans les 14 prochains jours"));
}

#[tokio::test]
async fn new_customers_per_month_are_drawn_as_labelled_bars() {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "sales@contoso.example", PartnerRole::SalesAgent);
    for (name, days_ago) in [
        ("Adatum", 0),
        ("Bellows", 0),
        ("Coho", 0),
        ("Datum", 45),
        ("Edge", 400),
    ] {
        app.customer(
            &partner,
            &CustomerSpec {
                age_minutes: days_ago * 24 * 60,
                ..CustomerSpec::named(name)
            },
        );
    }
    let other = app.invite_partner_owner("Fabrikam", "fay@fabrikam.example", Lang::En);
    app.customer(&other, &CustomerSpec::named("Humongous"));
    let sales = app
        .browser_signed_in("sales@contoso.example", PASSWORD)
        .await;
    let (_, page) = page_of(&sales, &app, "/partner").await;
    let chart = &page[page.find(r#"id="new-customers-chart""#).expect("the chart")..];
    let chart = &chart[..chart.find("</svg>").expect("its end")];
    let bars: Vec<i64> = regex::Regex::new(r#"class="bar" data-count="(\d+)""#)
        .expect("regex")
        .captures_iter(chart)
        .map(|c| c[1].parse().expect("count"))
        .collect();
    assert_eq!(bars.len(), 12, "one bar a month");
    assert_eq!(
        bars.iter().sum::<i64>(),
        4,
        "the last twelve months, ours only"
    );
    assert_eq!(bars[11], 3, "this month's");
    assert!(
        chart.contains(r#"fill="url(#hatch)""#),
        "the month under way is hatched"
    );
    assert!(chart.contains("<desc id=\"new-customers-desc\">4 new customers"));
    assert_eq!(
        chart.matches("<text").count(),
        24,
        "a number and a month under each bar"
    );
    app.post_as(&sales, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let (_, page) = page_of(&sales, &app, "/partner").await;
    assert!(unescape(&page).contains("Nouveaux clients par mois"));
}

#[tokio::test]
async fn owners_see_the_staff_invitations_about_to_expire() {
    let app = spawn_app_frozen().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    app.active_member(&partner, "admin@contoso.example", PartnerRole::AdminAgent);
    let invite = |username: &'static str| {
        let app = &app;
        async move {
            let owner = app
                .browser_signed_in("owner@contoso.example", PASSWORD)
                .await;
            let invited = app
                .post_as(
                    &owner,
                    "/partner/staff/invite",
                    &[
                        ("full_name", "New Person"),
                        ("email", username),
                        ("username", username),
                        ("role", "sales_agent"),
                        ("language", "en"),
                    ],
                )
                .await;
            assert_eq!(invited.status(), 303);
        }
    };
    // Invitations last 72 hours: Olga's (the first owner's) and the first have 22
    // left, the second 52.
    invite("first@contoso.example").await;
    app.clock.advance(Duration::hours(30));
    invite("second@contoso.example").await;
    app.clock.advance(Duration::hours(20));
    let found = figures_match_lists(&app, "owner@contoso.example").await;
    assert_eq!(count_of(&found, "figure-invitations-expiring"), 2);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    let (_, listed) = page_of(&owner, &app, "/partner/staff?pending=expiring").await;
    assert!(listed.contains("first@contoso.example") && listed.contains("olga@contoso.example"));
    assert!(!listed.contains("second@contoso.example"));
    // Admin agents do not manage staff: no such figure for them.
    let found = figures_match_lists(&app, "admin@contoso.example").await;
    assert!(
        !found
            .iter()
            .any(|(id, _, _)| id == "figure-invitations-expiring")
    );
}
