//! Customer list benchmark: the partner's customer list (A1), its home, a
//! distributor's network and an agent limited to one customer group (issue
//! 21), served over real HTTP by the real server running in this process, on
//! a database seeded with partners of many customers each.
//!
//! ```text
//! cargo bench --bench customer_list        # SQLite, in a temporary folder
//! PARTNERDESK_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench --bench customer_list    # PostgreSQL, in a fresh pd_bench_… database
//! ```
//!
//! Knobs: PARTNERDESK_BENCH_CUSTOMERS (partner A's customers, default 100000),
//! PARTNERDESK_BENCH_REQUESTS (measured requests per scenario, default 2000),
//! PARTNERDESK_BENCH_CONCURRENCY (comma-separated client counts, each scenario
//! runs at each; default `4,32`) and PARTNERDESK_BENCH_SCENARIOS
//! (comma-separated scenario names to run, e.g. `list,deep page`; default all;
//! plain text always runs, as the reference).
//! PARTNERDESK_BENCH_OTHER_PARTNERS and PARTNERDESK_BENCH_OTHER_CUSTOMERS: the
//! partners beside A and their customers in all (default one, with as many as
//! A); `=999` and `=900000` make a million customers over a thousand partners.
//! PARTNERDESK_BENCH_DISTRIBUTOR_CUSTOMERS: the customers the distributor's 20
//! resellers share (default as many as A's).
//! PARTNERDESK_BENCH_MONITORS and PARTNERDESK_BENCH_MONITOR_DAYS: the
//! dashboard's monitors (default 50) and days of results (default 90).
//! PARTNERDESK_BENCH_DATA_DIR: a folder that keeps the SQLite database between
//! runs (seeded once); PARTNERDESK_BENCH_POSTGRES_DATABASE: the name of a
//! PostgreSQL database kept the same way (the first run creates and seeds it;
//! drop it to seed again).
//!
//! What is seeded: partner A (owner `owner@bench.example`, and an admin agent
//! `limited@bench.example` limited to its group "Retail"), the other
//! partners, "Bench Distributor" (owner `owner@distributor.bench.example`)
//! over "Bench Reseller 01" to "20", each partner's customers spread over four
//! groups, and a customer of A with a dashboard of monitors.
//!
//! What it measures and prints:
//! - the cold start: from building the application to the first 200 of /health_check;
//! - the time to seed every partner's customers (on PostgreSQL followed by VACUUM
//!   ANALYZE, as autovacuum would do);
//! - per scenario (`scenarios.rs`: A's owner's list, search, search+sort+page,
//!   filter, deep page and partner home; the distributor's home and network
//!   list; the limited agent's home and list; the dashboard), after a warm-up:
//!   latency p50/p99/max and throughput of a signed-in, browser-like client;
//!   the same for /health_check with a session ("plain+session": the cost of
//!   the session and identity middleware) and without a cookie ("plain text",
//!   the bare framework every scenario is compared with);
//! - the targets, and each scoped scenario as ratios to its unscoped
//!   equivalent (the distributor's and limited agent's homes to A's owner's,
//!   their lists to search+sort+page);
//! - the resident memory of the process (client and server share it; the
//!   seeding runs in a child process so that its memory is not counted).
//!
//! PARTNERDESK_BENCH_STATEMENTS=<n> measures no scenario: it prints the time
//! of each statement of partner A's home and of a search of its list, over `n`
//! pages of each read one at a time (`statements.rs`).
//!
//! Any answer other than 200 counts as a failure and makes the bench exit non-zero.

mod client;
mod database;
mod report;
mod scenarios;
mod seed;
mod statements;

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use partnerdesk::clock::SystemClock;
use partnerdesk::config::{Settings, redact_url};
use partnerdesk::startup::Application;

use database::{DataDir, Database, SEED_ONLY_VAR};
use report::{HEADER, Results, ms};
use scenarios::{Scenario, Who};

const WARM_UP: usize = 50;
const PER_PAGE: usize = 50;

pub fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {value:?}")),
        _ => default,
    }
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

/// What a run does, from the environment.
struct Run {
    sizes: seed::Sizes,
    requests: usize,
    concurrencies: Vec<usize>,
    /// Pages of partner A's list, for the deep page.
    pages: usize,
    cores: usize,
    scenarios: Vec<Scenario>,
}

impl Run {
    fn from_env(customers: usize) -> Self {
        let chosen = std::env::var("PARTNERDESK_BENCH_SCENARIOS").unwrap_or_default();
        let chosen: Vec<&str> = chosen
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for name in &chosen {
            let known = Scenario::ALL.iter().any(|s| s.name() == *name);
            assert!(known, "PARTNERDESK_BENCH_SCENARIOS: no scenario {name:?}");
        }
        let scenarios = Scenario::ALL
            .into_iter()
            .filter(|s| {
                chosen.is_empty() || *s == Scenario::PlainText || chosen.contains(&s.name())
            })
            .collect();
        Run {
            sizes: seed::Sizes::of(customers),
            requests: env_number("PARTNERDESK_BENCH_REQUESTS", 2_000).max(1),
            concurrencies: concurrency_levels(),
            pages: customers.div_ceil(PER_PAGE),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            scenarios,
        }
    }

    fn print_header(&self, backend: &str, database_url: &str, server: (usize, u32)) {
        let sizes = &self.sizes;
        println!("Partnerdesk customer list benchmark");
        println!("  backend:    {backend} ({})", redact_url(database_url));
        println!("  machine:    {} cores (available_parallelism)", self.cores);
        println!(
            "  customers:  {} of partner A, {} of {} other partner(s), {} of the distributor's \
             {} resellers; {PER_PAGE} per page",
            sizes.customers,
            sizes.other_customers,
            sizes.others,
            sizes.distributor_customers,
            seed::RESELLERS
        );
        println!(
            "  logins:     A's owner, an admin agent of A limited to its group {:?}, the \
             distributor's owner, a customer's administrator",
            seed::LIMITED_GROUP
        );
        println!(
            "  requests:   {} per scenario after {WARM_UP} warm-up, at {:?} concurrent clients",
            self.requests, self.concurrencies
        );
        println!(
            "  server:     http_workers = {}, db_pool_size = {}",
            server.0, server.1
        );
        println!(
            "  client:     reqwest in the same process (tokio, {} worker threads), no gzip",
            self.cores
        );
    }
}

/// Starts the server on the run's database; returns its address once it
/// answers /health_check, having printed the cold start.
async fn start_server(run: &Run, data_dir: &DataDir, database: &Database) -> String {
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
    let server = (
        settings.http_workers.unwrap_or(run.cores),
        settings.db_pool_size,
    );
    run.print_header(database.backend(), &database.url, server);

    let started = Instant::now();
    let app = Application::build_on(settings, listener, Arc::new(SystemClock))
        .expect("build the application");
    tokio::spawn(app.run_until_stopped());
    let plain = reqwest::Client::new();
    let deadline = started + Duration::from_secs(60);
    let health = format!("{address}/health_check");
    while !matches!(client::fetch(&plain, &health).await, Ok(s) if s == 200) {
        assert!(Instant::now() < deadline, "no health check answer in 60 s");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    println!(
        "\ncold start (build_on to the first 200 of /health_check): {:.1} ms",
        ms(started.elapsed())
    );
    address
}

/// The clients shared by several scenarios, each signed in once and checked.
struct Clients {
    owner: reqwest::Client,
    customer_admin: reqwest::Client,
    plain: reqwest::Client,
}

impl Clients {
    async fn sign_in(run: &Run, address: &str) -> Self {
        let customers = run.sizes.customers;
        let (owner, first) = client::owner(address, customers).await;
        let customer_admin = client::customer_admin(address).await;
        let (_, reached) = client::limited(address, customers).await;
        client::distributor(address, &run.sizes).await;
        println!(
            "first customer list page after signing in: {:.1} ms",
            ms(first)
        );
        println!(
            "the limited agent's list counts {reached} of A's {customers} customers ({:.1} %)\n",
            100.0 * reached as f64 / customers as f64
        );
        Clients {
            owner,
            customer_admin,
            plain: reqwest::Client::new(),
        }
    }

    /// The scenario's client: a shared one, or for the distributor's and the
    /// limited agent's scenarios one signed in for it alone.
    async fn of(&self, address: &str, scenario: Scenario) -> reqwest::Client {
        match scenario.who() {
            Who::Owner => self.owner.clone(),
            Who::CustomerAdmin => self.customer_admin.clone(),
            // The bare framework goes without the session cookie.
            Who::Nobody => self.plain.clone(),
            who => client::signed_in(address, who).await,
        }
    }
}

/// Every chosen scenario at every client count, each row printed as it ends.
async fn run_scenarios(run: &Run, address: &str, clients: &Clients) -> Results {
    println!("{HEADER}");
    let mut results = Vec::new();
    for &scenario in &run.scenarios {
        let client = clients.of(address, scenario).await;
        for &concurrency in &run.concurrencies {
            let warm_up = (WARM_UP, concurrency, run.pages);
            let warm_up = client::drive(&client, address, scenario, warm_up).await;
            let measured = (run.requests, concurrency, run.pages);
            let mut outcome = client::drive(&client, address, scenario, measured).await;
            outcome.failures += warm_up.failures;
            println!("{}", outcome.row(&scenario.at(concurrency), None));
            results.push((scenario, concurrency, outcome));
        }
    }
    Results(results)
}

#[tokio::main]
async fn main() -> ExitCode {
    let customers = env_number("PARTNERDESK_BENCH_CUSTOMERS", 100_000).max(1);
    if let Ok(url) = std::env::var(SEED_ONLY_VAR) {
        seed::seed_database(&url, &seed::Sizes::of(customers));
        return ExitCode::SUCCESS;
    }
    let run = Run::from_env(customers);
    let data_dir = DataDir::from_env();
    let database = Database::create(data_dir.path());
    let address = start_server(&run, &data_dir, &database).await;
    if !database::prepare(&data_dir, &database, customers) {
        return ExitCode::FAILURE;
    }
    let repeats = env_number(statements::STATEMENTS_VAR, 0);
    if repeats > 0 {
        statements::print(&database.url, repeats);
        return ExitCode::SUCCESS;
    }
    let clients = Clients::sign_in(&run, &address).await;
    let results = run_scenarios(&run, &address, &clients).await;

    let backend = database.backend();
    results.summaries(backend, customers, &run.concurrencies);
    results.collapse(&run.concurrencies);
    let fewest = run.concurrencies.first().copied().unwrap_or(4);
    results.targets(fewest);
    results.scoped_ratios(fewest);
    report::print_memory();
    let failures = results.failures();
    if failures > 0 {
        eprintln!("{failures} requests did not answer 200");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
