//! `spawn_app()`: the real server on a random port over a fresh database (a
//! temporary SQLite file, or a fresh PostgreSQL database when
//! PARTNERDESK_TEST_POSTGRES_URL is set), with emails going to a real SMTP server
//! in this process.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use partnerdesk::config::Settings;
use partnerdesk::db::{self, DbPool};
use partnerdesk::jobs::Shutdown;
use partnerdesk::startup::Application;

use crate::smtp::MailServer;

pub mod admin;
mod clock;
pub mod customers;
mod database_pool;
mod databases;
mod outbox;
pub mod people;

pub use clock::TestClock;
pub use databases::{POSTGRES_URL_VAR, TestDatabase};

/// The bearer token every test app's `/metrics` answers to.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789abcdef";

pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub pool: DbPool,
    pub client: reqwest::Client,
    pub mail: MailServer,
    /// What the application reads as now; moved by the test.
    pub clock: Arc<TestClock>,
    pub data_dir: tempfile::TempDir,
    /// The DNS server the application asks (TXT records proving domains).
    pub dns: crate::dns_helpers::DnsServer,
    /// The server's stop signal, what SIGTERM triggers.
    pub shutdown: Shutdown,
    running: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// Taken when the app is dropped, and dropped once the server has stopped.
    database: Option<TestDatabase>,
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
    spawn_app_on(TestClock::running(), customise).await
}

/// Like `spawn_app`, on a clock frozen at `FROZEN_NOW` that only the test moves.
pub async fn spawn_app_frozen() -> TestApp {
    spawn_app_on(TestClock::frozen(), |_| {}).await
}

/// The application on `clock`, with a chance to adjust the settings first.
pub async fn spawn_app_on(clock: TestClock, customise: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let (database, database_url) = TestDatabase::create_migrated(data_dir.path());
    let mail = MailServer::start();
    let dns = crate::dns_helpers::DnsServer::start().await;
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
    settings.webhooks.poll_interval = Duration::from_millis(100);
    settings.webhooks.timeout = Duration::from_secs(5);
    settings.webhooks.allow_http_loopback = true;
    settings.metrics_token = Some(METRICS_TOKEN.to_owned());
    settings.dns_resolver = Some(dns.address);
    customise(&mut settings);

    let clock = Arc::new(clock);
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
        dns,
        shutdown,
        running,
        database: Some(database),
    }
}

impl Drop for TestApp {
    /// A test that leaves its app running stops it here, and its database is
    /// dropped only once the server and its workers have stopped. A worker
    /// still polling a PostgreSQL database dropped under it waits out the
    /// pool's 10 s connection timeout, and the test's runtime waits for that
    /// before the test can end.
    fn drop(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        self.shutdown.trigger();
        let database = self.database.take();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            // When the test ends first, its runtime drops this task, and the
            // database with it, together with the workers' tasks: none of
            // them polls again.
            runtime.spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(60), running).await;
                drop(database);
            });
        }
    }
}

/// Another server of the portal on a test app's database, as a second instance
/// behind a load balancer would be, with its own clock.
pub struct Instance {
    pub address: String,
    pub clock: Arc<TestClock>,
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

    /// The page at `path`, as the test's own browser reads it.
    pub async fn get_text(&self, path: &str) -> String {
        self.get(path).await.text().await.expect("page body")
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
        let clock = Arc::new(TestClock::running());
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

/// Where a redirect points; empty when the answer is no redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The CSRF token in a page's forms. (Searched for as plain text: nearly
/// every POST of the suite reads one, and compiling a regular expression each
/// time, in a debug build, was a sizeable part of the route matrix's time.)
pub fn csrf_token_in(page: &str) -> String {
    const FIELD: &str = r#"name="csrf_token" value=""#;
    page.match_indices(FIELD)
        .filter_map(|(at, _)| page.get(at + FIELD.len()..at + FIELD.len() + 65))
        .filter_map(|quoted| quoted.strip_suffix('"'))
        .find(|token| {
            token
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
        .map(str::to_owned)
        .expect("a CSRF token in the page")
}

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
