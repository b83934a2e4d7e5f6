//! Creating a customer account in three steps, through the real server: every
//! step checks its fields in the reader's language and keeps what was typed,
//! going back loses nothing, nothing is written before the last step, and the
//! administrator's activation turns the account from Creating to Active.

use diesel::prelude::*;
use partnerdesk::access::PartnerRole;
use partnerdesk::db::schema::{customer_accounts, logins, memberships};
use partnerdesk::i18n::Lang;

use crate::customers::{listed_names, page_of, unescape};
use crate::helpers::people::PASSWORD;
use crate::helpers::{TestApp, spawn_app};

const STEP_1: &[(&str, &str)] = &[
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

const ADDRESS: &[(&str, &str)] = &[
    ("address_line1", "12 King Street"),
    ("postal_code", "M5H 1A1"),
    ("city", "Toronto"),
    ("region", "Ontario"),
    ("contact_phone", "+1 416 555 0100"),
];

fn with<'a>(base: &[(&'a str, &'a str)], more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = base
        .iter()
        .filter(|(k, _)| !more.iter().any(|(m, _)| m == k))
        .copied()
        .collect();
    all.extend_from_slice(more);
    all
}

fn customer_count(app: &TestApp) -> i64 {
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

async fn signed_in_sales_agent(app: &TestApp, language: Lang) -> (String, reqwest::Client) {
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
        let (status, page) = post(
            &app,
            &browser,
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

        // Step 2 refuses an address without street or city, keeping the rest.
        let (_, step2) = post(&app, &browser, STEP_1).await;
        assert!(
            step2.contains(r#"name="address_line1""#),
            "the address step"
        );
        let (_, refused) = post(
            &app,
            &browser,
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

        // Step 3: a username that is not an email while "same as username" is ticked.
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
        let (_, refused) = post(&app, &browser, &step3).await;
        assert!(error_of(&refused, "admin_username").is_some());
        assert_eq!(
            value_of(&refused, "admin_full_name").as_deref(),
            Some("Kim Abercrombie")
        );
        assert_eq!(
            customer_count(&app),
            0,
            "nothing is written before the last step succeeds"
        );
    }
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

pub(crate) fn administrator_step(username: &str) -> Vec<(&str, &str)> {
    with(
        &with(STEP_1, ADDRESS),
        &[
            ("step", "3"),
            ("go", "create"),
            ("admin_full_name", "Kim Abercrombie"),
            ("admin_language", "fr"),
            ("identity_provider", "local"),
            ("admin_username", username),
            ("email_same", "1"),
        ],
    )
}

#[tokio::test]
async fn creating_writes_the_account_in_creating_and_activation_makes_it_active() {
    let app = spawn_app().await;
    let (partner, browser) = signed_in_sales_agent(&app, Lang::En).await;
    let response = app
        .post_as(
            &browser,
            "/partner/customers/new",
            &administrator_step("kim@fourthcoffee.example"),
        )
        .await;
    assert_eq!(response.status(), 303);
    let details_path = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("redirect to the details")
        .to_owned();
    let (status, details) = page_of(&browser, &app, &details_path).await;
    assert_eq!(status, 200);
    assert!(details.contains(r#"id="customer-state">Creating<"#));
    assert!(details.contains("ACC-4411"));
    assert!(
        details.contains(r#"id="data-region">ca-central<"#),
        "Canada picks its data region"
    );
    assert!(
        details.contains("readonly"),
        "the username waits for activation"
    );
    let (_, list) = page_of(&browser, &app, "/partner/customers?q=fourth").await;
    assert_eq!(listed_names(&list), ["Fourth Coffee"]);

    // The administrator's activation email is in French, as chosen.
    let email = app
        .mail
        .wait_for_to("kim@fourthcoffee.example", 1)
        .await
        .remove(0);
    assert!(email.subject.contains("Fourth Coffee"), "{}", email.subject);
    assert!(email.text.contains("Bonjour"), "{}", email.text);
    let link = email
        .links()
        .into_iter()
        .find(|l| l.contains("/activate/"))
        .expect("an activation link");
    let path = link.trim_start_matches(&app.address).to_owned();
    let admin = crate::helpers::client();
    let activated = app
        .post_as(
            &admin,
            &path,
            &[("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(activated.status(), 303);
    let (_, details) = page_of(&browser, &app, &details_path).await;
    assert!(details.contains(r#"id="customer-state">Active<"#));
    // The administrator signs in to their console.
    let console = app
        .browser_signed_in("kim@fourthcoffee.example", PASSWORD)
        .await;
    let (status, home) = page_of(&console, &app, "/customer").await;
    assert_eq!(status, 200);
    assert!(home.contains("Fourth Coffee") && home.contains("Contoso"));
    assert!(!partner.is_empty());
    // The administrator named at creation administers the first site: the
    // console warns of no site without one.
    assert!(
        home.contains(r#"id="sites-count" data-count="1""#),
        "{home}"
    );
    assert!(!home.contains(r#"id="sites-unassigned""#), "{home}");
    let (_, unassigned) = page_of(&console, &app, "/customer/sites?administrators=none").await;
    assert!(!unassigned.contains("data-site=\""), "{unassigned}");
}

#[tokio::test]
async fn an_existing_username_is_offered_the_account_and_accepts_it_signed_in() {
    let app = spawn_app().await;
    let (partner, browser) = signed_in_sales_agent(&app, Lang::En).await;
    // Someone who already administers another customer, with an active login.
    let other = app.customer(
        &partner,
        &crate::helpers::customers::CustomerSpec::named("Alpine Ski"),
    );
    app.customer_administrator(&other, "kim@fourthcoffee.example");
    let logins_before: i64 = logins::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    let response = app
        .post_as(
            &browser,
            "/partner/customers/new",
            &administrator_step("KIM@fourthcoffee.example"),
        )
        .await;
    assert_eq!(response.status(), 303);
    let logins_after: i64 = logins::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(logins_before, logins_after, "no second login");
    let held = |state: &str| -> i64 {
        memberships::table
            .inner_join(logins::table)
            .filter(logins::username_key.eq("kim@fourthcoffee.example"))
            .filter(memberships::scope.eq("customer"))
            .filter(memberships::state.eq(state))
            .count()
            .get_result(&mut app.conn())
            .expect("count")
    };
    assert_eq!(
        (held("active"), held("invited")),
        (1, 1),
        "an offer, not a grant"
    );
    let state = || -> String {
        customer_accounts::table
            .filter(customer_accounts::name.eq("Fourth Coffee"))
            .select(customer_accounts::state)
            .first(&mut app.conn())
            .expect("state")
    };
    assert_eq!(
        state(),
        "creating",
        "nobody administers it until kim accepts"
    );
    let email = app
        .mail
        .wait_for_to("kim@fourthcoffee.example", 1)
        .await
        .remove(0);
    assert!(email.subject.contains("Fourth Coffee"));
    let link = email
        .links()
        .into_iter()
        .find(|l| l.contains("/invitations/"))
        .expect("an invitation link");
    let path = link.trim_start_matches(&app.address).to_owned();
    // Signed in, kim holds only the account she already had.
    let kim = app
        .browser_signed_in("kim@fourthcoffee.example", PASSWORD)
        .await;
    let (_, picker) = page_of(&kim, &app, "/memberships").await;
    assert!(!picker.contains("Fourth Coffee") && picker.contains("Alpine Ski"));
    let (status, offer) = page_of(&kim, &app, &path).await;
    assert_eq!(status, 200);
    assert!(offer.contains("Fourth Coffee"), "{offer}");
    // A second account offered to kim, still waiting while she accepts the first.
    let second = app.customer(
        &partner,
        &crate::helpers::customers::CustomerSpec::named("Contoso Cafe"),
    );
    diesel::update(customer_accounts::table.find(&second))
        .set(customer_accounts::state.eq("creating"))
        .execute(&mut app.conn())
        .expect("creating");
    app.invitation(
        crate::helpers::customers::Target::Customer(&second),
        "kim@fourthcoffee.example",
        "administrator",
    );
    let accepted = app.post_as(&kim, &format!("{path}/accept"), &[]).await;
    assert_eq!(accepted.status(), 303);
    let second_state: String = customer_accounts::table
        .find(&second)
        .select(customer_accounts::state)
        .first(&mut app.conn())
        .expect("state");
    assert_eq!(
        second_state, "creating",
        "an offer not yet accepted activates nothing"
    );
    assert_eq!(
        state(),
        "active",
        "accepted: the account has its administrator"
    );
    let (_, picker) = page_of(&kim, &app, "/memberships").await;
    assert!(picker.contains("Fourth Coffee") && picker.contains("Alpine Ski"));
    // The link served once.
    let (_, again) = page_of(&kim, &app, &path).await;
    assert!(again.contains("can no longer be used"));
}

#[tokio::test]
async fn a_helpdesk_agent_cannot_create_customers() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::En);
    app.active_member(&partner, "help@contoso.example", PartnerRole::HelpdeskAgent);
    let helpdesk = app
        .browser_signed_in("help@contoso.example", PASSWORD)
        .await;
    assert_eq!(
        page_of(&helpdesk, &app, "/partner/customers/new").await.0,
        403
    );
    let (_, list) = page_of(&helpdesk, &app, "/partner/customers").await;
    assert!(!list.contains(r#"id="create-customer""#));
    let refused = app
        .post_as(
            &helpdesk,
            "/partner/customers/new",
            &administrator_step("x@y.example"),
        )
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(customer_count(&app), 0);
}

#[tokio::test]
async fn partner_assistance_starts_on_for_trials_monthly_usage_and_managed_orders() {
    let app = spawn_app().await;
    let (_, browser) = signed_in_sales_agent(&app, Lang::En).await;
    let trial_end = (app.clock_now().date() + chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    for (n, billing, managed, expected) in [
        (1, "trial", false, true),
        (2, "monthly_usage", false, true),
        (3, "term_subscription", false, false),
        (4, "term_subscription", true, true),
    ] {
        let domain = format!("customer{n}.example");
        let username = format!("admin@customer{n}.example");
        let mut form = with(
            &administrator_step(&username),
            &[
                ("primary_domain", domain.as_str()),
                ("billing_type", billing),
                ("trial_ends_on", trial_end.as_str()),
            ],
        );
        if managed {
            form.push(("managed_order", "1"));
        }
        let response = app.post_as(&browser, "/partner/customers/new", &form).await;
        assert_eq!(response.status(), 303, "{billing}");
        let details_path = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .expect("redirect to the details")
            .to_owned();
        let (_, details) = page_of(&browser, &app, &details_path).await;
        assert!(
            details.contains(&format!(
                r#"id="partner-assistance" data-enabled="{expected}""#
            )),
            "{billing}, managed order {managed}: assistance {expected}"
        );
    }
}
