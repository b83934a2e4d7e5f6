//! `spawn_app()`: the real server on a random port over a fresh database (a
//! temporary SQLite file, or a fresh PostgreSQL database when
//! PARTNERDESK_TEST_POSTGRES_URL is set), with emails going to a real SMTP server
//! in this process.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use diesel::Connection;
use diesel::RunQueryDsl;
use partnerdesk::clock::OffsetClock;
use partnerdesk::config::Settings;
use partnerdesk::db::{self, DbPool};
use partnerdesk::jobs::Shutdown;
use partnerdesk::startup::Application;

use crate::smtp::MailServer;

pub const POSTGRES_URL_VAR: &str = "PARTNERDESK_TEST_POSTGRES_URL";

pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub pool: DbPool,
    pub client: reqwest::Client,
    pub mail: MailServer,
    #[allow(
        dead_code,
        reason = "moved forward by the session and token expiry tests"
    )]
    pub clock: Arc<OffsetClock>,
    pub data_dir: tempfile::TempDir,
    /// The server's stop signal, what SIGTERM triggers.
    pub shutdown: Shutdown,
    running: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _database: TestDatabase,
}

/// A database of its own for one test.
pub enum TestDatabase {
    Sqlite,
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    /// Creates the database and returns its URL.
    pub fn create(data_dir: &std::path::Path) -> (Self, String) {
        match std::env::var(POSTGRES_URL_VAR) {
            Ok(admin_url) if !admin_url.is_empty() => {
                let admin_url = without_tls(&admin_url);
                let name = format!("pd_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin = diesel::PgConnection::establish(&admin_url)
                    .expect("connect to the test PostgreSQL server");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create a test database");
                let url = with_database(&admin_url, &name);
                (TestDatabase::Postgres { admin_url, name }, url)
            }
            _ => (
                TestDatabase::Sqlite,
                format!("sqlite://{}", data_dir.join("test.db").display()),
            ),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// The test server is local, so its connections need no TLS; unless the URL says
/// otherwise they go without (`sslmode=disable`). With TLS, a test binary once
/// died of SIGSEGV after every test had passed: OpenSSL's clean-up at process
/// exit can race with libpq in the threads of pools still alive (diesel-rs/diesel
/// issue 3441).
fn without_tls(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    if !parsed.query_pairs().any(|(key, _)| key == "sslmode") {
        parsed.query_pairs_mut().append_pair("sslmode", "disable");
    }
    parsed.to_string()
}

fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("a valid PostgreSQL URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like `spawn_app`, with the public address named `localhost` rather than
/// 127.0.0.1, so that the portal offers passkeys (browsers refuse them on an IP
/// address). The server still listens on 127.0.0.1.
pub async fn spawn_app_with_passkeys() -> TestApp {
    spawn_app_with(|settings| {
        settings
            .base_url
            .set_host(Some("localhost"))
            .expect("a host name");
    })
    .await
}

/// Like `spawn_app`, with a chance to adjust the settings first.
pub async fn spawn_app_with(customise: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let (database, database_url) = TestDatabase::create(data_dir.path());
    let mail = MailServer::start();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a random port");
    let port = listener.local_addr().expect("local address").port();
    let address = format!("http://127.0.0.1:{port}");

    let mut settings = Settings::for_data_dir(data_dir.path()).expect("settings");
    settings.database_url = database_url;
    settings.bind = format!("127.0.0.1:{port}");
    settings.base_url = url::Url::parse(&address).expect("base URL");
    settings.smtp_url = Some(format!("smtp://127.0.0.1:{}", mail.port));
    settings.http_workers = Some(1);
    settings.db_pool_size = 4;
    settings.outbox.poll_interval = Duration::from_millis(100);
    settings.outbox.retry_base = Duration::from_millis(200);
    settings.outbox.retry_max = Duration::from_secs(1);
    settings.jobs.poll_interval = Duration::from_millis(100);
    settings.jobs.shutdown_grace = Duration::from_secs(20);
    customise(&mut settings);

    let clock = Arc::new(OffsetClock::default());
    let application = Application::build_on(settings.clone(), listener, clock.clone())
        .expect("build the application");
    let shutdown = application.shutdown();
    let running = Some(tokio::spawn(application.run_until_stopped()));
    let pool = db::connect(&settings.database_url, 2).expect("test pool");
    TestApp {
        address,
        settings,
        pool,
        client: client(),
        mail,
        clock,
        data_dir,
        shutdown,
        running,
        _database: database,
    }
}

/// Another server of the portal on a test app's database, as a second instance
/// behind a load balancer would be, with its own clock.
pub struct Instance {
    pub address: String,
    pub clock: Arc<OffsetClock>,
    pub shutdown: Shutdown,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Instance {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Stops it as SIGTERM would, and waits until it has stopped.
    pub async fn stop(self) {
        self.shutdown.trigger();
        stopped(self.running).await;
    }
}

async fn stopped(running: tokio::task::JoinHandle<std::io::Result<()>>) {
    tokio::time::timeout(Duration::from_secs(60), running)
        .await
        .expect("the server stops within its grace period")
        .expect("the server task ends normally")
        .expect("the server stops without error");
}

/// A browser-like client: keeps cookies, does not follow redirects by itself.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// The CSRF token of `browser`'s session, read from a page as a browser would.
    pub async fn csrf_token_of(&self, browser: &reqwest::Client) -> String {
        let page = browser
            .get(self.url("/"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("page body");
        csrf_token_in(&page)
    }

    /// `browser` POSTs a form with its session's CSRF token, as from a page.
    pub async fn post_as(
        &self,
        browser: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf_token_of(browser).await;
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        fields.push(("csrf_token", &token));
        browser
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .expect("POST")
    }

    /// POSTs a form the way a browser does, with the session's CSRF token.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_as(&self.client, path, form).await
    }

    /// POSTs a form without any CSRF token.
    pub async fn post_form_without_csrf(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .expect("POST")
    }

    pub fn conn(&self) -> partnerdesk::db::PooledDb {
        self.pool.get().expect("a database connection")
    }

    /// Stops the server as SIGTERM would (the same signal, triggered in
    /// process), and waits until it has stopped. The database stays.
    pub async fn stop(&mut self) {
        self.shutdown.trigger();
        if let Some(running) = self.running.take() {
            stopped(running).await;
        }
    }

    /// Starts another instance of the portal on this app's database.
    pub fn another_instance(&self) -> Instance {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a random port");
        let port = listener.local_addr().expect("local address").port();
        let address = format!("http://127.0.0.1:{port}");
        let mut settings = self.settings.clone();
        settings.bind = format!("127.0.0.1:{port}");
        settings.base_url = url::Url::parse(&address).expect("base URL");
        let clock = Arc::new(OffsetClock::default());
        let application = Application::build_on(settings, listener, clock.clone())
            .expect("build another instance");
        let shutdown = application.shutdown();
        let running = tokio::spawn(application.run_until_stopped());
        Instance {
            address,
            clock,
            shutdown,
            running,
        }
    }
}

/// Runs the real `partnerdesk` binary against this app's database.
pub fn run_cli(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .args(args)
        .env("PARTNERDESK_DATABASE_URL", &app.settings.database_url)
        .env("PARTNERDESK_DATA_DIR", app.data_dir.path())
        .env("PARTNERDESK_BASE_URL", app.settings.base_url.as_str())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the partnerdesk binary")
}

/// Polls `check` until it returns true or the time is up.
pub async fn eventually(what: &str, timeout: Duration, mut check: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + timeout;
    while !check() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The CSRF token in a page's forms.
/// Where a redirect points; empty when the answer is no redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn csrf_token_in(page: &str) -> String {
    let pattern = regex::Regex::new(r#"name="csrf_token" value="([0-9a-f]{64})""#).expect("regex");
    pattern
        .captures(page)
        .map(|c| c[1].to_owned())
        .expect("a CSRF token in the page")
}

/// People and organisations for the account tests.
/// (field, problem) of each field a JSON API error answer names.
pub fn error_fields(body: &serde_json::Value) -> Vec<(String, String)> {
    body["fields"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or_default().to_owned(),
                        f["problem"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub mod people {
    use partnerdesk::access::PartnerRole;
    use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
    use partnerdesk::auth::password::hash_password;
    use partnerdesk::i18n::Lang;
    use partnerdesk::organisations::{self, NewPartner};

    use super::TestApp;

    pub const PASSWORD: &str = "a long enough passphrase";

    pub fn new_login(username: &str, language: Lang) -> NewLogin {
        NewLogin {
            username: Username::parse(username).expect("username"),
            email: EmailAddress::parse(username).expect("email"),
            full_name: DisplayName::parse(&format!("Person {username}")).expect("name"),
            language,
            time_zone: chrono_tz::Europe::Paris,
        }
    }

    impl TestApp {
        /// A partner organisation created by the operator; its owner is invited.
        pub fn invite_partner_owner(
            &self,
            organisation: &str,
            owner: &str,
            language: Lang,
        ) -> String {
            let created = organisations::create_with_owner(
                &mut self.conn(),
                &self.settings,
                self.clock_now(),
                &NewPartner {
                    name: DisplayName::parse(organisation).expect("name"),
                    parent_id: None,
                    owner: new_login(owner, language),
                    // Off for the suites about other things; the second-factor
                    // suite turns it on through the owner's page.
                    second_factor_required: false,
                },
            )
            .expect("partner created");
            created.partner_id
        }

        /// Contoso, whose active owner `owner@contoso.example` is signed in on
        /// the returned browser, in `language`; and the organisation's id.
        pub async fn contoso_owner_signed_in(&self, language: Lang) -> (String, reqwest::Client) {
            let partner = self.invite_partner_owner("Contoso", "olga@contoso.example", language);
            self.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
            let browser = self
                .browser_signed_in("owner@contoso.example", PASSWORD)
                .await;
            if language != Lang::En {
                self.post_as(
                    &browser,
                    "/language",
                    &[("lang", language.code()), ("next", "/")],
                )
                .await;
            }
            (partner, browser)
        }

        /// An active login with a known password and a partner membership; returns
        /// the membership id.
        pub fn active_member(&self, partner_id: &str, username: &str, role: PartnerRole) -> String {
            let mut conn = self.conn();
            let now = self.clock_now();
            let login_id = match accounts::find_by_username(
                &mut conn,
                &Username::parse(username).expect("username"),
            )
            .expect("lookup")
            {
                Some(id) => id,
                None => {
                    let hash = hash_password(PASSWORD).expect("hash");
                    accounts::insert(
                        &mut conn,
                        now,
                        &new_login(username, Lang::En),
                        LoginState::Active,
                        Some(&hash),
                    )
                    .expect("login")
                }
            };
            organisations::add_member(&mut conn, now, partner_id, &login_id, role)
                .expect("membership")
        }

        /// The active membership of `username` in `partner_id`.
        pub fn active_member_id(&self, partner_id: &str, username: &str) -> String {
            use diesel::prelude::*;
            use partnerdesk::db::schema::{logins, memberships};
            memberships::table
                .inner_join(logins::table)
                .filter(memberships::partner_id.eq(partner_id))
                .filter(logins::username_key.eq(username.to_lowercase()))
                .select(memberships::id)
                .first(&mut self.conn())
                .expect("membership")
        }

        pub fn clock_now(&self) -> chrono::NaiveDateTime {
            use partnerdesk::clock::Clock;
            self.clock.now()
        }

        /// Today as the test logins read it (their zone is Europe/Paris): pages
        /// that count days ("trials ending in 14 days") count from this day,
        /// which is not the UTC date late in the UTC evening.
        pub fn reader_today(&self) -> chrono::NaiveDate {
            self.clock_now()
                .and_utc()
                .with_timezone(&chrono_tz::Europe::Paris)
                .date_naive()
        }

        /// Another browser, signed in as `username`.
        pub async fn browser_signed_in(&self, username: &str, password: &str) -> reqwest::Client {
            let browser = super::client();
            let response = self
                .post_as(
                    &browser,
                    "/login",
                    &[("username", username), ("password", password)],
                )
                .await;
            assert_eq!(response.status(), 303, "{username} signs in");
            browser
        }

        /// Signs in through the login form; returns the answer to the POST.
        pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
            self.post_form("/login", &[("username", username), ("password", password)])
                .await
        }
    }
}

/// Customer accounts written straight into the database as fixtures; what a test
/// examines goes through the server.
pub mod customers {
    use chrono::{Duration, NaiveDateTime};
    use diesel::prelude::*;
    use partnerdesk::accounts::{self, LoginState, Username};
    use partnerdesk::auth::password::hash_password;
    use partnerdesk::customers::create::{ADMINISTRATOR_ROLE, add_customer_member};
    use partnerdesk::customers::{BillingType, CustomerState, Health, LicenceStatus, search_text};
    use partnerdesk::db::schema::{
        customer_accounts, customer_group_members, customer_groups, devices, licences, sites,
    };
    use partnerdesk::i18n::Lang;
    pub use partnerdesk::invitations::Target;

    use super::TestApp;
    use super::people::{PASSWORD, new_login};

    #[derive(Clone)]
    pub struct CustomerSpec {
        pub name: String,
        pub domain: String,
        pub state: CustomerState,
        pub billing: BillingType,
        pub health: Health,
        pub managed_order: bool,
        /// Minutes before the test's "now".
        pub age_minutes: i64,
        /// (status, supplied by the partner itself)
        pub licences: Vec<(LicenceStatus, bool)>,
    }

    impl CustomerSpec {
        pub fn named(name: &str) -> Self {
            let domain = format!("{}.example", name.to_lowercase().replace(' ', "-"));
            Self {
                name: name.to_owned(),
                domain,
                state: CustomerState::Active,
                billing: BillingType::MonthlyUsage,
                health: Health::Healthy,
                managed_order: false,
                age_minutes: 0,
                licences: Vec::new(),
            }
        }
    }

    impl TestApp {
        pub fn customer(&self, partner_id: &str, spec: &CustomerSpec) -> String {
            let mut conn = self.conn();
            let now: NaiveDateTime = self.clock_now();
            let created = now - Duration::minutes(spec.age_minutes);
            let id = uuid::Uuid::new_v4().to_string();
            let trial_ends_on =
                (spec.billing == BillingType::Trial).then(|| now.date() + Duration::days(20));
            diesel::insert_into(customer_accounts::table)
                .values((
                    customer_accounts::id.eq(&id),
                    customer_accounts::partner_id.eq(partner_id),
                    customer_accounts::name.eq(&spec.name),
                    customer_accounts::name_key.eq(spec.name.to_lowercase()),
                    customer_accounts::primary_domain.eq(&spec.domain),
                    customer_accounts::search_text.eq(search_text(&spec.name, &spec.domain)),
                    customer_accounts::country.eq("FR"),
                    customer_accounts::data_region.eq("eu-central"),
                    customer_accounts::time_zone.eq("Europe/Paris"),
                    customer_accounts::reference_number.eq("REF-1"),
                    customer_accounts::subscription_term.eq("monthly"),
                    customer_accounts::term_started_on.eq(created.date()),
                    customer_accounts::address_line1.eq("1 rue de la Paix"),
                    customer_accounts::address_line2.eq(""),
                    customer_accounts::postal_code.eq("75002"),
                    customer_accounts::city.eq("Paris"),
                    customer_accounts::region.eq(""),
                    customer_accounts::contact_name.eq(format!("Contact of {}", spec.name)),
                    customer_accounts::contact_email.eq(format!("contact@{}", spec.domain)),
                    customer_accounts::contact_phone.eq("+33 1 00 00 00 00"),
                    customer_accounts::state.eq(spec.state.as_str()),
                    customer_accounts::billing_type.eq(spec.billing.as_str()),
                    customer_accounts::trial_ends_on.eq(trial_ends_on),
                    customer_accounts::managed_order.eq(spec.managed_order),
                    customer_accounts::health_level.eq(spec.health.level()),
                    customer_accounts::partner_assistance.eq(
                        partnerdesk::customers::assistance_by_default(
                            spec.billing,
                            spec.managed_order,
                        ),
                    ),
                    customer_accounts::created_at.eq(created),
                    customer_accounts::updated_at.eq(created),
                ))
                .execute(&mut conn)
                .expect("customer fixture");
            diesel::insert_into(sites::table)
                .values((
                    sites::id.eq(uuid::Uuid::new_v4().to_string()),
                    sites::customer_id.eq(&id),
                    sites::name.eq(&spec.name),
                    sites::time_zone.eq("Europe/Paris"),
                    sites::created_at.eq(created),
                ))
                .execute(&mut conn)
                .expect("site fixture");
            for (status, ours) in &spec.licences {
                diesel::insert_into(licences::table)
                    .values((
                        licences::id.eq(uuid::Uuid::new_v4().to_string()),
                        licences::customer_id.eq(&id),
                        licences::product.eq("Endpoint Protection"),
                        licences::quantity.eq(10),
                        licences::status.eq(status.as_str()),
                        licences::supplied_by_partner_id.eq(ours.then_some(partner_id)),
                        licences::expires_on.eq(None::<chrono::NaiveDate>),
                        licences::created_at.eq(created),
                    ))
                    .execute(&mut conn)
                    .expect("licence fixture");
            }
            id
        }

        /// Someone invited into the customer account who has not activated yet, with
        /// an activation link sent; returns the membership id.
        pub fn pending_customer_user(&self, customer_id: &str, username: &str) -> String {
            self.invitation(Target::Customer(customer_id), username, "user")
        }

        /// An invitation made the way the pages make it; returns the membership id.
        pub fn invitation(&self, target: Target<'_>, username: &str, role: &str) -> String {
            partnerdesk::invitations::offer(
                &mut self.conn(),
                &self.settings,
                self.clock_now(),
                &partnerdesk::invitations::Offer {
                    person: &new_login(username, Lang::En),
                    target,
                    role,
                    inviter: None,
                },
            )
            .expect("invitation")
        }

        /// Someone invited to the partner who has not activated yet; returns the
        /// membership id.
        pub fn pending_staff(&self, partner_id: &str, username: &str) -> String {
            self.invitation(Target::Partner(partner_id), username, "sales_agent")
        }

        /// Makes the membership an administrator of the site.
        pub fn site_administrator(&self, site_id: &str, membership_id: &str) {
            use partnerdesk::db::schema::site_administrators;
            diesel::insert_into(site_administrators::table)
                .values((
                    site_administrators::site_id.eq(site_id),
                    site_administrators::membership_id.eq(membership_id),
                    site_administrators::created_at.eq(self.clock_now()),
                ))
                .execute(&mut self.conn())
                .expect("site administrator");
        }

        /// The id of the customer's first site.
        pub fn first_site(&self, customer_id: &str) -> String {
            sites::table
                .filter(sites::customer_id.eq(customer_id))
                .order(sites::created_at.asc())
                .select(sites::id)
                .first(&mut self.conn())
                .expect("a site")
        }

        /// A finished import of the partner, started by `username`; returns its id.
        pub fn finished_import(&self, partner_id: &str, username: &str) -> String {
            use partnerdesk::db::schema::{customer_imports, logins};
            let mut conn = self.conn();
            let login_id: String = logins::table
                .filter(logins::username_key.eq(username))
                .select(logins::id)
                .first(&mut conn)
                .expect("the importing login");
            let id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(customer_imports::table)
                .values((
                    customer_imports::id.eq(&id),
                    customer_imports::partner_id.eq(partner_id),
                    customer_imports::created_by_login_id.eq(&login_id),
                    customer_imports::state.eq("done"),
                    customer_imports::total_rows.eq(1),
                    customer_imports::checked_rows.eq(1),
                    customer_imports::imported_rows.eq(1),
                    customer_imports::problems.eq(""),
                    customer_imports::source.eq("customers.csv"),
                    customer_imports::created_at.eq(self.clock_now()),
                ))
                .execute(&mut conn)
                .expect("import fixture");
            id
        }

        /// A group of the partner holding `customers`; returns its id.
        pub fn group_with(&self, partner_id: &str, name: &str, customers: &[&str]) -> String {
            let mut conn = self.conn();
            let id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(customer_groups::table)
                .values((
                    customer_groups::id.eq(&id),
                    customer_groups::partner_id.eq(partner_id),
                    customer_groups::name.eq(name),
                    customer_groups::name_key.eq(name.to_lowercase()),
                    customer_groups::created_at.eq(self.clock_now()),
                ))
                .execute(&mut conn)
                .expect("group fixture");
            for customer in customers {
                diesel::insert_into(customer_group_members::table)
                    .values((
                        customer_group_members::group_id.eq(&id),
                        customer_group_members::customer_id.eq(*customer),
                        customer_group_members::added_at.eq(self.clock_now()),
                    ))
                    .execute(&mut conn)
                    .expect("group member fixture");
            }
            id
        }

        /// An active login with a known password administering the customer;
        /// returns the membership id.
        pub fn customer_administrator(&self, customer_id: &str, username: &str) -> String {
            self.customer_member(customer_id, username, ADMINISTRATOR_ROLE)
        }

        /// An active login with a known password and a membership of the customer
        /// account in `role` (`administrator` or `user`); returns the membership id.
        pub fn customer_member(&self, customer_id: &str, username: &str, role: &str) -> String {
            let mut conn = self.conn();
            let now = self.clock_now();
            let login_id = match accounts::find_by_username(
                &mut conn,
                &Username::parse(username).expect("username"),
            )
            .expect("lookup")
            {
                Some(id) => id,
                None => {
                    let hash = hash_password(PASSWORD).expect("hash");
                    accounts::insert(
                        &mut conn,
                        now,
                        &new_login(username, Lang::En),
                        LoginState::Active,
                        Some(&hash),
                    )
                    .expect("login")
                }
            };
            add_customer_member(&mut conn, now, customer_id, &login_id, role).expect("membership")
        }

        /// A licence of the customer, expiring in a year, with no usage
        /// reported; returns its id.
        pub fn licence(
            &self,
            customer_id: &str,
            product: &str,
            quantity: i32,
            status: LicenceStatus,
        ) -> String {
            let id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(licences::table)
                .values((
                    licences::id.eq(&id),
                    licences::customer_id.eq(customer_id),
                    licences::product.eq(product),
                    licences::quantity.eq(quantity),
                    licences::status.eq(status.as_str()),
                    licences::expires_on.eq(self.clock_now().date() + Duration::days(365)),
                    licences::created_at.eq(self.clock_now()),
                ))
                .execute(&mut self.conn())
                .expect("licence fixture");
            id
        }

        /// Enrolled devices on the customer's first site (devices have no pages yet).
        pub fn enrolled_devices(&self, customer_id: &str, count: usize) {
            let mut conn = self.conn();
            let site: String = sites::table
                .filter(sites::customer_id.eq(customer_id))
                .select(sites::id)
                .first(&mut conn)
                .expect("a site");
            for n in 0..count {
                diesel::insert_into(devices::table)
                    .values((
                        devices::id.eq(uuid::Uuid::new_v4().to_string()),
                        devices::customer_id.eq(customer_id),
                        devices::site_id.eq(&site),
                        devices::name.eq(format!("Camera {n}")),
                        devices::state.eq("enrolled"),
                        devices::created_at.eq(self.clock_now()),
                    ))
                    .execute(&mut conn)
                    .expect("device fixture");
            }
        }
    }
}

/// Every warning and error the application logs in this test process, from
/// the first call on: the returned function reads what has been logged so
/// far. (One subscriber for the whole process; tests find their own lines by
/// something only they log, such as a request id.)
pub fn captured_log() -> impl Fn() -> String {
    static LOG: std::sync::OnceLock<Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    let buffer = LOG
        .get_or_init(|| {
            let buffer = Arc::new(std::sync::Mutex::new(Vec::new()));
            let writer = buffer.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::WARN)
                .with_ansi(false)
                .with_writer(move || LogWriter(writer.clone()))
                .finish();
            // Another test may have set one first; then nothing is captured
            // and the caller's assertions say so.
            let _ = tracing::subscriber::set_global_default(subscriber);
            buffer
        })
        .clone();
    move || String::from_utf8_lossy(&buffer.lock().expect("log lock")).into_owned()
}

struct LogWriter(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
