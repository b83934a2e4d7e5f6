//! The database made unreachable mid-run (PostgreSQL behind a TCP proxy the
//! test cuts): pages answer a 503 in the reader's language with a reference,
//! the API answers 503 in JSON, the log has the reference with the driver's
//! real error, and service comes back without a restart once the database
//! does; meanwhile `/ready` answers 503. (An embedded SQLite file cannot become unreachable to the process
//! that holds it open, so this runs on PostgreSQL only.)

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use partnerdesk::access::PartnerRole;
use partnerdesk::i18n::Lang;

use crate::helpers::people::PASSWORD;
use crate::helpers::{POSTGRES_URL_VAR, TestApp, captured_log, spawn_app_with};

/// Forwards connections from a local port to `upstream` until cut.
struct Proxy {
    port: u16,
    upstream: String,
    cut: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
    /// The thread accepting connections, until it is cut.
    accepting: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let proxy = Proxy {
            port: listener.local_addr().expect("address").port(),
            upstream,
            cut: Arc::default(),
            streams: Arc::default(),
            accepting: Mutex::default(),
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        listener.set_nonblocking(true).expect("nonblocking");
        let (cut, streams, upstream) = (
            self.cut.clone(),
            self.streams.clone(),
            self.upstream.clone(),
        );
        let accepting = std::thread::spawn(move || {
            while !cut.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                let _ = client.set_nonblocking(false);
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let mut kept = streams.lock().expect("streams");
                for (from, to) in [(&client, &server), (&server, &client)] {
                    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
                        continue;
                    };
                    std::thread::spawn(move || {
                        let mut buffer = [0u8; 16 * 1024];
                        while let Ok(n) = from.read(&mut buffer) {
                            if n == 0 || to.write_all(&buffer[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
                kept.push(client);
                kept.push(server);
            }
        });
        *self.accepting.lock().expect("accepting") = Some(accepting);
    }

    /// Closes every forwarded connection and refuses new ones: the accepting
    /// thread has ended, and its listener with it, before the streams close.
    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        if let Some(accepting) = self.accepting.lock().expect("accepting").take() {
            accepting.join().expect("the accepting thread ends");
        }
        for stream in self.streams.lock().expect("streams").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind the proxy");
        self.serve(listener);
    }
}

#[tokio::test]
async fn a_lost_database_answers_503_with_a_logged_reference_and_service_returns_by_itself() {
    if std::env::var(POSTGRES_URL_VAR).map_or(true, |url| url.is_empty()) {
        eprintln!("skipped: {POSTGRES_URL_VAR} is not set");
        return;
    }
    let log = captured_log();
    let mut proxy_slot = None;
    let app = spawn_app_with(|settings| proxy_slot = Some(behind_a_proxy(settings))).await;
    let proxy = proxy_slot.expect("the proxy");
    let partner = app.invite_partner_owner("Contoso", "olga@contoso.example", Lang::Fr);
    app.active_member(&partner, "owner@contoso.example", PartnerRole::Owner);
    let owner = app
        .browser_signed_in("owner@contoso.example", PASSWORD)
        .await;
    app.post_as(&owner, "/language", &[("lang", "fr"), ("next", "/")])
        .await;
    let customers = |browser: &reqwest::Client| {
        let request = browser.get(app.url("/partner/customers")).send();
        async move { request.await.expect("GET") }
    };
    assert_eq!(customers(&owner).await.status(), 200);

    assert_eq!(app.get("/ready").await.status(), 200);
    proxy.cut();
    let probe = reqwest::Client::new();
    let unready = probe.get(app.url("/ready")).send().await.expect("GET");
    assert_eq!(unready.status(), 503);
    assert_eq!(
        unready.text().await.expect("body"),
        "the database does not answer"
    );
    // The front page needs no database; its session cannot be saved, which
    // must not turn the page into an error.
    let visitor = probe.get(app.url("/")).send().await.expect("GET");
    assert_eq!(visitor.status(), 200);
    // Liveness says the process is alive, whatever cookie comes with it.
    let alive = owner
        .get(app.url("/health_check"))
        .send()
        .await
        .expect("GET");
    assert_eq!(alive.status(), 200);
    let front = owner.get(app.url("/")).send().await.expect("GET");
    assert_eq!(
        front.status(),
        503,
        "the owner's front page needs the identity"
    );
    let refused = customers(&owner).await;
    assert_eq!(refused.status(), 503);
    let body = refused.text().await.expect("body");
    assert!(
        body.contains("Le portail ne parvient pas à joindre sa base de données"),
        "{body}"
    );
    let reference = body
        .split(r#"<code id="request-id">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a reference on the page")
        .to_owned();
    assert!(!body.to_lowercase().contains("diesel") && !body.contains("r2d2"));
    assert_api_unavailable(&app).await;
    assert_logged_with_its_cause(&log(), &reference);

    proxy.restore();
    let mut status = 0;
    for _ in 0..50 {
        status = customers(&owner).await.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status, 200, "service returns without a restart");
    assert_eq!(app.get("/ready").await.status(), 200);
}

/// The JSON API answers an outage in JSON, before it even checks the token.
async fn assert_api_unavailable(app: &TestApp) {
    let api = reqwest::Client::new()
        .get(app.url("/api/v1/monitors"))
        .bearer_auth("pdm_whatever")
        .send()
        .await
        .expect("GET");
    assert_eq!(api.status(), 503);
    let json: serde_json::Value = api.json().await.expect("JSON");
    assert_eq!(json["error"], "unavailable");
}

/// The page's reference leads to one log line with the status and the
/// driver's own error.
fn assert_logged_with_its_cause(logged: &str, reference: &str) {
    let line = logged
        .lines()
        .find(|line| line.contains(reference))
        .unwrap_or_else(|| panic!("the reference {reference} in the log:\n{logged}"));
    assert!(line.contains("503"), "{line}");
    assert!(
        line.to_lowercase().contains("refused") || line.to_lowercase().contains("connection"),
        "the driver's error: {line}"
    );
    assert!(
        !logged.contains("Invalid connection url for multiconnection"),
        "{logged}"
    );
}

/// Points the settings' database URL at a proxy in front of the real server,
/// one the test can cut; returns the proxy.
fn behind_a_proxy(settings: &mut partnerdesk::config::Settings) -> Proxy {
    let mut url = url::Url::parse(&settings.database_url).expect("database URL");
    let upstream = format!(
        "{}:{}",
        url.host_str().unwrap_or("127.0.0.1"),
        url.port().unwrap_or(5432)
    );
    let proxy = Proxy::start(upstream);
    url.set_port(Some(proxy.port)).expect("a port");
    settings.database_url = url.to_string();
    settings.db_wait = Duration::from_secs(1);
    proxy
}
