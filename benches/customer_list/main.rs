//! Customer list benchmark: the partner's customer list (A1), served over real HTTP
//! by the real server running in this process, on a database seeded with two
//! partners of many customers each.
//!
//! ```text
//! cargo bench --bench customer_list        # SQLite, in a temporary folder
//! PARTNERDESK_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench --bench customer_list    # PostgreSQL, in a fresh pd_bench_… database
//! ```
//!
//! Knobs: PARTNERDESK_BENCH_CUSTOMERS (customers per partner, default 100000),
//! PARTNERDESK_BENCH_REQUESTS (measured requests per scenario, default 2000) and
//! PARTNERDESK_BENCH_CONCURRENCY (concurrent client tasks, default 4) and
//! PARTNERDESK_BENCH_SCENARIOS (comma-separated scenario names to run, e.g.
//! `list,deep page`; default all; plain text always runs, as the reference).
//! PARTNERDESK_BENCH_OTHER_PARTNERS and PARTNERDESK_BENCH_OTHER_CUSTOMERS: the
//! partners beside A and their customers in all (default one, with as many as
//! A); `=999` and `=900000` make a million customers over a thousand partners.
//!
//! What it measures and prints:
//! - the cold start: from building the application to the first 200 of /health_check;
//! - the time to seed both partners' customers (on PostgreSQL followed by VACUUM
//!   ANALYZE, as autovacuum would do);
//! - per scenario (list, search, search+sort+page, filter, deep page), after a
//!   warm-up: latency p50/p99/max and throughput of a signed-in, browser-like client;
//!   the same for /health_check with that session ("plain+session": the cost of the
//!   session and identity middleware) and without a cookie ("plain text", the bare
//!   framework every list scenario is compared with);
//! - the resident memory of the process (client and server share it; the
//!   seeding runs in a child process so that its memory is not counted).
//!
//! Any answer other than 200 counts as a failure and makes the bench exit non-zero.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use hdrhistogram::Histogram;
use partnerdesk::access::PartnerRole;
use partnerdesk::accounts::{self, DisplayName, EmailAddress, LoginState, NewLogin, Username};
use partnerdesk::auth::password::hash_password;
use partnerdesk::clock::{Clock, SystemClock};
use partnerdesk::config::{Settings, redact_url};
use partnerdesk::customers::seed::{self, SeedOptions};
use partnerdesk::i18n::Lang;
use partnerdesk::ids::{CustomerId, PartnerId};
use partnerdesk::startup::Application;
use partnerdesk::{db, organisations};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const POSTGRES_URL_VAR: &str = "PARTNERDESK_BENCH_POSTGRES_URL";
const USERNAME: &str = "owner@bench.example";
const PASSWORD: &str = "a long enough passphrase";
const GROUPS: &[&str] = &["Retail", "Healthcare", "Public sector", "Priority support"];
/// Pieces of generated names ("Summit Dental 1234") and domains
/// ("summit-dental-1234.example"), as someone would type them.
const FRAGMENTS: &[&str] = &[
    "summit",
    "harbor log",
    "dental",
    "ber",
    "zephyr-w",
    "quartz st",
];
const CSRF_TOKEN: &str = r#"name="csrf_token" value="([0-9a-f]{64})""#;
const CUSTOMER_ADMIN: &str = "admin@bench-customer.example";
/// The dashboard scenario's path, known once the database is seeded.
static DASHBOARD_PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
const CUSTOMER_COUNT: &str = r#"id="customer-count"[^>]*data-total="(\d+)""#;
const WARM_UP: usize = 50;
const PER_PAGE: usize = 50;

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {value:?}")),
        _ => default,
    }
}

/// The database of one run; a PostgreSQL one is created here and dropped at the end.
struct Database {
    url: String,
    postgres: Option<(String, String)>,
}

impl Database {
    fn create(data_dir: &std::path::Path) -> Self {
        let Some(admin_url) = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|u| !u.is_empty())
        else {
            let url = format!("sqlite://{}", data_dir.join("bench.db").display());
            return Database {
                url,
                postgres: None,
            };
        };
        let name = format!("pd_bench_{}", uuid::Uuid::new_v4().simple());
        let mut admin = diesel::PgConnection::establish(&admin_url)
            .expect("connect to the server of PARTNERDESK_BENCH_POSTGRES_URL");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create the benchmark database");
        let mut url = url::Url::parse(&admin_url).expect("a valid PostgreSQL URL");
        url.set_path(&format!("/{name}"));
        let url = url.to_string();
        Database {
            url,
            postgres: Some((admin_url, name)),
        }
    }

    /// On PostgreSQL, what autovacuum does in the background after a bulk load (it
    /// may be off or not yet run): fresh statistics and a visibility map, without
    /// which the planner avoids index-only scans. SQLite gets nothing: the
    /// application never runs ANALYZE there.
    fn vacuum_analyze(&self) -> Option<Duration> {
        self.postgres.as_ref()?;
        let started = Instant::now();
        let mut conn = diesel::PgConnection::establish(&self.url).expect("connect for VACUUM");
        diesel::sql_query("VACUUM ANALYZE")
            .execute(&mut conn)
            .expect("VACUUM ANALYZE");
        Some(started.elapsed())
    }

    fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = diesel::PgConnection::establish(admin_url)
            && let Err(error) =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin)
        {
            eprintln!("could not drop the benchmark database {name}: {error}");
        }
    }
}

/// The other partners beside A and their customers in all:
/// `PARTNERDESK_BENCH_OTHER_PARTNERS` (default 1) sharing
/// `PARTNERDESK_BENCH_OTHER_CUSTOMERS` (default as many as A's). The
/// instance-sized run is 999 partners sharing 900,000 customers beside A's
/// 100,000: a million over a thousand partners.
fn other_partners(count: usize) -> (usize, usize) {
    (
        env_number("PARTNERDESK_BENCH_OTHER_PARTNERS", 1).max(1),
        env_number("PARTNERDESK_BENCH_OTHER_CUSTOMERS", count),
    )
}

/// Partner A with `count` customers and the other partners with theirs
/// (`other_partners`); partner A has an owner who can sign in.
/// Returns the time spent generating the customers.
fn seed_database(url: &str, count: usize) -> Duration {
    let pool = db::connect(url, 2).expect("open the seeding pool");
    let mut conn = pool.get().expect("a database connection for seeding");
    let now = SystemClock.now();
    let name = |text: &str| DisplayName::parse(text).expect("a valid display name");
    let mut organisation = |text: &str| {
        organisations::insert_organisation(&mut conn, now, &name(text), None, false)
            .expect("insert a partner")
    };
    let partner_a = organisation("Bench Partner A");
    let (others, other_customers) = other_partners(count);
    let mut partners = vec![(partner_a.clone(), count)];
    for n in 0..others {
        // The customers shared as evenly as they divide.
        let share = other_customers / others + usize::from(n < other_customers % others);
        partners.push((organisation(&format!("Bench Partner {}", n + 2)), share));
    }
    let owner = NewLogin {
        username: Username::parse(USERNAME).expect("a valid username"),
        email: EmailAddress::parse(USERNAME).expect("a valid email address"),
        full_name: name("Bench Owner"),
        language: Lang::En,
        time_zone: chrono_tz::Europe::Paris,
    };
    let hash = hash_password(PASSWORD).expect("hash the owner's password");
    let login_id = accounts::insert(&mut conn, now, &owner, LoginState::Active, Some(&hash))
        .expect("insert the owner's login");
    organisations::add_member(
        &mut conn,
        now,
        &PartnerId::new(partner_a.clone()),
        &login_id,
        PartnerRole::Owner,
    )
    .expect("make the owner a member of partner A");
    let started = Instant::now();
    let mut first_customer = None;
    for (seed, (partner_id, count)) in (1..).zip(partners) {
        let options = SeedOptions {
            partner_id: PartnerId::new(partner_id),
            count,
            groups: GROUPS,
            seed,
        };
        let ids = seed::generate(&mut conn, now, &options).expect("seed customers");
        first_customer = first_customer.or(ids.into_iter().next());
    }
    let elapsed = started.elapsed();
    let customer = first_customer.expect("a customer of partner A");
    let admin = NewLogin {
        username: Username::parse(CUSTOMER_ADMIN).expect("a valid username"),
        email: EmailAddress::parse(CUSTOMER_ADMIN).expect("a valid email address"),
        full_name: name("Bench Customer Admin"),
        language: Lang::En,
        time_zone: chrono_tz::Europe::Paris,
    };
    let admin_id = accounts::insert(&mut conn, now, &admin, LoginState::Active, Some(&hash))
        .expect("insert the customer administrator's login");
    partnerdesk::customers::create::add_customer_member(
        &mut conn,
        now,
        &CustomerId::new(customer.clone()),
        &admin_id,
        "administrator",
    )
    .expect("make them the customer's administrator");
    let monitors = env_number("PARTNERDESK_BENCH_MONITORS", 50).max(1);
    let days = env_number("PARTNERDESK_BENCH_MONITOR_DAYS", 90).max(1);
    let started = Instant::now();
    partnerdesk::monitoring::demo::bench_seed(&mut conn, now, &customer, monitors, days as i64)
        .expect("seed monitors and a dashboard");
    println!(
        "seeding {monitors} monitors x {days} days at one check a minute (rollups, and raw \
         results for the last day): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if let db::DbConnection::Sqlite(sqlite) = &mut *conn {
        // The seeding leaves a write-ahead log of over 100 MB: copied back into the
        // database by the first commits of the measured requests, it took minutes
        // on a busy machine, all counted as theirs.
        diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(sqlite)
            .expect("checkpoint the seeded database");
    }
    elapsed
}

/// Signs the customer's administrator in and finds the benchmark's dashboard.
async fn sign_in_customer(client: &reqwest::Client, address: &str) {
    let (_, login) = page(client, &format!("{address}/login")).await;
    let token = capture(CSRF_TOKEN, &login);
    let form = [
        ("username", CUSTOMER_ADMIN),
        ("password", PASSWORD),
        ("csrf_token", &token),
    ];
    let signed_in = client
        .post(format!("{address}/login"))
        .form(&form)
        .send()
        .await;
    assert_eq!(signed_in.expect("POST /login").status(), 303);
    let (status, list) = page(client, &format!("{address}/customer/dashboards")).await;
    assert_eq!(
        status, 200,
        "the customer's administrator sees the dashboards"
    );
    let id = capture(r#"<tr data-dashboard="([0-9a-f-]+)""#, &list);
    let _ = DASHBOARD_PATH.set(format!("/customer/dashboards/{id}"));
}

/// GETs a page: its status and text.
async fn page(client: &reqwest::Client, url: &str) -> (reqwest::StatusCode, String) {
    let response = client.get(url).send().await.expect("GET a page");
    let status = response.status();
    (status, response.text().await.expect("read a page"))
}

/// The first group `pattern` captures in `page`.
fn capture(pattern: &str, page: &str) -> String {
    let found = regex::Regex::new(pattern).expect("regex").captures(page);
    found.map_or_else(
        || panic!("no match for {pattern} in the page"),
        |c| c[1].to_owned(),
    )
}

/// Signs in through the login form as a browser does, then checks that the list
/// counts `customers`. Returns the time of that first list page.
async fn sign_in(client: &reqwest::Client, address: &str, customers: usize) -> Duration {
    let (_, login) = page(client, &format!("{address}/login")).await;
    let token = capture(CSRF_TOKEN, &login);
    let form = [
        ("username", USERNAME),
        ("password", PASSWORD),
        ("csrf_token", &token),
    ];
    let signed_in = client
        .post(format!("{address}/login"))
        .form(&form)
        .send()
        .await;
    let status = signed_in.expect("POST /login").status();
    assert_eq!(status, 303, "signing in answers 303 See Other");

    let started = Instant::now();
    let (status, list) = page(client, &format!("{address}/partner/customers")).await;
    let elapsed = started.elapsed();
    assert_eq!(status, 200, "the signed-in owner sees the customer list");
    let total: usize = capture(CUSTOMER_COUNT, &list).parse().expect("a count");
    assert_eq!(
        total, customers,
        "the list counts partner A's customers only"
    );
    elapsed
}

#[derive(Clone, Copy, PartialEq)]
enum Scenario {
    List,
    Search,
    SearchSortPage,
    Filter,
    DeepPage,
    /// The partner home page's roll-up over every customer (issue 8).
    Home,
    /// A dashboard of 50 monitors over 90 days of results (and the other periods).
    Dashboard,
    PlainWithSession,
    PlainText,
}

impl Scenario {
    const LISTS: [Scenario; 6] = [
        Scenario::List,
        Scenario::Search,
        Scenario::SearchSortPage,
        Scenario::Filter,
        Scenario::DeepPage,
        Scenario::Home,
    ];

    /// The scenario's name in a table row, with the number of clients.
    fn at(self, concurrency: usize) -> String {
        format!("{} @{concurrency}", self.name())
    }

    fn name(self) -> &'static str {
        match self {
            Scenario::List => "list",
            Scenario::Search => "search",
            Scenario::SearchSortPage => "search+sort+page",
            Scenario::Filter => "filter",
            Scenario::DeepPage => "deep page",
            Scenario::Home => "partner home",
            Scenario::Dashboard => "dashboard",
            Scenario::PlainWithSession => "plain+session",
            Scenario::PlainText => "plain text",
        }
    }

    /// The path of the `n`th request.
    fn path(self, n: usize, pages: usize, rng: &mut StdRng) -> String {
        let fragment = FRAGMENTS[n % FRAGMENTS.len()].as_bytes();
        let q: String = url::form_urlencoded::byte_serialize(fragment).collect();
        match self {
            Scenario::List => "/partner/customers".to_owned(),
            Scenario::Search => format!("/partner/customers?q={q}"),
            Scenario::SearchSortPage => format!("/partner/customers?q={q}&sort=created&page=2"),
            Scenario::Filter if n.is_multiple_of(2) => {
                "/partner/customers?billing=trial&licence=active&sort=health".to_owned()
            }
            Scenario::Filter => "/partner/customers?state=active&mine=1&sort=state&page=20".into(),
            Scenario::DeepPage => format!("/partner/customers?page={}", rng.gen_range(1..=pages)),
            Scenario::Home => "/partner".to_owned(),
            Scenario::Dashboard => {
                let base = DASHBOARD_PATH
                    .get()
                    .map_or("/customer/dashboards", String::as_str);
                let period = ["90d", "90d", "30d", "7d", "24h"][n % 5];
                format!("{base}?period={period}")
            }
            Scenario::PlainWithSession | Scenario::PlainText => "/health_check".to_owned(),
        }
    }
}

struct Outcome {
    latency_us: Histogram<u64>,
    failures: usize,
    elapsed: Duration,
    /// CPU time of the whole process (client and server) during the run.
    cpu: Duration,
}

impl Outcome {
    fn throughput(&self) -> f64 {
        self.latency_us.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU milliseconds per request, client and server together: steadier than
    /// the throughput on a machine shared with other work.
    fn cpu_ms(&self) -> f64 {
        ms(self.cpu) / self.latency_us.len().max(1) as f64
    }

    fn ms(&self, quantile: f64) -> f64 {
        self.latency_us.value_at_quantile(quantile) as f64 / 1000.0
    }

    /// One line of the results table.
    fn row(&self, name: &str, plain_rate: Option<f64>) -> String {
        let share = plain_rate.map_or("-".to_owned(), |p| {
            format!("{:.2}%", 100.0 * self.throughput() / p)
        });
        format!(
            "{name:<21} {:>8} {:>9.2} {:>9.2} {:>9.2} {:>9.0} {share:>10} {:>8.3} {:>8}",
            self.latency_us.len(),
            self.ms(0.5),
            self.ms(0.99),
            self.ms(1.0),
            self.throughput(),
            self.cpu_ms(),
            self.failures
        )
    }
}

const HEADER: &str = "scenario              requests    p50 ms    p99 ms    max ms     req/s   of plain \
     cpu ms/req failures";

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds")
}

/// GETs `url` and reads the whole body; the status, or what went wrong.
async fn fetch(client: &reqwest::Client, url: &str) -> Result<reqwest::StatusCode, String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    Ok(status)
}

/// One client task: takes request numbers from `next` until `requests` are sent.
async fn client_task(
    (client, address, scenario): (reqwest::Client, String, Scenario),
    (next, requests, pages, task): (Arc<AtomicUsize>, usize, usize, usize),
) -> (Histogram<u64>, usize) {
    let (mut latency_us, mut failures) = (histogram(), 0);
    let mut rng = StdRng::seed_from_u64(task as u64);
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        if n >= requests {
            return (latency_us, failures);
        }
        let path = scenario.path(n, pages, &mut rng);
        let sent = Instant::now();
        let answer = fetch(&client, &format!("{address}{path}")).await;
        latency_us.saturating_record(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
        if !matches!(answer, Ok(status) if status == 200) {
            failures += 1;
            if failures <= 3 {
                eprintln!("  failure: GET {path}: {answer:?}");
            }
        }
    }
}

/// `requests` GETs of the scenario from `concurrency` tasks sharing one client.
async fn drive(
    client: &reqwest::Client,
    address: &str,
    scenario: Scenario,
    (requests, concurrency, pages): (usize, usize, usize),
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = process_cpu();
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|task| {
            let target = (client.clone(), address.to_owned(), scenario);
            tokio::spawn(client_task(target, (next.clone(), requests, pages, task)))
        })
        .collect();
    let mut outcome = Outcome {
        latency_us: histogram(),
        failures: 0,
        elapsed: Duration::ZERO,
        cpu: Duration::ZERO,
    };
    for task in tasks {
        let (latency_us, failures) = task.await.expect("a client task panicked");
        outcome
            .latency_us
            .add(latency_us)
            .expect("merge histograms");
        outcome.failures += failures;
    }
    outcome.elapsed = started.elapsed();
    outcome.cpu = process_cpu().saturating_sub(cpu_before);
    outcome
}

/// User and system CPU time of the whole process so far (/proc/self/stat, in
/// clock ticks of 10 ms on Linux); zero elsewhere.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

/// The clients at once each scenario runs with: `PARTNERDESK_BENCH_CONCURRENCY`,
/// a comma-separated list, by default 4 and 32.
fn concurrency_levels() -> Vec<usize> {
    let given = std::env::var("PARTNERDESK_BENCH_CONCURRENCY").unwrap_or_default();
    let mut levels: Vec<usize> = given
        .split(',')
        .filter_map(|level| level.trim().parse().ok())
        .filter(|&level| level > 0)
        .collect();
    if levels.is_empty() {
        levels = vec![4, 32];
    }
    levels.sort_unstable();
    levels.dedup();
    levels
}

/// A line of /proc/self/smaps_rollup (the whole address space summed), such as Pss.
fn mapped_memory(key: &str) -> String {
    let rollup = std::fs::read_to_string("/proc/self/smaps_rollup").unwrap_or_default();
    rollup
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .map_or_else(|| "unknown".to_owned(), |value| value.trim().to_owned())
}

/// A line of /proc/self/status, such as VmRSS.
fn memory(key: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'));
    line.map_or("unknown".to_owned(), |value| value.trim().to_owned())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// What `partnerdesk check` does, on the seeded database: prints how long
/// recomputing every derived value took and any difference; false if any.
fn derived_data_checked(url: &str) -> bool {
    let pool = db::connect(url, 1).expect("open a pool for the check");
    let mut conn = pool.get().expect("a connection for the check");
    let started = Instant::now();
    let differences = db::derived::differences(&mut conn).expect("recompute derived data");
    println!(
        "derived data check (partnerdesk check): {} differences, {:.1} s",
        differences.len(),
        started.elapsed().as_secs_f64()
    );
    for difference in differences.iter().take(20) {
        println!("  {difference:?}");
    }
    differences.is_empty()
}

/// Where the run keeps its SQLite database and settings: a temporary folder, or
/// the folder `PARTNERDESK_BENCH_DATA_DIR` names, kept after the run so that its
/// database can be examined (`EXPLAIN QUERY PLAN`) or measured again without
/// seeding it anew (SQLite only; a PostgreSQL database is always seeded afresh
/// and dropped).
enum DataDir {
    Temporary(tempfile::TempDir),
    Kept(std::path::PathBuf),
}

impl DataDir {
    const SEEDED_MARK: &str = "bench-seeded";

    fn from_env() -> Self {
        match std::env::var("PARTNERDESK_BENCH_DATA_DIR") {
            Ok(dir) if !dir.trim().is_empty() => {
                let dir = std::path::PathBuf::from(dir.trim());
                std::fs::create_dir_all(&dir).expect("create PARTNERDESK_BENCH_DATA_DIR");
                DataDir::Kept(dir)
            }
            _ => DataDir::Temporary(tempfile::tempdir().expect("temporary data folder")),
        }
    }

    fn path(&self) -> &std::path::Path {
        match self {
            DataDir::Temporary(dir) => dir.path(),
            DataDir::Kept(dir) => dir,
        }
    }

    /// Whether an earlier run seeded this kept folder's SQLite database.
    fn seeded(&self) -> bool {
        matches!(self, DataDir::Kept(_))
            && std::env::var(POSTGRES_URL_VAR).map_or(true, |u| u.is_empty())
            && self.path().join(Self::SEEDED_MARK).exists()
    }

    fn mark_seeded(&self) {
        if let DataDir::Kept(dir) = self {
            std::fs::write(dir.join(Self::SEEDED_MARK), "")
                .expect("mark the kept database as seeded");
        }
    }
}

/// Set on the child process that seeds the database, to the database URL.
const SEED_ONLY_VAR: &str = "PARTNERDESK_BENCH_SEED_ONLY";

/// Seeds in a child process (this same program), so that the memory the seeding
/// used is not counted as the server's.
fn seed_in_child(url: &str, count: usize) -> Duration {
    let program = std::env::current_exe().expect("the benchmark's own path");
    let started = Instant::now();
    let status = std::process::Command::new(program)
        .env(SEED_ONLY_VAR, url)
        .env("PARTNERDESK_BENCH_CUSTOMERS", count.to_string())
        .status()
        .expect("run the seeding process");
    assert!(status.success(), "seeding failed: {status}");
    started.elapsed()
}

#[tokio::main]
async fn main() -> ExitCode {
    let customers = env_number("PARTNERDESK_BENCH_CUSTOMERS", 100_000).max(1);
    if let Ok(url) = std::env::var(SEED_ONLY_VAR) {
        seed_database(&url, customers);
        return ExitCode::SUCCESS;
    }
    let requests = env_number("PARTNERDESK_BENCH_REQUESTS", 2_000).max(1);
    let concurrencies = concurrency_levels();
    let pages = customers.div_ceil(PER_PAGE);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    let data_dir = DataDir::from_env();
    let database = Database::create(data_dir.path());
    let backend = database.backend();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a random port");
    let port = listener.local_addr().expect("local address").port();
    let address = format!("http://127.0.0.1:{port}");
    let mut settings = Settings::for_data_dir(data_dir.path()).expect("settings");
    settings.database_url = database.url.clone();
    settings.bind = format!("127.0.0.1:{port}");
    settings.base_url = url::Url::parse(&address).expect("base URL");
    settings.smtp_url = None;
    // The server runs with the defaults an operator gets: one HTTP worker per
    // core and the pool sized from them.
    let (http_workers, db_pool_size) = (
        settings.http_workers.unwrap_or(cores),
        settings.db_pool_size,
    );

    println!("Partnerdesk customer list benchmark");
    println!("  backend:    {backend} ({})", redact_url(&database.url));
    println!("  machine:    {cores} cores (available_parallelism)");
    let (others, other_customers) = other_partners(customers);
    println!(
        "  customers:  {customers} of partner A, {other_customers} of {others} other \
         partner(s), {PER_PAGE} per page"
    );
    println!(
        "  requests:   {requests} per scenario after {WARM_UP} warm-up, at {concurrencies:?} \
         concurrent clients"
    );
    println!("  server:     http_workers = {http_workers}, db_pool_size = {db_pool_size}");
    println!("  client:     reqwest in the same process (tokio, {cores} worker threads), no gzip");

    let started = Instant::now();
    let app = Application::build_on(settings.clone(), listener, Arc::new(SystemClock))
        .expect("build the application");
    tokio::spawn(app.run_until_stopped());
    let plain = reqwest::Client::new();
    let deadline = started + Duration::from_secs(60);
    while !matches!(fetch(&plain, &format!("{address}/health_check")).await, Ok(s) if s == 200) {
        assert!(Instant::now() < deadline, "no health check answer in 60 s");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    println!(
        "\ncold start (build_on to the first 200 of /health_check): {:.1} ms",
        ms(started.elapsed())
    );

    if data_dir.seeded() {
        println!(
            "seeding skipped: {} holds a seeded database",
            data_dir.path().display()
        );
    } else {
        let seeding = seed_in_child(&database.url, customers);
        let seeded = customers + other_customers;
        let rate = seeded as f64 / seeding.as_secs_f64();
        println!(
            "seeding {seeded} customers (in a child process): {:.1} s ({rate:.0} customers/s)",
            seeding.as_secs_f64()
        );
        data_dir.mark_seeded();
    }
    if let Some(vacuum) = database.vacuum_analyze() {
        println!(
            "VACUUM ANALYZE after seeding: {:.1} s",
            vacuum.as_secs_f64()
        );
    }
    if !derived_data_checked(&database.url) {
        return ExitCode::FAILURE;
    }

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("build the HTTP client");
    let first = sign_in(&client, &address, customers).await;
    let customer_client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("build the customer's HTTP client");
    sign_in_customer(&customer_client, &address).await;
    println!(
        "first customer list page after signing in: {:.1} ms\n",
        ms(first)
    );

    println!("{HEADER}");
    let mut results = Vec::new();
    let chosen = std::env::var("PARTNERDESK_BENCH_SCENARIOS").unwrap_or_default();
    let chosen: Vec<&str> = chosen
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let all = Scenario::LISTS
        .into_iter()
        .chain([
            Scenario::Dashboard,
            Scenario::PlainWithSession,
            Scenario::PlainText,
        ])
        .filter(|s| chosen.is_empty() || *s == Scenario::PlainText || chosen.contains(&s.name()));
    for scenario in all {
        // The bare framework goes without the session cookie.
        let client = match scenario {
            Scenario::PlainText => &plain,
            Scenario::Dashboard => &customer_client,
            _ => &client,
        };
        for &concurrency in &concurrencies {
            let warm_up = drive(client, &address, scenario, (WARM_UP, concurrency, pages)).await;
            let mut outcome =
                drive(client, &address, scenario, (requests, concurrency, pages)).await;
            outcome.failures += warm_up.failures;
            println!("{}", outcome.row(&scenario.at(concurrency), None));
            results.push((scenario, concurrency, outcome));
        }
    }

    for &concurrency in &concurrencies {
        let at = |s: Scenario| {
            results
                .iter()
                .find(|(r, c, _)| *r == s && *c == concurrency)
                .map(|(_, _, o)| o)
        };
        let plain_rate = at(Scenario::PlainText).map(Outcome::throughput);
        println!("\nSummary ({backend}, {customers} customers per partner, {concurrency} clients)");
        println!("{HEADER}");
        for (scenario, _, outcome) in results.iter().filter(|(_, c, _)| *c == concurrency) {
            println!("{}", outcome.row(&scenario.at(concurrency), plain_rate));
        }
    }
    println!();
    if let (Some(&fewest), Some(&most)) = (concurrencies.first(), concurrencies.last())
        && most > fewest
    {
        println!("throughput at {most} clients against {fewest} (no collapse: at least 100 %):");
        for (scenario, concurrency, outcome) in &results {
            let fewer = results
                .iter()
                .find(|(s, c, _)| s == scenario && *c == fewest)
                .map(|(_, _, o)| o.throughput());
            if *concurrency == most
                && let Some(fewer) = fewer
            {
                let ratio = 100.0 * outcome.throughput() / fewer;
                let verdict = if ratio >= 100.0 { "met" } else { "MISSED" };
                println!("  {:<17} {ratio:>7.1} %, {verdict}", scenario.name());
            }
        }
        println!();
    }
    let concurrency = concurrencies.first().copied().unwrap_or(4);
    let find = |s: Scenario| {
        results
            .iter()
            .find(|(r, c, _)| *r == s && *c == concurrency)
            .map(|(_, _, o)| o)
    };
    let plain_rate = find(Scenario::PlainText).map(Outcome::throughput);
    println!("targets at {concurrency} clients:");
    if let Some(o) = find(Scenario::SearchSortPage) {
        let verdict = if o.ms(0.99) < 50.0 { "met" } else { "MISSED" };
        println!(
            "target: search+sort+page p99 < 50 ms: {:.2} ms, {verdict}",
            o.ms(0.99)
        );
    }
    if let Some(o) = find(Scenario::Home) {
        let verdict = if o.ms(0.99) < 100.0 { "met" } else { "MISSED" };
        println!(
            "target: partner home p99 < 100 ms: {:.2} ms, {verdict}",
            o.ms(0.99)
        );
    }
    if let Some(o) = find(Scenario::Dashboard) {
        let verdict = if o.ms(0.99) < 100.0 { "met" } else { "MISSED" };
        println!(
            "target: dashboard (50 monitors, 90 days) p99 < 100 ms: {:.2} ms, {verdict}",
            o.ms(0.99)
        );
    }
    for scenario in Scenario::LISTS {
        if let (Some(o), Some(plain_rate)) = (find(scenario), plain_rate) {
            let ratio = 100.0 * o.throughput() / plain_rate;
            let verdict = if ratio >= 25.0 { "met" } else { "MISSED" };
            let name = format!("{} throughput", scenario.name());
            println!("target: {name:<27} >= 25 % of plain text: {ratio:.2} %, {verdict}");
        }
    }

    println!(
        "\nmemory of the process (client and server together): VmRSS {} (anonymous {}, \
         files {}), VmHWM {}",
        memory("VmRSS"),
        memory("RssAnon"),
        memory("RssFile"),
        memory("VmHWM")
    );
    println!(
        "  of which its own (Private_Clean + Private_Dirty): {} + {}; its proportional share \
         of pages mapped by others too (Pss): {}",
        mapped_memory("Private_Clean"),
        mapped_memory("Private_Dirty"),
        mapped_memory("Pss"),
    );
    let failures: usize = results.iter().map(|(_, _, o)| o.failures).sum();
    if failures > 0 {
        eprintln!("{failures} requests did not answer 200");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
