//! Browser journeys in headless Chromium over WebDriver. A screenshot of the page
//! is saved under tests/screenshots/ when a journey fails.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::helpers::spawn_app;

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

pub(crate) fn browser_required() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
        || std::env::var("PARTNERDESK_TEST_BROWSER").as_deref() == Ok("1")
}

fn find_program(env_var: &str, candidates: &[&str]) -> Option<String> {
    if let Ok(path) = std::env::var(env_var) {
        return Some(path);
    }
    candidates
        .iter()
        .find(|path| std::path::Path::new(path).exists())
        .map(|path| (*path).to_owned())
}

impl Browser {
    /// Starts chromedriver and a headless Chromium. Outside CI, a machine without
    /// them skips the journey and says so; in CI it fails.
    pub async fn start() -> Option<Browser> {
        let driver_path = find_program("PARTNERDESK_CHROMEDRIVER", &["/usr/bin/chromedriver"]);
        let chromium_path = find_program(
            "PARTNERDESK_CHROMIUM",
            &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
        );
        let (Some(driver_path), Some(chromium_path)) = (driver_path, chromium_path) else {
            assert!(
                !browser_required(),
                "Chromium and chromedriver are required here but not installed"
            );
            eprintln!("skipped: Chromium or chromedriver is not installed");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile folder");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            serde_json::json!({
                "binary": chromium_path,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Some(Browser {
                        client,
                        driver,
                        _profile: profile,
                    });
                }
                Err(error) => {
                    last_error = Some(error);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("could not start a browser session: {last_error:?}");
    }

    /// Signs in through the login form at `login_url`.
    pub async fn sign_in(
        &self,
        login_url: &str,
        username: &str,
        password: &str,
    ) -> anyhow::Result<()> {
        let c = &self.client;
        c.goto(login_url).await?;
        c.find(Locator::Id("username"))
            .await?
            .send_keys(username)
            .await?;
        c.find(Locator::Id("password"))
            .await?
            .send_keys(password)
            .await?;
        c.find(Locator::Id("sign-in")).await?.click().await?;
        Ok(())
    }

    /// Signs out from the header and waits for the signed-out page.
    pub async fn sign_out(&self) -> anyhow::Result<()> {
        let c = &self.client;
        c.find(Locator::Id("sign-out")).await?.click().await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Id("sign-in-link"))
            .await?;
        Ok(())
    }

    /// Ends the session; on failure saves a screenshot and fails the test.
    pub async fn finish(mut self, name: &str, outcome: anyhow::Result<()>) {
        if let Err(error) = &outcome {
            let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots");
            let _ = std::fs::create_dir_all(&folder);
            if let Ok(png) = self.client.screenshot().await {
                let path = folder.join(format!("{name}.png"));
                let _ = std::fs::write(&path, png);
                eprintln!("screenshot saved to {}", path.display());
            }
            let _ = self.client.clone().close().await;
            let _ = self.driver.kill();
            panic!("browser journey {name} failed: {error:?}");
        }
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
    }
}

#[tokio::test]
async fn a_visitor_switches_the_language_in_the_browser() {
    let app = spawn_app().await;
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        c.goto(&app.url("/")).await?;
        let lang = c.find(Locator::Css("html")).await?.attr("lang").await?;
        let heading = c.find(Locator::Css("h1")).await?.text().await?;
        let (expected_lang, expected_heading) = match lang.as_deref() {
            Some("fr") => ("en", "The partner portal"),
            _ => ("fr", "Le portail partenaires"),
        };
        c.find(Locator::Css(&format!("#switch-language-{expected_lang}")))
            .await?
            .click()
            .await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css(&format!("html[lang='{expected_lang}']")))
            .await?;
        let switched = c.find(Locator::Css("h1")).await?.text().await?;
        anyhow::ensure!(
            switched != heading,
            "the heading did not change: {switched}"
        );
        anyhow::ensure!(
            switched.starts_with(expected_heading),
            "unexpected heading: {switched}"
        );
        Ok(())
    }
    .await;
    browser.finish("language_switch", outcome).await;
}

#[tokio::test]
async fn an_invited_owner_goes_from_the_email_to_the_first_page_after_sign_in() {
    let app = spawn_app().await;
    app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    let email = app.mail.wait_for_to("olga@contoso.example", 1).await;
    let link = email[0]
        .links()
        .into_iter()
        .next()
        .expect("activation link");
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let password = "a long enough passphrase";
        c.goto(&link).await?;
        c.find(Locator::Id("password"))
            .await?
            .send_keys(password)
            .await?;
        c.find(Locator::Id("password_confirmation"))
            .await?
            .send_keys(password)
            .await?;
        c.find(Locator::Id("activate")).await?.click().await?;
        let username = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Id("username"))
            .await?;
        username.send_keys("olga@contoso.example").await?;
        c.find(Locator::Id("password"))
            .await?
            .send_keys(password)
            .await?;
        c.find(Locator::Id("sign-in")).await?.click().await?;
        let role = c
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Id("partner-role"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(role.contains("Owner"), "unexpected role line: {role}");
        let heading = c.find(Locator::Css("h1")).await?.text().await?;
        anyhow::ensure!(heading == "Contoso", "unexpected heading: {heading}");
        anyhow::ensure!(
            c.current_url().await?.path() == "/partner",
            "not on the partner home"
        );
        Ok(())
    }
    .await;
    browser.finish("invitation_to_first_page", outcome).await;
}

#[tokio::test]
async fn a_partner_searches_opens_a_contact_card_and_creates_a_customer() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "sales@contoso.example",
        partnerdesk::access::PartnerRole::SalesAgent,
    );
    app.customer(&partner, &CustomerSpec::named("Northwind Traders"));
    app.customer(&partner, &CustomerSpec::named("Tailspin Toys"));
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        c.goto(&app.url("/login")).await?;
        c.find(Locator::Id("username"))
            .await?
            .send_keys("sales@contoso.example")
            .await?;
        c.find(Locator::Id("password"))
            .await?
            .send_keys(PASSWORD)
            .await?;
        c.find(Locator::Id("sign-in")).await?.click().await?;
        wait().for_element(Locator::Id("partner-role")).await?;

        // Search.
        c.goto(&app.url("/partner/customers")).await?;
        c.find(Locator::Id("q")).await?.send_keys("north").await?;
        c.find(Locator::Id("apply-filters")).await?.click().await?;
        wait()
            .for_element(Locator::Css("input#q[value='north']"))
            .await?;
        let query = c
            .current_url()
            .await?
            .query()
            .unwrap_or_default()
            .to_owned();
        anyhow::ensure!(
            query.contains("q=north"),
            "the search is in the URL: {query}"
        );
        let rows = c.find_all(Locator::Css("a.contact-link")).await?;
        anyhow::ensure!(rows.len() == 1, "one customer matches, got {}", rows.len());

        // The contact card opens over the list.
        rows[0].click().await?;
        let email = wait()
            .for_element(Locator::Css("#contact-dialog[open] #contact-email"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            email == "contact@northwind-traders.example",
            "unexpected contact: {email}"
        );
        anyhow::ensure!(
            c.current_url().await?.path() == "/partner/customers",
            "the list stays"
        );
        c.find(Locator::Id("contact-dialog-close"))
            .await?
            .click()
            .await?;

        // Create a customer through the three steps.
        c.goto(&app.url("/partner/customers")).await?;
        c.find(Locator::Id("create-customer"))
            .await?
            .click()
            .await?;
        wait().for_element(Locator::Id("primary_domain")).await?;
        c.find(Locator::Id("name"))
            .await?
            .send_keys("Fourth Coffee")
            .await?;
        c.find(Locator::Id("primary_domain"))
            .await?
            .send_keys("fourthcoffee.example")
            .await?;
        c.find(Locator::Css("#country option[value='CA']"))
            .await?
            .click()
            .await?;
        // The zone is left at "the country's zone", which the script names.
        let zone_of_country = c.find(Locator::Id("zone-of-country")).await?.text().await?;
        assert!(zone_of_country.ends_with("(Toronto)"), "{zone_of_country}");
        c.find(Locator::Css("#billing_type option[value='monthly_usage']"))
            .await?
            .click()
            .await?;
        c.find(Locator::Id("next-step")).await?.click().await?;
        wait()
            .for_element(Locator::Id("address_line1"))
            .await?
            .send_keys("12 King Street")
            .await?;
        c.find(Locator::Id("city"))
            .await?
            .send_keys("Toronto")
            .await?;
        c.find(Locator::Id("next-step")).await?.click().await?;
        wait()
            .for_element(Locator::Id("admin_full_name"))
            .await?
            .send_keys("Kim Abercrombie")
            .await?;
        c.find(Locator::Id("admin_username"))
            .await?
            .send_keys("kim@fourthcoffee.example")
            .await?;
        c.find(Locator::Id("create")).await?.click().await?;
        wait().for_element(Locator::Id("customer-state")).await?;

        // It is in the list.
        c.goto(&app.url("/partner/customers?q=fourth")).await?;
        let names = c.find_all(Locator::Css("a.contact-link")).await?;
        anyhow::ensure!(names.len() == 1, "the new customer is listed");
        let name = names[0].text().await?;
        anyhow::ensure!(name == "Fourth Coffee", "unexpected name: {name}");
        Ok(())
    }
    .await;
    browser
        .finish("customer_search_contact_create", outcome)
        .await;
}

#[tokio::test]
async fn a_partner_opens_a_customer_acts_under_the_banner_and_the_customer_sees_it() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "helpdesk@contoso.example",
        partnerdesk::access::PartnerRole::HelpdeskAgent,
    );
    let customer = app.customer(
        &partner,
        &CustomerSpec {
            billing: partnerdesk::customers::BillingType::TermSubscription,
            ..CustomerSpec::named("Adatum")
        },
    );
    app.customer_administrator(&customer, "admin@adatum.example");
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        let login_url = app.url("/login");
        let login_url = login_url.as_str();
        let sign_in = |username: &'static str| browser.sign_in(login_url, username, PASSWORD);

        // The customer's administrator turns partner assistance on.
        sign_in("admin@adatum.example").await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/assistance")).await?;
        c.find(Locator::Id("assistance-toggle"))
            .await?
            .click()
            .await?;
        wait()
            .for_element(Locator::Css("#assistance-state[data-enabled='true']"))
            .await?;
        c.find(Locator::Id("sign-out")).await?.click().await?;
        wait().for_element(Locator::Id("sign-in-link")).await?;

        // The partner opens the customer, works under the banner and leaves.
        sign_in("helpdesk@contoso.example").await?;
        wait().for_element(Locator::Id("partner-role")).await?;
        c.goto(&app.url(&format!("/partner/customers/{customer}")))
            .await?;
        c.find(Locator::Id("open-customer-link"))
            .await?
            .click()
            .await?;
        wait()
            .for_element(Locator::Id("reason"))
            .await?
            .send_keys("Ticket 42: new office")
            .await?;
        c.find(Locator::Id("open-customer")).await?.click().await?;
        let banner = wait()
            .for_element(Locator::Id("assisted-banner"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            banner.contains("Adatum on behalf of Contoso"),
            "the banner names the account and the partner: {banner}"
        );
        c.goto(&app.url("/customer/sites")).await?;
        c.find(Locator::Id("name"))
            .await?
            .send_keys("Lyon office")
            .await?;
        c.find(Locator::Id("create-site")).await?.click().await?;
        wait()
            .for_element(Locator::XPath(
                "//td[@class='site-name' and text()='Lyon office']",
            ))
            .await?;
        c.find(Locator::Id("leave-customer")).await?.click().await?;
        wait().for_element(Locator::Id("customer-name")).await?;
        anyhow::ensure!(
            c.find_all(Locator::Id("assisted-banner")).await?.is_empty(),
            "no banner once left"
        );
        c.find(Locator::Id("sign-out")).await?.click().await?;
        wait().for_element(Locator::Id("sign-in-link")).await?;

        // The customer sees the partner's action, under the real name.
        sign_in("admin@adatum.example").await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/activity")).await?;
        let log = wait()
            .for_element(Locator::Id("customer-activity"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            log.contains("Created a site")
                && log.contains("Lyon office")
                && log.contains("Person helpdesk@contoso.example")
                && log.contains("on behalf of Contoso"),
            "the action is in the customer's log: {log}"
        );
        Ok(())
    }
    .await;
    browser.finish("partner_opens_a_customer", outcome).await;
}

#[tokio::test]
async fn an_admin_agent_lets_a_customer_buy_and_the_partner_sees_the_purchase() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    use partnerdesk::access::PartnerRole;
    use partnerdesk::commerce::PlacedBy;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(&partner, "agent@contoso.example", PartnerRole::AdminAgent);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    let admin = app.customer_administrator(&customer, "admin@adatum.example");
    let usage = app.offer("Azure plan", "usage_subscription", "0", None);
    let reserved = app.offer("Reserved VM, 1 year", "reservation", "610", Some(12));
    let plan = app.ordered(&partner, &customer, &usage, None, PlacedBy::Partner);
    app.subscription_owner(&plan, &admin);
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        let login_url = app.url("/login");
        let login_url = login_url.as_str();
        let sign_in = |username: &'static str| browser.sign_in(login_url, username, PASSWORD);
        let sign_out = || browser.sign_out();

        // The admin agent turns the permission on, at the bottom of the account.
        sign_in("agent@contoso.example").await?;
        wait().for_element(Locator::Id("partner-role")).await?;
        c.goto(&app.url(&format!("/partner/customers/{customer}")))
            .await?;
        c.find(Locator::Id("permission-on")).await?.click().await?;
        // Asked first, with what it means; then confirmed.
        let review = wait()
            .for_element(Locator::Id("confirm-summary"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(review.contains("billed to Contoso"), "{review}");
        c.find(Locator::Id("confirm")).await?.click().await?;
        wait()
            .for_element(Locator::Css("#permission-state[data-on='true']"))
            .await?;
        sign_out().await?;

        // The customer's administrator buys a reservation in the console.
        sign_in("admin@adatum.example").await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/reservations")).await?;
        c.find(Locator::Css(&format!(
            "#offer_id option[value='{reserved}']"
        )))
        .await?
        .click()
        .await?;
        let quantity = c.find(Locator::Id("quantity")).await?;
        quantity.clear().await?;
        quantity.send_keys("2").await?;
        c.find(Locator::Id("buy-reservation-button"))
            .await?
            .click()
            .await?;
        // The review: 2 × €610.00, billed to the partner. Back keeps the form.
        let total = wait()
            .for_element(Locator::Id("fact-total"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(total == "€1,220.00", "the total: {total}");
        let billed = c.find(Locator::Id("fact-billed-to")).await?.text().await?;
        anyhow::ensure!(billed == "Contoso", "billed to: {billed}");
        // The review holds on a phone.
        c.set_window_size(390, 844).await?;
        let measured = c
            .execute(
                "let right = 0; for (const e of document.querySelectorAll('main *'))                  { right = Math.max(right, e.getBoundingClientRect().right); }                  return [right, window.innerWidth];",
                vec![],
            )
            .await?;
        let (right, inner) = (measured[0].as_f64(), measured[1].as_f64());
        anyhow::ensure!(right <= inner, "the review is wider than 390 px: {right:?} > {inner:?}");
        c.set_window_size(1280, 900).await?;
        c.find(Locator::Id("confirm-back")).await?.click().await?;
        let kept = wait()
            .for_element(Locator::Id("quantity"))
            .await?
            .prop("value")
            .await?;
        anyhow::ensure!(kept.as_deref() == Some("2"), "the quantity kept: {kept:?}");
        c.find(Locator::Id("buy-reservation-button"))
            .await?
            .click()
            .await?;
        wait()
            .for_element(Locator::Id("confirm"))
            .await?
            .click()
            .await?;
        let mine = wait()
            .for_element(Locator::Css("#reservations tr[data-by-customer='true']"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            mine.contains("Bought by you"),
            "marked as the customer's: {mine}"
        );
        sign_out().await?;

        // The partner sees it in the order history and in the activity log.
        sign_in("owner@contoso.example").await?;
        wait().for_element(Locator::Id("partner-role")).await?;
        c.goto(&app.url(&format!("/partner/customers/{customer}")))
            .await?;
        c.find(Locator::Id("orders-link")).await?.click().await?;
        let order = wait()
            .for_element(Locator::Css("#order-history tr[data-by-customer='true']"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            order.contains("Reserved VM, 1 year")
                && order.contains("Bought by the customer")
                && order.contains("Contoso"),
            "the customer's purchase, billed to the partner: {order}"
        );
        c.goto(&app.url("/partner/activity")).await?;
        let log = wait()
            .for_element(Locator::Css("table.activity"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            log.contains("Customer bought a reservation")
                && log.contains("Person admin@adatum.example")
                && log.contains("Create customer purchase permissions")
                && log.contains("Person agent@contoso.example"),
            "both in the log: {log}"
        );
        Ok(())
    }
    .await;
    browser.finish("customer_buys_a_reservation", outcome).await;
}

#[tokio::test]
async fn a_partner_follows_trials_ending_soon_from_the_home_page_to_the_same_number() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    use diesel::prelude::*;
    use partnerdesk::db::schema::customer_accounts;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "sales@contoso.example",
        partnerdesk::access::PartnerRole::SalesAgent,
    );
    for (name, days) in [("Adatum", 2), ("Bellows", 9), ("Coho", 40)] {
        let id = app.customer(
            &partner,
            &CustomerSpec {
                billing: partnerdesk::customers::BillingType::Trial,
                ..CustomerSpec::named(name)
            },
        );
        diesel::update(customer_accounts::table.find(&id))
            .set(
                customer_accounts::trial_ends_on
                    .eq(app.clock_now().date() + chrono::Duration::days(days)),
            )
            .execute(&mut app.conn())
            .expect("trial end");
    }
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        c.goto(&app.url("/login")).await?;
        c.find(Locator::Id("username"))
            .await?
            .send_keys("sales@contoso.example")
            .await?;
        c.find(Locator::Id("password"))
            .await?
            .send_keys(PASSWORD)
            .await?;
        c.find(Locator::Id("sign-in")).await?.click().await?;
        let figure = wait()
            .for_element(Locator::Id("figure-trials-ending"))
            .await?;
        let count = figure.attr("data-count").await?.unwrap_or_default();
        anyhow::ensure!(count == "2", "two trials end within 14 days: {count}");
        figure.click().await?;
        let listed = wait()
            .for_element(Locator::Id("customer-count"))
            .await?
            .attr("data-total")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(listed == count, "the list shows the same number: {listed}");
        let rows = c.find_all(Locator::Css("table.customers tbody tr")).await?;
        anyhow::ensure!(rows.len() == 2, "two rows: {}", rows.len());
        c.find(Locator::Id("trial-ends-filter")).await?;
        Ok(())
    }
    .await;
    browser.finish("home_trials_ending", outcome).await;
}

#[tokio::test]
async fn an_administrator_hands_a_dashboard_to_an_operator_who_sees_exactly_it() {
    use crate::helpers::customers::CustomerSpec;
    use crate::helpers::people::PASSWORD;
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    let customer = app.customer(&partner, &CustomerSpec::named("Adatum"));
    app.customer_administrator(&customer, "admin@adatum.example");
    let shop = app.monitor(&customer, "Shop");
    let checkout = app.monitor(&customer, "Checkout API");
    let sla = app.dashboard(&customer, "Shop SLA", &[&shop]);
    app.dashboard(&customer, "Internal", &[&checkout]);
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        let wait = || c.wait().at_most(Duration::from_secs(5));
        let fill = |id: &'static str, text: &'static str| async move {
            c.find(Locator::Id(id)).await?.send_keys(text).await?;
            anyhow::Ok(())
        };
        let login_url = app.url("/login");
        let login_url = login_url.as_str();
        let sign_in = |username, password| browser.sign_in(login_url, username, password);

        // The administrator creates the sub-account, grants one dashboard and
        // invites an operator.
        sign_in("admin@adatum.example", PASSWORD).await?;
        wait().for_element(Locator::Id("account-name")).await?;
        c.goto(&app.url("/customer/sub-accounts")).await?;
        fill("name", "Fabrikam").await?;
        c.find(Locator::Id("create-sub-account"))
            .await?
            .click()
            .await?;
        wait().for_element(Locator::Id("grants-form")).await?;
        c.find(Locator::Id(&format!("grant-dashboard-{sla}")))
            .await?
            .click()
            .await?;
        c.find(Locator::Id("save-grants")).await?.click().await?;
        wait()
            .for_element(Locator::Css(&format!("#grant-dashboard-{sla}[checked]")))
            .await?;
        fill("full_name", "Fay Client").await?;
        fill("email", "fay@fabrikam.example").await?;
        c.find(Locator::Id("send-operator-invitation"))
            .await?
            .click()
            .await?;
        wait().for_element(Locator::Css("#operators tr")).await?;
        browser.sign_out().await?;

        // The operator activates from the email and signs in.
        let email = app.mail.wait_for_to("fay@fabrikam.example", 1).await;
        let link = email
            .first()
            .and_then(|e| e.links().into_iter().find(|l| l.contains("/activate/")))
            .ok_or_else(|| anyhow::anyhow!("no activation email"))?;
        c.goto(&link).await?;
        fill("password", "a long enough passphrase").await?;
        fill("password_confirmation", "a long enough passphrase").await?;
        c.find(Locator::Id("activate")).await?.click().await?;
        wait().for_element(Locator::Id("username")).await?;
        sign_in("fay@fabrikam.example", "a long enough passphrase").await?;

        // Exactly that dashboard, with its chart.
        let heading = wait()
            .for_element(Locator::Id("sub-account-name"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(heading == "Fabrikam", "the operator's home: {heading}");
        let boards = c
            .find_all(Locator::Css("#dashboard-rollup li[data-dashboard]"))
            .await?;
        anyhow::ensure!(boards.len() == 1, "one dashboard, not {}", boards.len());
        let nav = c.find(Locator::Css("nav")).await?.text().await?;
        anyhow::ensure!(
            !nav.contains("Users") && !nav.contains("Sites"),
            "none of the account's own pages: {nav}"
        );
        c.find(Locator::Css("#dashboard-rollup li a"))
            .await?
            .click()
            .await?;
        wait()
            .for_element(Locator::Css("svg#availability-chart"))
            .await?;
        let page = c.source().await?;
        anyhow::ensure!(
            page.contains("id=\"availability-chart-title\">Availability"),
            "the chart has its title"
        );
        anyhow::ensure!(
            page.contains("Shop SLA") && page.contains("Shop") && !page.contains("Checkout API"),
            "the granted dashboard only"
        );
        anyhow::ensure!(
            c.current_url().await?.path() == format!("/customer/dashboards/{sla}"),
            "on the granted dashboard"
        );
        Ok(())
    }
    .await;
    browser
        .finish("operator_sees_granted_dashboard", outcome)
        .await;
}

/// WebDriver's virtual authenticator (Web Authentication, §11): a platform
/// authenticator inside the browser that keeps discoverable credentials and
/// verifies the user without asking. fantoccini has no helper for it.
#[derive(Debug)]
struct AddVirtualAuthenticator;

impl fantoccini::wd::WebDriverCompatibleCommand for AddVirtualAuthenticator {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/webauthn/authenticator",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Waits until the browser is at `path` (a page, after the script's redirect).
async fn wait_for_path(c: &Client, path: &str) -> anyhow::Result<()> {
    for _ in 0..100 {
        if c.current_url().await?.path() == path {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("not at {path} but at {}", c.current_url().await?)
}

#[tokio::test]
async fn a_passkey_is_added_then_used_as_second_factor_and_alone_to_sign_in() {
    use crate::helpers::people::PASSWORD;
    // Passkeys need a domain name: the browser goes to localhost.
    let app = crate::helpers::spawn_app_with_passkeys().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "sam@contoso.example",
        partnerdesk::access::PartnerRole::SalesAgent,
    );
    let Some(browser) = Browser::start().await else {
        return;
    };
    let base = app.settings.base_url.clone();
    let at = |path: &str| base.join(path).map(String::from);
    let outcome = async {
        let c = &browser.client;
        c.issue_cmd(AddVirtualAuthenticator).await?;

        // Signed in with the password, the person adds a passkey.
        browser
            .sign_in(&at("/login")?, "sam@contoso.example", PASSWORD)
            .await?;
        wait_for_path(c, "/partner").await?;
        c.goto(&at("/account/security")?).await?;
        let label = c.find(Locator::Id("passkey-label")).await?;
        label.clear().await?;
        label.send_keys("Laptop").await?;
        c.find(Locator::Id("add-passkey")).await?.click().await?;
        // The first factor comes with its recovery codes.
        let codes = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Id("recovery-codes"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(codes.lines().count() == 10, "ten codes: {codes}");
        c.goto(&at("/account/security")?).await?;
        let factors = c.find(Locator::Id("factors")).await?.text().await?;
        anyhow::ensure!(
            factors.contains("Laptop") && factors.contains("Passkey"),
            "the passkey is listed: {factors}"
        );
        browser.sign_out().await?;

        // The password, then the passkey instead of a code.
        browser
            .sign_in(&at("/login")?, "sam@contoso.example", PASSWORD)
            .await?;
        wait_for_path(c, "/login/second-factor").await?;
        c.find(Locator::Id("use-passkey")).await?.click().await?;
        wait_for_path(c, "/partner").await?;
        browser.sign_out().await?;

        // The passkey alone: no username, no password.
        c.goto(&at("/login")?).await?;
        c.find(Locator::Id("sign-in-passkey"))
            .await?
            .click()
            .await?;
        wait_for_path(c, "/partner").await?;
        let role = c.find(Locator::Id("partner-role")).await?.text().await?;
        anyhow::ensure!(role.contains("Sales"), "unexpected role line: {role}");
        Ok(())
    }
    .await;
    browser.finish("passkeys", outcome).await;
}

#[tokio::test]
async fn the_identity_pages_hold_on_a_phone() {
    let app = spawn_app().await;
    let partner = app.invite_partner_owner(
        "Contoso",
        "olga@contoso.example",
        partnerdesk::i18n::Lang::En,
    );
    app.active_member(
        &partner,
        "owner@contoso.example",
        partnerdesk::access::PartnerRole::Owner,
    );
    // An offer to an existing login, for its page.
    let fabrikam = app.invite_partner_owner(
        "Fabrikam",
        "fay@fabrikam.example",
        partnerdesk::i18n::Lang::En,
    );
    app.invitation(
        crate::helpers::customers::Target::Partner(&fabrikam),
        "owner@contoso.example",
        "sales_agent",
    );
    let email = app.mail.wait_for_to("owner@contoso.example", 1).await;
    let offer = email[0]
        .links()
        .into_iter()
        .find(|l| l.contains("/invitations/"))
        .expect("an invitation link");
    let Some(browser) = Browser::start().await else {
        return;
    };
    let outcome = async {
        let c = &browser.client;
        c.set_window_size(390, 844).await?;
        browser
            .sign_in(
                &app.url("/login"),
                "owner@contoso.example",
                crate::helpers::people::PASSWORD,
            )
            .await?;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Id("sign-out"))
            .await?;
        for path in [
            "/account",
            "/account/security",
            "/account/security/totp",
            "/partner/security",
            "/partner/staff",
            offer.trim_start_matches(&app.address),
        ] {
            c.goto(&app.url(path)).await?;
            // The page's own content; the site header's phone layout is issue 17's.
            let measured = c
                .execute(
                    "let widest = ''; let right = 0; \
                     for (const e of document.querySelectorAll('main *')) { \
                       if (e.closest('.table-scroll')) continue; \
                       const r = e.getBoundingClientRect().right; \
                       if (r > right) { right = r; widest = e.tagName + '#' + e.id; } } \
                     return [right, window.innerWidth, widest];",
                    vec![],
                )
                .await?;
            let right = measured[0].as_f64().unwrap_or(f64::MAX);
            let inner = measured[1].as_f64().unwrap_or(0.0);
            anyhow::ensure!(
                right <= inner,
                "{path} is wider than 390 px: {right} > {inner} ({})",
                measured[2]
            );
        }
        Ok(())
    }
    .await;
    browser.finish("identity_pages_on_a_phone", outcome).await;
}
