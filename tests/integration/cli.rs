//! The binary as a new user runs it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// `partnerdesk serve --demo` on an empty data folder prints the address and the
/// demo logins, and serves a page there.
#[tokio::test]
async fn serve_demo_prints_the_address_and_logins_and_serves_pages() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .args(["serve", "--demo"])
        .env("PARTNERDESK_DATA_DIR", data_dir.path())
        .env("PARTNERDESK_BIND", "127.0.0.1:0")
        .env_remove("PARTNERDESK_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start partnerdesk serve --demo");
    // Everything it prints: the address, the logins' heading, eight logins and
    // the two API tokens (a line left unread would end the server on a closed pipe).
    let lines = first_lines(&mut child, 12).await;
    let address = lines
        .iter()
        .find_map(|line| line.strip_prefix("Partnerdesk is running at "))
        .map(str::to_owned);
    let logins: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("@northwind.example"))
        .collect();
    let page = match &address {
        Some(address) => reqwest::get(address).await.ok(),
        None => None,
    };
    let operator_home = demo_operator_home(&address, &lines).await;
    let licences_over = owner_licences_over(&address, &lines).await;
    let monitors = demo_monitors(&address, &lines).await;
    let admin_area = demo_instance_operator_area(&address, &lines).await;
    let distributor_home = demo_distributor_home(&address, &lines).await;
    let _ = child.kill();
    let _ = child.wait();

    let address = address.unwrap_or_else(|| panic!("no address printed: {lines:?}"));
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    assert_eq!(logins.len(), 4, "{lines:?}");
    for role in ["owner", "admin_agent", "sales_agent", "helpdesk_agent"] {
        assert!(
            logins.iter().any(|l| l.contains(role)),
            "{role} missing in {lines:?}"
        );
    }
    assert_demo_people_are_printed(&lines);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Demo partner API token (every scope): pdp_")),
        "{lines:?}"
    );
    let monitors = monitors.unwrap_or_else(|| panic!("the monitoring token answers: {lines:?}"));
    assert!(
        monitors["monitors"]
            .as_array()
            .is_some_and(|m| !m.is_empty()),
        "the demo token sees the demo's monitors: {monitors}"
    );
    let operator_home = operator_home.unwrap_or_else(|e| panic!("the demo operator signs in: {e}"));
    assert!(
        operator_home.contains("id=\"sub-account-name\"")
            && operator_home.contains("Customer-facing SLA"),
        "{operator_home}"
    );
    let admin_area = admin_area.unwrap_or_else(|e| panic!("the instance operator: {e}"));
    assert!(admin_area.contains("Northwind Partners"), "{admin_area}");
    assert_distributor_home(distributor_home);
    let (figure, listed) = licences_over.expect("the owner's home and list");
    assert!(figure > 0, "the demo has licences over quantity");
    assert_eq!(figure, listed);
    let page = page.expect("the printed address answers");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("body").contains("Partnerdesk"));
    assert!(data_dir.path().join("partnerdesk.db").exists());
    assert!(data_dir.path().join("secret_key").exists());
}

/// The first `count` lines the child prints.
async fn first_lines(child: &mut std::process::Child, count: usize) -> Vec<String> {
    let stdout = child.stdout.take().expect("stdout");
    tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .take(count)
            .collect::<Vec<_>>()
    })
    .await
    .expect("read output")
}

/// What the printed monitoring token is answered on the monitoring API.
async fn demo_monitors(address: &Option<String>, lines: &[String]) -> Option<serde_json::Value> {
    let token = lines
        .iter()
        .find_map(|l| l.strip_prefix("Demo monitoring API token: pdm_"))?;
    let address = address.as_deref()?.trim_end_matches('/');
    let answer = reqwest::Client::new()
        .get(format!("{address}/api/v1/monitors"))
        .bearer_auth(format!("pdm_{token}"))
        .send()
        .await
        .ok()?;
    if answer.status() != 200 {
        return None;
    }
    answer.json().await.ok()
}

/// The demo operator signs in and lands on what its sub-account sees.
async fn demo_operator_home(address: &Option<String>, lines: &[String]) -> Result<String, String> {
    let operator = lines
        .iter()
        .find(|l| l.contains("vendor@netops.example"))
        .and_then(|l| l.split_whitespace().nth(1))
        .map(str::to_owned);
    match (address, &operator) {
        (Some(address), Some(password)) => {
            let address = address.trim_end_matches('/');
            signed_in(address, "vendor@netops.example", password)
                .await
                .map(|(_, page)| page)
        }
        _ => Err(format!("no address or operator password in {lines:?}")),
    }
}

/// The demo distributor's owner lands on a home with two resellers.
fn assert_distributor_home(home: Result<String, String>) {
    let home = home.unwrap_or_else(|e| panic!("the distributor's owner signs in: {e}"));
    assert!(
        home.contains(r#"id="network-resellers" data-count="2""#),
        "a distributor with two resellers: {home}"
    );
}

/// The demo distributor's owner signs in and lands on its home.
async fn demo_distributor_home(
    address: &Option<String>,
    lines: &[String],
) -> Result<String, String> {
    let owner = "owner@fabrikam.example";
    let password = lines
        .iter()
        .find(|l| l.contains(owner))
        .and_then(|l| l.split_whitespace().nth(1));
    match (address, password) {
        (Some(address), Some(password)) => {
            signed_in(address.trim_end_matches('/'), owner, password)
                .await
                .map(|(_, page)| page)
        }
        _ => Err(format!("no address or distributor password in {lines:?}")),
    }
}

/// The demo's instance operator signs in and reads the operator's area.
async fn demo_instance_operator_area(
    address: &Option<String>,
    lines: &[String],
) -> Result<String, String> {
    let words = lines
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|words| words.get(2) == Some(&"instance") && words.get(3) == Some(&"operator"))
        .ok_or_else(|| format!("no instance operator printed: {lines:?}"))?;
    let (Some(address), [username, password, ..]) = (address, words.as_slice()) else {
        return Err(format!("no address or password in {lines:?}"));
    };
    let address = address.trim_end_matches('/');
    let (browser, _) = signed_in(address, username, password).await?;
    let area = browser
        .get(format!("{address}/admin"))
        .send()
        .await
        .map_err(|e| format!("GET /admin: {e:?}"))?;
    if area.status() != 200 {
        return Err(format!("GET /admin: {}", area.status()));
    }
    area.text()
        .await
        .map_err(|e| format!("GET /admin body: {e:?}"))
}

/// The owner's home has customers over their licences' quantity to show, and
/// their list holds as many: (figure, listed).
async fn owner_licences_over(address: &Option<String>, lines: &[String]) -> Option<(i64, i64)> {
    let owner = lines
        .iter()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|words| words.first().is_some_and(|w| w.starts_with("owner@")))
        .and_then(|words| Some((words.first()?.to_string(), words.get(1)?.to_string())));
    match (address, &owner) {
        (Some(address), Some((username, password))) => {
            licences_over(address.trim_end_matches('/'), username, password).await
        }
        _ => None,
    }
}

/// The customer's administrator and the sub-account's operator are printed
/// beside the partner's staff.
fn assert_demo_people_are_printed(lines: &[String]) {
    assert!(
        lines
            .iter()
            .any(|l| l.contains("admin@customer.example") && l.contains("customer administrator")),
        "a customer's administrator to see the console: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("vendor@netops.example") && l.contains("sub-account operator")),
        "a sub-account's operator: {lines:?}"
    );
}

/// The owner's "licences over quantity" figure and the total of the list it
/// links to.
async fn licences_over(address: &str, username: &str, password: &str) -> Option<(i64, i64)> {
    let (browser, home) = signed_in(address, username, password).await.ok()?;
    let figure =
        regex::Regex::new(r#"id="figure-licences-over" data-count="(\d+)" href="([^"]+)""#)
            .ok()?
            .captures(&home)?;
    let count = figure[1].parse().ok()?;
    let href = crate::customers::unescape(&figure[2]);
    let list = browser
        .get(format!("{address}{href}"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let total = regex::Regex::new(r#"id="customer-count" data-total="(\d+)""#)
        .ok()?
        .captures(&list)?[1]
        .parse()
        .ok()?;
    Some((count, total))
}

/// Signs in through the login form; the browser and the page it lands on, or
/// what went wrong.
async fn signed_in(
    address: &str,
    username: &str,
    password: &str,
) -> Result<(reqwest::Client, String), String> {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let login = browser
        .get(format!("{address}/login"))
        .send()
        .await
        .map_err(|e| format!("GET /login: {e:?}"))?
        .text()
        .await
        .map_err(|e| format!("GET /login body: {e:?}"))?;
    let csrf = crate::helpers::csrf_token_in(&login);
    let landed = browser
        .post(format!("{address}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .map_err(|e| format!("POST /login: {e:?}"))?;
    let page = landed
        .text()
        .await
        .map_err(|e| format!("POST /login body: {e:?}"))?;
    Ok((browser, page))
}

#[test]
fn migrate_brings_a_new_database_up_to_date() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .arg("migrate")
        .env("PARTNERDESK_DATA_DIR", data_dir.path())
        .env_remove("PARTNERDESK_DATABASE_URL")
        .output()
        .expect("run migrate");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
    assert!(data_dir.path().join("partnerdesk.db").exists());
}

/// Logs written to a pipe (a container's, a service manager's) are plain
/// text: no colour escape codes.
#[test]
fn logs_to_a_pipe_carry_no_colour_codes() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .arg("migrate")
        .env("PARTNERDESK_DATA_DIR", data_dir.path())
        .env_remove("PARTNERDESK_DATABASE_URL")
        .env_remove("PARTNERDESK_LOG_FORMAT")
        .env("RUST_LOG", "debug")
        .output()
        .expect("run migrate");
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("settings loaded"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

#[test]
fn an_unknown_database_scheme_is_a_clear_error() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .arg("migrate")
        .env("PARTNERDESK_DATA_DIR", data_dir.path())
        .env("PARTNERDESK_DATABASE_URL", "mysql://db/partnerdesk")
        .output()
        .expect("run migrate");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("postgres://"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// With `PARTNERDESK_LOG_FORMAT=json` every log line is a JSON object, and a
/// request's line carries the id its answer gave in `X-Request-Id` (the id an
/// error page shows as its reference).
#[tokio::test]
async fn json_logs_are_one_object_a_line_with_the_request_id() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_partnerdesk"))
        .arg("serve")
        .env("PARTNERDESK_DATA_DIR", data_dir.path())
        .env("PARTNERDESK_BIND", "127.0.0.1:0")
        .env_remove("PARTNERDESK_DATABASE_URL")
        .env("PARTNERDESK_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start partnerdesk serve");
    let (sender, logged) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let lines = first_lines(&mut child, 1).await;
    let address = lines
        .iter()
        .find_map(|line| line.strip_prefix("Partnerdesk is running at "))
        .map(|address| address.trim_end_matches('/').to_owned());
    let answer = match &address {
        Some(address) => reqwest::get(format!("{address}/nowhere")).await.ok(),
        None => None,
    };
    let request_id = answer
        .as_ref()
        .and_then(|a| a.headers().get("x-request-id"))
        .and_then(|id| id.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_default();
    // The request's line is written once its answer is sent: read until it comes.
    let read = tokio::task::spawn_blocking(move || {
        let mut read = Vec::new();
        while let Ok(line) = logged.recv_timeout(std::time::Duration::from_secs(10)) {
            let done = !request_id.is_empty() && line.contains(&request_id);
            read.push(line);
            if done {
                return (read, Some(request_id));
            }
        }
        (read, None)
    })
    .await
    .expect("read the log");
    let _ = child.kill();
    let _ = child.wait();

    let (read, found) = read;
    assert!(!read.is_empty(), "something was logged; printed {lines:?}");
    let objects: Vec<serde_json::Value> = read
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    assert!(objects.iter().all(|o| o["level"].is_string()), "{read:?}");
    let request_id = found.unwrap_or_else(|| panic!("no line with the request id: {read:?}"));
    let line = objects.last().expect("the request's line");
    let message = line["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&request_id) && message.contains("/nowhere") && message.contains("404"),
        "{line}"
    );
}
