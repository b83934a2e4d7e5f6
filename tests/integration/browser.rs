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
        browser
            .sign_in(&app.url("/login"), "sales@contoso.example", PASSWORD)
            .await?;
        wait().for_element(Locator::Id("partner-role")).await?;

        search_and_open_the_contact_card(c, &app).await?;
        create_fourth_coffee_in_three_steps(c, &app).await?;

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

/// Searches the list (the search goes into the URL), then opens the only
/// match's contact card over the list.
async fn search_and_open_the_contact_card(
    c: &Client,
    app: &crate::helpers::TestApp,
) -> anyhow::Result<()> {
    let wait = || c.wait().at_most(Duration::from_secs(5));
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
    Ok(())
}

/// Creates a customer through the three steps, leaving the zone at the
/// country's, which the script names.
async fn create_fourth_coffee_in_three_steps(
    c: &Client,
    app: &crate::helpers::TestApp,
) -> anyhow::Result<()> {
    let wait = || c.wait().at_most(Duration::from_secs(5));
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
    Ok(())
}

/// A WebDriver command that fantoccini has no helper for: a POST of `body`
/// to the session's `path` (a vendor or extension endpoint).
#[derive(Debug)]
pub(crate) struct SessionPost {
    pub(crate) path: &'static str,
    pub(crate) body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
