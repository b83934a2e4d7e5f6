//! A real HTTP receiver in the test process for the webhook tests: it records
//! every request and answers with the statuses the test scripts (then 200);
//! and fixtures: an endpoint written through the domain function, the
//! deliveries drained without waiting on the worker's timer.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use hmac::{Hmac, Mac};
use partnerdesk::clock::Clock;
use partnerdesk::db::schema::{memberships, webhook_deliveries};
use partnerdesk::ids::PartnerId;
use partnerdesk::jobs::Shutdown;
use partnerdesk::webhooks::EventType;
use partnerdesk::webhooks::endpoints::{self, NewEndpoint};
use partnerdesk::webhooks::worker::WebhookWorker;
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::TestApp;

/// One request the receiver got: its headers (names in lower case) and body.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// An HTTP server on a random loopback port.
pub struct Receiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<u16>>>,
    /// Each answer waits for a permit; plenty unless the receiver holds.
    gate: Arc<tokio::sync::Semaphore>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// Answers `script`'s statuses in turn, then 200 (or `always` when given).
    pub async fn start(script: &[u16]) -> Receiver {
        Self::gated(script, tokio::sync::Semaphore::MAX_PERMITS).await
    }

    /// Takes each request, then holds its answer until `release`: a
    /// receiver that has gone silent.
    pub async fn holding() -> Receiver {
        Self::gated(&[], 0).await
    }

    /// Answers every request held so far, and those to come.
    pub fn release(&self) {
        self.gate.add_permits(10_000);
    }

    async fn gated(script: &[u16], permits: usize) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let gate = Arc::new(tokio::sync::Semaphore::new(permits));
        let (log, statuses, answers) = (received.clone(), script.clone(), gate.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, statuses, gate) = (log.clone(), statuses.clone(), answers.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, log, statuses, gate).await;
                });
            }
        });
        Receiver {
            port,
            received,
            script,
            gate,
            task,
        }
    }

    /// Answers `status` to every request from now on.
    pub fn always(&self, status: u16) {
        let mut script = self.script.lock().expect("script");
        script.clear();
        script.extend(std::iter::repeat_n(status, 10_000));
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("log").clone()
    }
}

async fn serve(
    stream: tokio::net::TcpStream,
    log: Arc<Mutex<Vec<Received>>>,
    statuses: Arc<Mutex<VecDeque<u16>>>,
    gate: Arc<tokio::sync::Semaphore>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    let mut headers = HashMap::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        if let Some((name, value)) = trimmed.split_once(':') {
            headers.insert(name.trim().to_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    let status = statuses.lock().expect("script").pop_front().unwrap_or(200);
    log.lock().expect("log").push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let _permit = gate.acquire().await;
    let answer =
        format!("HTTP/1.1 {status} Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno");
    reader.get_mut().write_all(answer.as_bytes()).await?;
    reader.get_mut().shutdown().await
}

/// Whether `header` (`t=…,v1=…[,v1=…]`) holds a valid signature of `body`
/// made with `secret`, computed here as a receiver would.
pub fn signed_with(header: &str, body: &str, secret: &str) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = Some(t.to_owned()),
            Some(("v1", v1)) => signatures.push(v1.to_owned()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let expected = hex::encode(mac.finalize().into_bytes());
    signatures.contains(&expected)
}

impl TestApp {
    /// Registers an endpoint of the partner of `membership_id` (its creator)
    /// for `events`, as the page does once the URL is checked: (id, secret).
    pub fn webhook_endpoint(
        &self,
        membership_id: &str,
        url: &str,
        events: &[EventType],
    ) -> (String, String) {
        let mut conn = self.conn();
        let (login_id, partner_id): (String, Option<String>) = memberships::table
            .find(membership_id)
            .select((memberships::login_id, memberships::partner_id))
            .first(&mut conn)
            .expect("a partner membership");
        let url = url::Url::parse(url).expect("a URL");
        endpoints::register(
            &mut conn,
            self.clock.now(),
            &PartnerId::new(partner_id.expect("a partner's")),
            &NewEndpoint {
                url: &url,
                description: "test receiver",
                events,
                created_by_login_id: &login_id,
            },
        )
        .expect("an endpoint")
    }

    /// Sends every delivery due by the application's clock, as the worker
    /// does, until none is due and none is being sent (the application's own
    /// worker may hold one).
    pub async fn drain_webhooks(&self) {
        let worker = self.webhook_worker();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            worker
                .deliver_due()
                .await
                .expect("the deliveries are readable");
            if self.webhooks_in_flight() == 0 {
                return;
            }
            assert!(Instant::now() < deadline, "deliveries still due after 30 s");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// One pass of the worker over the deliveries due by the application's
    /// clock; returns how many it delivered.
    pub async fn deliver_webhooks_once(&self) -> usize {
        self.webhook_worker()
            .deliver_due()
            .await
            .expect("the deliveries are readable")
    }

    fn webhook_worker(&self) -> WebhookWorker {
        WebhookWorker {
            pool: self.pool.clone(),
            settings: self.settings.clone(),
            clock: self.clock.clone(),
            wake: Arc::new(tokio::sync::Notify::new()),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
            shutdown: Shutdown::new(),
        }
    }

    fn webhooks_in_flight(&self) -> i64 {
        let now = self.clock.now();
        webhook_deliveries::table
            .filter(
                webhook_deliveries::state
                    .eq("pending")
                    .and(webhook_deliveries::next_attempt_at.le(now))
                    .or(webhook_deliveries::state.eq("sending")),
            )
            .count()
            .get_result(&mut self.conn())
            .expect("count the deliveries")
    }

    /// The deliveries of `endpoint_id`: (state, attempts, last status, last error).
    pub fn deliveries_of(
        &self,
        endpoint_id: &str,
    ) -> Vec<(String, i32, Option<i32>, Option<String>)> {
        webhook_deliveries::table
            .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
            .order(webhook_deliveries::created_at.asc())
            .select((
                webhook_deliveries::state,
                webhook_deliveries::attempts,
                webhook_deliveries::last_status,
                webhook_deliveries::last_error,
            ))
            .load(&mut self.conn())
            .expect("the deliveries")
    }
}

impl TestApp {
    /// An endpoint of the partner of `membership_id` with one delivered
    /// event, whose delivery id is the endpoint's own (so one id fills both
    /// placeholders of a sample path); returns that id.
    pub fn webhook_with_delivery(&self, membership_id: &str) -> String {
        let (id, _) = self.webhook_endpoint(
            membership_id,
            "https://hooks.example/partnerdesk",
            &[EventType::CustomerCreated],
        );
        let partner_id: String = partnerdesk::db::schema::webhook_endpoints::table
            .find(&id)
            .select(partnerdesk::db::schema::webhook_endpoints::partner_id)
            .first(&mut self.conn())
            .expect("the endpoint");
        let now = self.clock.now();
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::id.eq(&id),
                webhook_deliveries::endpoint_id.eq(&id),
                webhook_deliveries::partner_id.eq(partner_id),
                webhook_deliveries::event_id.eq(&id),
                webhook_deliveries::event_type.eq("customer.created"),
                webhook_deliveries::payload.eq("{}"),
                webhook_deliveries::state.eq("delivered"),
                webhook_deliveries::attempts.eq(1),
                webhook_deliveries::next_attempt_at.eq(now),
                webhook_deliveries::last_attempt_at.eq(Some(now)),
                webhook_deliveries::last_status.eq(Some(200)),
                webhook_deliveries::created_at.eq(now),
                webhook_deliveries::delivered_at.eq(Some(now)),
            ))
            .execute(&mut self.conn())
            .expect("a delivery");
        id
    }
}

/// The customer administrator signed in as `admin` turns partner assistance
/// off, then on: one change at least, whatever it was, and it ends on.
pub async fn assistance_turned_off_and_on(app: &TestApp, admin: &reqwest::Client) {
    for enabled in ["off", "on"] {
        let changed = app
            .post_as(admin, "/customer/assistance", &[("enabled", enabled)])
            .await;
        assert_eq!(changed.status(), 303);
    }
}
