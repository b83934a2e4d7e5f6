//! Messages done properly (issue 17): a noun agrees with the number it meets,
//! and numbers, amounts and dates read the way each language writes them.

use diesel::prelude::*;
use partnerdesk::commerce::PlacedBy;
use partnerdesk::customers::{BillingType, Health};
use partnerdesk::db::schema::customer_accounts;
use partnerdesk::i18n::Lang;

use crate::customers::page_of;
use crate::helpers::customers::CustomerSpec;
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

async fn in_language(app: &TestApp, browser: &reqwest::Client, lang: Lang) {
    let switched = app
        .post_as(
            browser,
            "/language",
            &[("lang", lang.code()), ("next", "/")],
        )
        .await;
    assert!(switched.status().is_redirection());
}

#[tokio::test]
async fn figures_agree_with_their_nouns_in_english_and_french() {
    let app = spawn_app().await;
    let (contoso, owner) = app.contoso_owner_signed_in(Lang::En).await;
    app.customer(
        &contoso,
        &CustomerSpec {
            health: Health::Incident,
            ..CustomerSpec::named("Alder")
        },
    );
    for name in ["Birch", "Cedar"] {
        app.customer(
            &contoso,
            &CustomerSpec {
                health: Health::Advisory,
                ..CustomerSpec::named(name)
            },
        );
    }
    let (_, home) = page_of(&owner, &app, "/partner").await;
    assert!(
        home.contains("1</strong> customer with an incident"),
        "{home}"
    );
    assert!(home.contains("2</strong> customers with an advisory"));
    assert!(home.contains(">3 customers</a>"));
    assert!(
        !home.contains("1</strong> Incident"),
        "a bare label after a figure"
    );

    in_language(&app, &owner, Lang::Fr).await;
    let (_, home) = page_of(&owner, &app, "/partner").await;
    assert!(
        home.contains("1</strong> client avec un incident"),
        "{home}"
    );
    assert!(home.contains("2</strong> clients avec un avis"));
    assert!(home.contains(">3 clients</a>"));
}

#[tokio::test]
async fn one_site_is_a_site_and_two_are_sites_on_the_console_in_both_languages() {
    let app = spawn_app().await;
    let (contoso, _) = app.contoso_owner_signed_in(Lang::En).await;
    let adatum = app.customer(&contoso, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&adatum, "admin@adatum.example");
    let admin = app
        .browser_signed_in("admin@adatum.example", PASSWORD)
        .await;
    let (_, home) = page_of(&admin, &app, "/customer").await;
    assert!(home.contains(">1 site</a>"), "{home}");
    in_language(&app, &admin, Lang::Fr).await;
    let (_, home) = page_of(&admin, &app, "/customer").await;
    assert!(home.contains(">1 site</a>"), "{home}");
    let created = app
        .post_as(
            &admin,
            "/customer/sites",
            &[("name", "Lyon"), ("time_zone", "Europe/Paris")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let (_, home) = page_of(&admin, &app, "/customer").await;
    assert!(home.contains(">2 sites</a>"), "{home}");
    in_language(&app, &admin, Lang::En).await;
    let (_, home) = page_of(&admin, &app, "/customer").await;
    assert!(home.contains(">2 sites</a>"), "{home}");
}

#[tokio::test]
async fn amounts_and_dates_read_the_way_each_language_writes_them() {
    let app = spawn_app().await;
    let (contoso, owner) = app.contoso_owner_signed_in(Lang::En).await;
    let trial = app.customer(
        &contoso,
        &CustomerSpec {
            billing: BillingType::Trial,
            ..CustomerSpec::named("Hazel")
        },
    );
    let ends_on = chrono::NaiveDate::from_ymd_opt(2030, 1, 15).expect("a date");
    diesel::update(customer_accounts::table.filter(customer_accounts::id.eq(&trial)))
        .set(customer_accounts::trial_ends_on.eq(Some(ends_on)))
        .execute(&mut app.conn())
        .expect("a trial's end");
    let offer = app.offer("Reserved VM, 3 years", "reservation", "2130", Some(36));
    let plan = app.offer("Azure plan", "usage_subscription", "0", None);
    let subscription = app.ordered(&contoso, &trial, &plan, None, PlacedBy::Partner);
    app.ordered(
        &contoso,
        &trial,
        &offer,
        Some(&subscription),
        PlacedBy::Partner,
    );

    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{trial}")).await;
    assert!(details.contains("Jan 15, 2030"), "{details}");
    let (_, orders) = page_of(&owner, &app, &format!("/partner/customers/{trial}/orders")).await;
    assert!(orders.contains("€4,260.00"), "2 × €2,130: {orders}");

    in_language(&app, &owner, Lang::Fr).await;
    let (_, details) = page_of(&owner, &app, &format!("/partner/customers/{trial}")).await;
    assert!(details.contains("15 janv. 2030"), "{details}");
    let (_, orders) = page_of(&owner, &app, &format!("/partner/customers/{trial}/orders")).await;
    assert!(
        orders.contains("4\u{202f}260,00\u{a0}€"),
        "grouped by a narrow space, a comma before the cents: {orders}"
    );
}
