//! Creating a customer account in three steps, through the real server: every
//! step checks its fields in the reader's language and keeps what was typed,
//! going back loses nothing, nothing is written before the last step, and the
//! administrator's activation turns the account from Creating to Active.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::customer_accounts;
use partnerdesk::i18n::Lang;

use crate::customer_create_admin::administrator_step;
use crate::customers::{page_of, unescape};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

pub(crate) const STEP_1: &[(&str, &str)] = &[
    ("step", "1"),
    ("go", "next"),
    ("name", "Fourth Coffee"),
    ("primary_domain", "FourthCoffee.example"),
    ("country", "CA"),
    ("time_zone", "America/Toronto"),
    ("reference_number", "ACC-4411"),
    ("term", "annual"),
    ("billing_type", "monthly_usage"),
];

pub(crate) const ADDRESS: &[(&str, &str)] = &[
    ("address_line1", "12 King Street"),
    ("postal_code", "M5H 1A1"),
    ("city", "Toronto"),
    ("region", "Ontario"),
    ("contact_phone", "+1 416 555 0100"),
];

pub(crate) fn with<'a>(
    base: &[(&'a str, &'a str)],
    more: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = base
        .iter()
        .filter(|(k, _)| !more.iter().any(|(m, _)| m == k))
        .copied()
        .collect();
    all.extend_from_slice(more);
    all
}

pub(crate) fn customer_count(app: &TestApp) -> i64 {
    customer_accounts::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// The value of the input named `name` in a page.
fn value_of(page: &str, name: &str) -> Option<String> {
    let pattern = regex::Regex::new(&format!(
        r#"name="{name}"(?: type="[a-z]+")? value="([^"]*)""#
    ))
    .expect("regex");
    pattern.captures(page).map(|c| unescape(&c[1]))
}

fn error_of(page: &str, field: &str) -> Option<String> {
    let pattern = regex::Regex::new(&format!(r#"id="{field}-error">([^<]+)<"#)).expect("regex");
    pattern.captures(page).map(|c| unescape(&c[1]))
}

pub(crate) async fn signed_in_sales_agent(
    app: &TestApp,
    language: Lang,
) -> (String, reqwest::Client) {
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", language);
    app.active_member(&partner, "sales@contoso.example", PartnerRole::SalesAgent);
    let browser = app
        .browser_signed_in("sales@contoso.example", PASSWORD)
        .await;
    if language == Lang::Fr {
        app.post_as(&browser, "/language", &[("lang", "fr"), ("next", "/")])
            .await;
    }
    (partner, browser)
}

async fn post(app: &TestApp, browser: &reqwest::Client, form: &[(&str, &str)]) -> (u16, String) {
    let response = app.post_as(browser, "/partner/customers/new", form).await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test]
async fn each_step_checks_its_fields_in_english_and_french_and_keeps_what_was_typed() {
    for (language, required, domain_invalid) in [
        (
            Lang::En,
            "This field is required.",
            "This value is not valid.",
        ),
        (
            Lang::Fr,
            "Ce champ est obligatoire.",
            "Cette valeur n'est pas valide.",
        ),
    ] {
        let app = spawn_app().await;
        let (_, browser) = signed_in_sales_agent(&app, language).await;
        step_1_refusals(&app, &browser, language, [required, domain_invalid]).await;
        step_2_refuses_an_address_without_a_city(&app, &browser, required).await;
        step_3_refuses_a_username_that_is_no_address(&app, &browser).await;
    }
}

/// Step 1 refuses a blank name, a bad domain and an unknown zone, keeping
/// what was typed.
async fn step_1_refusals(
    app: &TestApp,
    browser: &reqwest::Client,
    language: Lang,
    [required, domain_invalid]: [&str; 2],
) {
    let (status, page) = post(
        app,
        browser,
        &with(
            STEP_1,
            &[
                ("name", "  "),
                ("primary_domain", "not a domain"),
                ("time_zone", "Mars/Base"),
            ],
        ),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(error_of(&page, "name").as_deref(), Some(required));
    assert_eq!(
        error_of(&page, "primary_domain").as_deref(),
        Some(domain_invalid)
    );
    assert_eq!(
        error_of(&page, "time_zone").as_deref(),
        Some(zone_unknown(language)),
        "the message names the form a zone takes"
    );
    assert!(
        page.contains(r#"<option value="Mars/Base" selected>"#),
        "the refused zone stays chosen"
    );
    assert_eq!(
        value_of(&page, "primary_domain").as_deref(),
        Some("not a domain")
    );
    assert_eq!(
        value_of(&page, "reference_number").as_deref(),
        Some("ACC-4411")
    );
    assert!(
        page.contains(r#"<option value="CA" selected"#),
        "the country stays chosen"
    );
}

/// Step 2 refuses an address without street or city, keeping the rest.
async fn step_2_refuses_an_address_without_a_city(
    app: &TestApp,
    browser: &reqwest::Client,
    required: &str,
) {
    let (_, step2) = post(app, browser, STEP_1).await;
    assert!(
        step2.contains(r#"name="address_line1""#),
        "the address step"
    );
    let (_, refused) = post(
        app,
        browser,
        &with(
            &with(STEP_1, ADDRESS),
            &[("step", "2"), ("city", ""), ("contact_phone", "call me")],
        ),
    )
    .await;
    assert_eq!(error_of(&refused, "city").as_deref(), Some(required));
    assert!(error_of(&refused, "contact_phone").is_some());
    assert_eq!(
        value_of(&refused, "postal_code").as_deref(),
        Some("M5H 1A1")
    );
}

/// Step 3: a username that is not an email while "same as username" is ticked;
/// nothing is written before the last step succeeds.
async fn step_3_refuses_a_username_that_is_no_address(app: &TestApp, browser: &reqwest::Client) {
    let step3 = with(
        &with(STEP_1, ADDRESS),
        &[
            ("step", "3"),
            ("go", "create"),
            ("admin_full_name", "Kim Abercrombie"),
            ("admin_language", "fr"),
            ("identity_provider", "local"),
            ("admin_username", "kim.abercrombie"),
            ("email_same", "1"),
        ],
    );
    let (_, refused) = post(app, browser, &step3).await;
    assert!(error_of(&refused, "admin_username").is_some());
    assert_eq!(
        value_of(&refused, "admin_full_name").as_deref(),
        Some("Kim Abercrombie")
    );
    assert_eq!(
        customer_count(app),
        0,
        "nothing is written before the last step succeeds"
    );
}

#[tokio::test]
async fn going_back_loses_nothing_and_the_country_is_carried_over() {
    let app = spawn_app().await;
    let (_, browser) = signed_in_sales_agent(&app, Lang::En).await;
    let (_, step2) = post(&app, &browser, STEP_1).await;
    assert!(
        step2.contains(r#"value="Canada" readonly"#),
        "the country shows, read-only"
    );
    assert_eq!(
        value_of(&step2, "name").as_deref(),
        Some("Fourth Coffee"),
        "carried as hidden"
    );
    let (_, step3) = post(
        &app,
        &browser,
        &with(&with(STEP_1, ADDRESS), &[("step", "2")]),
    )
    .await;
    assert!(step3.contains(r#"name="admin_username""#));
    let back_from_3 = with(
        &with(STEP_1, ADDRESS),
        &[
            ("step", "3"),
            ("go", "back"),
            ("admin_full_name", "Kim"),
            ("admin_username", "kim@fourthcoffee.example"),
        ],
    );
    let (_, again2) = post(&app, &browser, &back_from_3).await;
    assert_eq!(value_of(&again2, "city").as_deref(), Some("Toronto"));
    assert_eq!(
        value_of(&again2, "admin_username").as_deref(),
        Some("kim@fourthcoffee.example")
    );
    let back_from_2 = with(&back_from_3, &[("step", "2")]);
    let (_, again1) = post(&app, &browser, &back_from_2).await;
    assert_eq!(
        value_of(&again1, "primary_domain").as_deref(),
        Some("FourthCoffee.example")
    );
    assert_eq!(value_of(&again1, "admin_full_name").as_deref(), Some("Kim"));
    assert_eq!(customer_count(&app), 0);
}

fn zone_unknown(language: Lang) -> &'static str {
    match language {
        Lang::En => {
            "Choose a time zone from the list. A city alone such as “Paris” is not enough: \
             the name reads Region/City, for example Europe/Paris."
        }
        Lang::Fr => {
            "Choisissez un fuseau horaire dans la liste. Une ville seule comme « Paris » ne \
             suffit pas : le nom s’écrit Région/Ville, par exemple Europe/Paris."
        }
    }
}

/// The `(value, text)` of each option of the select `id`.
fn options_of(page: &str, id: &str) -> Vec<(String, String)> {
    let start = page
        .find(&format!(r#"<select id="{id}""#))
        .expect("the select");
    let end = start + page[start..].find("</select>").expect("its end");
    let option =
        regex::Regex::new(r#"<option value="([^"]*)"[^>]*>([^<]*)</option>"#).expect("regex");
    option
        .captures_iter(&page[start..end])
        .map(|c| (unescape(&c[1]), unescape(&c[2])))
        .collect()
}

#[tokio::test]
async fn every_iso_country_is_offered_by_its_name_in_the_readers_language() {
    for (language, germany, first) in [
        (Lang::En, "Germany", "Afghanistan"),
        (Lang::Fr, "Allemagne", "Afghanistan"),
    ] {
        let app = spawn_app().await;
        let (_, browser) = signed_in_sales_agent(&app, language).await;
        let (status, page) = page_of(&browser, &app, "/partner/customers/new").await;
        assert_eq!(status, 200);
        let countries = options_of(&page, "country");
        // The empty choice, then the 249 countries of ISO 3166-1.
        assert_eq!(countries.len(), 250);
        let name = |code: &str| {
            countries
                .iter()
                .find(|(value, _)| value == code)
                .map(|(_, name)| name.as_str())
        };
        assert_eq!(name("DE"), Some(germany));
        assert_eq!(name("CI"), Some("Côte d’Ivoire"));
        assert!(name("AQ").is_some());
        assert_eq!(countries[1].1, first);
        if language == Lang::Fr {
            let position = |name: &str| countries.iter().position(|(_, n)| n == name);
            assert!(
                position("Égypte") < position("Équateur")
                    && position("Équateur") < position("Espagne"),
                "Égypte is with the E's"
            );
        }
        // The zone picker groups IANA zones by region, legacy names left out.
        assert!(page.contains(r#"<optgroup label=""#));
        let zones = options_of(&page, "time_zone");
        assert_eq!(zones[0].0, "", "the country's zone comes first");
        assert!(
            zones.iter().any(
                |(value, label)| value == "America/New_York" && label.starts_with("New York (")
            )
        );
        assert!(!zones.iter().any(|(value, _)| value == "US/Eastern"));
    }
}

#[tokio::test]
async fn without_a_zone_chosen_the_countrys_zone_is_stored() {
    for language in [Lang::En, Lang::Fr] {
        let app = spawn_app().await;
        let (_, browser) = signed_in_sales_agent(&app, language).await;
        let in_france = [("country", "FR"), ("time_zone", "")];
        // Step 1 names the zone the country gives.
        let (_, step1) = post(
            &app,
            &browser,
            &with(
                STEP_1,
                &[("country", "FR"), ("time_zone", ""), ("name", "")],
            ),
        )
        .await;
        let zones = options_of(&step1, "time_zone");
        assert!(zones[0].1.ends_with(" (Paris)"), "{:?}", zones[0]);
        assert!(step1.contains(r#"<option value="" selected id="zone-of-country">"#));
        let (status, _) = post(
            &app,
            &browser,
            &with(&administrator_step("kim@fourthcoffee.example"), &in_france),
        )
        .await;
        assert_eq!(status, 303);
        let (zone, region): (String, String) = customer_accounts::table
            .select((customer_accounts::time_zone, customer_accounts::data_region))
            .first(&mut app.conn())
            .expect("the customer");
        assert_eq!(
            (zone.as_str(), region.as_str()),
            ("Europe/Paris", "eu-central")
        );
        let site_zone: String = partnerdesk::db::schema::sites::table
            .select(partnerdesk::db::schema::sites::time_zone)
            .first(&mut app.conn())
            .expect("the first site");
        assert_eq!(site_zone, "Europe/Paris");
    }
}

#[tokio::test]
async fn a_city_alone_is_refused_next_to_the_zone_with_what_was_typed_kept() {
    for language in [Lang::En, Lang::Fr] {
        let app = spawn_app().await;
        let (_, browser) = signed_in_sales_agent(&app, language).await;
        let (status, page) = post(
            &app,
            &browser,
            &with(
                &administrator_step("kim@fourthcoffee.example"),
                &[("time_zone", "Paris")],
            ),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            error_of(&page, "time_zone").as_deref(),
            Some(zone_unknown(language))
        );
        assert!(page.contains(r#"aria-invalid="true""#));
        assert!(page.contains(r#"<option value="Paris" selected>Paris</option>"#));
        assert_eq!(value_of(&page, "name").as_deref(), Some("Fourth Coffee"));
        assert_eq!(
            value_of(&page, "admin_username").as_deref(),
            Some("kim@fourthcoffee.example")
        );
        assert_eq!(customer_count(&app), 0);
        // A legacy name is taken, and stored under its current name.
        let (status, _) = post(
            &app,
            &browser,
            &with(
                &administrator_step("kim@fourthcoffee.example"),
                &[("country", "IN"), ("time_zone", "Asia/Calcutta")],
            ),
        )
        .await;
        assert_eq!(status, 303);
        let zone: String = customer_accounts::table
            .select(customer_accounts::time_zone)
            .first(&mut app.conn())
            .expect("the customer");
        assert_eq!(zone, "Asia/Kolkata");
    }
}
