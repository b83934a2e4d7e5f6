//! The benchmark's browser-like clients: signing in through the login form,
//! and driving a scenario's requests from concurrent tasks.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::report::{Outcome, histogram, process_cpu};
use crate::scenarios::{DASHBOARD_PATH, RESELLER_IDS, Scenario, Who};
use crate::seed::{self, CUSTOMER_ADMIN, DISTRIBUTOR_OWNER, LIMITED_AGENT, OWNER, PASSWORD};

const CSRF_TOKEN: &str = r#"name="csrf_token" value="([0-9a-f]{64})""#;
const CUSTOMER_COUNT: &str = r#"id="customer-count"[^>]*data-total="(\d+)""#;
const CUSTOMERS: &str = "/partner/customers";
const NETWORK: &str = "/partner/network/customers";

/// A client that keeps its cookies and does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("build the HTTP client")
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

/// GETs `url` and reads the whole body; the status, or what went wrong.
pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<reqwest::StatusCode, String> {
    let response = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    response.bytes().await.map_err(|e| e.to_string())?;
    Ok(status)
}

/// Signs `username` in through the login form as a browser does.
async fn sign_in(client: &reqwest::Client, address: &str, username: &str) {
    let (_, login) = page(client, &format!("{address}/login")).await;
    let token = capture(CSRF_TOKEN, &login);
    let form = [
        ("username", username),
        ("password", PASSWORD),
        ("csrf_token", &token),
    ];
    let signed_in = client
        .post(format!("{address}/login"))
        .form(&form)
        .send()
        .await;
    let status = signed_in.expect("POST /login").status();
    assert_eq!(status, 303, "signing {username} in answers 303 See Other");
}

/// A list page of the signed-in client: its time, the count it shows and its text.
async fn list(client: &reqwest::Client, address: &str, path: &str) -> (Duration, usize, String) {
    let started = Instant::now();
    let (status, text) = page(client, &format!("{address}{path}")).await;
    let elapsed = started.elapsed();
    assert_eq!(status, 200, "GET {path} after signing in");
    let total = capture(CUSTOMER_COUNT, &text).parse().expect("a count");
    (elapsed, total, text)
}

/// A client signed in as partner A's owner, whose list counts A's customers.
/// Returns it with the time of that first list page.
pub async fn owner(address: &str, customers: usize) -> (reqwest::Client, Duration) {
    let client = browser();
    sign_in(&client, address, OWNER).await;
    let (elapsed, total, _) = list(&client, address, CUSTOMERS).await;
    assert_eq!(
        total, customers,
        "the list counts partner A's customers only"
    );
    (client, elapsed)
}

/// A client signed in as the agent limited to one group of partner A, and
/// the customers its list counts.
pub async fn limited(address: &str, customers: usize) -> (reqwest::Client, usize) {
    let client = browser();
    sign_in(&client, address, LIMITED_AGENT).await;
    let (_, total, _) = list(&client, address, CUSTOMERS).await;
    assert!(
        0 < total && total < customers,
        "the limited agent reaches some of A's {customers} customers, not {total}"
    );
    (client, total)
}

/// A client signed in as the distributor's owner, whose network list counts
/// its resellers' customers; learns the resellers' ids from its filter.
pub async fn distributor(address: &str, sizes: &seed::Sizes) -> reqwest::Client {
    let client = browser();
    sign_in(&client, address, DISTRIBUTOR_OWNER).await;
    let (_, total, text) = list(&client, address, NETWORK).await;
    assert_eq!(
        total, sizes.distributor_customers,
        "the network list counts the resellers' customers"
    );
    let ids: Vec<String> = regex::Regex::new(r#"<option value="([0-9a-f-]{36})""#)
        .expect("regex")
        .captures_iter(&text)
        .map(|c| c[1].to_owned())
        .collect();
    assert_eq!(
        ids.len(),
        seed::RESELLERS,
        "the filter offers every reseller"
    );
    let _ = RESELLER_IDS.set(ids);
    client
}

/// A client signed in as the customer's administrator; finds the benchmark's
/// dashboard.
pub async fn customer_admin(address: &str) -> reqwest::Client {
    let client = browser();
    sign_in(&client, address, CUSTOMER_ADMIN).await;
    let (status, list) = page(&client, &format!("{address}/customer/dashboards")).await;
    assert_eq!(
        status, 200,
        "the customer's administrator sees the dashboards"
    );
    let id = capture(r#"<tr data-dashboard="([0-9a-f-]+)""#, &list);
    let _ = DASHBOARD_PATH.set(format!("/customer/dashboards/{id}"));
    client
}

/// A new client for a scenario of its own, signed in as `who`.
pub async fn signed_in(address: &str, who: Who) -> reqwest::Client {
    let client = browser();
    let username = match who {
        Who::Owner => OWNER,
        Who::Distributor => DISTRIBUTOR_OWNER,
        Who::Limited => LIMITED_AGENT,
        Who::CustomerAdmin => CUSTOMER_ADMIN,
        Who::Nobody => return client,
    };
    sign_in(&client, address, username).await;
    client
}

/// One client task: takes request numbers from `next` until `requests` are sent.
async fn client_task(
    (client, address, scenario): (reqwest::Client, String, Scenario),
    (next, requests, pages, task): (Arc<AtomicUsize>, usize, usize, usize),
) -> (hdrhistogram::Histogram<u64>, usize) {
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
pub async fn drive(
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
