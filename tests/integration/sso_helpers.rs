//! A real OpenID Connect provider beside the test: `tests/oidc/server.mjs`
//! (oidc-provider from npm, pinned by tests/oidc/package-lock.json, installed
//! by `.ci/run` with `npm ci --prefix tests/oidc`), started on a free port for
//! one app's callback and stopped when dropped. And the trip a browser makes
//! through it, over plain HTTP: the provider's development login form is a
//! form like any other.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{TestApp, client, location};

pub const CLIENT_ID: &str = "partnerdesk";
pub const CLIENT_SECRET: &str = "partnerdesk-test-secret";

pub struct OidcProvider {
    pub issuer: String,
    _process: Child,
}

/// How the provider answers for an address (the server script's `mode`).
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Normal,
    WrongAudience,
    Expired,
}

fn oidc_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

impl OidcProvider {
    /// Starts the provider for `app`'s callback. Without `npm ci --prefix
    /// tests/oidc` the test is skipped and says so, except in CI where it fails.
    pub async fn start(app: &TestApp) -> Option<OidcProvider> {
        let folder = oidc_folder();
        if !folder.join("node_modules/oidc-provider").exists() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "tests/oidc is not installed: npm ci --prefix tests/oidc"
            );
            eprintln!("skipped: the OpenID provider is not installed (npm ci --prefix tests/oidc)");
            return None;
        }
        let mut process = Command::new("node")
            .arg(folder.join("server.mjs"))
            .env("OIDC_REDIRECT_URI", app.url("/sso/callback"))
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node starts the provider");
        let stdout = process.stdout.take().expect("the provider's output");
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("the provider starts within 20 s")
            .expect("the provider's output")
            .expect("the provider's first line");
        // The rest is read and dropped: a closed pipe would end the provider
        // at its next line.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let started: serde_json::Value =
            serde_json::from_str(first.trim()).expect("the provider says its issuer");
        let issuer = started["issuer"].as_str().expect("issuer").to_owned();
        Some(OidcProvider {
            issuer,
            _process: process,
        })
    }

    /// What the provider will say of `email` when someone signs in as it.
    pub async fn account(&self, email: &str, verified: bool, mode: Mode) {
        let mode = match mode {
            Mode::Normal => "normal",
            Mode::WrongAudience => "wrong_audience",
            Mode::Expired => "expired",
        };
        let answer = client()
            .get(format!("{}/test/account", self.issuer))
            .query(&[
                ("email", email),
                ("verified", if verified { "true" } else { "false" }),
                ("mode", mode),
            ])
            .send()
            .await
            .expect("the provider's test account");
        assert_eq!(answer.status(), 200);
    }
}

/// From the provider's authorization URL to the portal's callback URL: the
/// provider's login form filled in as `email` (any password is taken).
pub async fn through_provider(
    browser: &reqwest::Client,
    authorization: &str,
    email: &str,
) -> String {
    let mut next = authorization.to_owned();
    for _ in 0..10 {
        if next.contains("/sso/callback") {
            return next;
        }
        let answer = browser
            .get(&next)
            .send()
            .await
            .expect("GET at the provider");
        if answer.status().is_redirection() {
            next = absolute(&next, &location(&answer));
            continue;
        }
        let page = answer.text().await.expect("the provider's page");
        let action = page
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the provider's login form");
        let posted = browser
            .post(absolute(&next, action))
            .form(&[("prompt", "login"), ("login", email), ("password", "any")])
            .send()
            .await
            .expect("POST at the provider");
        next = absolute(&next, &location(&posted));
    }
    panic!("the provider never sent the browser back");
}

fn absolute(base: &str, target: &str) -> String {
    url::Url::parse(base)
        .and_then(|b| b.join(target))
        .expect("a URL")
        .to_string()
}

/// Where a page on the way to the provider leads (its link, as its refresh).
pub async fn provider_link(leaving: reqwest::Response) -> String {
    assert_eq!(leaving.status(), 200, "a page on the way to the provider");
    let page = leaving.text().await.expect("page");
    let href = page
        .split(r#"href=""#)
        .find_map(|rest| {
            let (link, after) = rest.split_once('"')?;
            after
                .contains(r#"id="continue-to-provider""#)
                .then(|| link.to_owned())
        })
        .expect("the link to the provider");
    // Only `&` needs unescaping in a URL the page wrote.
    href.replace("&#38;", "&").replace("&amp;", "&")
}

/// `browser` types `email` with no password on the sign-in page; the answer.
pub async fn email_first(
    app: &TestApp,
    browser: &reqwest::Client,
    email: &str,
) -> reqwest::Response {
    app.post_as(browser, "/login", &[("username", email), ("password", "")])
        .await
}

/// Signs `email` in through the provider in `browser`: the sign-in page sends
/// it there, the provider's form is filled in, and the portal's callback is
/// opened; its answer. The callback URL is returned too, for replays.
pub async fn sign_in_through(
    app: &TestApp,
    browser: &reqwest::Client,
    email: &str,
) -> (reqwest::Response, String) {
    sign_in_as_another(app, browser, email, email).await
}

/// Like `sign_in_through`, but at the provider the person signs in as
/// `at_provider` after typing `typed` on the sign-in page.
pub async fn sign_in_as_another(
    app: &TestApp,
    browser: &reqwest::Client,
    typed: &str,
    at_provider: &str,
) -> (reqwest::Response, String) {
    let leaving = email_first(app, browser, typed).await;
    let authorization = provider_link(leaving).await;
    let callback = through_provider(browser, &authorization, at_provider).await;
    let answer = browser.get(&callback).send().await.expect("the callback");
    (answer, callback)
}

/// The partner's owner connects `provider` on the single sign-on page.
pub async fn connect(
    app: &TestApp,
    owner: &reqwest::Client,
    provider: &OidcProvider,
    required: bool,
    new_member_role: &str,
) -> reqwest::Response {
    connect_at(
        app,
        owner,
        PARTNER_PAGE,
        provider,
        required,
        new_member_role,
    )
    .await
}

pub const PARTNER_PAGE: &str = "/partner/sso";
pub const CUSTOMER_PAGE: &str = "/customer/sso";

/// The organisation's owner connects `provider` on its single sign-on `page`.
pub async fn connect_at(
    app: &TestApp,
    owner: &reqwest::Client,
    page: &str,
    provider: &OidcProvider,
    required: bool,
    new_member_role: &str,
) -> reqwest::Response {
    let mut form = vec![
        ("issuer_url", provider.issuer.as_str()),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("new_member_role", new_member_role),
    ];
    if required {
        form.push(("required", "on"));
    }
    app.post_as(owner, page, &form).await
}

/// The partner's owner claims `domain` and proves it by a sign-in through the
/// provider as `email`.
pub async fn claim_and_prove(
    app: &TestApp,
    owner: &reqwest::Client,
    provider: &OidcProvider,
    domain: &str,
    email: &str,
) {
    claim_and_prove_at(app, owner, PARTNER_PAGE, provider, domain, email).await;
}

/// The same on the single sign-on `page` of any organisation.
pub async fn claim_and_prove_at(
    app: &TestApp,
    owner: &reqwest::Client,
    page: &str,
    provider: &OidcProvider,
    domain: &str,
    email: &str,
) {
    let claimed = app
        .post_as(owner, &format!("{page}/domains"), &[("domain", domain)])
        .await;
    assert_eq!(claimed.status(), 303, "{domain} claimed");
    provider.account(email, true, Mode::Normal).await;
    let leaving = app.post_as(owner, &format!("{page}/prove"), &[]).await;
    let authorization = provider_link(leaving).await;
    let callback = through_provider(owner, &authorization, email).await;
    let back = owner.get(&callback).send().await.expect("the callback");
    let status = back.status();
    let to = location(&back);
    let answer = back.text().await.expect("page");
    let reason = answer
        .lines()
        .find(|l| l.contains("sso-refused"))
        .unwrap_or_default()
        .to_owned();
    assert_eq!(to, page, "{status}: {reason}");
}

impl TestApp {
    /// A domain `partner_id` claims, not proven; returns its id.
    pub fn claimed_domain(&self, partner_id: &str, domain: &str) -> String {
        self.insert_claim(Some(partner_id), None, domain)
    }

    /// A domain the customer account claims, not proven; returns its id.
    pub fn customer_claimed_domain(&self, customer_id: &str, domain: &str) -> String {
        self.insert_claim(None, Some(customer_id), domain)
    }

    fn insert_claim(&self, partner: Option<&str>, customer: Option<&str>, domain: &str) -> String {
        use diesel::prelude::*;
        use partnerdesk::db::schema::sso_domains;
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(sso_domains::table)
            .values((
                sso_domains::id.eq(&id),
                sso_domains::partner_id.eq(partner),
                sso_domains::customer_id.eq(customer),
                sso_domains::domain.eq(domain),
                sso_domains::claimed_at.eq(self.clock_now()),
                sso_domains::dns_token.eq(uuid::Uuid::new_v4().simple().to_string()),
            ))
            .execute(&mut self.conn())
            .expect("a claimed domain");
        id
    }
}
