//! Settings: defaults that need no set-up, overridden by an optional TOML file and by
//! `PARTNERDESK_*` environment variables. Built once in `main` and passed in.

mod proxies;
mod raw;
mod secret;

pub use proxies::TrustedProxies;
pub use secret::SecretKey;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use raw::RawSettings;
use secret::kept_secret;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the settings: {0}")]
    Read(#[from] config::ConfigError),
    #[error("PARTNERDESK_BASE_URL is not a valid http(s) address: {0}")]
    BaseUrl(String),
    #[error("PARTNERDESK_SECRET_KEY must be at least 32 characters long")]
    SecretTooShort,
    #[error(
        "PARTNERDESK_TRUSTED_PROXIES: {0:?} is not an IP address or a CIDR range (e.g. 10.0.0.0/8)"
    )]
    TrustedProxy(String),
    #[error("PARTNERDESK_METRICS_TOKEN must be at least 32 characters long")]
    MetricsTokenTooShort,
    #[error("PARTNERDESK_DNS_RESOLVER is not an address and port such as 127.0.0.1:53: {0}")]
    DnsResolver(String),
    #[error("could not keep the secret key in {path}: {source}")]
    SecretFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: String,
    /// Public address used in every link we send; never taken from the Host header.
    pub base_url: url::Url,
    /// `None` writes emails as .eml files under `<data_dir>/mail/`.
    pub smtp_url: Option<String>,
    pub secret_key: SecretKey,
    pub mail_from: String,
    /// Database connections per instance; by default sized from the HTTP
    /// workers (`default_pool_size`).
    pub db_pool_size: u32,
    /// How long a request waits for a database connection before answering
    /// 503 (the database is out of reach).
    pub db_wait: Duration,
    /// Threads serving HTTP; defaults to one per core.
    pub http_workers: Option<usize>,
    pub outbox: OutboxSettings,
    pub jobs: JobSettings,
    pub webhooks: WebhookSettings,
    /// Data region per country code, overriding `customers::regions`' defaults.
    pub data_regions: BTreeMap<String, String>,
    /// Proxies whose `X-Forwarded-For` names the client; empty trusts none.
    pub trusted_proxies: TrustedProxies,
    /// More failed password checks than this in a minute, across the instance,
    /// withdraw the free failures of every address that has failures
    /// (`auth::throttle`).
    pub failure_brake_per_minute: u32,
    /// The bearer token Prometheus presents to `/metrics`; unset, the metrics
    /// are not served.
    pub metrics_token: Option<String>,
    /// Whether an organisation's identity provider may be local: on this
    /// machine or a private network, and over plain http (development and
    /// tests); otherwise only https issuers at public addresses are reached.
    pub sso_allow_http_issuers: bool,
    /// The DNS server asked for the TXT records that prove an organisation's
    /// email domains; unset, the system's resolvers (`/etc/resolv.conf`).
    pub dns_resolver: Option<std::net::SocketAddr>,
    /// Requests each partner API token may make at once, and again each
    /// minute (`partner_api::rate_limit`); per instance.
    pub partner_api_requests_per_minute: NonZeroU32,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("base_url", &self.base_url.as_str())
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// Hides a password in a URL before it reaches a log.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => raw.to_owned(),
    }
}

pub const DEFAULT_FAILURE_BRAKE_PER_MINUTE: u32 = 100;

/// Enough to page through 100,000 customers (500 requests of 200) in a minute.
pub const DEFAULT_PARTNER_API_REQUESTS_PER_MINUTE: NonZeroU32 =
    NonZeroU32::new(600).expect("not zero");

/// How the outbox worker retries. A failed email waits `retry_base`, then twice as
/// long each time up to `retry_max`; after `give_up_after` from its creation it is
/// marked dead and stays visible in the outbox table.
#[derive(Debug, Clone)]
pub struct OutboxSettings {
    pub poll_interval: Duration,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub give_up_after: Duration,
    /// The most one delivery may take, from connecting to the mail server to
    /// its last reply; past it the attempt counts as a temporary failure.
    pub send_deadline: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(24 * 3600),
            send_deadline: Duration::from_secs(60),
        }
    }
}

/// How webhook deliveries are sent and retried (`webhooks`). A failed delivery
/// waits `retry_base`, then twice as long each time up to `retry_max` (with up
/// to a tenth more at random, so that endpoints failing together do not retry
/// together); after `give_up_after` from the event it is marked failed. An
/// endpoint with no success for `disable_after` while its deliveries fail is
/// disabled.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    pub poll_interval: Duration,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub give_up_after: Duration,
    /// `webhook_disable_after` (seconds in the file and environment).
    pub disable_after: Duration,
    /// The most one delivery may take, from connecting to the last byte.
    pub timeout: Duration,
    /// `webhook_allow_http_loopback`: endpoints on this machine (loopback
    /// addresses), also over plain http; for development, the demo and tests.
    pub allow_http_loopback: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            retry_base: Duration::from_secs(60),
            retry_max: Duration::from_secs(6 * 3600),
            give_up_after: Duration::from_secs(3 * 24 * 3600),
            disable_after: Duration::from_secs(3 * 24 * 3600),
            timeout: Duration::from_secs(10),
            allow_http_loopback: false,
        }
    }
}

/// How the background job worker (`jobs`) claims and hands back its work.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// How often the worker looks for jobs queued by other instances, or left by
    /// an instance that stopped.
    pub poll_interval: Duration,
    /// How long a claimed job is reserved for its worker; renewed while it works.
    /// A job whose lease has run out is taken over by any instance.
    pub lease: Duration,
    /// At a stop (SIGTERM), how long a running job is given to reach a point
    /// where it can be handed back or finish, and HTTP requests to finish.
    pub shutdown_grace: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            lease: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(25),
        }
    }
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
const DEFAULT_MAIL_FROM: &str = "Partnerdesk <no-reply@partnerdesk.localhost>";

/// The public address as given, else the one the server binds; http or https only.
/// The cores this process may run on, as the HTTP server counts its workers.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Connections per instance when none is configured: two per HTTP worker, so
/// that every worker has a query running while as many others wait on the disk
/// or on SQLite's single writer, plus four for the outbox and job workers; never
/// fewer than eight. Eight whatever the machine capped a 16-core server at the
/// throughput of four cores.
fn default_pool_size(http_workers: usize) -> u32 {
    u32::try_from(2 * http_workers + 4)
        .unwrap_or(u32::MAX)
        .max(8)
}

/// A metrics token is a secret like the others: long enough not to be guessed.
fn metrics_token(given: Option<String>) -> Result<Option<String>, ConfigError> {
    match given.filter(|token| !token.trim().is_empty()) {
        Some(token) if token.chars().count() < 32 => Err(ConfigError::MetricsTokenTooShort),
        token => Ok(token),
    }
}

fn dns_resolver(given: Option<String>) -> Result<Option<std::net::SocketAddr>, ConfigError> {
    match given.filter(|text| !text.trim().is_empty()) {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| ConfigError::DnsResolver(text)),
    }
}

fn base_url(given: Option<String>, bind: &str) -> Result<url::Url, ConfigError> {
    let text = given.unwrap_or_else(|| format!("http://{bind}"));
    url::Url::parse(&text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or(ConfigError::BaseUrl(text))
}

impl Settings {
    /// Reads the optional TOML file (an explicitly named file must exist) and the
    /// environment, then fills in the defaults.
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut builder = config::Config::builder();
        builder = match config_file {
            Some(path) => builder.add_source(config::File::from(path).required(true)),
            None => builder.add_source(config::File::with_name("partnerdesk").required(false)),
        };
        let raw: RawSettings = builder
            .add_source(
                config::Environment::with_prefix("PARTNERDESK")
                    .prefix_separator("_")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()?;
        Self::resolve(raw)
    }

    /// Settings for a data folder with every other value at its default; used by
    /// tests and tools that build their own.
    pub fn for_data_dir(data_dir: &Path) -> Result<Self, ConfigError> {
        Self::resolve(RawSettings {
            data_dir: Some(data_dir.to_owned()),
            ..RawSettings::default()
        })
    }

    fn resolve(raw: RawSettings) -> Result<Self, ConfigError> {
        let data_dir = raw.data_dir.unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = raw
            .database_url
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("partnerdesk.db").display()));
        let bind = raw.bind.unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let base_url = base_url(raw.base_url, &bind)?;
        let secret_key = match raw.secret_key {
            Some(given) => SecretKey::new(given)?,
            None => kept_secret(&data_dir)?,
        };
        let trusted_proxies = match &raw.trusted_proxies {
            Some(list) => TrustedProxies::parse(list.items())?,
            None => TrustedProxies::default(),
        };
        Ok(Self {
            data_dir,
            database_url,
            bind,
            base_url,
            smtp_url: raw.smtp_url.filter(|s| !s.trim().is_empty()),
            secret_key,
            mail_from: raw
                .mail_from
                .unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned()),
            db_pool_size: raw
                .db_pool_size
                .unwrap_or_else(|| default_pool_size(raw.http_workers.unwrap_or_else(cores))),
            db_wait: Duration::from_secs(10),
            http_workers: raw.http_workers,
            outbox: raw.outbox.unwrap_or_default().or_defaults(),
            jobs: raw.jobs.unwrap_or_default().or_defaults(),
            webhooks: WebhookSettings {
                disable_after: raw.webhook_disable_after.map_or(
                    WebhookSettings::default().disable_after,
                    Duration::from_secs,
                ),
                allow_http_loopback: raw.webhook_allow_http_loopback.unwrap_or(false),
                ..WebhookSettings::default()
            },
            data_regions: raw
                .data_regions
                .unwrap_or_default()
                .into_iter()
                .map(|(country, region)| (country.to_ascii_uppercase(), region))
                .collect(),
            trusted_proxies,
            failure_brake_per_minute: raw
                .failure_brake_per_minute
                .unwrap_or(DEFAULT_FAILURE_BRAKE_PER_MINUTE),
            metrics_token: metrics_token(raw.metrics_token)?,
            sso_allow_http_issuers: raw.sso_allow_http_issuers.unwrap_or(false),
            dns_resolver: dns_resolver(raw.dns_resolver)?,
            partner_api_requests_per_minute: raw
                .partner_api_requests_per_minute
                .and_then(NonZeroU32::new)
                .unwrap_or(DEFAULT_PARTNER_API_REQUESTS_PER_MINUTE),
        })
    }

    pub fn uses_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// An absolute link under the configured public address.
    pub fn link(&self, path_and_query: &str) -> String {
        let base = self.base_url.as_str().trim_end_matches('/');
        format!("{base}{path_and_query}")
    }
}

#[cfg(test)]
mod tests {
    use super::raw::RawList;
    use super::*;

    #[test]
    fn defaults_need_no_setup_and_keep_the_generated_secret() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = Settings::for_data_dir(dir.path()).expect("settings");
        assert_eq!(first.bind, DEFAULT_BIND);
        assert!(first.database_url.starts_with("sqlite://"));
        assert!(first.database_url.ends_with("partnerdesk.db"));
        assert_eq!(first.base_url.as_str(), "http://127.0.0.1:8080/");
        assert!(
            first.trusted_proxies.is_empty(),
            "no proxy is trusted by default"
        );
        assert_eq!(
            first.failure_brake_per_minute,
            DEFAULT_FAILURE_BRAKE_PER_MINUTE
        );
        let second = Settings::for_data_dir(dir.path()).expect("settings");
        assert_eq!(first.secret_key.as_bytes(), second.secret_key.as_bytes());
        assert_eq!(
            first.link("/activate/x"),
            "http://127.0.0.1:8080/activate/x"
        );
    }

    #[test]
    fn a_toml_file_overrides_the_defaults() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("partnerdesk.toml");
        let data_dir = dir.path().join("data");
        std::fs::write(
            &file,
            format!(
                "data_dir = {:?}\nbind = \"0.0.0.0:9000\"\nbase_url = \"https://partners.example.com\"\n\
                 secret_key = \"0123456789abcdef0123456789abcdef\"\n\
                 trusted_proxies = [\"10.0.0.0/8\", \"192.168.1.7\"]\n[outbox]\nretry_base_ms = 1500\n\
                 [data_regions]\nfr = \"eu-west\"\n",
                data_dir.display().to_string()
            ),
        )
        .expect("write settings file");
        let settings = Settings::load(Some(&file)).expect("settings");
        assert_eq!(settings.bind, "0.0.0.0:9000");
        assert!(settings.uses_https());
        assert_eq!(settings.outbox.retry_base, Duration::from_millis(1500));
        assert_eq!(settings.data_dir, data_dir);
        assert!(
            settings
                .trusted_proxies
                .contains("10.20.30.40".parse().expect("ip"))
        );
        assert!(
            !settings
                .trusted_proxies
                .contains("192.168.1.8".parse().expect("ip"))
        );
        assert_eq!(
            settings.data_regions.get("FR").map(String::as_str),
            Some("eu-west")
        );
        assert!(
            !data_dir.join("secret_key").exists(),
            "a given secret is not written"
        );
    }

    #[test]
    fn the_pool_grows_with_the_http_workers_unless_its_size_is_given() {
        assert_eq!(default_pool_size(1), 8, "never fewer than eight");
        assert_eq!(default_pool_size(2), 8);
        assert_eq!(default_pool_size(16), 36);
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("partnerdesk.toml");
        let data_dir = format!("data_dir = {:?}\n", dir.path().display().to_string());
        std::fs::write(&file, format!("{data_dir}http_workers = 12\n")).expect("write");
        let sized = Settings::load(Some(&file)).expect("settings");
        assert_eq!(sized.db_pool_size, 28);
        std::fs::write(
            &file,
            format!("{data_dir}http_workers = 12\ndb_pool_size = 5\n"),
        )
        .expect("write");
        let given = Settings::load(Some(&file)).expect("settings");
        assert_eq!(given.db_pool_size, 5);
    }

    #[test]
    fn a_short_secret_or_a_bad_base_url_is_refused() {
        assert!(matches!(
            SecretKey::new("short".into()),
            Err(ConfigError::SecretTooShort)
        ));
        let raw = RawSettings {
            base_url: Some("ftp://example.com".into()),
            secret_key: Some("0123456789abcdef0123456789abcdef".into()),
            ..RawSettings::default()
        };
        assert!(matches!(
            Settings::resolve(raw),
            Err(ConfigError::BaseUrl(_))
        ));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7,,2001:db8::/32 ".split(','))
            .expect("valid list");
        for inside in ["10.1.2.3", "192.168.1.7", "2001:db8::1", "::ffff:10.9.9.9"] {
            assert!(
                proxies.contains(inside.parse().expect("ip")),
                "{inside} is trusted"
            );
        }
        for outside in ["11.0.0.1", "192.168.1.8", "2001:db9::1"] {
            assert!(
                !proxies.contains(outside.parse().expect("ip")),
                "{outside} is not trusted"
            );
        }
        assert!(TrustedProxies::parse([]).expect("empty").is_empty());
        let raw = RawSettings {
            trusted_proxies: Some(RawList::Text("10.0.0.1, proxy.internal".into())),
            secret_key: Some("0123456789abcdef0123456789abcdef".into()),
            ..RawSettings::default()
        };
        match Settings::resolve(raw) {
            Err(ConfigError::TrustedProxy(bad)) => assert_eq!(bad, "proxy.internal"),
            other => panic!(
                "expected a trusted proxy error, got {:?}",
                other.map(|_| ())
            ),
        }
    }

    #[test]
    fn passwords_in_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:hunter2@db/pd"),
            "postgres://app:***@db/pd"
        );
    }
}
